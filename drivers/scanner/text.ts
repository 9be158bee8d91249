/**
 * What every bus shares once the bytes of a code are together: strict UTF-8 decoding, the codec
 * event shape, and the fingerprint logs use instead of the code.
 */
import { createHash } from 'node:crypto';
import type { ScannerErrorCode } from './errors.js';

export type CodecEvent =
  | { kind: 'code'; text: string; symbology?: string }
  | { kind: 'error'; code: ScannerErrorCode; length: number; detail: string }
  /** A partial code ended by the inter-byte / inter-report timeout. */
  | { kind: 'discarded'; length: number };

/** What the driver needs from each bus's decoder. Pure: data and time in, events out. */
export interface ScanCodec {
  push(data: Uint8Array, now: number): CodecEvent[];
  /** Ends a partial code whose last byte/report is older than the inter-byte timeout. */
  expire(now: number): CodecEvent[];
  /** When expire() has something to do, if anything is buffered. */
  nextDeadline(): number | undefined;
  /** Drops the code in progress, including its bytes still to come up to its terminator. */
  abandon(): void;
  /** Forgets everything (the device was unplugged). */
  reset(): void;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: a byte sequence that is not UTF-8 is an error event, never U+FFFD in a code. */
export function decodeCode(bytes: Uint8Array, symbology?: string): CodecEvent {
  try {
    const text = UTF8.decode(bytes);
    return symbology ? { kind: 'code', text, symbology } : { kind: 'code', text };
  } catch {
    return { kind: 'error', code: 'SCANNER_INVALID_UTF8', length: bytes.length, detail: `${bytes.length} bytes are not valid UTF-8` };
  }
}

/** For logs: length and the first 8 hex digits of SHA-256, enough to correlate, not to recover. */
export function codeFingerprint(text: string): { len: number; sha: string } {
  return { len: text.length, sha: createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8) };
}
