/**
 * Resynchronising stream decoder for the reader protocol. Pure: bytes and time in, tokens out.
 *
 * Rules (devices.md "Simulating at the transport"): find STX, read the 2-byte length, check ETX and
 * BCC; on error drop one byte and rescan; an inter-byte timeout ends a partial frame.
 * One refinement: after a bad frame, the bytes it declared (its "span") are rescanned for STX only,
 * never for single control bytes, because payload bytes 04/05/06/15 inside a corrupted frame must not
 * be mistaken for EOT/ENQ/ACK/NAK.
 */
import type { LinkToken, StreamDecoder } from '../serial/link-types.js';
import { ACK, DEFAULT_ADDRESS, ENQ, EOT, ETX, NAK, STX, bcc, decodeFrame, type ReaderFrame } from './codec.js';

export interface ReaderDecoderOptions {
  address?: number;
  /** A partial frame older than this (since its last byte) is dropped as garbled. */
  interByteMs?: number;
  /** LEN above this is taken as corruption rather than waited for. */
  maxLength?: number;
}

export const DEFAULT_INTER_BYTE_MS = 100;
/** 261-byte extended APDU case 4 + headers, with room to spare. */
export const DEFAULT_MAX_LENGTH = 1024;

const CONTROL: ReadonlyMap<number, LinkToken<ReaderFrame>> = new Map([
  [ACK, { kind: 'ack' }],
  [NAK, { kind: 'nak' }],
  [ENQ, { kind: 'enq' }],
  [EOT, { kind: 'eot' }],
]);

export class ReaderStreamDecoder implements StreamDecoder<ReaderFrame> {
  /**
   * Owned storage; `start`..`end` is the unread part. Bytes are appended in place and consumed by
   * moving `start`: the ACK the host answers with ENQ (its hottest path) costs no allocation, where
   * a concatenated copy and a view per dropped byte used to cost several.
   */
  private store = new Uint8Array(256);
  private start = 0;
  private end = 0;
  private lastByteAt = 0;
  /** Remaining bytes of a bad frame's span, where only STX may start something. */
  private span = 0;
  private readonly address: number;
  private readonly interByteMs: number;
  private readonly maxLength: number;

  constructor(opts: ReaderDecoderOptions = {}) {
    this.address = opts.address ?? DEFAULT_ADDRESS;
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
    this.maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  }

  push(bytes: Uint8Array, now: number): LinkToken<ReaderFrame>[] {
    if (bytes.length === 0) return [];
    this.append(bytes);
    this.lastByteAt = now;
    return this.scan(false);
  }

  expire(now: number): LinkToken<ReaderFrame>[] {
    if (this.end === this.start || now - this.lastByteAt < this.interByteMs) return [];
    return this.scan(true);
  }

  nextDeadline(): number | undefined {
    return this.end > this.start ? this.lastByteAt + this.interByteMs : undefined;
  }

  reset(): void {
    this.clear();
    this.span = 0;
  }

  private append(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.end + n > this.store.length) {
      const unread = this.end - this.start;
      if (unread + n > this.store.length) {
        const bigger = new Uint8Array(Math.max(this.store.length * 2, unread + n));
        bigger.set(this.store.subarray(this.start, this.end));
        this.store.fill(0);
        this.store = bigger;
      } else {
        this.store.copyWithin(0, this.start, this.end);
        this.store.fill(0, unread, this.end);
      }
      this.start = 0;
      this.end = unread;
    }
    if (n === 1) this.store[this.end] = bytes[0];
    else this.store.set(bytes, this.end);
    this.end += n;
  }

  /** Card data passed through here: consumed bytes are zeroed, not left for the next reader of the heap. */
  private clear(): void {
    if (this.end > 0) this.store.fill(0, 0, this.end);
    this.start = 0;
    this.end = 0;
  }

  private drop(n: number): void {
    this.start += n;
    this.span = Math.max(0, this.span - n);
  }

  /**
   * `expired`: the buffered tail will get no more bytes in time, so a partial frame is garbage. Only
   * the first such drop is reported, so one timeout costs one NAK.
   */
  private scan(expired: boolean): LinkToken<ReaderFrame>[] {
    const out: LinkToken<ReaderFrame>[] = [];
    let reportedTimeout = false;
    while (this.start < this.end) {
      const b = this.store[this.start];
      if (b !== STX) {
        const control = this.span === 0 ? CONTROL.get(b) : undefined;
        if (control) out.push(control);
        this.drop(1);
        continue;
      }
      const result = this.tryFrame();
      if (result === 'partial') {
        if (!expired) break;
        if (!reportedTimeout) {
          out.push({ kind: 'garbled', raw: this.store.slice(this.start, this.end), reason: 'inter-byte timeout' });
          reportedTimeout = true;
        }
        this.drop(1);
        continue;
      }
      if (result.kind === 'frame') {
        this.drop(result.raw.length);
        this.span = 0;
        out.push(result);
        continue;
      }
      // One corrupted frame is reported once: a false start inside its span stays silent.
      if (this.span === 0) out.push(result);
      // Keep the bad frame's declared extent quiet (except for STX) while rescanning from byte 1.
      const declared = result.raw.length;
      this.drop(1);
      this.span = Math.max(this.span, declared - 1);
    }
    if (this.start === this.end) {
      this.clear();
      this.span = 0;
    }
    return out;
  }

  private tryFrame(): Extract<LinkToken<ReaderFrame>, { kind: 'frame' | 'garbled' }> | 'partial' {
    const buf = this.store;
    const at = this.start;
    const have = this.end - at;
    if (have < 4) return 'partial';
    const len = (buf[at + 2] << 8) | buf[at + 3];
    if (buf[at + 1] !== this.address || len < 3 || len > this.maxLength) {
      return { kind: 'garbled', raw: buf.slice(at, at + 4), reason: buf[at + 1] !== this.address ? 'bad address' : `bad length ${len}` };
    }
    const total = len + 6;
    if (have < total) return 'partial';
    const raw = buf.slice(at, at + total);
    if (raw[total - 2] !== ETX) return { kind: 'garbled', raw, reason: 'no ETX' };
    if (bcc(raw, 0, total - 1) !== raw[total - 1]) return { kind: 'garbled', raw, reason: 'BCC mismatch' };
    const decoded = decodeFrame(raw, this.address);
    if (!decoded.ok) return { kind: 'garbled', raw, reason: decoded.reason };
    return { kind: 'frame', frame: decoded.frame, raw };
  }
}
