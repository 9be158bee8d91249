import { fromPromise } from 'xstate';
import { notProvided } from './not-provided.js';
import type {
  CancelOutput,
  Department,
  HoldOutput,
  RegistrationsOutput,
  RegPayInput,
  RegPayOutcome,
  SlotsOutput,
} from './register-types.js';

/**
 * The hospital profile's invoked actors (kiosk/session/hospital-actors.ts implements them over the
 * HIS client, the payment engine and the printer). HIS failures reject with a HisError `.code`
 * (HIS_TIMEOUT, HIS_UNAVAILABLE, HIS_BAD_RESPONSE, SLOT_FULL, SLOT_TAKEN, HOLD_EXPIRED,
 * NOT_CANCELLABLE, NOT_FOUND, REJECTED with `.reason`).
 */
export const REGISTER_ACTORS = {
  /** The hospital's departments. */
  loadDepartments: fromPromise<Department[]>(notProvided('loadDepartments')),
  /** A week of one department's slots and its doctors. */
  loadSlots: fromPromise<SlotsOutput, { departmentId: string }>(notProvided('loadSlots')),
  /** Keeps one place of the slot for this patient (HIS hold, a few minutes). */
  holdSlot: fromPromise<HoldOutput, { slotId: string }>(notProvided('holdSlot')),
  /** Reads the card's bank account (debit application) for an online-PIN payment: its PAN masked. Rejects CARD_NO_FINANCIAL. */
  readBankAccount: fromPromise<{ panMasked: string }>(notProvided('readBankAccount')),
  /**
   * Pays the held slot's fee, exactly once, and registers it (kiosk/payment payRegistration). Resolves
   * with the outcome; rejects only when nothing was written (no HIS, source unavailable, host fault).
   */
  payRegistration: fromPromise<RegPayOutcome, RegPayInput>(notProvided('payRegistration')),
  /** Prints a registration slip: this visit's (`regId`), or the holder's latest standing one. Rejects PRINTER_*, NO_SLIP. */
  printSlip: fromPromise<void, { regId?: string }>(notProvided('printSlip')),
  /** Today's registrations of the holder that have not started. */
  loadRegistrations: fromPromise<RegistrationsOutput>(notProvided('loadRegistrations')),
  /** Cancels at the HIS, then refunds through the payment's source (or says the counter does). */
  cancelRegistration: fromPromise<CancelOutput, { regId: string }>(notProvided('cancelRegistration')),
};
