import type { PremiumItem } from '../backend/interface.js';

/** What the citizen chose to pay: one premium item, the first N payable periods, at one choice. */
export interface PaymentOrder {
  ssn: string;
  item: PremiumItem;
  choiceId: string;
  periods: string[];
  amountFen: number;
  /** For the bank statement and the receipt, e.g. "养老保险（灵活就业）2026-01 至 2026-03". */
  description: string;
}

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

export interface PaymentRecord {
  txnId: string;
  state: PaymentState;
  order: PaymentOrder;
  /** Masked (first 6, last 4): the reversal needs only the txnId. */
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
}

/** What the session learns of a payment attempt. Never the PIN block or the full PAN. */
export type PaymentOutcome =
  | { status: 'approved'; txnId: string; bankRef: string; postingRef?: string; amountFen: number }
  | { status: 'declined'; txnId: string; reason: string; triesLeft?: number }
  | { status: 'failed'; txnId: string; code: string }
  | { status: 'reversed'; txnId: string; code: string }
  | { status: 'uncertain'; txnId: string; code: string };
