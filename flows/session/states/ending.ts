import { assign } from 'xstate';
import { CARD_PULLED, FINISH, handBack } from '../hand-back.js';
import { sessionSetup } from '../setup.js';

/** How a visit ends: the card handed back, kept, or the machine out of service. */
export const endingStates = {
  /** A backend service failed; the card stays, the menu is one touch away. */
  serviceError: sessionSetup.createStateConfig({
    meta: { screen: 'service-unavailable' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'back' } }, target: 'menu' }],
    },
  }),

  /**
   * Card functions cannot be used now (PIN pad fault, no PSAM, card status unknown): say so and
   * hand the card back. Not a card error: the citizen's card is fine.
   */
  unavailable: sessionSetup.createStateConfig({
    meta: { screen: 'service-unavailable' },
    entry: 'forgetServices',
    initial: 'ejecting',
    states: handBack('error'),
    on: {
      CARD_REMOVED: { guard: 'cardOut', target: 'idle', actions: 'cardGone' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),

  ejecting: sessionSetup.createStateConfig({
    meta: { screen: 'take-card' },
    entry: ['forgetServices', 'forgetOutage'],
    // No card in the slot (tap, code): the visit just ends (ejectCard never starts).
    always: { guard: 'cardless', target: 'idle' },
    invoke: {
      id: 'ejectCard',
      src: 'ejectCard',
      onDone: { target: 'takeCard', actions: 'cardAtGate' },
      onError: { target: 'outOfService', actions: 'recordError' },
    },
    after: { deviceGuard: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'eject card' } } } },
    // A quick hand can take the card before the reader reports the eject done.
    on: { CARD_REMOVED: { target: 'idle', actions: 'cardGone' } },
  }),

  takeCard: sessionSetup.createStateConfig({
    meta: { screen: 'take-card' },
    entry: ['forgetServices', 'forgetOutage'],
    initial: 'waiting',
    on: {
      CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
    states: {
      waiting: {
        after: {
          takeCard: [
            {
              guard: 'retainEnabled',
              target: '#session.retaining',
              actions: assign({ retainReason: 'not-taken' }),
            },
            { target: 'reminding' },
          ],
        },
      },
      // Retention disabled: the card stays at the gate and the screen keeps asking for it.
      reminding: {},
    },
  }),

  cardError: sessionSetup.createStateConfig({
    meta: { screen: 'card-error' },
    entry: ['forgetServices', 'forgetOutage'],
    initial: 'ejecting',
    states: handBack('error'),
    on: {
      CARD_REMOVED: { guard: 'cardOut', target: 'idle', actions: 'cardGone' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),

  cardRemoved: sessionSetup.createStateConfig({
    meta: { screen: 'card-error' },
    entry: ['forgetServices', 'forgetOutage'],
    after: { notice: 'idle' },
    on: {
      TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'idle' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),

  retaining: sessionSetup.createStateConfig({
    meta: { screen: 'card-retained' },
    entry: ['forgetServices', 'forgetOutage'],
    invoke: {
      id: 'retainCard',
      src: 'retainCard',
      input: ({ context }) => ({ reason: context.retainReason ?? 'not-taken' }),
      onDone: { target: 'cardRetained', actions: assign({ card: 'retained' }) },
      onError: { target: 'outOfService', actions: 'recordError' },
    },
    after: { deviceGuard: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'retain card' } } } },
    on: {
      // Taken at the last moment: nothing to retain, the citizen has the card.
      CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
      // The retain motion itself carries the card past the insertion sensor.
      CARD_INSERTED: {},
    },
  }),

  cardRetained: sessionSetup.createStateConfig({
    meta: { screen: 'card-retained' },
    after: { notice: 'idle' },
    on: {
      TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'idle' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),

  outOfService: sessionSetup.createStateConfig({
    meta: { screen: 'out-of-service' },
    // A visit without a card ends here: after recovery there is nothing to hand back.
    entry: ['forgetServices', 'forgetOutage', assign({ via: undefined })],
    initial: 'recovering',
    on: {
      // Already out of service: note the newer fault, do not restart recovery.
      READER_FAULT: { actions: 'recordFault' },
      READER_OK: { target: 'starting' },
      // The citizen asks for the card: try again now instead of at the next interval.
      TOUCH: { guard: 'finishWithCardInside', target: 'starting' },
    },
    states: {
      recovering: {
        invoke: {
          id: 'recoverReader',
          src: 'recoverReader',
          onDone: { target: '#session.starting' },
          onError: { target: 'waiting' },
        },
      },
      waiting: { after: { recoverInterval: 'recovering' } },
    },
  }),
};
