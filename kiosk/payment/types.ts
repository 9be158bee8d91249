import type { PremiumItem } from '../backend/interface.js';
import type { PaymentMethod, Registration } from '../his/interface.js';

export type { PaymentMethod } from '../his/interface.js';

/** What an order pays for, and so what "posting" it means (kiosk/payment/posters.ts). */
export const ORDER_KINDS = ['premium', 'registration'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** What the citizen chose to pay: one premium item, the first N payable periods, at one choice. */
export interface PaymentOrder {
  /** Premium orders may leave it out (every order before registrations existed). */
  kind?: 'premium';
  ssn: string;
  item: PremiumItem;
  choiceId: string;
  periods: string[];
  amountFen: number;
  /** For the bank statement and the receipt, e.g. "养老保险（灵活就业）2026-01 至 2026-03". */
  description: string;
}

/**
 * A registration fee (挂号费 + 诊查费) for a place the flow holds at the HIS. Posting it is
 * `his.register(holdId, { method, txnId, amountFen }, regRequestId)`; its reference is the regId.
 */
export interface RegistrationOrder {
  kind: 'registration';
  /** The patient, the card's holder (and, paying from the medical account, the account). */
  ssn: string;
  /** The slot's `fee.totalFen`: the HIS refuses any other amount (REJECTED/AMOUNT_MISMATCH). */
  amountFen: number;
  /** For the bank or account statement and the journal, e.g. "挂号费 内科 赵磊 2026-01-05 10:00". */
  description: string;
  holdId: string;
  slotId: string;
  /** The flow's requestId of the hold (kept with the payment for the trail; not sent again). */
  requestId: string;
  /**
   * requestId of `his.register`, the same on every attempt and after a restart. Leave it out: the
   * engine then uses the payment's txnId (unique per payment, and the HIS's charset and length).
   */
  regRequestId?: string;
}

export type AnyOrder = PaymentOrder | RegistrationOrder;

export const orderKind = (o: AnyOrder): OrderKind => o.kind ?? 'premium';

/** Where a registration fee comes from: the card's bank account (PIN block) or the medical account (the card's PIN was verified). */
export type Funding = { method: 'bank-card'; account: BankAccount; pinBlock: Uint8Array } | { method: 'medical-account' };

export interface BankAccount {
  pan: string;
  /** YYMM. */
  expiry: string;
}

/**
 * The life of one payment (docs/payments.md):
 *   pending ─debit approved→ approved ─posted→ posted
 *      │            └─posting refused for good→ refunding ─reversed→ refunded
 *      ├─declined→ declined
 *      ├─not delivered (bank unreachable / rejected the request)→ failed
 *      └─no answer / bad answer / crash→ uncertain ─reversal answered→ reversed
 * `pending` found at start-up is `uncertain`. Final states: posted, declined, failed, reversed, refunded.
 */
export const PAYMENT_STATES = ['pending', 'approved', 'posted', 'declined', 'failed', 'uncertain', 'reversed', 'refunding', 'refunded'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export const FINAL_STATES: readonly PaymentState[] = ['posted', 'declined', 'failed', 'reversed', 'refunded'];

/** A payment of one kind of order; `PaymentRecord` alone is a premium payment (as before registrations). */
export interface PaymentRecord<O extends AnyOrder = PaymentOrder> {
  txnId: string;
  state: PaymentState;
  order: O;
  /** Where the money comes from; rows written before the medical account existed are 'bank-card'. */
  source: PaymentMethod;
  /** Masked (first 6, last 4): the bank PAN, or the holder's id for the medical account. The reversal needs only the txnId. */
  panMasked: string;
  createdAt: number;
  updatedAt: number;
  bankRef?: string;
  postingRef?: string;
  declineReason?: string;
  /** Reversal / posting attempts so far (the retry loop backs off on them). */
  attempts: number;
  lastError?: string;
  /** A receipt of it was printed (a payment without one is offered for reprint). */
  receiptPrinted: boolean;
  /**
   * Registrations whose money goes back (uncertain, refunding): the HIS hold is to be released
   * ('pending', retried by the recovery loop until the HIS answers) or was ('done').
   */
  holdRelease?: 'pending' | 'done';
}

export type AnyPaymentRecord = PaymentRecord<PaymentOrder> | PaymentRecord<RegistrationOrder>;

export function isRegistration(rec: AnyPaymentRecord): rec is PaymentRecord<RegistrationOrder> {
  return rec.order.kind === 'registration';
}

/** What the session learns of a payment attempt. Never the PIN block or the full PAN. */
export type PaymentOutcome =
  | {
      status: 'approved';
      txnId: string;
      /** The debit's reference: the bank's, or the medical account's (YZ…). */
      bankRef: string;
      /** Premium: the agency's JF… ref; registration: the regId. Absent while posting is still being retried. */
      postingRef?: string;
      amountFen: number;
      /** A registration order that is registered: the HIS's answer (regId, queueNumber, location, …). */
      registration?: Registration;
      /** Registration orders: where the money came from, and that account masked (the slip prints both). */
      source?: PaymentMethod;
      accountMasked?: string;
    }
  | { status: 'declined'; txnId: string; reason: string; triesLeft?: number }
  | { status: 'failed'; txnId: string; code: string }
  /** `code`: why the money went back (BANK_TIMEOUT…, or the refusal: SLOT_TAKEN, HOLD_EXPIRED…); `reason`: the HIS's / backend's reason. */
  | { status: 'reversed'; txnId: string; code: string; reason?: string }
  | { status: 'uncertain'; txnId: string; code: string; reason?: string };
