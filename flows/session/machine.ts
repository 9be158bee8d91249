import { assign } from 'xstate';
import { resolveSessionConfig } from './config.js';
import { registerSetup } from './register-setup.js';
import { cardStates } from './states/card.js';
import { cardlessStates } from './states/cardless.js';
import { endingStates } from './states/ending.js';
import { lossStates } from './states/loss.js';
import { menuStates } from './states/menu.js';
import { payStates } from './states/pay.js';
import { pinStates } from './states/pin.js';
import { recordsStates } from './states/records.js';
import { regCancelStates } from './states/reg-cancel.js';
import { registerStates } from './states/register.js';

/**
 * The citizen's visit at a motorized card reader, from power-on to the card back in their hand:
 * read → card status → PIN → menu → services → card returned. A visit may also start with a card
 * tapped on the antenna or an e-card code scanned (states/cardless.ts): then no card is in the
 * slot and every eject goes straight on.
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

export const sessionMachine = registerSetup.createMachine({
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
    DEVICE_STATUS: { actions: 'noteDevice' },
    // Fallbacks: states that do not handle a sensor event still keep `card` truthful, so that
    // out-of-service and starting know whether a card waits to be handed back.
    // A card pushed into the slot during a visit without one (e.g. for a service that needs it)
    // starts a card visit: read, status, PIN, as for any inserted card.
    CARD_INSERTED: [
      { guard: 'cardless', target: '.reading', actions: ['forgetServices', 'cardIn'] },
      { actions: assign({ card: 'inside' }) },
    ],
    CARD_AT_GATE: { guard: 'cardInside', actions: 'cardAtGate' },
    CARD_REMOVED: { guard: 'cardOut', actions: 'cardGone' },
  },
  states: {
    ...cardStates,
    ...cardlessStates,
    ...pinStates,
    ...menuStates,
    ...lossStates,
    ...recordsStates,
    ...payStates,
    ...registerStates,
    ...regCancelStates,
    ...endingStates,
  },
});

export type SessionMachine = typeof sessionMachine;
