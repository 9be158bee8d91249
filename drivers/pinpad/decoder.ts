/**
 * Resynchronising stream decoder for the PIN pad protocol. Pure: bytes and time in, tokens out.
 *
 * The scan is the shared resynchronising one (drivers/serial/resync-decoder.ts); this file holds the
 * pad's frame check: 2-byte length, ETX and BCC. Any byte outside a frame is noise (one garbled
 * token per run: the pad's link has no single-byte control codes).
 *
 * The buffer may hold a PIN block or a VERIFY APDU (the PIN in BCD), so it is owned here and
 * zeroed whenever it is replaced or reset, rather than left to the garbage collector. For the same
 * reason a garbled token carries zeros of the bad frame's length, never its bytes: a reply with one
 * corrupted byte is still a PIN-bearing reply, and nobody needs the bytes of a frame that failed.
 */
import type { LinkToken } from '../serial/link-types.js';
import { ResyncDecoder, type FrameResult } from '../serial/resync-decoder.js';
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

export class PinPadStreamDecoder extends ResyncDecoder<PinPadFrame> {
  private readonly maxLength: number;
  private readonly wipeInput: boolean;

  constructor(opts: PinPadDecoderOptions = {}) {
    super({ stx: STX, interByteMs: opts.interByteMs ?? DEFAULT_INTER_BYTE_MS, wipe: true, initialSize: 64 });
    this.maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
    this.wipeInput = opts.wipeInput ?? false;
  }

  override push(bytes: Uint8Array, now: number): Token[] {
    // The chunk is copied into the owned buffer before it is scanned, so it can be wiped first.
    const tokens = super.push(bytes, now);
    if (this.wipeInput) bytes.fill(0);
    return tokens;
  }

  protected outside(): 'noise' {
    return 'noise';
  }

  protected override timedOutRaw(n: number): Uint8Array {
    return new Uint8Array(n);
  }

  protected tryFrame(): FrameResult<PinPadFrame> {
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
