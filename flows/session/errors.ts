/**
 * Sorting a failed card read into what the citizen should be told: a problem with this card (it
 * is handed back with an explanation), a card pulled out mid-read, or a reader/link fault (the
 * terminal goes out of service and the card may still be inside).
 */
export interface SessionError {
  code: string;
  message: string;
}

export type ReadFailure = 'card' | 'removed' | 'fault' | 'psam';

/** Codes the driver reports for the reader itself that really describe the card. */
const CARD_ALIASES: Record<string, string> = {
  READER_CARD_REMOVED: 'CARD_REMOVED',
  READER_NO_ATR: 'CARD_NO_ATR',
};

export function toSessionError(err: unknown): SessionError {
  const raw =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'INTERNAL';
  const message =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string'
        ? err.message
        : String(err);
  return { code: CARD_ALIASES[raw] ?? raw, message };
}

export function classifyReadError(code: string): ReadFailure {
  if (code === 'CARD_REMOVED') return 'removed';
  // A missing or failing PSAM is the terminal's fault, not the citizen's card: never tell them
  // their card is bad for it. The reader still works, so the card is handed back at once.
  if (code.startsWith('PSAM_')) return 'psam';
  if (code.startsWith('LINK_') || code.startsWith('READER_')) return 'fault';
  // Everything else, including codes nobody planned for, is treated as "this card cannot be used
  // here": the citizen gets the card back, which is always safe.
  return 'card';
}

export const READ_TIMEOUT: SessionError = {
  code: 'READER_TIMEOUT',
  message: 'the reader did not finish in time',
};

/**
 * Outcomes of the PIN actors (verifyPin, capturePin, applyPinChange):
 * - `wrong` PIN_WRONG (`.triesLeft`), `locked` PIN_LOCKED, `cancelled` PIN_CANCELLED / PIN_TIMEOUT,
 * - `mismatch` PIN_MISMATCH, `weak` PIN_WEAK (`.reason`) — capturePin phase confirm,
 * - `removed` the card left the reader, `reader` READER_* (out of service; recovery hands the card back),
 * - `unavailable` anything else (PINPAD_*, LINK_*, CARD_*, unknown): the PIN services cannot be
 *   used now; the card is handed back with an explanation.
 */
export type PinFailure = 'wrong' | 'locked' | 'cancelled' | 'mismatch' | 'weak' | 'removed' | 'reader' | 'unavailable';

export function classifyPinError(code: string): PinFailure {
  switch (code) {
    case 'PIN_WRONG':
      return 'wrong';
    case 'PIN_LOCKED':
      return 'locked';
    case 'PIN_CANCELLED':
    case 'PIN_TIMEOUT':
      return 'cancelled';
    case 'PIN_MISMATCH':
      return 'mismatch';
    case 'PIN_WEAK':
      return 'weak';
    case 'CARD_REMOVED':
      return 'removed';
  }
  if (code.startsWith('READER_')) return 'reader';
  return 'unavailable';
}

/** `.triesLeft` of a PIN_WRONG rejection (a non-negative integer), else undefined. */
export function triesLeftOf(err: unknown): number | undefined {
  const n = typeof err === 'object' && err !== null && 'triesLeft' in err ? err.triesLeft : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `.reason` of a PIN_WEAK rejection; an unknown reason reads as `initial` (a PIN too easy to guess). */
export function weakReasonOf(err: unknown): 'repeated' | 'sequence' | 'initial' {
  const r = typeof err === 'object' && err !== null && 'reason' in err ? err.reason : undefined;
  return r === 'repeated' || r === 'sequence' ? r : 'initial';
}
