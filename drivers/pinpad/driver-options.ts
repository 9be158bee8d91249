/**
 * What createPinPad() accepts: options, timeouts and the parameter checks the driver applies before
 * anything reaches the wire. Split from driver.ts to keep that file small.
 */
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { BackoffOptions } from '../serial/reconnector.js';
import type { ByteTransport } from '../serial/transport.js';
import type { PinPadCommandName } from './codec.js';
import { KEY_LENGTH } from './crypto.js';
import { PinPadError } from './errors.js';

export interface PinPadTimeouts {
  /** Reply timeout per command (default 1000 ms; the pad answers at once, the PIN comes later). */
  responseMs?: number;
  /** Inter-byte timeout that ends a partial frame (100 ms). */
  interByteMs?: number;
  /** Added to the entry's timeoutSec before the host gives up on its own (default 1000 ms). */
  entryGraceMs?: number;
  perCommand?: Partial<Record<PinPadCommandName, number>>;
}

export interface PinPadOptions {
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  timeouts?: PinPadTimeouts;
  /** Line speed, used to widen reply windows by the frame's wire time (default 9600). */
  baudRate?: number;
  maxRetransmits?: number;
  backoff?: BackoffOptions;
}

export function checkIndex(i: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i > 15) throw new PinPadError('PINPAD_PARAMETER', { message: `${what} key index must be 0..15, got ${i}` });
}

export function checkKeyLength(k: Uint8Array): void {
  if (k.length !== KEY_LENGTH) throw new PinPadError('PINPAD_PARAMETER', { message: `keys and cryptograms are ${KEY_LENGTH} bytes, got ${k.length}` });
}
