/**
 * The resynchronising scan every STX-framed device protocol shares (devices.md "Simulating at the
 * transport"): find STX, let the protocol check its frame, on error drop one byte and rescan, and
 * end a partial frame when its inter-byte timeout passes. Pure: bytes and time in, tokens out.
 *
 * What the protocols share beyond the rules:
 * - A corrupted frame is reported once. After a bad frame, the bytes it declared (its "span") are
 *   rescanned for STX only, and a false start inside them stays silent: on a request/reply link every
 *   garbled token costs a retransmission, and payload bytes 06/15 inside a corrupted frame must not
 *   be taken for ACK/NAK. A stale tail after an inter-byte timeout is one such span.
 * - The buffer is owned and, for links that carry card data or PIN blocks (`wipe`), every consumed
 *   byte is zeroed rather than left in the heap for the next reader.
 *
 * A protocol supplies the frame check (`tryFrame`) and what a byte outside a frame means
 * (`outside`): a token of its own (ACK, NAK, ENQ, EOT), noise (reported as one garbled token per
 * run), or nothing.
 */
import type { LinkToken, StreamDecoder } from './link-types.js';

export type FrameResult<F> = Extract<LinkToken<F>, { kind: 'frame' | 'garbled' }> | 'partial';

export interface ResyncOptions {
  /** The byte a frame starts with (02 on the PIN pad and gate, F2 on the reader). */
  stx: number;
  /** A partial frame older than this (since its last byte) is dropped as garbled. */
  interByteMs: number;
  /** Zero consumed bytes (links that carry card data or PIN blocks). */
  wipe: boolean;
  initialSize: number;
}

export abstract class ResyncDecoder<F> implements StreamDecoder<F> {
  private store: Uint8Array;
  private start = 0;
  private end = 0;
  private lastByteAt = 0;
  /** Remaining bytes of a bad frame's extent, where only STX may start something, silently. */
  private span = 0;

  protected constructor(private readonly opts: ResyncOptions) {
    this.store = new Uint8Array(opts.initialSize);
  }

  /** The frame starting at STX (offset 0 of the unread bytes), or 'partial' while it may still complete. */
  protected abstract tryFrame(): FrameResult<F>;

  /** What a byte outside any frame means: its own token, noise, or nothing. */
  protected abstract outside(b: number): LinkToken<F> | 'noise' | undefined;

  /** The bytes a timed-out partial frame is reported with (a PIN link reports zeros). */
  protected timedOutRaw(n: number): Uint8Array {
    return this.copy(n);
  }

  push(bytes: Uint8Array, now: number): LinkToken<F>[] {
    if (bytes.length === 0) return [];
    this.append(bytes);
    this.lastByteAt = now;
    return this.scan(false);
  }

  expire(now: number): LinkToken<F>[] {
    if (this.length === 0 || now - this.lastByteAt < this.opts.interByteMs) return [];
    return this.scan(true);
  }

  nextDeadline(): number | undefined {
    return this.length > 0 ? this.lastByteAt + this.opts.interByteMs : undefined;
  }

  reset(): void {
    if (this.opts.wipe) this.store.fill(0);
    this.start = this.end = 0;
    this.span = 0;
  }

  protected get length(): number {
    return this.end - this.start;
  }

  /** Byte `i` of the unread part. */
  protected at(i: number): number {
    return this.store[this.start + i];
  }

  /** A copy of the first `n` unread bytes. */
  protected copy(n: number): Uint8Array {
    return this.store.slice(this.start, this.start + n);
  }

  private append(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.end + n > this.store.length) {
      const unread = this.length;
      if (unread + n > this.store.length) {
        const bigger = new Uint8Array(Math.max(this.store.length * 2, unread + n));
        bigger.set(this.store.subarray(this.start, this.end));
        if (this.opts.wipe) this.store.fill(0);
        this.store = bigger;
      } else {
        this.store.copyWithin(0, this.start, this.end);
        if (this.opts.wipe) this.store.fill(0, unread, this.end);
      }
      this.start = 0;
      this.end = unread;
    }
    // The ACK a reader's host answers with ENQ is its hottest path: one byte costs no view.
    if (n === 1) this.store[this.end] = bytes[0];
    else this.store.set(bytes, this.end);
    this.end += n;
  }

  private drop(n: number): void {
    if (this.opts.wipe) this.store.fill(0, this.start, this.start + n);
    this.start += n;
    this.span = Math.max(0, this.span - n);
    if (this.start >= this.end) this.start = this.end = 0;
  }

  /** `expired`: no more bytes will come in time, so a partial frame is garbage. */
  private scan(expired: boolean): LinkToken<F>[] {
    const out: LinkToken<F>[] = [];
    let noise = 0;
    const flushNoise = () => {
      if (noise > 0) out.push({ kind: 'garbled', raw: new Uint8Array(noise), reason: `${noise} byte(s) outside a frame` });
      noise = 0;
    };
    while (this.length > 0) {
      const b = this.at(0);
      if (b !== this.opts.stx) {
        if (this.span === 0) {
          const meaning = this.outside(b);
          if (meaning === 'noise') noise++;
          else if (meaning) {
            flushNoise();
            out.push(meaning);
          }
        }
        this.drop(1);
        continue;
      }
      flushNoise();
      const result = this.tryFrame();
      if (result === 'partial') {
        if (!expired) break;
        if (this.span === 0) out.push({ kind: 'garbled', raw: this.timedOutRaw(this.length), reason: 'inter-byte timeout' });
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
}
