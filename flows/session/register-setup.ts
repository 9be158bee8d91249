import { assign } from 'xstate';
import { toSessionError } from './errors.js';
import {
  cancelNotice,
  dayOfControl,
  defaultMethod,
  deptOfControl,
  firstFreeOf,
  holdNotice,
  isFree,
  methodAvailable,
  regOfControl,
  selectSlots,
  slotOfControl,
  slotsOfDay,
} from './register.js';
import type { CancelOutput, Department, HoldOutput, PaymentMethod, RegistrationsOutput, RegNotice, RegPayOutcome, SlotsOutput } from './register-types.js';
import { sessionSetup } from './setup.js';

/** The error of an `xstate.error.actor.*` event. */
const eventError = (event: unknown): unknown => (event as { error?: unknown }).error;
const codeOf = (event: unknown): string => toSessionError(eventError(event)).code;
const outputOf = <T>(event: unknown): T | undefined => (event as { output?: T }).output;
const touchedControl = (event: { type: string; control?: string }): string | undefined =>
  event.type === 'TOUCH' ? event.control : undefined;

/**
 * The session machine's setup with the hospital profile's guards and actions (挂号, 退号, slips).
 * The machine is built from it (machine.ts); the registration states use its createStateConfig.
 */
export const registerSetup = sessionSetup.extend({
  guards: {
    deptTouched: ({ context, event }) => {
      const id = deptOfControl(touchedControl(event) ?? '', context.reg);
      return id !== undefined && id !== context.reg?.deptId;
    },
    dayTouched: ({ context, event }) => {
      const day = dayOfControl(touchedControl(event) ?? '');
      return day !== undefined && day !== context.reg?.day;
    },
    slotTouched: ({ context, event }) => {
      const id = slotOfControl(touchedControl(event) ?? '', context.reg);
      return id !== undefined && id !== context.reg?.slotId;
    },
    /** A free slot of the day shown is selected: confirm takes it. */
    slotChosen: ({ context }) => {
      const r = context.reg;
      return r?.day !== undefined && slotsOfDay(r, r.day).some((s) => s.id === r.slotId && isFree(s));
    },
    methodTouched: ({ context, event }, params: { method: PaymentMethod }) =>
      touchedControl(event) === (params.method === 'medical-account' ? 'pay-medical' : 'pay-card') &&
      methodAvailable(context, params.method) &&
      context.reg?.method !== params.method,
    /** The source confirm pays with (the one selected, if it can pay). */
    payWith: ({ context }, params: { method: PaymentMethod }) => defaultMethod(context) === params.method,
    holdRefused: ({ event }) => holdNotice(codeOf(event), eventError(event)) !== undefined,
    cardNoFinancial: ({ event }) => codeOf(event) === 'CARD_NO_FINANCIAL',
    regIs: ({ event }, params: { status: RegPayOutcome['status'] }) => outputOf<RegPayOutcome>(event)?.status === params.status,
    regWrongPin: ({ event }) => {
      const o = outputOf<RegPayOutcome>(event);
      return o?.status === 'declined' && o.reason === 'WRONG_PIN' && (o.triesLeft ?? 1) > 0;
    },
    /** Declined or failed: nothing moved and the place is still held (pay another way). */
    holdKept: ({ context }) => context.reg?.outcome?.status === 'declined' || context.reg?.outcome?.status === 'failed',
    /** Paid, then refunded because the HIS refused the registration: choose another slot. */
    placeGone: ({ context }) => context.reg?.outcome?.status === 'refunded',
    hasRegistration: ({ context }) => context.registration !== undefined,
    regTouched: ({ context, event }) => {
      const id = regOfControl(touchedControl(event) ?? '', context.regCancel?.list);
      return id !== undefined && id !== context.regCancel?.regId;
    },
    cancelChosen: ({ context }) => context.regCancel?.list?.some((r) => r.regId === context.regCancel?.regId) === true,
    cancelRefused: ({ event }) => cancelNotice(codeOf(event)) !== undefined,
    /** The printer refused or failed (PRINTER_*), rather than the HIS or a missing registration. */
    printerFailed: ({ event }) => codeOf(event).startsWith('PRINTER_'),
  },
  actions: {
    storeDepartments: assign(({ event }) => {
      const departments = outputOf<Department[]>(event) ?? [];
      return { reg: { departments, deptId: departments[0]?.id } };
    }),
    selectDept: assign({
      reg: ({ context, event }) => ({ ...context.reg, deptId: deptOfControl(touchedControl(event) ?? '', context.reg) ?? context.reg?.deptId }),
    }),
    storeSlots: assign({
      reg: ({ context, event }) => {
        const out = outputOf<SlotsOutput>(event) ?? { today: '', doctors: [], slots: [] };
        return { ...context.reg, ...selectSlots(out) };
      },
    }),
    selectDay: assign({
      reg: ({ context, event }) => {
        const day = dayOfControl(touchedControl(event) ?? '') ?? context.reg?.day ?? 0;
        return { ...context.reg, day, slotId: firstFreeOf(context.reg, day) };
      },
    }),
    selectSlot: assign({
      reg: ({ context, event }) => ({ ...context.reg, slotId: slotOfControl(touchedControl(event) ?? '', context.reg) ?? context.reg?.slotId }),
    }),
    /** The slot could not be held: say why on reg-slot (the list is read again). Nothing was charged. */
    noteHoldRefused: assign({
      reg: ({ context, event }) => ({ ...context.reg, hold: undefined, notice: holdNotice(codeOf(event), eventError(event)) }),
    }),
    recordHisTimeout: assign({
      lastError: (_, params: { what: string }) => ({ code: 'HIS_TIMEOUT', message: `${params.what}: the hospital system did not answer in time` }),
    }),
    clearRegNotice: assign({ reg: ({ context }) => ({ ...context.reg, notice: undefined }) }),
    noteRegNotice: assign({ reg: ({ context }, params: { notice: RegNotice }) => ({ ...context.reg, hold: undefined, notice: params.notice }) }),
    storeHold: assign({
      reg: ({ context, event }) => {
        const r = { ...context.reg, hold: outputOf<HoldOutput>(event), notice: undefined, outcome: undefined, pinNotice: undefined };
        return { ...r, method: defaultMethod({ ...context, reg: r }) };
      },
    }),
    selectMethod: assign({ reg: ({ context }, params: { method: PaymentMethod }) => ({ ...context.reg, method: params.method }) }),
    storeAccount: assign({ reg: ({ context, event }) => ({ ...context.reg, panMasked: outputOf<{ panMasked: string }>(event)?.panMasked, cardNotice: undefined }) }),
    /** The card's bank account cannot be used: back on reg-confirm with the reason (nothing charged). */
    noteCardNotice: assign({
      reg: ({ context, event }) => {
        const r = { ...context.reg, cardNotice: codeOf(event), method: undefined };
        return { ...r, method: defaultMethod({ ...context, reg: r }) };
      },
    }),
    clearRegPin: assign({ reg: ({ context }) => ({ ...context.reg, pinNotice: undefined }) }),
    storeRegOutcome: assign(({ context, event }) => {
      const o = outputOf<RegPayOutcome>(event);
      const kept = o?.status === 'declined' || o?.status === 'failed';
      const pinNotice = o?.status === 'declined' && o.reason === 'WRONG_PIN' ? (o.triesLeft !== undefined ? { triesLeft: o.triesLeft } : {}) : undefined;
      return {
        reg: { ...context.reg, outcome: o, pinNotice, ...(kept ? {} : { hold: undefined }) },
        ...(o?.status === 'registered' ? { registration: o.registration, slipReprintable: true } : {}),
      };
    }),
    /** Thrown before anything was written (no HIS, source unavailable, host fault): nothing charged. */
    regPayError: assign({
      reg: ({ context }) => ({ ...context.reg, outcome: undefined }),
      lastError: ({ event }) => toSessionError(eventError(event)),
    }),
    /** The journey's choices go with the menu; the registration made stays for the slip. */
    forgetReg: assign({ reg: undefined, regCancel: undefined }),
    /** A slip that could not be printed can be printed later from the menu. */
    slipOwed: assign({ slipReprintable: true }),
    storeRegistrations: assign({
      regCancel: ({ context, event }) => {
        const out = outputOf<RegistrationsOutput>(event) ?? { registrations: [], refund: 'counter' as const };
        return { ...context.regCancel, list: out.registrations, refund: out.refund, regId: out.registrations[0]?.regId, result: undefined };
      },
    }),
    selectReg: assign({
      regCancel: ({ context, event }) => ({ ...context.regCancel, regId: regOfControl(touchedControl(event) ?? '', context.regCancel?.list) ?? context.regCancel?.regId }),
    }),
    noteCancelRefused: assign({ regCancel: ({ context, event }) => ({ ...context.regCancel, sent: undefined, notice: cancelNotice(codeOf(event)) }) }),
    clearCancelNotice: assign({ regCancel: ({ context }) => ({ ...context.regCancel, notice: undefined }) }),
    storeCancel: assign({ regCancel: ({ context, event }) => ({ ...context.regCancel, notice: undefined, result: outputOf<CancelOutput>(event) }) }),
  },
});
