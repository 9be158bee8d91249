import { and, assign } from 'xstate';
import { CARD_PULLED, FINISH } from '../hand-back.js';
import { registerSetup } from '../register-setup.js';

const touched = (control: 'confirm' | 'back' | 'cancel') => ({ type: 'touched' as const, params: { control } });
const back = (target: string) => ({ guard: touched('back'), target }) as const;
const hisTimeout = (what: string) => ({ type: 'recordHisTimeout' as const, params: { what } });

/**
 * 退号 (hospital profile): today's registrations of the holder that have not started → one chosen →
 * confirmed → cancelled at the HIS → the fee refunded through the source it was paid from (or the
 * counter, while the kiosk cannot refund: docs/hospital.md). A registration that can no longer be
 * cancelled (started meanwhile, already cancelled) → the list again with the reason.
 */
export const regCancelStates = {
  cancelLoading: registerSetup.createStateConfig({
    meta: { screen: 'loading' },
    invoke: {
      id: 'loadRegistrations',
      src: 'loadRegistrations',
      onDone: { target: 'cancelList', actions: 'storeRegistrations' },
      onError: { target: 'regUnavailable', actions: 'recordError' },
    },
    after: { backendGuard: { target: 'regUnavailable', actions: hisTimeout('registrations') } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('cancel'), target: 'menu' }] },
  }),

  /** The registrations that can be cancelled (one preselected), or "none today". */
  cancelList: registerSetup.createStateConfig({
    meta: { screen: 'reg-cancel-list' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        { guard: 'regTouched', target: 'cancelList', reenter: true, actions: 'selectReg' },
        { guard: and([touched('confirm'), 'cancelChosen']), target: 'cancelConfirm', actions: 'clearCancelNotice' },
        back('menu'),
      ],
    },
  }),

  /** What is cancelled and where the fee goes back; 确认退号 or back to the list. */
  cancelConfirm: registerSetup.createStateConfig({
    meta: { screen: 'reg-cancel-confirm' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('confirm'), target: 'cancelling' }, back('cancelList')] },
  }),

  /** Cancelling at the HIS and refunding. A lost answer is said as "not sure": the counter can tell. */
  cancelling: registerSetup.createStateConfig({
    meta: { screen: 'reg-processing' },
    entry: assign({ regCancel: ({ context }) => ({ ...context.regCancel, sent: true }) }),
    invoke: {
      id: 'cancelRegistration',
      src: 'cancelRegistration',
      input: ({ context }) => ({ regId: context.regCancel?.regId ?? '' }),
      onDone: { target: 'regCancelled', actions: 'storeCancel' },
      onError: [
        { guard: 'cancelRefused', target: 'cancelLoading', actions: 'noteCancelRefused' },
        { target: 'regUnavailable', actions: 'recordError' },
      ],
    },
    after: { backendGuard: { target: 'regUnavailable', actions: hisTimeout('cancel') } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Cancelled: the place is given back, and what happens to the fee. */
  regCancelled: registerSetup.createStateConfig({
    meta: { screen: 'reg-cancelled' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, { guard: touched('confirm'), target: 'menu' }] },
  }),
};
