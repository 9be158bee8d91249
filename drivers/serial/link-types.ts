/**
 * Contracts between a frame link and the pure, device-specific stream decoders it is parameterised
 * with. Decoders never touch I/O or clocks: time comes in as `now`.
 */

/** One unit recognised on the byte stream. */
export type LinkToken<F> =
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'enq' }
  | { kind: 'eot' }
  | { kind: 'frame'; frame: F; raw: Uint8Array }
  | { kind: 'garbled'; raw: Uint8Array; reason: string };

export interface StreamDecoder<F> {
  /** Feeds received bytes; returns every token completed by them. */
  push(bytes: Uint8Array, now: number): LinkToken<F>[];
  /** Ends a partial frame whose inter-byte timeout has passed at `now`. */
  expire(now: number): LinkToken<F>[];
  /** When a partial frame is pending: the time at which expire() would end it. */
  nextDeadline(): number | undefined;
  /** Drops everything buffered (port reopened). */
  reset(): void;
}

export type LinkReply<F> = { kind: 'frame'; frame: F; raw: Uint8Array } | { kind: 'ack' };

export interface LinkCommand<F> {
  /** Encoded command frame. */
  bytes: Uint8Array;
  /** Short name for logs ("status", "apdu"). */
  label: string;
  /** Response timeout for this command (after ENQ in ack-enq mode). */
  timeoutMs?: number;
  /** Bytes of the frame a debug trace may show (the rest is masked). */
  traceHead?: number;
  /** Whether a received frame answers this command; others are unsolicited events. */
  matches?: (frame: F) => boolean;
}

/** Single control bytes of the handshake. */
export interface ControlBytes {
  ack: number;
  nak: number;
  enq: number;
  eot: number;
}

export const DEFAULT_CONTROL: ControlBytes = { ack: 0x06, nak: 0x15, enq: 0x05, eot: 0x04 };
