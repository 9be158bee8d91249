/**
 * Resynchronising stream decoder for the gate board protocol (both directions). Pure: bytes and
 * time in, tokens out.
 *
 * Rules (devices.md "Simulating at the transport"): find STX, check ETX and BCC; on error drop one
 * byte and rescan; an inter-byte timeout ends a partial frame. The gate frame has no length byte:
 * its end is the first ETX after CMD, which works because CMD is 'A'..'Z' and DATA printable ASCII
 * (a byte outside that range before ETX is corruption; a body longer than MAX_DATA too).
 * Outside a frame, 06 is ACK and 15 NAK; any other byte is noise, reported as one garbled token
 * per run (on the request/reply link a garbled token costs a retransmission).
 * A corrupted frame is reported once: false starts and control bytes inside its extent stay silent,
 * except that the byte that broke the frame is rescanned when it is STX, ACK or NAK.
 */
import type { LinkToken, StreamDecoder } from '../serial/link-types.js';
import { ACK, ETX, MAX_DATA, NAK, STX, decodeFrame, isCommandByte, isDataByte, type GateFrame } from './codec.js';

export interface GateDecoderOptions {
  /** A partial frame older than this (since its last byte) is dropped as garbled. */
  interByteMs?: number;
}

export const DEFAULT_INTER_BYTE_MS = 100;

type Token = LinkToken<GateFrame>;
type FrameResult = Extract<Token, { kind: 'frame' | 'garbled' }> | 'partial';

const isLinkByte = (b: number): boolean => b === STX || b === ACK || b === NAK;

export class GateStreamDecoder implements StreamDecoder<GateFrame> {
  private buf = new Uint8Array(32);
  private start = 0;
  private end = 0;
  private lastByteAt = 0;
  /** Remaining bytes of a bad frame's extent, where only STX may start something. */
  private span = 0;
  private readonly interByteMs: number;

  constructor(opts: GateDecoderOptions = {}) {
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
  }

  private get length(): number {
    return this.end - this.start;
  }

  private at(i: number): number {
    return this.buf[this.start + i];
  }

  push(bytes: Uint8Array, now: number): Token[] {
    if (bytes.length === 0) return [];
    this.append(bytes);
    this.lastByteAt = now;
    return this.scan(false);
  }

  expire(now: number): Token[] {
    if (this.length === 0 || now - this.lastByteAt < this.interByteMs) return [];
    return this.scan(true);
  }

  nextDeadline(): number | undefined {
    return this.length > 0 ? this.lastByteAt + this.interByteMs : undefined;
  }

  reset(): void {
    this.start = this.end = 0;
    this.span = 0;
  }

  private append(bytes: Uint8Array): void {
    if (this.end + bytes.length > this.buf.length) {
      const unread = this.length;
      if (unread + bytes.length > this.buf.length) {
        const bigger = new Uint8Array(Math.max(this.buf.length * 2, unread + bytes.length));
        bigger.set(this.buf.subarray(this.start, this.end));
        this.buf = bigger;
      } else {
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = unread;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }

  private drop(n: number): void {
    this.start += n;
    this.span = Math.max(0, this.span - n);
    if (this.start >= this.end) this.start = this.end = 0;
  }

  /** `expired`: no more bytes will come in time, so a partial frame is garbage. */
  private scan(expired: boolean): Token[] {
    const out: Token[] = [];
    let noise = 0;
    const flushNoise = () => {
      if (noise > 0) out.push({ kind: 'garbled', raw: new Uint8Array(noise), reason: `${noise} byte(s) outside a frame` });
      noise = 0;
    };
    while (this.length > 0) {
      const b = this.at(0);
      if (b !== STX) {
        if (this.span === 0) {
          if (b === ACK || b === NAK) {
            flushNoise();
            out.push({ kind: b === ACK ? 'ack' : 'nak' });
          } else {
            noise++;
          }
        }
        this.drop(1);
        continue;
      }
      flushNoise();
      const result = this.tryFrame();
      if (result === 'partial') {
        if (!expired) break;
        if (this.span === 0) out.push({ kind: 'garbled', raw: this.copy(this.length), reason: 'inter-byte timeout' });
        // The whole tail is stale: one report, then rescan it without reporting again.
        this.span = Math.max(this.span, this.length);
        this.drop(1);
        continue;
      }
      if (result.kind === 'frame') {
        this.drop(result.raw.length);
        this.span = 0;
        out.push(result);
        continue;
      }
      if (this.span === 0) out.push(result);
      const extent = result.raw.length;
      this.drop(1);
      this.span = Math.max(this.span, extent - 1);
    }
    flushNoise();
    return out;
  }

  private copy(n: number): Uint8Array {
    return this.buf.slice(this.start, this.start + n);
  }

  /** A bad frame's extent ends before the byte that broke it when that byte means something alone. */
  private bad(i: number, reason: string): FrameResult {
    return { kind: 'garbled', raw: this.copy(isLinkByte(this.at(i)) ? i : i + 1), reason };
  }

  private tryFrame(): FrameResult {
    if (this.length < 2) return 'partial';
    if (!isCommandByte(this.at(1))) return this.bad(1, 'bad CMD');
    for (let i = 2; i < this.length; i++) {
      const b = this.at(i);
      if (b === ETX) {
        if (i + 1 >= this.length) return 'partial';
        const raw = this.copy(i + 2);
        const decoded = decodeFrame(raw);
        if (!decoded.ok) return { kind: 'garbled', raw, reason: decoded.reason };
        return { kind: 'frame', frame: decoded.frame, raw };
      }
      if (i - 2 >= MAX_DATA) return this.bad(i, 'no ETX');
      if (!isDataByte(b)) return this.bad(i, 'non-ASCII byte in frame');
    }
    return 'partial';
  }
}
