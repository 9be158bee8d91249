import { DeviceError } from '../common/errors.js';

export type ReaderErrorCode =
  | 'READER_UNDEFINED_COMMAND'
  | 'READER_PARAMETER'
  | 'READER_WRONG_POSITION'
  | 'READER_MOTOR'
  | 'READER_JAMMED'
  | 'READER_BIN_FULL'
  | 'READER_NO_ATR'
  | 'READER_CARD_COMM'
  | 'READER_CARD_REMOVED'
  | 'READER_PSAM_ABSENT'
  | 'READER_PSAM_COMM'
  | 'READER_NO_CONTACTLESS'
  | 'READER_CONTACTLESS_COMM'
  | 'READER_UNKNOWN_ERROR'
  | 'READER_BAD_ANSWER';

/** E1E0 (two ASCII digits of a negative answer) → stable code. */
export const READER_ERROR_TABLE: Readonly<Record<string, ReaderErrorCode>> = {
  '00': 'READER_UNDEFINED_COMMAND',
  '01': 'READER_PARAMETER',
  '02': 'READER_WRONG_POSITION',
  '03': 'READER_MOTOR',
  '04': 'READER_JAMMED',
  '05': 'READER_BIN_FULL',
  '10': 'READER_NO_ATR',
  '11': 'READER_CARD_COMM',
  '12': 'READER_CARD_REMOVED',
  '20': 'READER_PSAM_ABSENT',
  '21': 'READER_PSAM_COMM',
  '30': 'READER_NO_CONTACTLESS',
  '31': 'READER_CONTACTLESS_COMM',
};

const MESSAGES: Readonly<Record<ReaderErrorCode, string>> = {
  READER_UNDEFINED_COMMAND: 'undefined command',
  READER_PARAMETER: 'parameter error',
  READER_WRONG_POSITION: 'command cannot be executed in this card position',
  READER_MOTOR: 'hardware error (motor)',
  READER_JAMMED: 'card jammed',
  READER_BIN_FULL: 'capture bin full',
  READER_NO_ATR: 'user card does not answer reset',
  READER_CARD_COMM: 'user card communication error',
  READER_CARD_REMOVED: 'card removed during operation',
  READER_PSAM_ABSENT: 'PSAM absent',
  READER_PSAM_COMM: 'PSAM communication error',
  READER_NO_CONTACTLESS: 'no contactless card in the field',
  READER_CONTACTLESS_COMM: 'contactless communication error',
  READER_UNKNOWN_ERROR: 'unknown reader error',
  READER_BAD_ANSWER: 'reader answer could not be interpreted',
};

/** A negative answer from the reader (the link worked; the reader refused or failed the command). */
export class ReaderError extends DeviceError {
  declare readonly code: ReaderErrorCode;
  /** The raw E1E0 digits, when the reader sent them. */
  readonly e1e0?: string;
  constructor(code: ReaderErrorCode, detail?: { e1e0?: string; command?: string; message?: string }) {
    const base = detail?.message ?? MESSAGES[code];
    const where = detail?.command ? ` (${detail.command})` : '';
    const raw = detail?.e1e0 ? ` [E1E0=${detail.e1e0}]` : '';
    super('reader', code, `${base}${where}${raw}`);
    this.e1e0 = detail?.e1e0;
  }
}

export function readerErrorFromE1E0(e1e0: string, command?: string): ReaderError {
  return new ReaderError(READER_ERROR_TABLE[e1e0] ?? 'READER_UNKNOWN_ERROR', { e1e0, command });
}

/** The inverse table, used by the simulator to answer with the right digits. */
export function e1e0For(code: ReaderErrorCode): string {
  for (const [digits, c] of Object.entries(READER_ERROR_TABLE)) if (c === code) return digits;
  throw new RangeError(`no E1E0 digits for ${code}`);
}
