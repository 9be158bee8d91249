import { randomBytes } from 'node:crypto';
import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskAccount } from '../../drivers/common/mask.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import type { Printer } from '../../drivers/printer/interface.js';
import type {
  CancelOutput,
  Department,
  HoldOutput,
  LocalizedText,
  RegistrationsOutput,
  RegPayInput,
  RegPayOutcome,
  RegSummary,
  Slot,
  SlotsOutput,
} from '../../flows/session/register-types.js';
import type { CardInfo } from '../card/card-info.js';
import { DOCTOR_TITLE_LABELS, type Cancellation, type Doctor, type HospitalInformationSystem, type Payment, type Registration } from '../his/interface.js';
import type { Journal } from '../journal/journal.js';
import type { Funding, PaymentOutcome, RegistrationOrder } from '../payment/types.js';
import { registrationSlip } from '../print/registration-slip.js';
import type { BankPinStore } from './pay-actors.js';

/**
 * What the registration actors need of the payment side: `payments.payRegistration` (kiosk/payment,
 * docs/payments.md "Registration fees") — exactly once, posting = his.register, money back ⇒ hold released.
 */
export interface RegistrationPayer {
  payRegistration(order: RegistrationOrder, funding: Funding): Promise<PaymentOutcome>;
}

/**
 * Money back for a cancelled registration, through the source it was paid from, exactly once (keyed
 * by the original payment's txnId). NOT PROVIDED YET by kiosk/payment: without it the kiosk cancels at
 * the HIS and sends the patient to the cashier (docs/hospital.md, "Refunds"). The host connects it
 * when the payment engine offers one (`payments.refundRegistration`).
 */
export interface RegistrationRefunder {
  refundRegistration(req: { regId: string; ssn: string; payment: Payment }): Promise<{ status: 'refunded' | 'pending' }>;
}

export interface HospitalDeps {
  his: HospitalInformationSystem;
  payer: RegistrationPayer;
  refunder?: RegistrationRefunder;
  /** The card's bank account and online PIN block (shared with the premium journey). */
  bank: BankPinStore;
  printer?: Printer;
  journal: Journal;
  logger: Logger;
  terminalId: string;
  hospital: { name: LocalizedText; checkInUrlBase?: string };
  now(): number;
  currentHolder(): CardInfo | undefined;
  lang(): 'zh-CN' | 'en';
  /** Whether the session is still on a screen that needs the held place (HOLD_STATES). */
  holdInUse(): boolean;
}

/** Codes with which the HIS refused a paid registration: the engine refunded it (the place is gone). */
const HIS_REFUSALS = new Set(['SLOT_TAKEN', 'SLOT_FULL', 'HOLD_EXPIRED', 'REJECTED', 'NOT_FOUND']);

/** The hospital's local date and time of day (Asia/Shanghai, UTC+8 without daylight saving). */
const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString();
export const hisToday = (ms: number): string => beijing(ms).slice(0, 10);
const hisTimeOfDay = (ms: number): string => beijing(ms).slice(11, 16);

const requestId = (terminalId: string, kind: string) => `${terminalId}-${kind}-${randomBytes(6).toString('hex')}`;

export function summaryOf(r: Registration): RegSummary {
  return {
    regId: r.regId,
    queueNumber: r.queueNumber,
    department: r.department.name,
    doctor: { name: r.doctor.name, title: r.doctor.title },
    date: r.date,
    period: r.period,
    start: r.start,
    end: r.end,
    location: r.location,
    feeFen: r.fee.totalFen,
    method: r.payment.method,
  };
}

export function regOutcomeOf(o: PaymentOutcome): RegPayOutcome {
  switch (o.status) {
    case 'approved':
      return o.registration ? { status: 'registered', txnId: o.txnId, registration: summaryOf(o.registration) } : { status: 'paid-pending', txnId: o.txnId, amountFen: o.amountFen };
    case 'declined':
      return { status: 'declined', txnId: o.txnId, reason: o.reason, ...(o.triesLeft !== undefined ? { triesLeft: o.triesLeft } : {}) };
    case 'failed':
      return { status: 'failed', txnId: o.txnId, code: o.code };
    case 'reversed':
      return HIS_REFUSALS.has(o.code) ? { status: 'refunded', txnId: o.txnId, code: o.code, ...(o.reason ? { reason: o.reason } : {}) } : { status: 'reversed', txnId: o.txnId, code: o.code };
    case 'uncertain':
      return { status: 'uncertain', txnId: o.txnId, code: o.code };
  }
}

interface OpenHold {
  hold: HoldOutput;
  requestId: string;
  ssn: string;
  description: string;
}

