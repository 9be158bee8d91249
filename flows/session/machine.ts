import { and, assign, fromPromise, setup } from 'xstate';
import type { CardInfo } from '../../kiosk/card/card-info.js';
import { menuWarningMs, resolveSessionConfig } from './config.js';
import {
  classifyPinError,
  classifyReadError,
  READ_TIMEOUT,
  toSessionError,
  triesLeftOf,
  weakReasonOf,
  type PinFailure,
  type SessionError,
} from './errors.js';
import { MENU_SERVICES } from './services.js';
import {
  isBlocked,
  type CapturePinInput,
  type CheckCardStatusInput,
  type CheckCardStatusOutput,
  type ControlId,
  type Outage,
  type PrepareReaderOutput,
  type RetainCardInput,
  type ServiceRefOutput,
  type SessionContext,
  type SessionEvent,
  type SessionInput,
  type SessionMeta,
  type VerifyPinInput,
  type VerifyPinPurpose,
} from './types.js';

/**
 * The citizen's visit at a motorized card reader, from power-on to the card back in their hand:
 * read → card status → PIN → menu → services → card returned.
 *
 * All device and backend I/O lives in invoked actors the host supplies with
 * `sessionMachine.provide({ actors })`; the machine itself is pure, so tests and the xstate/graph
 * model can walk every state. Invariants the tests check for every reachable state: there is a
 * way back to `idle`, and `finish` (退卡) is offered whenever the card is inside — except while a
 * card is being kept by policy (status policy `retain`, retainAfterLossReport).
 *
 * The PIN never reaches the machine: the PIN pad keeps the digits, the machine learns how many
 * were keyed (`PIN_KEYS`) and the outcome (the actors' results and error codes).
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
/** The error of an `xstate.error.actor.*` event (the machine's own event union does not name them). */
const eventError = (event: unknown): unknown => (event as { error?: unknown }).error;
const pinFailureOf = (event: unknown): PinFailure => classifyPinError(errorOf(eventError(event)).code);

/** Leaving the state stops its invoked actor (its AbortSignal fires) before the eject starts. */
const FINISH = { guard: 'finishWithCardInside', target: '#session.ejecting' } as const;
const PULLED = { target: '#session.cardRemoved', actions: 'cardPulled' } as const;

type NotTaken = 'error' | 'status' | 'loss-reported';

/**
 * Hand the card back with an explanation on screen: eject, wait at the gate, and retain it (per
 * retainOnTakeTimeout) when it is not taken. The parent state names the screen and handles
 * CARD_REMOVED / CARD_INSERTED.
 */
