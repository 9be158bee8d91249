import { and, assign } from 'xstate';
import { CARD_PULLED, FINISH } from '../hand-back.js';
import { sessionSetup } from '../setup.js';

const backToMenu = { guard: { type: 'touched', params: { control: 'back' } }, target: '#session.menu' } as const;

/**
 * 查询缴费 and 打印缴费证明: the holder's contributions by insurance type and year, and a printed
 * statement. The records are fetched for each visit of the screen and forgotten at the menu.
 */
export const recordsStates = {
  records: sessionSetup.createStateConfig({
    meta: { screen: 'contributions' },
    initial: 'loading',
    on: { CARD_REMOVED: CARD_PULLED },
    states: {
      loading: {
        meta: { screen: 'loading' },
        invoke: {
          id: 'queryContributions',
          src: 'queryContributions',
          onDone: { target: 'showing', actions: 'storeRecords' },
          onError: { target: '#session.serviceError', actions: 'recordError' },
        },
        after: {
          backendGuard: {
            target: '#session.serviceError',
            actions: { type: 'recordBackendTimeout', params: { what: 'query contributions' } },
          },
        },
        on: { TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'cancel' } }, target: '#session.menu' }] },
      },
      showing: {
        // Every touch restarts the idle timer (reenter): a citizen reading a table is not idle.
        after: { serviceIdle: '#session.menu' },
        on: {
          TOUCH: [
            FINISH,
            { guard: 'tabTouched', target: 'showing', reenter: true, actions: 'selectTab' },
            {
              guard: { type: 'yearTouched', params: { dir: -1 } },
              target: 'showing',
              reenter: true,
              actions: { type: 'stepYear', params: { dir: -1 } },
            },
            {
              guard: { type: 'yearTouched', params: { dir: 1 } },
              target: 'showing',
              reenter: true,
              actions: { type: 'stepYear', params: { dir: 1 } },
            },
            {
              guard: and([{ type: 'touched', params: { control: 'print-statement' as const } }, 'printerReady', 'hasRecords']),
              target: '#session.printing',
              actions: { type: 'choosePrint', params: { kind: 'detail' } },
            },
            {
              guard: and([{ type: 'touched', params: { control: 'print-proof' as const } }, 'printerReady', 'hasRecords']),
              target: '#session.printing',
              actions: { type: 'choosePrint', params: { kind: 'proof' } },
            },
            backToMenu,
          ],
        },
      },
    },
  }),

  /** The statement is fetched and printed; the card stays in (finish still returns it). */
  printing: sessionSetup.createStateConfig({
    meta: { screen: 'printing' },
    // The table is not shown again: a new query fetches fresh records.
    entry: assign({ records: undefined, recordsTab: undefined, recordsYear: undefined }),
    invoke: {
      id: 'printStatement',
      src: 'printStatement',
      input: ({ context }) => ({ kind: context.printKind ?? 'detail' }),
      onDone: { target: 'takeReceipt', actions: 'receiptPrinted' },
      onError: [
        { guard: 'backendFailed', target: 'serviceError', actions: 'recordError' },
        { target: 'printFailed', actions: 'recordError' },
      ],
    },
    after: {
      printGuard: { target: 'printFailed', actions: { type: 'recordPrintTimeout' } },
    },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: FINISH },
  }),

  /** The receipt waits in the presenter; taking it (or confirm, or a while) goes back to the menu. */
  takeReceipt: sessionSetup.createStateConfig({
    meta: { screen: 'take-receipt' },
    after: { takeReceipt: 'menu' },
    on: {
      RECEIPT_TAKEN: 'menu',
      CARD_REMOVED: CARD_PULLED,
      TOUCH: [FINISH, { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'menu' }],
    },
  }),

  /** Nothing (or not all) was printed: the reason, and everything else still works. */
  printFailed: sessionSetup.createStateConfig({
    meta: { screen: 'print-failed' },
    after: { serviceIdle: 'menu' },
    on: { CARD_REMOVED: CARD_PULLED, TOUCH: [FINISH, backToMenu] },
  }),
};
