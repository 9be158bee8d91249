/**
 * What the hospital profile's registration journeys (挂号, 退号, 补打挂号凭条) carry through the
 * session machine: the HIS's catalogue and schedule as the screens show them, the citizen's choices,
 * the hold that keeps a place, and the outcome of the payment or cancellation. No PIN, no PAN (only
 * masked), no full ssn: the host keeps what the money needs (kiosk/session/hospital-actors.ts).
 */
import type { Department, Doctor, LocalizedText, PaymentMethod, Period, Slot } from '../../kiosk/his/interface.js';

export type { Department, Doctor, LocalizedText, PaymentMethod, Period, Slot };

/** loadSlots: a week of one department's slots (full ones included, ended ones left out). */
export interface SlotsOutput {
  /** The HIS's today (local date, YYYY-MM-DD): day tab 0. */
  today: string;
  doctors: Doctor[];
  slots: Slot[];
}

/** holdSlot: the place kept for this patient until `expiresAt` (the HIS's hold). */
export interface HoldOutput {
  holdId: string;
  slotId: string;
  /** ISO UTC: after this the place may go to someone else. */
  expiresAt: string;
  /** The slot as the HIS answered the hold (fee, window). */
  slot: Slot;
}

/** A registration as the screens show it (no ssn). */
export interface RegSummary {
  regId: string;
  queueNumber: number;
  department: LocalizedText;
  doctor: { name: string; title: Doctor['title'] };
  date: string;
  period: Period;
  start: string;
  end: string;
  location: LocalizedText;
  feeFen: number;
  method: PaymentMethod;
}

/** What the registration fee's payment came to (kiosk/payment's PaymentOutcome, as the citizen needs it). */
export type RegPayOutcome =
  /** Paid once and registered: the slip is printed. */
  | { status: 'registered'; txnId: string; registration: RegSummary }
  /** Paid; the HIS registration is being completed by the payment engine (never pay again). */
  | { status: 'paid-pending'; txnId: string; amountFen: number }
  /** Nothing moved; the hold is kept (another PIN, the other source, or give up). */
  | { status: 'declined'; txnId: string; reason: string; triesLeft?: number }
  | { status: 'failed'; txnId: string; code: string }
  /** Taken, then refunded: the HIS refused the registration (the place is gone). The hold was released. */
  | { status: 'refunded'; txnId: string; code: string; reason?: string }
  /** The debit's fate was unknown; it was reversed (冲正). Nothing taken. */
  | { status: 'reversed'; txnId: string; code: string }
  /** A reversal or refund not acknowledged yet: retried until it is. */
  | { status: 'uncertain'; txnId: string; code: string };

export interface RegPayInput {
  method: PaymentMethod;
  holdId: string;
}

/** loadRegistrations: today's registrations of the holder that can still be cancelled. */
export interface RegistrationsOutput {
  registrations: RegSummary[];
  /** How the money comes back after a cancellation: by the kiosk through the source, or at a counter. */
  refund: 'kiosk' | 'counter';
}

export interface CancelOutput {
  regId: string;
  amountFen: number;
  method: PaymentMethod;
  /**
   * `refunded`: the money is back in the source; `pending`: the refund is under way (retried until
   * it lands); `counter`: the kiosk cannot refund yet, the cashier does (docs/hospital.md).
   */
  refund: 'refunded' | 'pending' | 'counter';
}

/** Why reg-slot asks for another slot: nothing was charged in any of these. */
export type RegNotice = 'taken' | 'full' | 'already' | 'closed' | 'gone' | 'rejected' | 'refunded';

/** Why reg-cancel-list says a registration could not be cancelled. */
export type CancelNotice = 'started' | 'gone';

export interface RegContext {
  departments?: Department[];
  deptId?: string;
  today?: string;
  doctors?: Doctor[];
  slots?: Slot[];
  /** The day tab shown (0 = today … 6). */
  day?: number;
  /** The slot selected on reg-slot. */
  slotId?: string;
  notice?: RegNotice;
  hold?: HoldOutput;
  method?: PaymentMethod;
  /** The card cannot pay from its bank account (CARD_NO_FINANCIAL) or the account could not be read. */
  cardNotice?: string;
  panMasked?: string;
  /** The bank's verdict on the last online PIN (WRONG_PIN with tries left). */
  pinNotice?: { triesLeft?: number };
  outcome?: RegPayOutcome;
}

export interface RegCancelContext {
  list?: RegSummary[];
  refund?: RegistrationsOutput['refund'];
  regId?: string;
  notice?: CancelNotice;
  /** The cancellation was sent (a lost answer then means "not sure whether it was cancelled"). */
  sent?: boolean;
  result?: CancelOutput;
}
