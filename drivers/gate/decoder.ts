/**
 * Resynchronising stream decoder for the gate board protocol (both directions). Pure: bytes and
 * time in, tokens out.
 *
 * The scan is the shared resynchronising one (drivers/serial/resync-decoder.ts); this file holds the
 * gate's frame check. The gate frame has no length byte:
 * its end is the first ETX after CMD, which works because CMD is 'A'..'Z' and DATA printable ASCII
 * (a byte outside that range before ETX is corruption; a body longer than MAX_DATA too).
 * Outside a frame, 06 is ACK and 15 NAK; any other byte is noise, reported as one garbled token
 * per run (on the request/reply link a garbled token costs a retransmission).
 * A corrupted frame is reported once: false starts and control bytes inside its extent stay silent,
 * except that the byte that broke the frame is rescanned when it is STX, ACK or NAK.
 */
import type { LinkToken } from '../serial/link-types.js';
import { ResyncDecoder, type FrameResult } from '../serial/resync-decoder.js';
import { ACK, ETX, MAX_DATA, NAK, STX, decodeFrame, isCommandByte, isDataByte, type GateFrame } from './codec.js';

export interface GateDecoderOptions {
  /** A partial frame older than this (since its last byte) is dropped as garbled. */
  interByteMs?: number;
}

export const DEFAULT_INTER_BYTE_MS = 100;

type Token = LinkToken<GateFrame>;

const isLinkByte = (b: number): boolean => b === STX || b === ACK || b === NAK;

export class GateStreamDecoder extends ResyncDecoder<GateFrame> {
  constructor(opts: GateDecoderOptions = {}) {
    super({ stx: STX, interByteMs: opts.interByteMs ?? DEFAULT_INTER_BYTE_MS, wipe: false, initialSize: 32 });
  }

  protected outside(b: number): Token | 'noise' {
    if (b === ACK) return { kind: 'ack' };
    if (b === NAK) return { kind: 'nak' };
    return 'noise';
  }

  /** A bad frame's extent ends before the byte that broke it when that byte means something alone. */
  private bad(i: number, reason: string): FrameResult<GateFrame> {
    return { kind: 'garbled', raw: this.copy(isLinkByte(this.at(i)) ? i : i + 1), reason };
  }

  protected tryFrame(): FrameResult<GateFrame> {
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
