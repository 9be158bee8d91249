/**
 * Typed errors of the card application layer. Flows branch on `code`: semantic codes for what
 * the citizen or the operator must be told, `CARD_SW_xxxx` for any other status word.
 */
import { YktError } from '../../drivers/common/errors.js';

export type CardErrorCode =
  | 'CARD_NO_ATR' // no answer to reset: damaged or upside-down card
  | 'CARD_NOT_SSC' // no SSSE application: a bank-only card
  | 'CARD_NO_FINANCIAL' // no usable UnionPay debit application: this card cannot pay here
  | 'CARD_REMOVED' // the card left the reader mid-dialogue
  | 'CARD_SECURITY' // 6982: the card wants authentication first
  | 'CARD_COMM' // any other reader/link failure while talking to the card
  | 'CARD_BAD_DATA' // a record that does not decode (wrong tag, length, digits)
  | 'CARD_EXPIRED'
  | 'CARD_NOT_GENUINE' // internal authentication cryptogram does not match the PSAM's
  | 'PSAM_ABSENT'
  | 'PSAM_FAILED'
  | `CARD_SW_${string}`;

export class CardError extends YktError {
  declare readonly code: CardErrorCode;
  /** The status word behind the error, when a card or PSAM answered one. */
  readonly sw: number | undefined;
  constructor(code: CardErrorCode, message: string, options?: { cause?: unknown; sw?: number }) {
    super(code, message, options);
    this.sw = options?.sw;
  }
}

export const swHex = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');

/** The generic mapping for an unexpected card status word; callers handle the semantic ones first. */
export function cardSwError(sw: number, what: string): CardError {
  if (sw === 0x6982) return new CardError('CARD_SECURITY', `${what}: security status not satisfied (6982)`, { sw });
  return new CardError(`CARD_SW_${swHex(sw)}`, `${what}: card answered ${swHex(sw)}`, { sw });
}

/** The `.code` of whatever a reader rejected with (ReaderError, DeviceError, or a plain object). */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Reader errors during a card dialogue, mapped to card codes. */
export function mapCardChannelError(err: unknown): CardError {
  if (err instanceof CardError) return err;
  const code = errorCodeOf(err);
  if (code === 'READER_NO_ATR') return new CardError('CARD_NO_ATR', 'the card does not answer reset', { cause: err });
  if (code === 'READER_CARD_REMOVED') return new CardError('CARD_REMOVED', 'the card was removed', { cause: err });
  return new CardError('CARD_COMM', `reader failed during the card dialogue (${code ?? 'unknown'})`, { cause: err });
}

/** Reader errors during a PSAM dialogue. */
export function mapPsamChannelError(err: unknown): CardError {
  if (err instanceof CardError) return err;
  const code = errorCodeOf(err);
  if (code === 'READER_PSAM_ABSENT') return new CardError('PSAM_ABSENT', 'no PSAM in the reader', { cause: err });
  return new CardError('PSAM_FAILED', `PSAM dialogue failed (${code ?? 'unknown'})`, { cause: err });
}
