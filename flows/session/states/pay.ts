import { assign } from 'xstate';
import { CARD_PULLED, FINISH, PULLED } from '../hand-back.js';
import { orderOf } from '../pay.js';
import { sessionSetup } from '../setup.js';

const touched = (control: 'confirm' | 'back' | 'cancel') => ({ type: 'touched' as const, params: { control } });
const back = (target: string) => ({ guard: touched('back'), target }) as const;

/**
 * 缴费: what is due → item → amount and periods → confirm → online PIN → processing → done (with
 * a receipt) or failed (what happened to the money, always said). The money itself is the host's
 * payment engine's business (exactly once, kiosk/payment); the machine only shows its outcome.
 */
export const payStates = {
  payLoading: sessionSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: {
      id: 'loadDues',
      src: 'loadDues',
      onDone: [
        { guard: 'hasDues', target: 'paySelect', actions: 'storeDues' },
        { target: 'payNothingDue', actions: 'storeDues' },
      ],
      onError: [
        { guard: 'cardCannotPay', target: 'payFailed', actions: ['recordError', assign({ payOutcome: undefined })] },
        { guard: { type: 'readFailed', params: { as: 'fault' } }, target: 'outOfService', actions: 'recordError' },
        { target: 'serviceError', actions: 'recordError' },
      ],
    },
    after: {
      backendGuard: { target: 'serviceError', actions: { type: 'recordBackendTimeout', params: { what: 'premiums due' } } },
    },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('cancel'), target: 'menu' }] },
  }),

  /** Nothing is due: said plainly, back to the menu. */
  payNothingDue: sessionSetup.createStateConfig({
    meta: { screen: 'pay-select' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, back('menu')] },
  }),

  /** Which premium (preselected: the first due); confirm goes on to the amount. */
  paySelect: sessionSetup.createStateConfig({
    meta: { screen: 'pay-select' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: 'itemTouched', target: 'paySelect', reenter: true, actions: 'selectPayItem' },
        { guard: touched('confirm'), target: 'payAmount' },
        back('menu'),
      ],
    },
  }),

  /** Contribution base / grade and how many periods (preselected: the arrears, at least one). */
  payAmount: sessionSetup.createStateConfig({
    meta: { screen: 'pay-amount' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: 'choiceTouched', target: 'payAmount', reenter: true, actions: 'selectPayChoice' },
        { guard: { type: 'periodsStep', params: { dir: -1 } }, target: 'payAmount', reenter: true, actions: { type: 'stepPeriods', params: { dir: -1 } } },
        { guard: { type: 'periodsStep', params: { dir: 1 } }, target: 'payAmount', reenter: true, actions: { type: 'stepPeriods', params: { dir: 1 } } },
        { guard: touched('confirm'), target: 'payConfirm' },
        back('paySelect'),
      ],
    },
  }),

  /** The amount in large type and what it buys; confirm asks for the bank PIN. */
  payConfirm: sessionSetup.createStateConfig({
    meta: { screen: 'pay-confirm' },
    entry: assign({ payPinNotice: undefined }),
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: touched('confirm'), target: 'payPin' }, back('payAmount')],
    },
  }),

  /** The card's bank PIN (online: the pad encrypts it for the bank; the card never sees it). */
  payPin: sessionSetup.createStateConfig({
    meta: { screen: 'pin' },
    entry: 'resetPinDigits',
    invoke: {
      id: 'captureOnlinePin',
      src: 'captureOnlinePin',
      onDone: { target: 'paying' },
      onError: [
        { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: 'payConfirm' },
        { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
        { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: 'outOfService', actions: 'recordError' },
        { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
      ],
    },
    after: { pinGuard: 'payConfirm' },
    on: {
      PIN_KEYS: { actions: 'countPinKeys' },
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: touched('cancel'), target: 'payConfirm' }],
    },
  }),

  /**
   * The debit is on its way. Leaving (finish, card pulled) does not stop it: the engine finishes
   * the payment and journals it either way; only the screen moves on.
   */
  paying: sessionSetup.createStateConfig({
    meta: { screen: 'pay-processing' },
    entry: assign({ pinDigits: undefined }),
    invoke: {
      id: 'payPremium',
      src: 'payPremium',
      input: ({ context }) => orderOf(context)!,
      onDone: [
        { guard: { type: 'payIs', params: { status: 'approved' } }, target: 'payDone', actions: 'storePayOutcome' },
        { guard: 'payWrongPin', target: 'payPin', actions: 'storePayOutcome' },
        { target: 'payFailed', actions: 'storePayOutcome' },
      ],
      onError: { target: 'payFailed', actions: 'recordError' },
    },
    after: { payGuard: { target: 'payFailed', actions: { type: 'recordTimeout', params: { what: 'payment' } } } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Paid: the reference, and the receipt printing by itself when the printer can. */
  payDone: sessionSetup.createStateConfig({
    meta: { screen: 'pay-done' },
    initial: 'choosing',
    on: { CARD_REMOVED: CARD_PULLED },
    states: {
      choosing: { always: [{ guard: 'printerReady', target: 'printing' }, { target: 'noReceipt' }] },
      printing: {
        invoke: {
          id: 'printPaymentReceipt',
          src: 'printPaymentReceipt',
          input: ({ context }) => ({ txnId: context.payOutcome?.txnId }),
          onDone: 'printed',
          onError: { target: 'noReceipt', actions: assign({ reprintable: true }) },
        },
        after: { printGuard: { target: 'noReceipt', actions: assign({ reprintable: true }) } },
        on: { TOUCH: FINISH },
      },
      printed: {
        after: { takeReceipt: '#session.menu' },
        on: {
          RECEIPT_TAKEN: '#session.menu',
          TOUCH: [FINISH, { guard: touched('confirm'), target: '#session.menu' }],
        },
      },
      // Printer out of paper (or none): paid all the same; the receipt can be printed again later.
      noReceipt: {
        after: { serviceIdle: '#session.menu' },
        on: { TOUCH: [FINISH, { guard: touched('confirm'), target: '#session.menu' }] },
      },
    },
  }),

  /** Not paid (or not sure): what happened to the money, in plain words. */
  payFailed: sessionSetup.createStateConfig({
    meta: { screen: 'pay-failed' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, back('menu')] },
  }),

  /** 补打凭证: the holder's last payment receipt again. */
  reprinting: sessionSetup.createStateConfig({
    meta: { screen: 'printing' },
    invoke: {
      id: 'printPaymentReceipt',
      src: 'printPaymentReceipt',
      input: () => ({}),
      onDone: { target: 'takeReceipt', actions: assign({ reprintable: false }) },
      onError: { target: 'printFailed', actions: 'recordError' },
    },
    after: { printGuard: { target: 'printFailed', actions: 'recordPrintTimeout' } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),
};

