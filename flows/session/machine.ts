import { assign, fromPromise, setup } from 'xstate';
import type { CardInfo } from '../../kiosk/card/card-info.js';
import { menuWarningMs, resolveSessionConfig } from './config.js';
import { classifyReadError, READ_TIMEOUT, toSessionError, type SessionError } from './errors.js';
import type {
  ControlId,
  PrepareReaderOutput,
  RetainCardInput,
  SessionContext,
  SessionEvent,
  SessionInput,
  SessionMeta,
} from './types.js';

/**
 * The citizen's visit at a motorized card reader, from power-on to the card back in their hand.
 *
 * All device I/O lives in invoked actors the host supplies with `sessionMachine.provide({ actors })`;
 * the machine itself is pure, so tests and the xstate/graph model can walk every state. Invariants
 * the tests check for every reachable state: there is a way back to `idle`, and `finish` (退卡) is
 * offered whenever the card is inside.
 */

function notProvided(name: string): () => Promise<never> {
  return () =>
    Promise.reject(
      new Error(`session actor '${name}' not provided: supply it with sessionMachine.provide({ actors: { ${name} } })`),
    );
}

const timedOut = (what: string): SessionError => ({
  code: READ_TIMEOUT.code,
  message: `${what}: ${READ_TIMEOUT.message}`,
});

const errorOf = (err: unknown) => toSessionError(err);

