import type { NotTaken } from './setup.js';

/** Leaving the state stops its invoked actor (its AbortSignal fires) before the eject starts. */
export const FINISH = { guard: 'finishWithCardInside', target: '#session.ejecting' } as const;
export const PULLED = { target: '#session.cardRemoved', actions: 'cardPulled' } as const;
/**
 * The card left the slot mid-visit. Guarded: in a visit without a card (tap, code) a stray sensor
 * event is not a card pulled out.
 */
export const CARD_PULLED = { guard: 'cardOut', ...PULLED } as const;


/**
 * Hand the card back with an explanation on screen: eject, wait at the gate, and retain it (per
 * retainOnTakeTimeout) when it is not taken. The parent state names the screen and handles
 * CARD_REMOVED / CARD_INSERTED. Without a card in the slot (tap, code) there is nothing to eject:
 * the explanation stays for cardErrorMs (or until 结束), then idle. (An `always` taken on entry
 * leaves the state before its invoke starts: ejectCard never runs.)
 */
export function handBack(notTaken: NotTaken) {
  return {
    ejecting: {
      always: { guard: 'cardless', target: 'noCard' },
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
    noCard: {
      after: { cardError: '#session.idle' },
      on: { TOUCH: { guard: 'finishWithCardInside', target: '#session.idle' } },
    },
  } as const;
}
