/**
 * Resynchronising stream decoder for the reader protocol. Pure: bytes and time in, tokens out.
 *
 * The scan is the shared resynchronising one (drivers/serial/resync-decoder.ts); this file holds the
 * reader's frame check: address, 2-byte length, ETX and BCC. Outside a frame, ACK/NAK/ENQ/EOT are
 * tokens and any other byte is dropped silently (the reader's link retries on its own timeout). The
 * buffer carries card data, so consumed bytes are zeroed.
 */
import type { LinkToken } from '../serial/link-types.js';
import { ResyncDecoder, type FrameResult } from '../serial/resync-decoder.js';
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

export class ReaderStreamDecoder extends ResyncDecoder<ReaderFrame> {
  private readonly address: number;
  private readonly maxLength: number;

  constructor(opts: ReaderDecoderOptions = {}) {
    super({ stx: STX, interByteMs: opts.interByteMs ?? DEFAULT_INTER_BYTE_MS, wipe: true, initialSize: 256 });
    this.address = opts.address ?? DEFAULT_ADDRESS;
    this.maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  }

  protected outside(b: number): LinkToken<ReaderFrame> | undefined {
    return CONTROL.get(b);
  }

  protected tryFrame(): FrameResult<ReaderFrame> {
    const have = this.length;
    if (have < 4) return 'partial';
    const len = (this.at(2) << 8) | this.at(3);
    if (this.at(1) !== this.address || len < 3 || len > this.maxLength) {
      return { kind: 'garbled', raw: this.copy(4), reason: this.at(1) !== this.address ? 'bad address' : `bad length ${len}` };
    }
    const total = len + 6;
    if (have < total) return 'partial';
    const raw = this.copy(total);
    if (raw[total - 2] !== ETX) return { kind: 'garbled', raw, reason: 'no ETX' };
    if (bcc(raw, 0, total - 1) !== raw[total - 1]) return { kind: 'garbled', raw, reason: 'BCC mismatch' };
    const decoded = decodeFrame(raw, this.address);
    if (!decoded.ok) return { kind: 'garbled', raw, reason: decoded.reason };
    return { kind: 'frame', frame: decoded.frame, raw };
  }
}
