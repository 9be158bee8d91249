import { assign } from 'xstate';
import { FINISH } from '../hand-back.js';
import { sessionSetup } from '../setup.js';

/**
 * Visits that start without a card in the slot (docs/flows.md, "Sessions without an inserted
 * card"): a card tapped on the antenna, or an electronic social security card's code scanned.
 * Both go on to the card status check like an inserted card; nothing is ever ejected or retained.
 */
export const cardlessStates = {
  /** The tapped card: full read and PSAM authentication over the antenna, then deactivated. */
  readingTap: sessionSetup.createStateConfig({
    meta: { screen: 'reading' },
    invoke: {
      id: 'readTapped',
      src: 'readTapped',
      onDone: { target: 'checkingStatus', actions: assign({ holder: ({ event }) => event.output }) },
      onError: [
        // The card left the field mid-read: tap again (or insert it).
        { guard: { type: 'readFailed', params: { as: 'removed' } }, target: 'cardRemoved', actions: 'recordError' },
        { guard: { type: 'readFailed', params: { as: 'fault' } }, target: 'outOfService', actions: 'recordError' },
        {
          guard: { type: 'readFailed', params: { as: 'psam' } },
          target: 'unavailable',
          actions: { type: 'recordOutage', params: { what: 'card-functions' } },
        },
        { target: 'cardError', actions: 'recordError' },
      ],
    },
    after: { readTimeout: { target: 'outOfService', actions: { type: 'recordTimeout', params: { what: 'read tapped card' } } } },
    on: { TOUCH: FINISH },
  }),

  /**
   * The scanned code: signature and lifetime offline, then the backend, which alone gives the
   * holder's ssn. The citizen proved themselves in the app that issued the code: no PIN at start.
   */
  checkingCode: sessionSetup.createStateConfig({
    meta: { screen: 'reading' },
    invoke: {
      id: 'checkCode',
      src: 'checkCode',
      // The text is the entering event's: it is never kept in the context.
      input: ({ event }) => ({ text: event.type === 'SCAN' ? event.text : '' }),
      onDone: { target: 'checkingStatus', actions: assign({ holder: ({ event }) => event.output, pinVerified: true }) },
      // Refused (ECARD_* with its reason) or not checkable now (ECARD_OFFLINE): said, then idle.
      onError: { target: 'cardError', actions: 'recordError' },
    },
    after: {
      backendGuard: {
        target: 'cardError',
        actions: assign({ lastError: { code: 'ECARD_OFFLINE', message: 'e-card code: the backend did not answer in time' } }),
      },
    },
    on: { TOUCH: FINISH },
  }),
};
