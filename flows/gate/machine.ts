import { assign, fromPromise, setup } from 'xstate';
import { denyReasonOf } from './errors.js';
import { gateUsable, type GateContext, type GateDecision, type GateEvent, type GateIdentity, type GateInput, type GateMeta } from './types.js';

function notProvided(name: string): () => Promise<never> {
  return () => Promise.reject(new Error(`gate actor '${name}' not provided: supply it with gateMachine.provide({ actors: { ${name} } })`));
}

const eventError = (event: unknown): unknown => (event as { error?: unknown }).error;

/**
 * One citizen at the turnstile: tap or scan → identify → decide (blacklist, validity,
 * anti-passback, offline first) → open → passage sensed → ready again; a denial shows its reason
 * with the red light. Device I/O lives in the provided actors and actions, so the machine is
 * tested without any.
 */
export const gateMachine = setup({
  types: {} as { context: GateContext; events: GateEvent; input: GateInput; meta: GateMeta },
  actors: {
    /** Reads the card that the antenna has just activated (identification records, genuineness). */
    identifyCard: fromPromise<GateIdentity>(notProvided('identifyCard')),
    /** Checks an electronic card code offline (signature, expiry). */
    identifyCode: fromPromise<GateIdentity, { text: string }>(notProvided('identifyCode')),
    /** Blacklist, validity, anti-passback; a code's online status within its budget. Never rejects on a backend error. */
    decide: fromPromise<GateDecision, { identity: GateIdentity }>(notProvided('decide')),
    /** Opens the gate for one passage (green light). */
    openGate: fromPromise<void>(notProvided('openGate')),
    /** Closes the gate (nobody came through). */
    closeGate: fromPromise<void>(notProvided('closeGate')),
  },
  actions: {
    /** Lights and alarm; the host provides the device calls (fire and forget, faults come as DEVICE_STATUS). */
    signal: (_: unknown, _params: { lights?: 'green' | 'red' | 'off'; alarm?: boolean }) => {},
    /** Journal one gate event; the host provides it. */
    record: (_: unknown, _params: { status: 'passed' | 'denied' | 'not-passed' | 'tailgating' }) => {},
  },
  guards: {
    usable: ({ context }) => gateUsable(context.devices),
    unusable: ({ context }) => !gateUsable(context.devices),
    allowed: ({ event }) => (event as unknown as { output: GateDecision }).output.allow,
  },
  delays: {
    denied: ({ context }) => context.config.deniedMs,
    passage: ({ context }) => context.config.passageTimeoutMs,
    readGuard: ({ context }) => context.config.readGuardMs,
    alarm: ({ context }) => context.config.alarmMs,
  },
}).createMachine({
  id: 'gate',
  context: ({ input }) => ({ config: input.config, devices: { ...(input.devices ?? {}) }, passages: 0 }),
  initial: 'checking',
  on: {
    DEVICE_STATUS: {
      actions: assign({ devices: ({ context, event }) => ({ ...context.devices, [event.device]: event.status }) }),
    },
  },
  states: {
    /** Decides between ready and out of service from the device statuses. */
    checking: {
      meta: { screen: 'out-of-service' },
      always: [{ guard: 'usable', target: 'idle' }, { target: 'outOfService' }],
    },
    outOfService: {
      meta: { screen: 'out-of-service' },
      entry: { type: 'signal', params: { lights: 'red' } },
      on: {
        DEVICE_STATUS: {
          target: 'checking',
          actions: assign({ devices: ({ context, event }) => ({ ...context.devices, [event.device]: event.status }) }),
        },
      },
    },
    idle: {
      meta: { screen: 'idle' },
      entry: [assign({ identity: undefined, code: undefined, decision: undefined, reason: undefined }), { type: 'signal', params: { lights: 'off' } }],
      always: { guard: 'unusable', target: 'outOfService' },
      on: {
        TAP: 'identifyingCard',
        SCAN: { target: 'identifyingCode', actions: assign({ code: ({ event }) => event.text }) },
        TAILGATING: 'alarm',
      },
    },
    identifyingCard: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'identifyCard',
        src: 'identifyCard',
        onDone: { target: 'deciding', actions: assign({ identity: ({ event }) => event.output }) },
        onError: { target: 'denied', actions: assign({ reason: ({ event }) => denyReasonOf(eventError(event)) }) },
      },
      after: { readGuard: { target: 'denied', actions: assign({ reason: 'unreadable' }) } },
    },
    identifyingCode: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'identifyCode',
        src: 'identifyCode',
        input: ({ context }) => ({ text: context.code ?? '' }),
        onDone: { target: 'deciding', actions: assign({ identity: ({ event }) => event.output, code: undefined }) },
        onError: { target: 'denied', actions: assign({ reason: ({ event }) => denyReasonOf(eventError(event)), code: undefined }) },
      },
      after: { readGuard: { target: 'denied', actions: assign({ reason: 'unreadable', code: undefined }) } },
    },
    deciding: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'decide',
        src: 'decide',
        input: ({ context }) => ({ identity: context.identity! }),
        onDone: [
          { guard: 'allowed', target: 'opening', actions: assign({ decision: ({ event }) => event.output }) },
          {
            target: 'denied',
            actions: assign({
              decision: ({ event }) => event.output,
              reason: ({ event }) => (event.output.allow ? undefined : event.output.reason),
            }),
          },
        ],
        // `decide` resolves even offline; a throw is a bug or a dead store: refuse, never open.
        onError: { target: 'denied', actions: assign({ reason: 'unreadable' }) },
      },
      after: { readGuard: { target: 'denied', actions: assign({ reason: 'unreadable' }) } },
    },
    opening: {
      meta: { screen: 'gate-open' },
      invoke: { id: 'openGate',
        src: 'openGate', onDone: 'open', onError: 'outOfService' },
    },
    open: {
      meta: { screen: 'gate-open' },
      on: {
        PASSAGE: {
          target: 'idle',
          actions: [assign({ passages: ({ context }) => context.passages + 1 }), { type: 'record', params: { status: 'passed' } }],
        },
        // Someone forced through behind the citizen: the citizen's passage counts, the alarm sounds.
        TAILGATING: {
          target: 'alarm',
          actions: [assign({ passages: ({ context }) => context.passages + 1 }), { type: 'record', params: { status: 'passed' } }],
        },
      },
      after: { passage: 'closing' },
    },
    closing: {
      meta: { screen: 'idle' },
      entry: { type: 'record', params: { status: 'not-passed' } },
      invoke: { id: 'closeGate',
        src: 'closeGate', onDone: 'idle', onError: 'outOfService' },
    },
    denied: {
      meta: { screen: 'gate-denied' },
      entry: [{ type: 'record', params: { status: 'denied' } }, { type: 'signal', params: { lights: 'red' } }],
      after: { denied: 'checking' },
      on: {
        // A citizen told to tap again does so at once.
        TAP: 'identifyingCard',
        SCAN: { target: 'identifyingCode', actions: assign({ code: ({ event }) => event.text }) },
        TAILGATING: 'alarm',
      },
    },
    alarm: {
      meta: { screen: 'gate-alarm' },
      entry: [{ type: 'record', params: { status: 'tailgating' } }, { type: 'signal', params: { alarm: true, lights: 'red' } }],
      exit: { type: 'signal', params: { alarm: false } },
      after: { alarm: 'checking' },
    },
  },
});

export type GateMachine = typeof gateMachine;