function handBack(notTaken: NotTaken) {
  return {
    ejecting: {
      invoke: {
        id: 'ejectCard',
        src: 'ejectCard',
        onDone: { target: 'atGate', actions: 'cardAtGate' },
        onError: { target: '#session.outOfService', actions: 'recordError' },
      },
      after: {
        deviceGuard: { target: '#session.outOfService', actions: { type: 'recordTimeout', params: { what: 'eject card' } } },
      },
    },
    atGate: {
      after: {
        cardError: [
          { guard: 'retainEnabled', target: '#session.retaining', actions: { type: 'retainNotTaken', params: { kind: notTaken } } },
          { target: 'reminding' },
        ],
      },
    },
    // Retention disabled: the card stays at the gate and the screen keeps asking for it.
    reminding: {},
  } as const;
}

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
    /**
     * Read and authenticate the card (PSAM). Rejects with an error carrying `.code` (CARD_*,
     * CARD_NOT_GENUINE, PSAM_ABSENT / PSAM_FAILED, READER_*, LINK_*).
     */
    readCard: fromPromise<CardInfo>(notProvided('readCard')),
    /** Local blacklist + backend status. Resolves `source: 'offline'` rather than rejecting when the backend is down. */
    checkCardStatus: fromPromise<CheckCardStatusOutput, CheckCardStatusInput>(notProvided('checkCardStatus')),
    /**
     * One secure PIN entry on the pad, verified offline by the card. Resolves on a right PIN;
     * rejects `.code` PIN_WRONG (`.triesLeft`), PIN_LOCKED, PIN_CANCELLED, PIN_TIMEOUT, PINPAD_*,
     * LINK_*, READER_*. While it runs the host sends PIN_KEYS; stopped (signal) → stop the entry.
     */
    verifyPin: fromPromise<void, VerifyPinInput>(notProvided('verifyPin')),
    /** One secure entry of change-PIN; the pad holds it. Rejects PIN_CANCELLED, PIN_TIMEOUT, and at `confirm` PIN_MISMATCH / PIN_WEAK (`.reason`). */
    capturePin: fromPromise<void, CapturePinInput>(notProvided('capturePin')),
    /** Change the PIN on the card with the entries held by the pad. Rejects PIN_WRONG (`.triesLeft`), PIN_LOCKED. */
    applyPinChange: fromPromise<void>(notProvided('applyPinChange')),
    /** 挂失 at the backend. Rejects BACKEND_*. */
    reportLoss: fromPromise<ServiceRefOutput>(notProvided('reportLoss')),
    /** 解挂 at the backend. Rejects BACKEND_*. */
    liftLoss: fromPromise<ServiceRefOutput>(notProvided('liftLoss')),
    ejectCard: fromPromise<void>(notProvided('ejectCard')),
    /** The host journals the retention with the reason. */
    retainCard: fromPromise<void, RetainCardInput>(notProvided('retainCard')),
    /** Resolves once the reader answers again. */
    recoverReader: fromPromise<void>(notProvided('recoverReader')),
  },
  delays: {
    menuActive: ({ context }) => context.config.menuIdleMs - menuWarningMs(context.config),
    menuWarning: ({ context }) => menuWarningMs(context.config),
    /** A service screen left alone goes back to the menu (which warns before it ejects). */
    serviceIdle: ({ context }) => context.config.menuIdleMs,
    takeCard: ({ context }) => context.config.takeCardMs,
    cardError: ({ context }) => context.config.cardErrorMs,
    notice: ({ context }) => context.config.retainedNoticeMs,
    recoverInterval: ({ context }) => context.config.recoverIntervalMs,
    readTimeout: ({ context }) => context.config.readTimeoutMs,
    /** No reader command may keep a citizen waiting longer than a read may. */
    deviceGuard: ({ context }) => context.config.readTimeoutMs,
    pinGuard: ({ context }) => context.config.pinGuardMs,
    backendGuard: ({ context }) => context.config.backendTimeoutMs,
  },
  guards: {
    touched: ({ event }, params: { control: ControlId }) => event.type === 'TOUCH' && event.control === params.control,
    finishWithCardInside: ({ context, event }) =>
      event.type === 'TOUCH' && event.control === 'finish' && context.card === 'inside',
    retainEnabled: ({ context }) => context.config.retainOnTakeTimeout,
    cardInside: ({ context }) => context.card === 'inside',
    cardOut: ({ context }) => context.card === 'inside' || context.card === 'at-gate',
    readFailed: ({ event }, params: { as: 'removed' | 'fault' | 'psam' }) =>
      classifyReadError(errorOf(eventError(event)).code) === params.as,
    pinFailed: ({ event }, params: { as: PinFailure }) => pinFailureOf(event) === params.as,
    /** The PIN screen was shown at the start of the visit (cancel there returns the card). */
    pinForSession: ({ context }) => context.pinPurpose === 'session',
    statusBlocked: ({ event }) => isBlocked((event as { output?: CheckCardStatusOutput }).output?.status),
    statusRetained: ({ context, event }) => {
      const status = (event as { output?: CheckCardStatusOutput }).output?.status;
      return isBlocked(status) && context.config.statusPolicy[status] === 'retain';
    },
    pinAtStart: ({ context }) => context.config.pinAtStart,
    retainAfterLossReport: ({ context }) => context.config.retainAfterLossReport,
    /** A menu button: offered to this holder, and (pin) whether the PIN must be proved first. */
    service: ({ context, event }, params: { control: ControlId; needsPin: boolean }) => {
      if (event.type !== 'TOUCH' || event.control !== params.control) return false;
      const s = MENU_SERVICES.find((x) => x.control === params.control);
      if (!s?.offered(context)) return false;
      return (s.pinPurpose !== undefined && !context.pinVerified) === params.needsPin;
    },
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
    /** From an `xstate.error.actor.*` event. */
    recordError: assign({ lastError: ({ event }) => errorOf(eventError(event)) }),
    /** Why card functions are unavailable; with the error of the event, or a timeout. */
    recordOutage: assign({
      outage: (_, params: { what: Outage; timeout?: boolean }) => params.what,
      lastError: ({ event }, params: { what: Outage; timeout?: boolean }) =>
        params.timeout
          ? { code: 'BACKEND_TIMEOUT', message: `${params.what}: no answer in time` }
          : errorOf(eventError(event)),
    }),
    recordTimeout: assign({ lastError: (_, params: { what: string }) => timedOut(params.what) }),
    recordBackendTimeout: assign({
      lastError: (_, params: { what: string }) => ({ code: 'BACKEND_TIMEOUT', message: `${params.what}: no answer in time` }),
    }),
    cardPulled: assign({
      card: 'none',
      lastError: { code: 'CARD_REMOVED', message: 'the card was pulled out of the reader' },
    }),
    retainNotTaken: assign({
      retainReason: ({ context }, params: { kind: NotTaken }) =>
        params.kind === 'status'
          ? `not-taken:status:${context.cardStatus ?? 'unknown'}`
          : params.kind === 'loss-reported'
            ? 'not-taken:loss-reported'
            : `error-not-taken:${context.lastError?.code ?? 'UNKNOWN'}`,
    }),
    startPin: assign({
      pinPurpose: (_, params: { purpose: VerifyPinPurpose }) => params.purpose,
      pinNotice: undefined,
    }),
    clearPinNotice: assign({ pinNotice: undefined }),
    resetPinDigits: assign({ pinDigits: 0 }),
    countPinKeys: assign({
      // A count only; clamp whatever the host sends to something a screen can show.
      pinDigits: ({ event }) => (event.type === 'PIN_KEYS' ? Math.max(0, Math.min(12, Math.trunc(event.count) || 0)) : 0),
    }),
    notePinWrong: assign({
      pinNotice: ({ event }) => ({ code: 'PIN_WRONG' as const, triesLeft: triesLeftOf(eventError(event)) ?? 0 }),
    }),
    notePinMismatch: assign({ pinNotice: { code: 'PIN_MISMATCH' as const } }),
    notePinWeak: assign({
      pinNotice: ({ event }) => ({ code: 'PIN_WEAK' as const, reason: weakReasonOf(eventError(event)) }),
    }),
    pinProved: assign({ pinVerified: true, pinNotice: undefined }),
    /**
     * The services part of the visit is over (the card is on its way out, or the reader failed):
     * its data goes, so nothing stale reaches a later screen. `holder` stays until idle (the host
     * journals a retained card with it); `outage` is set by the transition into `unavailable`.
     */
    forgetServices: assign({
      cardStatus: undefined,
      statusSource: undefined,
      pinVerified: undefined,
      pinPurpose: undefined,
      pinDigits: undefined,
      pinNotice: undefined,
      serviceRef: undefined,
    }),
    forgetOutage: assign({ outage: undefined }),
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
    },

    idle: {
      meta: { screen: 'idle' },
      // Personal data is kept no longer than the visit.
      entry: assign({
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
      }),
      invoke: {
        id: 'enableInsertion',
        src: 'enableInsertion',
        onError: { target: 'outOfService', actions: 'recordError' },
      },
      on: { CARD_INSERTED: { target: 'reading', actions: 'cardIn' } },
    },

    reading: {
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
      on: { CARD_REMOVED: PULLED, TOUCH: FINISH },
    },

    /** Local blacklist and backend status, before anything else is offered. */
    checkingStatus: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'checkCardStatus',
        src: 'checkCardStatus',
        input: ({ context }) => ({ holder: context.holder! }),
        onDone: [
          {
            guard: 'statusRetained',
            target: 'cardBlocked.retaining',
            actions: assign({ cardStatus: ({ event }) => event.output.status, statusSource: ({ event }) => event.output.source }),
          },
          {
            guard: 'statusBlocked',
            target: 'cardBlocked.ejecting',
            actions: assign({ cardStatus: ({ event }) => event.output.status, statusSource: ({ event }) => event.output.source }),
          },
          {
            guard: 'pinAtStart',
            target: 'pin',
            actions: [
              assign({ cardStatus: ({ event }) => event.output.status, statusSource: ({ event }) => event.output.source }),
              { type: 'startPin', params: { purpose: 'session' } },
            ],
          },
          {
            target: 'menu',
            actions: assign({ cardStatus: ({ event }) => event.output.status, statusSource: ({ event }) => event.output.source }),
          },
        ],
        // Not even the local blacklist answered: the card cannot be checked, so it is not used.
        onError: { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'card-status' } } },
      },
      after: {
        backendGuard: { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'card-status', timeout: true } } },
      },
      on: { CARD_REMOVED: PULLED, TOUCH: FINISH },
    },

    /** Lost, blacklisted or a deceased holder's card: kept or handed back per statusPolicy. */
    cardBlocked: {
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
        CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    /** One PIN entry on the pad (verifyPin); re-entered after a wrong PIN. */
    pin: {
      meta: { screen: 'pin' },
      entry: 'resetPinDigits',
      invoke: {
        id: 'verifyPin',
        src: 'verifyPin',
        input: ({ context }) => ({ purpose: context.pinPurpose ?? 'session' }),
        onDone: [
          { guard: ({ context }) => context.pinPurpose === 'report-loss', target: 'reportLoss', actions: 'pinProved' },
          { guard: ({ context }) => context.pinPurpose === 'lift-loss', target: 'liftLoss', actions: 'pinProved' },
          { target: 'menu', actions: 'pinProved' },
        ],
        onError: [
          { guard: { type: 'pinFailed', params: { as: 'wrong' } }, target: 'pin', reenter: true, actions: 'notePinWrong' },
          { guard: { type: 'pinFailed', params: { as: 'locked' } }, target: 'pinLocked' },
          { guard: and([{ type: 'pinFailed', params: { as: 'cancelled' as const } }, 'pinForSession']), target: 'ejecting' },
          { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: 'menu' },
          { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
          { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: 'outOfService', actions: 'recordError' },
          { target: 'unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
        ],
      },
      // The pad's own entry timeout (PIN_TIMEOUT) comes first; this only catches a hung pad.
      after: { pinGuard: [{ guard: 'pinForSession', target: 'ejecting' }, { target: 'menu' }] },
      on: {
        PIN_KEYS: { actions: 'countPinKeys' },
        CARD_REMOVED: PULLED,
        TOUCH: [
          FINISH,
          // Leaving the state stops verifyPin; the host's implementation stops the pad entry.
          { guard: and([{ type: 'touched', params: { control: 'cancel' as const } }, 'pinForSession']), target: 'ejecting' },
          { guard: { type: 'touched', params: { control: 'cancel' } }, target: 'menu' },
        ],
      },
    },

    /** Too many wrong PINs: where to have it reset. The card comes back with finish or by itself. */
    pinLocked: {
      meta: { screen: 'pin-locked' },
      entry: assign({ pinDigits: undefined, pinNotice: undefined }),
      after: { serviceIdle: 'ejecting' },
      on: { CARD_REMOVED: PULLED, TOUCH: FINISH },
    },

    menu: {
      meta: { screen: 'menu' },
      // Nothing of a finished service lingers: the next one starts clean.
      entry: assign({
        pinPurpose: undefined,
        pinDigits: undefined,
        pinNotice: undefined,
        lastError: undefined,
        serviceRef: undefined,
      }),
      initial: 'active',
      on: {
        TOUCH: [
          FINISH,
          ...MENU_SERVICES.flatMap((s) => [
            ...(s.pinPurpose
              ? [
                  {
                    guard: { type: 'service' as const, params: { control: s.control, needsPin: true } },
                    target: '#session.pin',
                    actions: { type: 'startPin' as const, params: { purpose: s.pinPurpose } },
                  },
                ]
              : []),
            {
              guard: { type: 'service' as const, params: { control: s.control, needsPin: false } },
              target: `#session.${s.state}`,
              actions: 'clearPinNotice' as const,
            },
          ]),
        ],
        CARD_REMOVED: PULLED,
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

    /** Old PIN → new PIN → new PIN again, each held by the pad; then the card changes it. */
    changePin: {
      meta: { screen: 'change-pin' },
      initial: 'old',
      on: {
        PIN_KEYS: { actions: 'countPinKeys' },
        CARD_REMOVED: PULLED,
        TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'cancel' } }, target: 'menu' }],
      },
      states: {
        old: {
          entry: 'resetPinDigits',
          invoke: {
            id: 'capturePin',
            src: 'capturePin',
            input: { phase: 'old' },
            onDone: { target: 'new', actions: 'clearPinNotice' },
            onError: [
              { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: '#session.menu' },
              { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
              { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: '#session.outOfService', actions: 'recordError' },
              { target: '#session.unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
            ],
          },
          after: { pinGuard: '#session.menu' },
        },
        new: {
          entry: 'resetPinDigits',
          invoke: {
            id: 'capturePin',
            src: 'capturePin',
            input: { phase: 'new' },
            onDone: { target: 'confirm', actions: 'clearPinNotice' },
            onError: [
              { guard: { type: 'pinFailed', params: { as: 'cancelled' } }, target: '#session.menu' },
              { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
              { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: '#session.outOfService', actions: 'recordError' },
              { target: '#session.unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
            ],
          },
          after: { pinGuard: '#session.menu' },
        },
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
              { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
              { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: '#session.outOfService', actions: 'recordError' },
              { target: '#session.unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
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
              { guard: { type: 'pinFailed', params: { as: 'removed' } }, ...PULLED },
              { guard: { type: 'pinFailed', params: { as: 'reader' } }, target: '#session.outOfService', actions: 'recordError' },
              { target: '#session.unavailable', actions: { type: 'recordOutage', params: { what: 'pin' } } },
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
    },

    pinChanged: {
      meta: { screen: 'pin-changed' },
      after: { notice: 'menu' },
      on: {
        CARD_REMOVED: PULLED,
        TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'menu' }],
      },
    },

    /** 挂失 with the card in hand: for a card about to be given up; asks before doing it. */
    reportLoss: {
      meta: { screen: 'report-loss' },
      initial: 'asking',
      on: { CARD_REMOVED: PULLED },
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
    },

    /** The report is made: the reference and what to do next; the card comes back (or is kept). */
    lossReported: {
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
        CARD_REMOVED: { target: '.taken', actions: 'cardGone' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    /** 解挂: a temporarily reported card found again. */
    liftLoss: {
      meta: { screen: 'lift-loss' },
      initial: 'asking',
      on: { CARD_REMOVED: PULLED },
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
    },

    lossLifted: {
      meta: { screen: 'loss-lifted' },
      after: { serviceIdle: 'menu' },
      on: {
        CARD_REMOVED: PULLED,
        TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'menu' }],
      },
    },

    /** A backend service failed; the card stays, the menu is one touch away. */
    serviceError: {
      meta: { screen: 'service-unavailable' },
      after: { serviceIdle: 'menu' },
      on: {
        CARD_REMOVED: PULLED,
        TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'back' } }, target: 'menu' }],
      },
    },

    /**
     * Card functions cannot be used now (PIN pad fault, no PSAM, card status unknown): say so and
     * hand the card back. Not a card error: the citizen's card is fine.
     */
    unavailable: {
      meta: { screen: 'service-unavailable' },
      entry: 'forgetServices',
      initial: 'ejecting',
      states: handBack('error'),
      on: {
        CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    ejecting: {
      meta: { screen: 'take-card' },
      entry: ['forgetServices', 'forgetOutage'],
      invoke: {
        id: 'ejectCard',
        src: 'ejectCard',
        onDone: { target: 'takeCard', actions: 'cardAtGate' },
        onError: { target: 'outOfService', actions: 'recordError' },
      },
      after: { deviceGuard: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'eject card' } } } },
      // A quick hand can take the card before the reader reports the eject done.
      on: { CARD_REMOVED: { target: 'idle', actions: 'cardGone' } },
    },

    takeCard: {
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
    },

    cardError: {
      meta: { screen: 'card-error' },
      entry: ['forgetServices', 'forgetOutage'],
      initial: 'ejecting',
      states: handBack('error'),
      on: {
        CARD_REMOVED: { target: 'idle', actions: 'cardGone' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    cardRemoved: {
      meta: { screen: 'card-error' },
      entry: ['forgetServices', 'forgetOutage'],
      after: { notice: 'idle' },
      on: {
        TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'idle' },
        CARD_INSERTED: { target: 'reading', actions: 'cardIn' },
      },
    },

    retaining: {
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
      entry: ['forgetServices', 'forgetOutage'],
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
