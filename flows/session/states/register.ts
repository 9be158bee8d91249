import { and, assign } from 'xstate';
import { CARD_PULLED, FINISH, PULLED } from '../hand-back.js';
import { defaultMethod } from '../register.js';
import { registerSetup } from '../register-setup.js';

const touched = (control: 'confirm' | 'back' | 'cancel' | 'retry') => ({ type: 'touched' as const, params: { control } });
const back = (target: string) => ({ guard: touched('back'), target }) as const;
const hisTimeout = (what: string) => ({ type: 'recordHisTimeout' as const, params: { what } });
/** The HIS could not be used: service-unavailable, back to the menu (the card stays). */
const UNAVAILABLE = { target: '#session.regUnavailable', actions: 'recordError' } as const;
const printerCode = (state: string | undefined) => `PRINTER_${(state ?? 'starting').toUpperCase().replace(/-/g, '_')}`;

/**
 * 挂号 (hospital profile): department → slot (a week of days, full ones shown) → the place is held
 * at the HIS → confirm with the fee and the source (医保个人账户 or the card's bank account with its
 * online PIN) → paid and registered exactly once (kiosk/payment) → the slip printed. A place lost
 * before payment goes back to reg-slot with a notice (nothing charged); every failure after says what
 * happened to the money. The host gives a held place back when the journey is left without paying.
 */
