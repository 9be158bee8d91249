import { isCardless } from './cardless.js';
import type { CancelNotice, Doctor, PaymentMethod, RegContext, RegNotice, RegSummary, Slot, SlotsOutput } from './register-types.js';
import type { SessionContext } from './types.js';

/**
 * The registration the citizen is putting together on reg-department / reg-slot / reg-confirm, from
 * what the HIS answered. Pure functions shared by the machine (which keeps the selection) and the
 * presenter (which shows it). Control ids are built from the HIS's ids: departments and doctors are
 * kebab-case, slot ids `<doctorId>-<YYYYMMDD>-<HHMM>`; registration ids (GH…) are lower-cased.
 */

export const DEPT_PREFIX = 'dept-';
export const SLOT_PREFIX = 'slot-';
export const DAY_PREFIX = 'day-';
export const REG_PREFIX = 'reg-';
/** Day tabs: today and the next six days (the HIS's window). */
export const DAYS = 7;

/** The states that need the place held at the HIS; leaving them (other than to pay) gives it back. */
export const HOLD_STATES = ['regHolding', 'regConfirm', 'regAccount', 'regPin', 'regPaying', 'regFailed'] as const;

/** Whole days from `today` to `date` (both YYYY-MM-DD). */
export function dayIndex(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** YYYY-MM-DD of day tab `n`. */
export function dateOfDay(today: string, n: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function slotsOfDay(reg: RegContext | undefined, day: number): Slot[] {
  if (!reg?.today || !reg.slots) return [];
  return reg.slots.filter((s) => dayIndex(reg.today!, s.date) === day);
}

export const isFree = (s: Slot): boolean => s.remaining > 0;

/** What reg-slot preselects: the first day with a free place, and its first free slot. */
export function selectSlots(out: SlotsOutput): Pick<RegContext, 'today' | 'doctors' | 'slots' | 'day' | 'slotId'> {
  const base = { today: out.today, doctors: out.doctors, slots: out.slots };
  const free = out.slots.find(isFree);
  const day = free ? Math.max(0, Math.min(DAYS - 1, dayIndex(out.today, free.date))) : 0;
  return { ...base, day, slotId: free?.id };
}

/** The first free slot of a day (undefined when the day is full or has no clinic). */
export function firstFreeOf(reg: RegContext | undefined, day: number): string | undefined {
  return slotsOfDay(reg, day).find(isFree)?.id;
}

export function dayOfControl(control: string): number | undefined {
  const m = /^day-(\d)$/.exec(control);
  const n = m ? Number(m[1]) : NaN;
  return n >= 0 && n < DAYS ? n : undefined;
}

export function deptOfControl(control: string, reg: RegContext | undefined): string | undefined {
  if (!control.startsWith(DEPT_PREFIX)) return undefined;
  const id = control.slice(DEPT_PREFIX.length);
  return reg?.departments?.find((d) => d.id === id)?.id;
}

/** A free slot of the day shown (a full one's control is disabled and does nothing). */
export function slotOfControl(control: string, reg: RegContext | undefined): string | undefined {
  if (!control.startsWith(SLOT_PREFIX) || reg?.day === undefined) return undefined;
  const id = control.slice(SLOT_PREFIX.length);
  return slotsOfDay(reg, reg.day).find((s) => s.id === id && isFree(s))?.id;
}

/** A registration's control: its id lower-cased (an HIS id may also hold `. _ :`, which become `-`). */
export const regControl = (regId: string): string => `${REG_PREFIX}${regId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;

export function regOfControl(control: string, list: RegSummary[] | undefined): string | undefined {
  return list?.find((r) => regControl(r.regId) === control)?.regId;
}

export function selectedSlot(reg: RegContext | undefined): Slot | undefined {
  return reg?.hold?.slot ?? reg?.slots?.find((s) => s.id === reg.slotId);
}

export function doctorOf(reg: RegContext | undefined, id: string | undefined): Doctor | undefined {
  return reg?.doctors?.find((d) => d.id === id);
}

export function departmentOf(reg: RegContext | undefined) {
  return reg?.departments?.find((d) => d.id === reg.deptId);
}

/**
 * The medical insurance personal account needs the holder proved in this visit: the card's PIN at
 * the kiosk (inserted or tapped), or the e-card code, whose holder authenticated in the issuing app
 * (docs/payments.md, "The medical account as a source"; docs/hospital.md).
 */
export const medicalAvailable = (c: Pick<SessionContext, 'pinVerified'>): boolean => c.pinVerified === true;

/** The card's bank account needs the chip in the slot (its debit application is read) and one. */
export const cardAvailable = (c: Pick<SessionContext, 'via' | 'card' | 'reg'>): boolean =>
  !isCardless(c) && c.reg?.cardNotice !== 'CARD_NO_FINANCIAL';

export function methodAvailable(c: SessionContext, m: PaymentMethod): boolean {
  return m === 'medical-account' ? medicalAvailable(c) : cardAvailable(c);
}

/** The source preselected on reg-confirm: the medical account when it can pay, else the bank card. */
export function defaultMethod(c: SessionContext): PaymentMethod | undefined {
  if (c.reg?.method && methodAvailable(c, c.reg.method)) return c.reg.method;
  if (medicalAvailable(c)) return 'medical-account';
  return cardAvailable(c) ? 'bank-card' : undefined;
}

const reasonOf = (err: unknown): string | undefined => {
  const r = (err as { reason?: unknown } | undefined)?.reason;
  return typeof r === 'string' ? r : undefined;
};

/**
 * Why a hold was refused, said on reg-slot (nothing charged); undefined when the HIS itself could
 * not be used (HIS_TIMEOUT, HIS_UNAVAILABLE, HIS_BAD_RESPONSE, anything unplanned): service-unavailable.
 */
export function holdNotice(code: string, err?: unknown): RegNotice | undefined {
  switch (code) {
    case 'SLOT_TAKEN':
    case 'HOLD_EXPIRED':
      return 'taken';
    case 'SLOT_FULL':
      return 'full';
    case 'NOT_FOUND':
      return 'gone';
    case 'REJECTED': {
      const r = reasonOf(err);
      return r === 'ALREADY_REGISTERED' ? 'already' : r === 'SLOT_CLOSED' ? 'closed' : 'rejected';
    }
  }
  return undefined;
}

/** Why a cancellation was refused (the list is read again); undefined: the HIS could not be used. */
export function cancelNotice(code: string): CancelNotice | undefined {
  if (code === 'NOT_CANCELLABLE') return 'started';
  if (code === 'NOT_FOUND' || code === 'REJECTED') return 'gone';
  return undefined;
}
