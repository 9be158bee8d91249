import { assign } from 'xstate';
import { CARD_PULLED, FINISH, handBack } from '../hand-back.js';
import { sessionSetup } from '../setup.js';

/** 挂失 (report a card lost) and 解挂 (lift a temporary loss report). */
export const lossStates = {
  /** 挂失 with the card in hand: for a card about to be given up; asks before doing it. */
  reportLoss: sessionSetup.createStateConfig({
    meta: { screen: 'report-loss' },
    initial: 'asking',
    on: { CARD_REMOVED: CARD_PULLED },
    states: {
      asking: {
        after: { serviceIdle: '#session.menu' },
        on: {
          TOUCH: [
            FINISH,
            { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'submitting' },
            { guard: { type: 'touched', params: { control: 'back' } }, target: '#session.menu' },
          ],
        },
      },
      submitting: {
        invoke: {
          id: 'reportLoss',
          src: 'reportLoss',
          onDone: [
            {
              guard: 'retainAfterLossReport',
              target: '#session.lossReported.retaining',
              actions: assign({ serviceRef: ({ event }) => event.output.ref, cardStatus: 'lost' }),
            },
            {
              target: '#session.lossReported.ejecting',
              actions: assign({ serviceRef: ({ event }) => event.output.ref, cardStatus: 'lost' }),
            },
          ],
          onError: { target: '#session.serviceError', actions: 'recordError' },
        },
        after: {
          backendGuard: { target: '#session.serviceError', actions: { type: 'recordBackendTimeout', params: { what: 'report loss' } } },
        },
        on: { TOUCH: FINISH },
      },
    },
  }),

  /** The report is made: the reference and what to do next; the card comes back (or is kept). */
  lossReported: sessionSetup.createStateConfig({
    meta: { screen: 'loss-reported' },
    initial: 'ejecting',
    states: {
      retaining: {
        invoke: {
          id: 'retainCard',
          src: 'retainCard',
          input: { reason: 'loss-reported' },
          onDone: { target: '#session.cardRetained', actions: assign({ card: 'retained', retainReason: 'loss-reported' }) },
          onError: { target: '#session.outOfService', actions: 'recordError' },
        },
        after: {
          deviceGuard: { target: '#session.outOfService', actions: { type: 'recordTimeout', params: { what: 'retain card' } } },
        },
        on: { CARD_INSERTED: {} },
      },
      ...handBack('loss-reported'),
      // The card is taken: the reference stays on screen a little longer.
      taken: {
        after: { notice: '#session.idle' },
        on: { TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: '#session.idle' } },
      },
    },
    on: {
      CARD_REMOVED: { guard: 'cardOut', target: '.taken', actions: 'cardGone' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),

  /** 解挂: a temporarily reported card found again. */
  liftLoss: sessionSetup.createStateConfig({
    meta: { screen: 'lift-loss' },
    initial: 'asking',
    on: { CARD_REMOVED: CARD_PULLED },
    states: {
      asking: {
        after: { serviceIdle: '#session.menu' },
        on: {
          TOUCH: [
            FINISH,
            { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'submitting' },
            { guard: { type: 'touched', params: { control: 'back' } }, target: '#session.menu' },
          ],
        },
      },
      submitting: {
        invoke: {
          id: 'liftLoss',
          src: 'liftLoss',
          onDone: {
            target: '#session.lossLifted',
            actions: assign({ serviceRef: ({ event }) => event.output.ref, cardStatus: 'normal' }),
          },
          onError: { target: '#session.serviceError', actions: 'recordError' },
        },
        after: {
          backendGuard: { target: '#session.serviceError', actions: { type: 'recordBackendTimeout', params: { what: 'lift loss' } } },
        },
        on: { TOUCH: FINISH },
      },
    },
  }),

  lossLifted: sessionSetup.createStateConfig({
    meta: { screen: 'loss-lifted' },
    after: { serviceIdle: 'menu' },
    on: {
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'menu' }],
    },
  }),
};