/**
 * The hospital profile's actors over the HIS client, the payment engine and the printer. The hold
 * the flow took is kept here with what the payment needs; `releaseUnused()` gives it back when the
 * visit leaves the journey without paying (the host calls it on every snapshot outside HOLD_STATES),
 * never while a payment is under way (the engine then owns the hold).
 */
export function hospitalActors(d: HospitalDeps) {
  const departments = new Map<string, Department>();
  const doctors = new Map<string, Doctor>();
  /** Registrations made here, for their slips: by regId, and the holder's latest by ssn. */
  const made = new Map<string, { registration: Registration; paymentRef: string; accountMasked?: string }>();
  const latestOf = new Map<string, string>();
  const printed = new Set<string>();
  let open: OpenHold | undefined;
  let paying = false;

  const holder = (): CardInfo => {
    const h = d.currentHolder();
    if (!h) throw new YktError('NO_HOLDER', 'no card has been read in this session');
    return h;
  };
  const zh = (t: LocalizedText | undefined) => t?.zh ?? '';

  function describe(slot: Slot): string {
    const doc = doctors.get(slot.doctorId);
    return `挂号费 ${zh(departments.get(slot.departmentId)?.name)} ${doc?.name ?? slot.doctorId} ${slot.date} ${slot.start}`.slice(0, 200);
  }

  function releaseUnused(): void {
    const o = open;
    if (!o || paying) return;
    open = undefined;
    d.his.release(o.hold.holdId).then(
      (r) => d.journal.append('registration', 'hold-released', { holdId: o.hold.holdId, slotId: o.hold.slotId, released: r.released, terminalId: d.terminalId }),
      (e: unknown) => d.logger.warn({ holdId: o.hold.holdId, code: (e as { code?: string }).code }, 'hold not released (it lapses by itself)'),
    );
  }

  async function registrationFor(ssn: string, regId: string | undefined): Promise<Registration> {
    // Just made here: print it even if the HIS cannot be reached right now.
    const mine = regId ? made.get(regId) : undefined;
    if (mine) return mine.registration;
    const id = regId ?? latestOf.get(ssn);
    if (id) return d.his.registration(id);
    const today = await d.his.registrationsOf(ssn);
    const r = today.filter((x) => x.status === 'registered').at(-1);
    if (!r) throw new YktError('NO_SLIP', 'no registration of this holder to print');
    return r;
  }

  const actors = {
    loadDepartments: fromPromise<Department[]>(async () => {
      const list = await d.his.departments();
      for (const x of list) departments.set(x.id, x);
      return list;
    }),

    loadSlots: fromPromise<SlotsOutput, { departmentId: string }>(async ({ input }) => {
      const [docs, slots] = await Promise.all([d.his.doctors(input.departmentId), d.his.slots({ departmentId: input.departmentId, days: 7 })]);
      for (const x of docs) doctors.set(x.id, x);
      return { today: hisToday(d.now()), doctors: docs, slots };
    }),

    holdSlot: fromPromise<HoldOutput, { slotId: string }>(async ({ input }) => {
      const h = holder();
      const rid = requestId(d.terminalId, 'H');
      // One active hold per patient at the HIS: a new one gives back the place of the one before.
      const hold = await d.his.hold(input.slotId, { ssn: h.ssn, name: h.name, cardNumber: h.cardNumber }, rid);
      const out: HoldOutput = { holdId: hold.holdId, slotId: hold.slot.id, expiresAt: hold.expiresAt, slot: hold.slot };
      open = { hold: out, requestId: rid, ssn: h.ssn, description: describe(hold.slot) };
      // Held after the patient left (finish during the request): give it back at once.
      if (!d.holdInUse()) queueMicrotask(releaseUnused);
      d.journal.append('registration', 'held', { holdId: hold.holdId, slotId: hold.slot.id, ssn: h.ssn, terminalId: d.terminalId });
      return out;
    }),

    payRegistration: fromPromise<RegPayOutcome, RegPayInput>(async ({ input }) => {
      const h = holder();
      const o = open;
      if (!o || o.hold.holdId !== input.holdId || o.ssn !== h.ssn) throw new YktError('REG_NO_HOLD', 'no place is held for this payment');
      const funding: Funding =
        input.method === 'bank-card' ? { method: 'bank-card', account: d.bank.account(h), pinBlock: d.bank.takeBlock() } : { method: 'medical-account' };
      const order: RegistrationOrder = {
        kind: 'registration',
        ssn: h.ssn,
        amountFen: o.hold.slot.fee.totalFen,
        description: o.description,
        holdId: o.hold.holdId,
        slotId: o.hold.slotId,
        requestId: o.requestId,
      };
      paying = true;
      let out: PaymentOutcome;
      try {
        // The engine finishes the payment whatever the screen does meanwhile (no abort).
        out = await d.payer.payRegistration(order, funding);
      } finally {
        paying = false;
      }
      // Declined or failed: nothing moved, the place is still ours. Otherwise the engine owns it.
      if (out.status !== 'declined' && out.status !== 'failed') open = undefined;
      // The patient left while it was paying (card pulled, finish): nobody will use the place now.
      else if (!d.holdInUse()) releaseUnused();
      if (out.status === 'approved' && out.registration) {
        const r = out.registration;
        const accountMasked = funding.method === 'bank-card' ? maskAccount(funding.account.pan) : undefined;
        made.set(r.regId, { registration: r, paymentRef: out.bankRef, ...(accountMasked ? { accountMasked } : {}) });
        latestOf.set(h.ssn, r.regId);
      }
      return regOutcomeOf(out);
    }),

    printSlip: fromPromise<void, { regId?: string }>(async ({ input }) => {
      const h = holder();
      if (!d.printer) throw new PrinterError('PRINTER_OFFLINE', { message: 'this terminal has no printer' });
      const r = await registrationFor(h.ssn, input.regId);
      if (r.status !== 'registered') throw new YktError('NO_SLIP', `registration ${r.regId} is ${r.status}`);
      const mine = made.get(r.regId);
      const lang = d.lang() === 'en' ? 'en' : 'zh';
      const reprint = printed.has(r.regId);
      const receipt = registrationSlip(
        {
          hospital: d.hospital.name[lang],
          regId: r.regId,
          queueNumber: r.queueNumber,
          department: r.department.name[lang],
          doctor: r.doctor.name,
          doctorTitle: DOCTOR_TITLE_LABELS[r.doctor.title][lang],
          date: r.date,
          time: `${r.start}–${r.end}`,
          location: r.location[lang],
          patientName: r.patient.name,
          ssn: r.patient.ssn,
          feeFen: r.fee.totalFen,
          payment: { method: r.payment.method, ref: mine?.paymentRef ?? r.payment.txnId, ...(mine?.accountMasked ? { accountMasked: mine.accountMasked } : {}) },
          registeredAt: r.registeredAt,
          checkInCode: `${d.hospital.checkInUrlBase ?? ''}${r.regId}`,
        },
        { lang, terminalId: d.terminalId, reprint },
      );
      const entry = { kind: reprint ? 'registration-slip-reprint' : 'registration-slip', regId: r.regId, terminalId: d.terminalId };
      try {
        const res = await d.printer.print(receipt);
        d.journal.append('print', 'printed', { ...entry, bytes: res.bytes });
      } catch (e) {
        d.journal.append('print', 'failed', { ...entry, error: (e as { code?: string }).code ?? 'PRINTER_ERROR' });
        throw e;
      }
      printed.add(r.regId);
    }),

    loadRegistrations: fromPromise<RegistrationsOutput>(async () => {
      const h = holder();
      const now = d.now();
      const today = hisToday(now);
      const list = await d.his.registrationsOf(h.ssn, today);
      // Same-day cancellation until the window starts (the HIS's rule: NOT_CANCELLABLE/STARTED).
      const open = list.filter((r) => r.status === 'registered' && r.date === today && r.start > hisTimeOfDay(now));
      return { registrations: open.map(summaryOf), refund: d.refunder ? 'kiosk' : 'counter' };
    }),

    cancelRegistration: fromPromise<CancelOutput, { regId: string }>(async ({ input }) => {
      const h = holder();
      const c: Cancellation = await d.his.cancel(input.regId, requestId(d.terminalId, 'C'));
      const base = { regId: c.regId, amountFen: c.refund.amountFen, method: c.refund.method };
      d.journal.append('registration', 'cancelled', { ...base, txnId: c.refund.txnId, ssn: h.ssn, terminalId: d.terminalId });
      const mine = made.get(c.regId);
      if (mine) mine.registration = { ...mine.registration, status: 'cancelled', cancelledAt: c.cancelledAt };
      const atCounter = () => {
        d.journal.append('registration', 'refund-at-counter', { ...base, txnId: c.refund.txnId, terminalId: d.terminalId });
        return { ...base, refund: 'counter' as const };
      };
      // The registration is cancelled at the HIS whatever happens next: a fee this terminal did not
      // take (paid elsewhere), or a refund that cannot be started, is refunded at the cashier.
      if (!d.refunder) return atCounter();
      try {
        const r = await d.refunder.refundRegistration({ regId: c.regId, ssn: h.ssn, payment: c.refund });
        return { ...base, refund: r.status };
      } catch (e) {
        d.logger.warn({ err: (e as Error).message, regId: c.regId }, 'refund not started here; the patient is sent to the cashier');
        return atCounter();
      }
    }),
  };

  return {
    actors,
    releaseUnused,
    /** A slip of this holder can be printed again (a registration made at this terminal since it started). */
    slipReprintable: (ssn: string): boolean => latestOf.has(ssn),
  };
}
