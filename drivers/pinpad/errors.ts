import { DeviceError } from '../common/errors.js';

export type PinPadErrorCode =
  | 'PINPAD_PARAMETER'
  | 'PINPAD_UNDEFINED_COMMAND'
  | 'PINPAD_NO_KEY'
  | 'PINPAD_ALGORITHM'
  | 'PINPAD_NO_PIN'
  | 'PINPAD_CANCELLED'
  | 'PINPAD_TIMEOUT'
  | 'PINPAD_BUSY'
  | 'PINPAD_PIN_LENGTH'
  | 'PINPAD_HARDWARE'
  | 'PINPAD_UNKNOWN_ERROR'
  | 'PINPAD_BAD_ANSWER'
  | 'PINPAD_KCV_MISMATCH'
  | 'PINPAD_NO_ENTRY'
  | 'PINPAD_PIN_MISMATCH'
  | 'PINPAD_PIN_WEAK'
  | 'PINPAD_SLOT_EMPTY';

/** Why the pad refused a new PIN (status 0C..0F, PINPAD_PIN_WEAK). */
export type WeakPinReason = 'repeated' | 'sequence' | 'initial' | 'same-as-old';

/**
 * Reply status byte → stable code. The spec only fixes `00` = ok; the error values are ours
 * (docs/pinpad.md) and the simulator answers with them.
 */
export const PINPAD_STATUS_TABLE: Readonly<Record<number, PinPadErrorCode>> = {
  0x01: 'PINPAD_PARAMETER',
  0x02: 'PINPAD_UNDEFINED_COMMAND',
  0x03: 'PINPAD_NO_KEY',
  0x04: 'PINPAD_ALGORITHM',
  0x05: 'PINPAD_NO_PIN',
  0x06: 'PINPAD_CANCELLED',
  0x07: 'PINPAD_TIMEOUT',
  0x08: 'PINPAD_BUSY',
  0x09: 'PINPAD_PIN_LENGTH',
  0x0a: 'PINPAD_HARDWARE',
  // PIN change extension (docs/pinpad.md)
  0x0b: 'PINPAD_PIN_MISMATCH',
  0x0c: 'PINPAD_PIN_WEAK',
  0x0d: 'PINPAD_PIN_WEAK',
  0x0e: 'PINPAD_PIN_WEAK',
  0x0f: 'PINPAD_PIN_WEAK',
  0x10: 'PINPAD_SLOT_EMPTY',
};

/** The weak-PIN status bytes and their reason. */
export const WEAK_PIN_STATUS: Readonly<Record<number, WeakPinReason>> = {
  0x0c: 'repeated',
  0x0d: 'sequence',
  0x0e: 'initial',
  0x0f: 'same-as-old',
};

export const STATUS_OK = 0x00;

const MESSAGES: Readonly<Record<PinPadErrorCode, string>> = {
  PINPAD_PARAMETER: 'parameter error',
  PINPAD_UNDEFINED_COMMAND: 'undefined command',
  PINPAD_NO_KEY: 'no key loaded in this slot',
  PINPAD_ALGORITHM: 'algorithm does not match the key slot',
  PINPAD_NO_PIN: 'no completed PIN entry',
  PINPAD_CANCELLED: 'PIN entry cancelled',
  PINPAD_TIMEOUT: 'PIN entry timed out',
  PINPAD_BUSY: 'a secure PIN entry is in progress',
  PINPAD_PIN_LENGTH: 'PIN length out of range',
  PINPAD_HARDWARE: 'PIN pad hardware error',
  PINPAD_UNKNOWN_ERROR: 'unknown PIN pad error',
  PINPAD_BAD_ANSWER: 'PIN pad answer could not be interpreted',
  PINPAD_KCV_MISMATCH: 'key check value differs from the expected one',
  PINPAD_NO_ENTRY: 'no PIN entry was started',
  PINPAD_PIN_MISMATCH: 'the two new PIN entries differ',
  PINPAD_PIN_WEAK: 'the new PIN is too weak',
  PINPAD_SLOT_EMPTY: 'a PIN slot needed for the PIN change is empty',
};

/** The pad refused or failed a command, or the host refused its answer (the link itself worked). */
export class PinPadError extends DeviceError {
  declare readonly code: PinPadErrorCode;
  /** The raw reply status byte, when the pad sent one. */
  readonly status?: number;
  /** PINPAD_PIN_WEAK only: which rule refused the new PIN. */
  readonly reason?: WeakPinReason;
  constructor(code: PinPadErrorCode, detail?: { status?: number; command?: string; message?: string; reason?: WeakPinReason }) {
    const base = (detail?.message ?? MESSAGES[code]) + (detail?.reason ? ` (${detail.reason})` : '');
    const where = detail?.command ? ` (${detail.command})` : '';
    const raw = detail?.status !== undefined ? ` [ST=${detail.status.toString(16).padStart(2, '0').toUpperCase()}]` : '';
    super('pinpad', code, `${base}${where}${raw}`);
    this.status = detail?.status;
    if (detail?.reason) this.reason = detail.reason;
  }
}

export function pinPadErrorFromStatus(status: number, command?: string): PinPadError {
  return new PinPadError(PINPAD_STATUS_TABLE[status] ?? 'PINPAD_UNKNOWN_ERROR', { status, command, reason: WEAK_PIN_STATUS[status] });
}

/** The inverse table, used by the simulator to answer with the right status byte. */
export function statusFor(code: PinPadErrorCode, reason?: WeakPinReason): number {
  for (const [st, c] of Object.entries(PINPAD_STATUS_TABLE)) {
    if (c === code && (code !== 'PINPAD_PIN_WEAK' || WEAK_PIN_STATUS[Number(st)] === reason)) return Number(st);
  }
  throw new RangeError(`no status byte for ${code}`);
}