export const registerStates = {
  regLoading: registerSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: { id: 'loadDepartments', src: 'loadDepartments', onDone: { target: 'regDepartment', actions: 'storeDepartments' }, onError: UNAVAILABLE },
    after: { backendGuard: { target: 'regUnavailable', actions: hisTimeout('departments') } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('cancel'), target: 'menu' }] },
  }),

  /** Which department (preselected: the first); confirm reads its week of slots. */
  regDepartment: registerSetup.createStateConfig({
    meta: { screen: 'reg-department' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: 'deptTouched', target: 'regDepartment', reenter: true, actions: 'selectDept' },
        { guard: touched('confirm'), target: 'regSlotsLoading', actions: 'clearRegNotice' },
        back('menu'),
      ],
    },
  }),

  regSlotsLoading: registerSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: {
      id: 'loadSlots',
      src: 'loadSlots',
      input: ({ context }) => ({ departmentId: context.reg?.deptId ?? '' }),
      onDone: { target: 'regSlot', actions: 'storeSlots' },
      onError: UNAVAILABLE,
    },
    after: { backendGuard: { target: 'regUnavailable', actions: hisTimeout('slots') } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('cancel'), target: 'menu' }] },
  }),

  /** Day tabs, the day's slots by doctor (full ones disabled), one free slot preselected. */
  regSlot: registerSetup.createStateConfig({
    meta: { screen: 'reg-slot' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: 'dayTouched', target: 'regSlot', reenter: true, actions: 'selectDay' },
        { guard: 'slotTouched', target: 'regSlot', reenter: true, actions: 'selectSlot' },
        { guard: and([touched('confirm'), 'slotChosen']), target: 'regHolding' },
        back('regDepartment'),
      ],
    },
  }),

  /** The HIS keeps the place for this patient; refused → reg-slot with the reason, read again. */
  regHolding: registerSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: {
      id: 'holdSlot',
      src: 'holdSlot',
      input: ({ context }) => ({ slotId: context.reg?.slotId ?? '' }),
      onDone: { target: 'regConfirm', actions: 'storeHold' },
      onError: [{ guard: 'holdRefused', target: 'regSlotsLoading', actions: 'noteHoldRefused' }, UNAVAILABLE],
    },
    after: { backendGuard: { target: 'regUnavailable', actions: hisTimeout('hold') } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Department, doctor, time, place, the fee in large type, and where the money comes from. */
  regConfirm: registerSetup.createStateConfig({
    meta: { screen: 'reg-confirm' },
    entry: 'clearRegPin',
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: { type: 'methodTouched', params: { method: 'medical-account' } }, target: 'regConfirm', reenter: true, actions: { type: 'selectMethod', params: { method: 'medical-account' } } },
        { guard: { type: 'methodTouched', params: { method: 'bank-card' } }, target: 'regConfirm', reenter: true, actions: { type: 'selectMethod', params: { method: 'bank-card' } } },
        { guard: and([touched('confirm'), { type: 'payWith' as const, params: { method: 'medical-account' as const } }]), target: 'regPaying' },
        { guard: and([touched('confirm'), { type: 'payWith' as const, params: { method: 'bank-card' as const } }]), target: 'regAccount' },
        back('regSlot'),
      ],
    },
  }),

  /** The card's bank account (debit application), for the online PIN block. */
  regAccount: registerSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: {
      id: 'readBankAccount',
      src: 'readBankAccount',
      onDone: { target: 'regPin', actions: 'storeAccount' },
      onError: [
        { guard: { type: 'readFailed', params: { as: 'fault' } }, target: 'outOfService', actions: 'recordError' },
        { guard: { type: 'readFailed', params: { as: 'removed' } }, ...PULLED },
        { target: 'regConfirm', actions: 'noteCardNotice' },
      ],
    },
    after: { deviceGuard: { target: 'regConfirm', actions: assign({ reg: ({ context }) => ({ ...context.reg, cardNotice: 'READER_TIMEOUT' }) }) } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** The bank's online PIN, as for premiums (captureOnlinePin: the pad encrypts it; the card never sees it). */
  regPin: registerSetup.createStateConfig({
    meta: { screen: 'pin' },
    entry: 'resetPinDigits',
    invoke: {
      id: 'captureOnlinePin',
      src: 'captureOnlinePin',
      onDone: { target: 'regPaying' },
      onError: [
        { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: 'regConfirm' },
        { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
        { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: 'outOfService', actions: 'recordError' },
        { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
      ],
    },
    after: { pinGuard: 'regConfirm' },
    on: { PIN_KEYS: { actions: 'countPinKeys' }, CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('cancel'), target: 'regConfirm' }] },
  }),

  /** Paying and registering. Leaving does not stop it: the payment engine finishes and journals it. */
  regPaying: registerSetup.createStateConfig({
    meta: { screen: 'reg-processing' },
    entry: assign({ pinDigits: undefined }),
    invoke: {
      id: 'payRegistration',
      src: 'payRegistration',
      input: ({ context }) => ({ method: defaultMethod(context) ?? 'medical-account', holdId: context.reg?.hold?.holdId ?? '' }),
      onDone: [
        { guard: { type: 'regIs', params: { status: 'registered' } }, target: 'regDone', actions: 'storeRegOutcome' },
        { guard: { type: 'regIs', params: { status: 'paid-pending' } }, target: 'regDone', actions: 'storeRegOutcome' },
        { guard: 'regWrongPin', target: 'regPin', actions: 'storeRegOutcome' },
        { target: 'regFailed', actions: 'storeRegOutcome' },
      ],
      onError: { target: 'regFailed', actions: 'regPayError' },
    },
    after: { payGuard: { target: 'regFailed', actions: [assign({ reg: ({ context }) => ({ ...context.reg, outcome: undefined }) }), { type: 'recordTimeout', params: { what: 'registration payment' } }] } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Registered: the queue number, where and when; the slip prints by itself when the printer can. */
  regDone: registerSetup.createStateConfig({
    meta: { screen: 'reg-done' },
    initial: 'choosing',
    on: { CARD_REMOVED: CARD_PULLED },
    states: {
      choosing: {
        always: [
          { guard: and(['hasRegistration', 'printerReady']), target: 'printing' },
          {
            guard: 'hasRegistration',
            target: '#session.slipFailed',
            actions: assign({ lastError: ({ context }) => ({ code: printerCode(context.printer), message: 'the printer cannot print now' }) }),
          },
          { target: 'pending' },
        ],
      },
      printing: {
        invoke: {
          id: 'printSlip',
          src: 'printSlip',
          input: ({ context }) => ({ regId: context.registration?.regId }),
          onDone: '#session.takeSlip',
          onError: { target: '#session.slipFailed', actions: 'recordError' },
        },
        after: { printGuard: { target: '#session.slipFailed', actions: 'recordPrintTimeout' } },
        on: { TOUCH: FINISH },
      },
      // Paid; the payment engine completes the registration (never pay again).
      pending: {
        after: { serviceIdle: '#session.menu' },
        on: { TOUCH: [FINISH, { guard: touched('confirm'), target: '#session.menu' }] },
      },
    },
  }),

  /** The slip waits in the presenter; taking it (or confirm, or a while) goes back to the menu. */
  takeSlip: registerSetup.createStateConfig({
    meta: { screen: 'take-slip' },
    after: { takeReceipt: 'menu' },
    on: { RECEIPT_TAKEN: 'menu', CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('confirm'), target: 'menu' }] },
  }),

  /** Registered, but the slip is not (all) printed: try again now, or later from the menu. */
  slipFailed: registerSetup.createStateConfig({
    meta: { screen: 'print-failed' },
    entry: 'slipOwed',
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: and([touched('retry'), 'printerReady']), target: 'slipPrinting' }, back('menu')],
    },
  }),

  /** 补打挂号凭条 (menu) or a retry: this visit's registration, else the holder's latest. */
  slipPrinting: registerSetup.createStateConfig({
    meta: { screen: 'printing' },
    invoke: {
      id: 'printSlip',
      src: 'printSlip',
      input: ({ context }) => ({ regId: context.registration?.regId }),
      onDone: 'takeSlip',
      onError: [{ guard: 'printerFailed', target: 'slipFailed', actions: 'recordError' }, UNAVAILABLE],
    },
    after: { printGuard: { target: 'slipFailed', actions: 'recordPrintTimeout' } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Not registered (or not sure): what happened to the money; pay another way or choose again. */
  regFailed: registerSetup.createStateConfig({
    meta: { screen: 'reg-failed' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: and([touched('confirm'), 'holdKept']), target: 'regConfirm' },
        { guard: and([touched('confirm'), 'placeGone']), target: 'regSlotsLoading', actions: { type: 'noteRegNotice', params: { notice: 'refunded' } } },
        back('menu'),
      ],
    },
  }),

  /** The hospital system cannot be used now: nothing was charged; the menu is one touch away. */
  regUnavailable: registerSetup.createStateConfig({
    meta: { screen: 'service-unavailable' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, back('menu')] },
  }),
};
