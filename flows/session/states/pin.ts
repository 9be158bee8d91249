import { and, assign } from 'xstate';
import { CARD_PULLED, FINISH, PULLED } from '../hand-back.js';
import { isTapSession } from '../cardless.js';
import { MENU_SERVICES } from '../services.js';
import { sessionSetup } from '../setup.js';

/** A PIN entry that failed for a reason other than the PIN itself: card pulled, reader, pad. */
const PIN_FAULTS = [
  { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
  { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: '#session.outOfService', actions: 'recordError' },
  { target: '#session.unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
] as const;

/** One entry of the change-PIN journey held by the pad; cancel or the guard go back to the menu. */
function captureStep(phase: 'old' | 'new', next: 'new' | 'confirm') {
  return {
    entry: 'resetPinDigits',
    invoke: {
      id: 'capturePin',
      src: 'capturePin',
      input: { phase },
      onDone: { target: next, actions: 'clearPinNotice' },
      onError: [{ guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: '#session.menu' }, ...PIN_FAULTS],
    },
    after: { pinGuard: '#session.menu' },
  } as const;
}

/** The PIN: entry at the start or before a service, locked, and the change-PIN journey. */
export const pinStates = {
  /** One PIN entry on the pad (verifyPin); re-entered after a wrong PIN. */
  pin: sessionSetup.createStateConfig({
    meta: { screen: 'pin' },
    entry: 'resetPinDigits',
    invoke: {
      id: 'verifyPin',
      src: 'verifyPin',
      // A tap session's card is not in the slot: the host presents the VERIFY over the antenna.
      input: ({ context }) => ({ purpose: context.pinPurpose ?? 'session', ...(isTapSession(context) ? { tap: true as const } : {}) }),
      // On to the service the PIN was asked for (MENU_SERVICES), or the menu at the start.
      onDone: [
        ...MENU_SERVICES.filter((x) => x.pinPurpose !== undefined).map((x) => ({
          guard: { type: 'pinFor' as const, params: { purpose: x.pinPurpose! } },
          target: `#session.${x.state}`,
          actions: 'pinProved' as const,
        })),
        { target: 'menu', actions: 'pinProved' },
      ],
      onError: [
        { guard: { type: 'pinFailed', params: { as: 'wrong' } }, target: 'pin', reenter: true, actions: 'notePinWrong' },
        { guard: { type: 'pinFailed', params: { as: 'locked' } }, target: 'pinLocked' },
        { guard: and([{ type: 'pinFailed', params: { as: 'cancelled' as const } }, 'pinForSession']), target: 'ejecting' },
        { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: 'menu' },
        // Tap session: the card was not held to the antenna again (or left it) for the VERIFY.
        {
          guard: and([{ type: 'pinFailed', params: { as: 'removed' as const } }, 'cardless']),
          target: 'cardRemoved',
          actions: assign({ lastError: { code: 'CARD_NOT_PRESENTED', message: 'the card was not held to the reader for the PIN' } }),
        },
        { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
        { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: 'outOfService', actions: 'recordError' },
        { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
      ],
    },
    // The pad's own entry timeout (PIN_TIMEOUT) comes first; this only catches a hung pad.
    after: { pinGuard: [{ guard: 'pinForSession', target: 'ejecting' }, { target: 'menu' }] },
    on: {
      PIN_KEYS: { actions: 'countPinKeys' },
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [
        FINISH,
        // Leaving the state stops verifyPin; the host's implementation stops the pad entry.
        { guard: and([{ type: 'touched', params: { control: 'cancel' as const } }, 'pinForSession']), target: 'ejecting' },
        { guard: { type: 'touched', params: { control: 'cancel' } }, target: 'menu' },
      ],
    },
  }),

  /** Too many wrong PINs: where to have it reset. The card comes back with finish or by itself. */
  pinLocked: sessionSetup.createStateConfig({
    meta: { screen: 'pin-locked' },
    entry: assign({ pinDigits: undefined, pinNotice: undefined }),
    after: { serviceIdle: 'ejecting' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Old PIN → new PIN → new PIN again, each held by the pad; then the card changes it. */
  changePin: sessionSetup.createStateConfig({
    meta: { screen: 'change-pin' },
    initial: 'old',
    on: {
      PIN_KEYS: { actions: 'countPinKeys' },
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'cancel' } }, target: 'menu' }],
    },
    states: {
      old: captureStep('old', 'new'),
      new: captureStep('new', 'confirm'),
      confirm: {
        entry: 'resetPinDigits',
        invoke: {
          id: 'capturePin',
          src: 'capturePin',
          input: { phase: 'confirm' },
          onDone: { target: 'applying', actions: 'clearPinNotice' },
          onError: [
            { guard: { type: 'pinFailed', params: { as: 'mismatch' } }, target: 'new', actions: 'notePinMismatch' },
            { guard: { type: 'pinFailed', params: { as: 'weak' } }, target: 'new', actions: 'notePinWeak' },
            { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: '#session.menu' },
            ...PIN_FAULTS,
          ],
        },
        after: { pinGuard: '#session.menu' },
      },
      applying: {
        entry: assign({ pinDigits: undefined }),
        invoke: {
          id: 'applyPinChange',
          src: 'applyPinChange',
          onDone: { target: '#session.pinChanged', actions: 'pinProved' },
          onError: [
            // The old PIN was wrong: ask it again, with the tries left.
            { guard: { type: 'pinFailed', params: { as: 'wrong' } }, target: 'old', actions: 'notePinWrong' },
            { guard: { type: 'pinFailed', params: { as: 'locked' } }, target: '#session.pinLocked' },
            ...PIN_FAULTS,
          ],
        },
        after: {
          backendGuard: {
            target: '#session.unavailable',
            actions: { type: 'recordOutage', params: { what: 'pin', timeout: true } },
          },
        },
        // The card is being written: nothing to cancel any more (finish still returns the card).
        on: { TOUCH: { guard: { type: 'touched', params: { control: 'cancel' } } } },
      },
    },
  }),

  pinChanged: sessionSetup.createStateConfig({
    meta: { screen: 'pin-changed' },
    after: { notice: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'menu' }],
    },
  }),
};