export const sessionMachine = setup({
  types: {} as {
    context: SessionContext;
    events: SessionEvent;
    input: SessionInput;
    meta: SessionMeta;
  },
  actors: {
    /** Initialize without moving the card; report where a card is. */
    prepareReader: fromPromise<PrepareReaderOutput>(notProvided('prepareReader')),
    enableInsertion: fromPromise<void>(notProvided('enableInsertion')),
    /** Rejects with an error carrying `.code` (CARD_*, READER_*, LINK_*). */
    readCard: fromPromise<CardInfo>(notProvided('readCard')),
    ejectCard: fromPromise<void>(notProvided('ejectCard')),
    /** The host journals the retention with the reason. */
    retainCard: fromPromise<void, RetainCardInput>(notProvided('retainCard')),
    /** Resolves once the reader answers again. */
    recoverReader: fromPromise<void>(notProvided('recoverReader')),
  },
  delays: {
    menuActive: ({ context }) => context.config.menuIdleMs - menuWarningMs(context.config),
    menuWarning: ({ context }) => menuWarningMs(context.config),
    takeCard: ({ context }) => context.config.takeCardMs,
    cardError: ({ context }) => context.config.cardErrorMs,
    notice: ({ context }) => context.config.retainedNoticeMs,
    recoverInterval: ({ context }) => context.config.recoverIntervalMs,
    readTimeout: ({ context }) => context.config.readTimeoutMs,
    /** No reader command may keep a citizen waiting longer than a read may. */
    deviceGuard: ({ context }) => context.config.readTimeoutMs,
  },
  guards: {
    touched: ({ event }, params: { control: ControlId }) => event.type === 'TOUCH' && event.control === params.control,
    finishWithCardInside: ({ context, event }) =>
      event.type === 'TOUCH' && event.control === 'finish' && context.card === 'inside',
    retainEnabled: ({ context }) => context.config.retainOnTakeTimeout,
    cardInside: ({ context }) => context.card === 'inside',
    cardOut: ({ context }) => context.card === 'inside' || context.card === 'at-gate',
  },
  actions: {
    toggleLang: assign({ lang: ({ context }) => (context.lang === 'zh-CN' ? 'en' : 'zh-CN') }),
    cardIn: assign({ card: 'inside', holder: undefined, lastError: undefined, retainReason: undefined }),
    cardAtGate: assign({ card: 'at-gate' }),
    cardGone: assign({ card: 'none' }),
    recordFault: assign({
      lastError: ({ event }) =>
        event.type === 'READER_FAULT' ? { code: event.code, message: event.message } : undefined,
    }),
    cardPulled: assign({
      card: 'none',
      lastError: { code: 'CARD_REMOVED', message: 'the card was pulled out of the reader' },
    }),
  },
}).createMachine({
  id: 'session',
  initial: 'starting',
  context: ({ input }) => ({
    config: resolveSessionConfig(input.config),
    lang: input.lang ?? 'zh-CN',
    card: 'none',
  }),
  on: {
    READER_FAULT: { target: '.outOfService', actions: 'recordFault' },
    TOUCH: { guard: { type: 'touched', params: { control: 'language' } }, actions: 'toggleLang' },
    // Fallbacks: states that do not handle a sensor event still keep `card` truthful, so that
    // out-of-service and starting know whether a card waits to be handed back.
    CARD_INSERTED: { actions: assign({ card: 'inside' }) },
    CARD_AT_GATE: { guard: 'cardInside', actions: 'cardAtGate' },
    CARD_REMOVED: { guard: 'cardOut', actions: 'cardGone' },
  },
  states: {
    starting: {
      meta: { screen: 'starting' },
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
        onError: { target: 'outOfService', actions: assign({ lastError: ({ event }) => errorOf(event.error) }) },
      },
      after: { deviceGuard: { target: 'outOfService', actions: assign({ lastError: timedOut('prepare reader') }) } },
    },

    idle: {
      meta: { screen: 'idle' },
      // Personal data is kept no longer than the visit.
      entry: assign({ holder: undefined, lastError: undefined, retainReason: undefined }),
      invoke: {
        id: 'enableInsertion',
        src: 'enableInsertion',
        onError: { target: 'outOfService', actions: assign({ lastError: ({ event }) => errorOf(event.error) }) },
      },
      on: { CARD_INSERTED: { target: 'reading', actions: 'cardIn' } },
    },

    reading: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'readCard',
        src: 'readCard',
        onDone: { target: 'menu', actions: assign({ holder: ({ event }) => event.output }) },
        onError: [
          {
            guard: ({ event }) => classifyReadError(errorOf(event.error).code) === 'removed',
            target: 'cardRemoved',
            actions: 'cardPulled',
          },
          {
            // The card may still be inside; `starting` hands it back once the reader recovers.
            guard: ({ event }) => classifyReadError(errorOf(event.error).code) === 'fault',
            target: 'outOfService',
            actions: assign({ lastError: ({ event }) => errorOf(event.error) }),
          },
          { target: 'cardError', actions: assign({ lastError: ({ event }) => errorOf(event.error) }) },
        ],
      },
      after: { readTimeout: { target: 'outOfService', actions: assign({ lastError: timedOut('read card') }) } },
      on: {
        CARD_REMOVED: { target: 'cardRemoved', actions: 'cardPulled' },
        // Leaving the state stops readCard (its AbortSignal fires) before the eject starts.
        TOUCH: { guard: 'finishWithCardInside', target: 'ejecting' },
      },
    },

    menu: {
      meta: { screen: 'menu' },
      initial: 'active',
      on: {
        TOUCH: { guard: 'finishWithCardInside', target: 'ejecting' },
        CARD_REMOVED: { target: 'cardRemoved', actions: 'cardPulled' },
      },
      states: {
        active: { after: { menuActive: 'warning' } },
        // WCAG 2.2.1: warn and let the citizen extend with one touch before the card comes out.
        warning: {
          after: { menuWarning: '#session.ejecting' },
          on: { TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'active' } },
        },
      },
    },

    ejecting: {
      meta: { screen: 'take-card' },
      invoke: {
        id: 'ejectCard',
        src: 'ejectCard',
        onDone: { target: 'takeCard', actions: 'cardAtGate' },
        onError: { target: 'outOfService', actions: assign({ lastError: ({ event }) => errorOf(event.error) }) },
      },
      after: { deviceGuard: { target: 'outOfService', actions: assign({ lastError: timedOut('eject card') }) } },
      // A quick hand can take the card before the reader reports the eject done.
      on: { CARD_REMOVED: { target: 'idle', actions: 'cardGone' } },
    },

    takeCard: {
      meta: { screen: 'take-card' },
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
    },

    cardError: {
      meta: { screen: 'card-error' },
      initial: 'ejecting',
      states: {
        ejecting: {
          invoke: {
            id: 'ejectCard',
            src: 'ejectCard',
            onDone: { target: 'atGate', actions: 'cardAtGate' },
            onError: {
              target: '#session.outOfService',
              actions: assign({ lastError: ({ event }) => errorOf(event.error) }),
            },
          },
          after: {
            deviceGuard: { target: '#session.outOfService', actions: assign({ lastError: timedOut('eject card') }) },
          },
          on: { CARD_REMOVED: { target: '#session.idle', actions: 'cardGone' } },
        },
        atGate: {
          after: {
            cardError: [
              {
                guard: 'retainEnabled',
                target: '#session.retaining',
                actions: assign({ retainReason: ({ context }) => `error-not-taken:${context.lastError?.code ?? 'UNKNOWN'}` }),
              },
              { target: 'reminding' },
            ],
          },
        },
        reminding: {},
      },
      on: {
        CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    cardRemoved: {
      meta: { screen: 'card-error' },
      after: { notice: 'idle' },
      on: {
        TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'idle' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    retaining: {
      meta: { screen: 'card-retained' },
      invoke: {
        id: 'retainCard',
        src: 'retainCard',
        input: ({ context }) => ({ reason: context.retainReason ?? 'not-taken' }),
        onDone: { target: 'cardRetained', actions: assign({ card: 'retained' }) },
        onError: { target: 'outOfService', actions: assign({ lastError: ({ event }) => errorOf(event.error) }) },
      },
      after: { deviceGuard: { target: 'outOfService', actions: assign({ lastError: timedOut('retain card') }) } },
      on: {
        // Taken at the last moment: nothing to retain, the citizen has the card.
        CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
        // The retain motion itself carries the card past the insertion sensor.
        CARD_INSERTED: {},
      },
    },

    cardRetained: {
      meta: { screen: 'card-retained' },
      after: { notice: 'idle' },
      on: {
        TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'idle' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    outOfService: {
      meta: { screen: 'out-of-service' },
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
    },
  },
});

export type SessionMachine = typeof sessionMachine;
