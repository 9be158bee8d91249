/**
 * Sorting a failed card read into what the citizen should be told: a problem with this card (it
 * is handed back with an explanation), a card pulled out mid-read, or a reader/link fault (the
 * terminal goes out of service and the card may still be inside).
 */
export interface SessionError {
  code: string;
  message: string;
}

export type ReadFailure = 'card' | 'removed' | 'fault';

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
  // their card is bad for it.
  if (code.startsWith('LINK_') || code.startsWith('READER_') || code.startsWith('PSAM_')) return 'fault';
  // Everything else, including codes nobody planned for, is treated as "this card cannot be used
  // here": the citizen gets the card back, which is always safe.
  return 'card';
}

export const READ_TIMEOUT: SessionError = {
  code: 'READER_TIMEOUT',
  message: 'the reader did not finish in time',
};
