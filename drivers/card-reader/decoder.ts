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
  private buf: Uint8Array = new Uint8Array(0);
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
    const next = new Uint8Array(this.buf.length + bytes.length);
    next.set(this.buf);
    next.set(bytes, this.buf.length);
    this.buf = next;
    this.lastByteAt = now;
    return this.scan(false);
  }

  expire(now: number): LinkToken<ReaderFrame>[] {
    if (this.buf.length === 0 || now - this.lastByteAt < this.interByteMs) return [];
    return this.scan(true);
  }

  nextDeadline(): number | undefined {
    return this.buf.length > 0 ? this.lastByteAt + this.interByteMs : undefined;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
    this.span = 0;
  }

  private drop(n: number): void {
    this.buf = this.buf.subarray(n);
    this.span = Math.max(0, this.span - n);
  }

  /**
   * `expired`: the buffered tail will get no more bytes in time, so a partial frame is garbage. Only
   * the first such drop is reported, so one timeout costs one NAK.
   */
  private scan(expired: boolean): LinkToken<ReaderFrame>[] {
    const out: LinkToken<ReaderFrame>[] = [];
    let reportedTimeout = false;
    while (this.buf.length > 0) {
      const b = this.buf[0];
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
          out.push({ kind: 'garbled', raw: this.buf.slice(), reason: 'inter-byte timeout' });
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
    if (this.buf.length === 0) this.span = 0;
    return out;
  }

  private tryFrame(): Extract<LinkToken<ReaderFrame>, { kind: 'frame' | 'garbled' }> | 'partial' {
    const buf = this.buf;
    if (buf.length < 4) return 'partial';
    const len = (buf[2] << 8) | buf[3];
    if (buf[1] !== this.address || len < 3 || len > this.maxLength) {
      return { kind: 'garbled', raw: buf.slice(0, 4), reason: buf[1] !== this.address ? 'bad address' : `bad length ${len}` };
    }
    const total = len + 6;
    if (buf.length < total) return 'partial';
    const raw = buf.slice(0, total);
    if (raw[total - 2] !== ETX) return { kind: 'garbled', raw, reason: 'no ETX' };
    if (bcc(raw, 0, total - 1) !== raw[total - 1]) return { kind: 'garbled', raw, reason: 'BCC mismatch' };
    const decoded = decodeFrame(raw, this.address);
    if (!decoded.ok) return { kind: 'garbled', raw, reason: decoded.reason };
    return { kind: 'frame', frame: decoded.frame, raw };
  }
}
