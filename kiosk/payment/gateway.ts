/**
 * The payment gateway (the bank that holds the card's account) as the kiosk sees it. One interface,
 * two implementations kept honest against each other: the HTTP JSON client and the embedded bank's
 * server, which the client reaches over real loopback HTTP.
 *
 * Exactly-once lives above this interface (kiosk/payment/engine): the gateway never retries a
 * debit by itself, and says plainly when it cannot know the outcome.
 */
import { YktError } from '../../drivers/common/errors.js';

export interface DebitRequest {
  /** Unique per payment attempt, chosen by the terminal and journaled before the request leaves. */
  txnId: string;
  terminalId: string;
  /** The card's bank account (PAN from the chip's debit application, tag 5A). */
  pan: string;
  /** YYMM (tag 5F24, day dropped). */
  expiry: string;
  amountFen: number;
  /** ISO 9564 format-0 PIN block encrypted by the PIN pad under the working PIN key, hex. */
  pinBlock: string;
  /** What the money is for, for the bank statement (e.g. "养老保险 2026-01..2026-03"). */
  description: string;
}

export type DeclineReason = 'WRONG_PIN' | 'PIN_LOCKED' | 'INSUFFICIENT_FUNDS' | 'ACCOUNT_INVALID' | 'DECLINED' | (string & {});

export interface DebitResult {
  txnId: string;
  outcome: 'approved' | 'declined';
  /** Bank reference of an approved debit (printed on the receipt). */
  bankRef?: string;
  declineReason?: DeclineReason;
  /** On WRONG_PIN: tries left at the bank before the account's PIN locks. */
  triesLeft?: number;
}

export interface ReversalResult {
  txnId: string;
  /** true: a debit stood and is now reversed; false: there was no debit (nothing to undo). Both are final. */
  reversed: boolean;
}

/**
 * A source of money the engine debits: the bank (`DebitRequest`, the default) or the medical
 * insurance personal account (`MedicalDebitRequest`, kiosk/payment/medical-gateway.ts).
 */
export interface PaymentGateway<R = DebitRequest> {
  /** Never retried by the client: a lost answer is BANK_TIMEOUT / BANK_BAD_RESPONSE (outcome unknown). */
  debit(req: R): Promise<DebitResult>;
  /** 冲正. Idempotent by txnId; safe to retry until it answers. */
  reverse(txnId: string, terminalId: string): Promise<ReversalResult>;
  close(): void;
}

export const PAYMENT_ERROR_CODES = [
  /** No answer in time: the bank may or may not have debited. */
  'BANK_TIMEOUT',
  /** The request never reached the bank (connection refused / DNS): nothing was debited. */
  'BANK_UNREACHABLE',
  /** An answer that is not a valid result: outcome unknown. */
  'BANK_BAD_RESPONSE',
  /** The bank refused the request itself (malformed, duplicate txnId with other data): nothing debited. */
  'BANK_REJECTED',
  /** The medical account (the social security backend) did not answer in time: it may have debited. */
  'MEDICAL_TIMEOUT',
  /** The backend could not be reached (connection refused): nothing was debited. */
  'MEDICAL_UNREACHABLE',
  /** HTTP 5xx, connection dropped after sending, or an answer off the schema / for another txnId: unknown. */
  'MEDICAL_BAD_RESPONSE',
  /** The backend refused the request itself (holder unknown, txnId reused with other data): nothing debited. */
  'MEDICAL_REJECTED',
] as const;
export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

export class PaymentError extends YktError {
  declare readonly code: PaymentErrorCode;
  constructor(code: PaymentErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Codes that prove the debit request moved no money: it never left, or was refused as a request. */
const NOTHING_MOVED: ReadonlySet<string> = new Set(['BANK_UNREACHABLE', 'BANK_REJECTED', 'MEDICAL_UNREACHABLE', 'MEDICAL_REJECTED']);

/** Whether a failed debit may have moved money (then it must be reversed). */
export function outcomeUnknown(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === undefined || !NOTHING_MOVED.has(code);
}
