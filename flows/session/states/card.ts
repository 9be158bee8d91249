import { assign } from 'xstate';
import { CARD_PULLED, FINISH, handBack } from '../hand-back.js';
import { sessionSetup } from '../setup.js';

/** Power-on, idle, reading the card and checking its status. */
export const cardStates = {
  starting: sessionSetup.createStateConfig({
    meta: { screen: 'starting' },
    entry: ['forgetServices', 'forgetOutage'],
    invoke: {
      id: 'prepareReader',
      src: 'prepareReader',
      onDone: [
        // After a power cut or a fault a card may still be inside: hand it back first.
        { guard: ({ event }) => event.output.position === 'inside', target: 'ejecting', actions: 'cardIn' },
        { guard: ({ event }) => event.output.position === 'gate', target: 'takeCard', actions: 'cardAtGate' },
        {
          target: 'idle',
          // 'retained' stays until the next card is inserted.
          actions: assign({ card: ({ context }) => (context.card === 'retained' ? 'retained' : 'none') }),
        },
      ],
      onError: { target: 'outOfService', actions: 'recordError' },
    },
    after: { deviceGuard: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'prepare reader' } } } },
  }),

  idle: sessionSetup.createStateConfig({
    meta: { screen: 'idle' },
    // Personal data is kept no longer than the visit.
    entry: [
      assign({
        holder: undefined,
        lastError: undefined,
        retainReason: undefined,
        cardStatus: undefined,
        statusSource: undefined,
        pinVerified: undefined,
        pinPurpose: undefined,
        pinDigits: undefined,
        pinNotice: undefined,
        serviceRef: undefined,
        outage: undefined,
        via: undefined,
      }),
      'forgetRecords',
    ],
    invoke: {
      id: 'enableInsertion',
      src: 'enableInsertion',
      onError: { target: 'outOfService', actions: 'recordError' },
    },
    on: {
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      // Sessions without an inserted card (the host sends these only when it accepts them).
      TAP: {
        guard: ({ context }) => context.config.acceptTap,
        target: 'readingTap',
        actions: { type: 'startCardless', params: { via: 'tap' } },
      },
      SCAN: {
        guard: ({ context }) => context.config.acceptCode,
        target: 'checkingCode',
        actions: { type: 'startCardless', params: { via: 'code' } },
      },
    },
  }),

  reading: sessionSetup.createStateConfig({
    meta: { screen: 'reading' },
    invoke: {
      id: 'readCard',
      src: 'readCard',
      onDone: { target: 'checkingStatus', actions: assign({ holder: ({ event }) => event.output }) },
      onError: [
        { guard: { type: 'readFailed', params: { as: 'removed' } }, target: 'cardRemoved', actions: 'cardPulled' },
        // The card may still be inside; `starting` hands it back once the reader recovers.
        { guard: { type: 'readFailed', params: { as: 'fault' } }, target: 'outOfService', actions: 'recordError' },
        // No PSAM: card functions are out of service, the reader works: hand the card back now.
        {
          guard: { type: 'readFailed', params: { as: 'psam' } },
          target: 'unavailable',
          actions: { type: 'recordOutage', params: { what: 'card-functions' } },
        },
        { target: 'cardError', actions: 'recordError' },
      ],
    },
    after: { readTimeout: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'read card' } } } },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Local blacklist and backend status, before anything else is offered. */
  checkingStatus: sessionSetup.createStateConfig({
    meta: { screen: 'reading' },
    invoke: {
      id: 'checkCardStatus',
      src: 'checkCardStatus',
      input: ({ context }) => ({ holder: context.holder! }),
      onDone: [
        {
          guard: 'statusRetained',
          target: 'cardBlocked.retaining',
          actions: assign({
              cardStatus: ({ event }) => event.output.status,
              statusSource: ({ event }) => event.output.source,
              reprintable: ({ event }) => event.output.reprintable,
              slipReprintable: ({ event }) => event.output.slipReprintable,
            }),
        },
        {
          guard: 'statusBlocked',
          target: 'cardBlocked.ejecting',
          actions: assign({
              cardStatus: ({ event }) => event.output.status,
              statusSource: ({ event }) => event.output.source,
              reprintable: ({ event }) => event.output.reprintable,
              slipReprintable: ({ event }) => event.output.slipReprintable,
            }),
        },
        {
          guard: 'pinAtStart',
          target: 'pin',
          actions: [
            assign({
              cardStatus: ({ event }) => event.output.status,
              statusSource: ({ event }) => event.output.source,
              reprintable: ({ event }) => event.output.reprintable,
              slipReprintable: ({ event }) => event.output.slipReprintable,
            }),
            { type: 'startPin', params: { purpose: 'session' } },
          ],
        },
        {
          target: 'menu',
          actions: assign({
              cardStatus: ({ event }) => event.output.status,
              statusSource: ({ event }) => event.output.source,
              reprintable: ({ event }) => event.output.reprintable,
              slipReprintable: ({ event }) => event.output.slipReprintable,
            }),
        },
      ],
      // Not even the local blacklist answered: the card cannot be checked, so it is not used.
      onError: { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'card-status' } } },
    },
    after: {
      backendGuard: { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'card-status', timeout: true } } },
    },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** Lost, blacklisted or a deceased holder's card: kept or handed back per statusPolicy. */
  cardBlocked: sessionSetup.createStateConfig({
    meta: { screen: 'card-blocked' },
    initial: 'ejecting',
    states: {
      retaining: {
        invoke: {
          id: 'retainCard',
          src: 'retainCard',
          input: ({ context }) => ({ reason: `status:${context.cardStatus ?? 'unknown'}` }),
          onDone: {
            target: '#session.cardRetained',
            actions: assign({ card: 'retained', retainReason: ({ context }) => `status:${context.cardStatus ?? 'unknown'}` }),
          },
          onError: { target: '#session.outOfService', actions: 'recordError' },
        },
        after: {
          deviceGuard: { target: '#session.outOfService', actions: { type: 'recordTimeout', params: { what: 'retain card' } } },
        },
        // The retain motion itself carries the card past the insertion sensor.
        on: { CARD_INSERTED: {} },
      },
      ...handBack('status'),
    },
    on: {
      CARD_REMOVED: { guard: 'cardOut', target: 'idle', actions: 'cardGone' },
      CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
    },
  }),
};
