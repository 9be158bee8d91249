import type { EventObject } from 'xstate';
import { HOLDER, NO_RECORDS, RECORDS } from './harness.js';

/**
 * Events for the xstate/graph traversal. Invoked actors never run in a traversal (transitions are
 * pure), so their results are fed as the events the runtime would raise: `xstate.done.actor.<id>`
 * with an output, `xstate.error.actor.<id>` with an error. Delayed transitions (`xstate.after.*`)
 * come from the machine's own event descriptors.
 */
const err = (code: string, extra: Record<string, unknown> = {}) => ({ code, message: `model: ${code}`, ...extra });
const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output });
const fail = (id: string, code: string, extra: Record<string, unknown> = {}) => ({
  type: `xstate.error.actor.${id}`,
  error: err(code, extra),
});

export const READ_ERROR_CODES = [
  'CARD_NO_ATR',
  'CARD_NOT_SSC',
  'CARD_EXPIRED',
  'CARD_NOT_GENUINE',
  'CARD_SECURITY',
  'CARD_COMM',
  'CARD_SW_6A82',
  'SOMETHING_ELSE',
  'CARD_REMOVED',
  'READER_CARD_REMOVED',
  'READER_NO_ATR',
  'LINK_TIMEOUT',
  'READER_JAMMED',
  'PSAM_FAILED',
  'PSAM_ABSENT',
];

/** verifyPin outcomes: wrong (tries left), locked, cancelled, timeout, device faults, card pulled. */
export const VERIFY_PIN_FAILURES: ModelEvent[] = [
  fail('verifyPin', 'PIN_WRONG', { triesLeft: 2 }),
  fail('verifyPin', 'PIN_LOCKED'),
  fail('verifyPin', 'PIN_CANCELLED'),
  fail('verifyPin', 'PIN_TIMEOUT'),
  fail('verifyPin', 'PINPAD_HARDWARE'),
  fail('verifyPin', 'LINK_TIMEOUT'),
  fail('verifyPin', 'READER_JAMMED'),
  fail('verifyPin', 'READER_CARD_REMOVED'),
];

export type ModelEvent = EventObject & Record<string, unknown>;

export const MODEL_EVENTS: ModelEvent[] = [
  done('prepareReader', { position: 'none' }),
  done('prepareReader', { position: 'gate' }),
  done('prepareReader', { position: 'inside' }),
  fail('prepareReader', 'LINK_NO_ANSWER'),
  done('enableInsertion'),
  fail('enableInsertion', 'READER_JAMMED'),
  done('readCard', HOLDER),
  ...READ_ERROR_CODES.map((c) => fail('readCard', c)),
  ...(['normal', 'temp-lost', 'lost', 'blacklisted', 'dead-holder'] as const).map((status) =>
    done('checkCardStatus', { status, source: 'backend' }),
  ),
  fail('checkCardStatus', 'BACKEND_DOWN'),
  done('verifyPin'),
  ...VERIFY_PIN_FAILURES,
  done('capturePin'),
  fail('capturePin', 'PIN_CANCELLED'),
  fail('capturePin', 'PIN_TIMEOUT'),
  fail('capturePin', 'PIN_MISMATCH'),
  fail('capturePin', 'PIN_WEAK', { reason: 'sequence' }),
  fail('capturePin', 'PINPAD_HARDWARE'),
  fail('capturePin', 'READER_JAMMED'),
  done('applyPinChange'),
  fail('applyPinChange', 'PIN_WRONG', { triesLeft: 2 }),
  fail('applyPinChange', 'PIN_LOCKED'),
  fail('applyPinChange', 'CARD_REMOVED'),
  fail('applyPinChange', 'PINPAD_HARDWARE'),
  done('reportLoss', { ref: 'GS20250301-0001' }),
  fail('reportLoss', 'BACKEND_TIMEOUT'),
  done('liftLoss', { ref: 'JG20250301-0002' }),
  fail('liftLoss', 'BACKEND_DOWN'),
  done('queryContributions', RECORDS),
  done('queryContributions', NO_RECORDS),
  fail('queryContributions', 'BACKEND_TIMEOUT'),
  done('printStatement', { code: 'V2025ABCD1234' }),
  fail('printStatement', 'PRINTER_PAPER_OUT'),
  fail('printStatement', 'PRINTER_PAPER_OUT_MID_JOB'),
  fail('printStatement', 'BACKEND_UNAVAILABLE'),
  { type: 'RECEIPT_TAKEN' },
  { type: 'DEVICE_STATUS', device: 'printer', status: 'ok' },
  { type: 'DEVICE_STATUS', device: 'printer', status: 'paper-out' },
  // A digit count from the pad (never the digits).
  { type: 'PIN_KEYS', count: 3 },
  done('ejectCard'),
  fail('ejectCard', 'READER_JAMMED'),
  done('retainCard'),
  fail('retainCard', 'READER_BIN_FULL'),
  done('recoverReader'),
  fail('recoverReader', 'LINK_NO_ANSWER'),
  { type: 'CARD_INSERTED' },
  { type: 'CARD_AT_GATE' },
  { type: 'CARD_REMOVED' },
  { type: 'READER_FAULT', code: 'LINK_UNPLUGGED', message: 'model: unplugged' },
  { type: 'READER_OK' },
  { type: 'TOUCH', control: 'finish' },
  { type: 'TOUCH', control: 'confirm' },
  { type: 'TOUCH', control: 'language' },
  { type: 'TOUCH', control: 'cancel' },
  { type: 'TOUCH', control: 'back' },
  { type: 'TOUCH', control: 'change-pin' },
  { type: 'TOUCH', control: 'report-loss' },
  { type: 'TOUCH', control: 'lift-loss' },
  { type: 'TOUCH', control: 'query-contributions' },
  { type: 'TOUCH', control: 'print-statement' },
  { type: 'TOUCH', control: 'print-proof' },
  { type: 'TOUCH', control: 'tab-medical' },
  { type: 'TOUCH', control: 'tab-pension' },
  { type: 'TOUCH', control: 'tab-maternity' },
  { type: 'TOUCH', control: 'year-prev' },
  { type: 'TOUCH', control: 'year-next' },
  // Not a control of these flows: must always be ignored.
  { type: 'TOUCH', control: 'pay-premiums' },
];

/** What an event means for the live-actor replay. */
export type Step =
  | { kind: 'done'; actor: string; output: unknown }
  | { kind: 'error'; actor: string; error: { code: string; message: string } & Record<string, unknown> }
  | { kind: 'after'; delay: string }
  | { kind: 'send'; event: EventObject };

export function stepOf(event: EventObject): Step {
  const e = event as EventObject & { output?: unknown; error?: { code: string; message: string } & Record<string, unknown> };
  let m = /^xstate\.done\.actor\.(\w+)$/.exec(e.type);
  if (m) return { kind: 'done', actor: m[1], output: e.output };
  m = /^xstate\.error\.actor\.(\w+)$/.exec(e.type);
  if (m) return { kind: 'error', actor: m[1], error: e.error! };
  m = /^xstate\.after\.(\w+)\./.exec(e.type);
  if (m) return { kind: 'after', delay: m[1] };
  return { kind: 'send', event };
}
