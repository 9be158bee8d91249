/**
 * The hospital information system (HIS) as a registration kiosk sees it (实名挂号, issue #7). One
 * interface, two sides kept honest against each other: the HTTP JSON client (production and demo)
 * and the embedded HIS, which the client reaches over real loopback HTTP (docs/his.md).
 *
 * Money is integer fen (分). Dates are the hospital's local calendar dates (`YYYY-MM-DD`, Asia/Shanghai:
 * "today's clinic" is a local notion), times of day `HH:MM` local; instants are ISO 8601 UTC.
 * The HIS keys patients by their social security number (社会保障号码 = citizen ID number).
 */
import { YktError } from '../../drivers/common/errors.js';

/** Text a bilingual screen shows (the UI picks the language). */
export interface LocalizedText {
  zh: string;
  en: string;
}

/** Ids, not Chinese strings, travel on the wire; labels are for screens and receipts. */
export const DOCTOR_TITLES = ['chief', 'associate-chief', 'attending', 'resident'] as const;
export type DoctorTitle = (typeof DOCTOR_TITLES)[number];
export const DOCTOR_TITLE_LABELS: Record<DoctorTitle, LocalizedText> = {
  chief: { zh: '主任医师', en: 'Chief Physician' },
  'associate-chief': { zh: '副主任医师', en: 'Associate Chief Physician' },
  attending: { zh: '主治医师', en: 'Attending Physician' },
  resident: { zh: '医师', en: 'Physician' },
};

export const PERIODS = ['morning', 'afternoon'] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_LABELS: Record<Period, LocalizedText> = {
  morning: { zh: '上午', en: 'Morning' },
  afternoon: { zh: '下午', en: 'Afternoon' },
};

export const PAYMENT_METHODS = ['medical-account', 'bank-card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Department {
  id: string;
  name: LocalizedText;
  /** Where the clinic is, e.g. 门诊楼2层B区. */
  location: LocalizedText;
}

export interface Doctor {
  id: string;
  departmentId: string;
  name: string;
  title: DoctorTitle;
  specialty: LocalizedText;
  /** Consulting room number within the department's area (诊室). */
  room: number;
}

/** 挂号费 + 诊查费; `totalFen` is what the patient pays and what `register` expects. */
export interface Fee {
  registrationFen: number;
  consultationFen: number;
  totalFen: number;
}

export interface Slot {
  /** Stable and kebab-case (`<doctorId>-<YYYYMMDD>-<HHMM>`): the UI control is `slot-<id>`. */
  id: string;
  departmentId: string;
  doctorId: string;
  date: string;
  period: Period;
  /** The half-hour window the patient should arrive in, local time. */
  start: string;
  end: string;
  fee: Fee;
  capacity: number;
  /** Places neither registered nor held; 0 = full. */
  remaining: number;
}

export interface SlotQuery {
  departmentId?: string;
  doctorId?: string;
  /** First date (default: the HIS's today). */
  from?: string;
  /** How many days from `from` (1–7, default 7: today and the next 6). */
  days?: number;
}

/** Who is registering, from the card the kiosk read. */
export interface Patient {
  ssn: string;
  name: string;
  cardNumber: string;
}

export interface Hold {
  holdId: string;
  /** The slot as it was right after the hold (its `remaining` already counts this hold). */
  slot: Slot;
  patientId: string;
  /** After this instant the place may go to someone else (ISO UTC). */
  expiresAt: string;
}

export interface Payment {
  method: PaymentMethod;
  /** The terminal's transaction id of the debit (unique per payment). */
  txnId: string;
  amountFen: number;
}

export type RegistrationStatus = 'registered' | 'cancelled';

export interface Registration {
  /** e.g. `GH20260105000001`. */
  regId: string;
  status: RegistrationStatus;
  /** Order within the doctor's half-day (per doctor, date and period), from 1; never reused. */
  queueNumber: number;
  patient: { ssn: string; name: string };
  department: Department;
  doctor: { id: string; name: string; title: DoctorTitle };
  slotId: string;
  date: string;
  period: Period;
  start: string;
  end: string;
  /** Where to go: the department's area and the doctor's room. */
  location: LocalizedText;
  fee: Fee;
  payment: Payment;
  registeredAt: string;
  cancelledAt?: string;
}

/** What the kiosk must refund after a cancellation: the HIS moves no money itself. */
export interface Cancellation {
  regId: string;
  cancelledAt: string;
  refund: Payment;
}

export interface ReleaseResult {
  holdId: string;
  /** false: the hold had already expired or been released (nothing was freed now). */
  released: boolean;
}

export interface HospitalInformationSystem {
  departments(): Promise<Department[]>;
  doctors(departmentId: string): Promise<Doctor[]>;
  /** Bookable slots (not yet ended), full ones included with `remaining: 0`, by date then start. */
  slots(q?: SlotQuery): Promise<Slot[]>;
  /** Holds one place for a few minutes between confirmation and payment. Idempotent by requestId. */
  hold(slotId: string, patient: Patient, requestId: string): Promise<Hold>;
  /** Turns a paid hold into a registration. Idempotent by requestId (and one registration per hold). */
  register(holdId: string, payment: Payment, requestId: string): Promise<Registration>;
  /** Frees a hold (payment failed or reversed). Repeatable. */
  release(holdId: string): Promise<ReleaseResult>;
  /** Cancels before the slot starts; answers what to refund. Idempotent by requestId. */
  cancel(regId: string, requestId: string): Promise<Cancellation>;
  /** A patient's registrations (cancelled ones too) for one date (default: today). */
  registrationsOf(patientId: string, date?: string): Promise<Registration[]>;
  registration(regId: string): Promise<Registration>;
}

export const HIS_ERROR_CODES = [
  'HIS_TIMEOUT',
  'HIS_UNAVAILABLE',
  'HIS_BAD_RESPONSE',
  'SLOT_FULL',
  'SLOT_TAKEN',
  'HOLD_EXPIRED',
  'NOT_CANCELLABLE',
  'NOT_FOUND',
  'REJECTED',
] as const;
export type HisErrorCode = (typeof HIS_ERROR_CODES)[number];

/**
 * Reasons the HIS gives with REJECTED, NOT_CANCELLABLE and HOLD_EXPIRED (an HIS may add its own):
 * BAD_REQUEST, REQUEST_ID_REUSED, SLOT_CLOSED (the window has ended), ALREADY_REGISTERED (this
 * patient already has this doctor that day, or the hold is registered), AMOUNT_MISMATCH, TXN_ID_REUSED;
 * STARTED, ALREADY_CANCELLED; EXPIRED, RELEASED.
 */
export type HisReason = string;

export class HisError extends YktError {
  declare readonly code: HisErrorCode;
  readonly reason?: HisReason;
  /** The interface method that failed (e.g. 'hold'). */
  readonly op: string;
  constructor(code: HisErrorCode, op: string, message: string, options?: { reason?: string; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.op = op;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

export function isHisError(err: unknown, code?: HisErrorCode): err is HisError {
  return err instanceof HisError && (code === undefined || err.code === code);
}
