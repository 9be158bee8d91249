/**
 * Serial scanner framing (devices.md §4: 9600 8N1, each code terminated by CR). A streaming line
 * splitter, pure: bytes and time in, codes out.
 *
 *  - CR, LF and CRLF all end a code; empty lines are ignored (so CRLF is one terminator, not two).
 *  - A code longer than `maxLength` bytes without its terminator is reported once (SCANNER_TOO_LONG)
 *    and its remaining bytes are dropped up to the next terminator.
 *  - An inter-byte timeout ends a partial code and discards it: the next code starts clean.
 *  - The code's bytes are decoded as strict UTF-8; anything else is SCANNER_INVALID_UTF8.
 */
import { decodeCode, type CodecEvent, type ScanCodec } from './text.js';

export const CR = 0x0d;
export const LF = 0x0a;
export const DEFAULT_MAX_CODE_BYTES = 4096;
export const DEFAULT_INTER_BYTE_MS = 100;

export interface SerialCodecOptions {
  /** Longest code accepted, in bytes (default 4096). */
  maxLength?: number;
  /** A partial code whose last byte is older than this is discarded (default 100 ms). */
  interByteMs?: number;
}

export class ScanLineSplitter implements ScanCodec {
  private buf = new Uint8Array(256);
  private len = 0;
  /** Dropping bytes up to the next terminator (a too-long or abandoned code). */
  private discarding = false;
  private lastByteAt = 0;
  private readonly maxLength: number;
  private readonly interByteMs: number;

  constructor(opts: SerialCodecOptions = {}) {
    this.maxLength = Math.max(1, opts.maxLength ?? DEFAULT_MAX_CODE_BYTES);
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
  }

  /** Bytes of the code in progress (for tests and logs). */
  get pending(): number {
    return this.len;
  }

  push(bytes: Uint8Array, now: number): CodecEvent[] {
    if (bytes.length === 0) return [];
    const out = this.expire(now);
    for (const b of bytes) {
      if (b === CR || b === LF) {
        if (this.discarding) this.discarding = false;
        else if (this.len > 0) out.push(decodeCode(this.buf.slice(0, this.len)));
        this.len = 0;
        continue;
      }
      if (this.discarding) continue;
      if (this.len === this.maxLength) {
        out.push({ kind: 'error', code: 'SCANNER_TOO_LONG', length: this.len + 1, detail: `no terminator within ${this.maxLength} bytes` });
        this.len = 0;
        this.discarding = true;
        continue;
      }
      this.append(b);
    }
    this.lastByteAt = now;
    return out;
  }

  expire(now: number): CodecEvent[] {
    if (!this.busy() || now - this.lastByteAt < this.interByteMs) return [];
    const length = this.len;
    this.len = 0;
    this.discarding = false;
    return length > 0 ? [{ kind: 'discarded', length }] : [];
  }

  nextDeadline(): number | undefined {
    return this.busy() ? this.lastByteAt + this.interByteMs : undefined;
  }

  abandon(): void {
    if (this.len === 0) return;
    this.len = 0;
    this.discarding = true;
  }

  reset(): void {
    this.buf.fill(0, 0, this.len);
    this.len = 0;
    this.discarding = false;
  }

  private busy(): boolean {
    return this.len > 0 || this.discarding;
  }

  private append(b: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(Math.min(this.maxLength, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }
}
