/**
 * Resynchronising stream decoder for the PIN pad protocol. Pure: bytes and time in, tokens out.
 *
 * Rules (devices.md "Simulating at the transport"): find STX, read the 2-byte length, check ETX and
 * BCC; on error drop one byte and rescan; an inter-byte timeout ends a partial frame.
 * A corrupted frame is reported once: false starts inside its declared extent stay silent, because
 * on the PIN pad's request/reply link every garbled token costs a retransmission.
 *
 * The buffer may hold a PIN block or a VERIFY APDU (the PIN in BCD), so it is owned here and
 * zeroed whenever it is replaced or reset, rather than left to the garbage collector. For the same
 * reason a garbled token carries zeros of the bad frame's length, never its bytes: a reply with one
 * corrupted byte is still a PIN-bearing reply, and nobody needs the bytes of a frame that failed.
 */
import type { LinkToken, StreamDecoder } from '../serial/link-types.js';
import { ETX, FRAME_OVERHEAD, STX, bcc, decodeFrame, type PinPadFrame } from './codec.js';

export interface PinPadDecoderOptions {
  /** A partial frame older than this (since its last byte) is dropped as garbled. */
  interByteMs?: number;
  /** LEN above this is taken as corruption rather than waited for. */
  maxLength?: number;
  /**
   * Zero each received chunk once it is copied in. The host's driver sets it: the chunk is the
   * serial transport's read pool (SerialPortTransport emits views of one long-lived pool buffer),
   * the last copy of a VERIFY / CHANGE PIN reply outside this decoder, and nothing reads it after us.
   */
  wipeInput?: boolean;
}

export const DEFAULT_INTER_BYTE_MS = 100;
export const DEFAULT_MAX_LENGTH = 512;

type Token = LinkToken<PinPadFrame>;

export class PinPadStreamDecoder implements StreamDecoder<PinPadFrame> {
  /** Owned storage; `start`..`end` is the unread part. */
  private store = new Uint8Array(64);
  private start = 0;
  private end = 0;
  private lastByteAt = 0;
  /** Remaining bytes of a bad frame's declared extent, where a false start is not reported. */
  private span = 0;
  private readonly interByteMs: number;
  private readonly maxLength: number;
  private readonly wipeInput: boolean;

  constructor(opts: PinPadDecoderOptions = {}) {
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
    this.maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
    this.wipeInput = opts.wipeInput ?? false;
  }

  private get length(): number {
    return this.end - this.start;
  }

  private at(i: number): number {
    return this.store[this.start + i];
  }

  push(bytes: Uint8Array, now: number): Token[] {
    if (bytes.length === 0) return [];
    this.append(bytes);
    if (this.wipeInput) bytes.fill(0);
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
    this.store.fill(0);
    this.start = this.end = 0;
    this.span = 0;
  }

  private append(bytes: Uint8Array): void {
    const need = this.length + bytes.length;
    if (this.end + bytes.length > this.store.length) {
      const next = new Uint8Array(Math.max(need, this.store.length * 2));
      next.set(this.store.subarray(this.start, this.end));
      this.store.fill(0);
      this.store = next;
      this.end = this.length;
      this.start = 0;
    }
    this.store.set(bytes, this.end);
    this.end += bytes.length;
  }

  private drop(n: number): void {
    this.store.fill(0, this.start, this.start + n);
    this.start += n;
    this.span = Math.max(0, this.span - n);
    if (this.start === this.end) this.start = this.end = 0;
  }

  private copy(n: number): Uint8Array {
    return this.store.slice(this.start, this.start + n);
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
      if (this.at(0) !== STX) {
        if (this.span === 0) noise++;
        this.drop(1);
        continue;
      }
      flushNoise();
      const result = this.tryFrame();
      if (result === 'partial') {
        if (!expired) break;
        if (this.span === 0) out.push({ kind: 'garbled', raw: new Uint8Array(this.length), reason: 'inter-byte timeout' });
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
      const declared = result.raw.length;
      this.drop(1);
      this.span = Math.max(this.span, declared - 1);
    }
    flushNoise();
    return out;
  }

  private tryFrame(): Extract<Token, { kind: 'frame' | 'garbled' }> | 'partial' {
    if (this.length < 3) return 'partial';
    const len = (this.at(1) << 8) | this.at(2);
    if (len < 1 || len > this.maxLength) return { kind: 'garbled', raw: new Uint8Array(3), reason: `bad length ${len}` };
    const total = len + FRAME_OVERHEAD - 1;
    if (this.length < total) return 'partial';
    const raw = this.copy(total);
    if (raw[total - 2] !== ETX) return garbled(raw, 'no ETX');
    if (bcc(raw, 0, total - 1) !== raw[total - 1]) return garbled(raw, 'BCC mismatch');
    const decoded = decodeFrame(raw);
    if (!decoded.ok) return garbled(raw, decoded.reason);
    return { kind: 'frame', frame: decoded.frame, raw };
  }
}

/** A garbled token keeps the frame's length (the link's retransmission logic needs it), not its bytes. */
function garbled(raw: Uint8Array, reason: string): Extract<Token, { kind: 'garbled' }> {
  raw.fill(0);
  return { kind: 'garbled', raw, reason };
}
