import type { EventObject } from 'xstate';
import type { SessionSnapshot } from '../../../flows/session/index.js';
import { CODE_HOLDER, DUES, HOLDER, NO_RECORDS, RECORDS } from './harness.js';
import { CANCELLABLE, DEPARTMENTS, FULL_SLOT, HOLD, NONE_CANCELLABLE, OTHER_SLOT, REG_OUTCOMES, SLOTS } from './hospital-fixtures.js';

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
  // Visits without a card in the slot: a tap on the antenna, a scanned e-card code.
  { type: 'TAP' },
  { type: 'SCAN', text: 'YKTEC1.model' },
  done('readTapped', HOLDER),
  // One code per outcome class: card left the field, card refused, PSAM, reader fault.
  ...['CARD_REMOVED', 'CARD_NOT_GENUINE', 'PSAM_ABSENT', 'READER_JAMMED'].map((c) => fail('readTapped', c)),
  done('checkCode', CODE_HOLDER),
  fail('checkCode', 'ECARD_EXPIRED'),
  fail('checkCode', 'ECARD_OFFLINE'),
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
  done('loadDues', DUES),
  done('loadDues', { dues: [], panMasked: '621700*********5678' }),
  fail('loadDues', 'CARD_NO_FINANCIAL'),
  fail('loadDues', 'BACKEND_TIMEOUT'),
  done('captureOnlinePin'),
  fail('captureOnlinePin', 'PIN_CANCELLED'),
  fail('captureOnlinePin', 'PINPAD_HARDWARE'),
  done('payPremium', { status: 'approved', txnId: 'T-1', bankRef: 'B-1', postingRef: 'JF-1', amountFen: 180_000 }),
  done('payPremium', { status: 'declined', txnId: 'T-2', reason: 'WRONG_PIN', triesLeft: 2 }),
  done('payPremium', { status: 'declined', txnId: 'T-3', reason: 'INSUFFICIENT_FUNDS' }),
  done('payPremium', { status: 'reversed', txnId: 'T-4', code: 'BANK_TIMEOUT' }),
  done('printPaymentReceipt'),
  fail('printPaymentReceipt', 'PRINTER_PAPER_OUT'),
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
  { type: 'TOUCH', control: 'pay-premiums' },
  { type: 'TOUCH', control: 'reprint-receipt' },
  { type: 'TOUCH', control: 'item-flexible-medical' },
  { type: 'TOUCH', control: 'item-flexible-pension' },
  { type: 'TOUCH', control: 'choice-base-6000' },
  { type: 'TOUCH', control: 'periods-less' },
  { type: 'TOUCH', control: 'periods-more' },
  // Not a control of these flows: must always be ignored.
  { type: 'TOUCH', control: 'pay-premiums' },
];

/** The hospital profile's state nodes (without `session.`): never reached on a citizen kiosk. */
export const HOSPITAL_ONLY_NODES = [
  'regLoading',
  'regDepartment',
  'regSlotsLoading',
  'regSlot',
  'regHolding',
  'regConfirm',
  'regAccount',
  'regPin',
  'regPaying',
  'regDone',
  'regDone.choosing',
  'regDone.printing',
  'regDone.pending',
  'takeSlip',
  'slipFailed',
  'slipPrinting',
  'regFailed',
  'regUnavailable',
  'cancelLoading',
  'cancelList',
  'cancelConfirm',
  'cancelling',
  'regCancelled',
];

/** Actors and controls of the citizen kiosk's own services (premiums, PIN change, loss reports, records). */
const KIOSK_ONLY_ACTORS = /\.(capturePin|applyPinChange|reportLoss|liftLoss|queryContributions|printStatement|loadDues|payPremium|printPaymentReceipt)$/;
const KIOSK_ONLY_CONTROLS =
  /^(change-pin|report-loss|lift-loss|query-contributions|print-statement|print-proof|pay-premiums|reprint-receipt|tab-.*|year-.*|item-.*|choice-.*|periods-.*)$/;

/**
 * The hospital profile's walk: the shared events (reader, tap, code, status, PIN, eject, faults)
 * without the kiosk's own services, plus the registration journeys' results and controls. (The
 * contributions screen, also offered there, is the kiosk's walk.)
 */
export const HOSPITAL_EVENTS: ModelEvent[] = [
  ...MODEL_EVENTS.filter((e) => !KIOSK_ONLY_ACTORS.test(e.type) && !(e.type === 'TOUCH' && KIOSK_ONLY_CONTROLS.test(String(e.control)))),
  done('loadDepartments', DEPARTMENTS),
  fail('loadDepartments', 'HIS_UNAVAILABLE'),
  done('loadSlots', SLOTS),
  fail('loadSlots', 'HIS_TIMEOUT'),
  done('holdSlot', HOLD),
  fail('holdSlot', 'SLOT_TAKEN'),
  fail('holdSlot', 'REJECTED', { reason: 'ALREADY_REGISTERED' }),
  fail('holdSlot', 'HIS_UNAVAILABLE'),
  done('readBankAccount', { panMasked: '621700*********5678' }),
  fail('readBankAccount', 'CARD_NO_FINANCIAL'),
  fail('readBankAccount', 'READER_JAMMED'),
  ...REG_OUTCOMES.map((o) => done('payRegistration', o)),
  fail('payRegistration', 'REGISTRATION_UNAVAILABLE'),
  done('printSlip'),
  fail('printSlip', 'PRINTER_PAPER_OUT'),
  fail('printSlip', 'NO_SLIP'),
  done('loadRegistrations', CANCELLABLE),
  done('loadRegistrations', NONE_CANCELLABLE),
  fail('loadRegistrations', 'HIS_UNAVAILABLE'),
  done('cancelRegistration', { regId: CANCELLABLE.registrations[0]!.regId, amountFen: 1000, method: 'medical-account', refund: 'refunded' }),
  done('cancelRegistration', { regId: CANCELLABLE.registrations[0]!.regId, amountFen: 1000, method: 'medical-account', refund: 'counter' }),
  fail('cancelRegistration', 'NOT_CANCELLABLE', { reason: 'STARTED' }),
  fail('cancelRegistration', 'HIS_TIMEOUT'),
  { type: 'TOUCH', control: 'register-visit' },
  { type: 'TOUCH', control: 'cancel-registration' },
  { type: 'TOUCH', control: 'reprint-slip' },
  { type: 'TOUCH', control: 'dept-surgery' },
  { type: 'TOUCH', control: 'day-1' },
  { type: 'TOUCH', control: 'day-0' },
  { type: 'TOUCH', control: `slot-${OTHER_SLOT.id}` },
  { type: 'TOUCH', control: `slot-${FULL_SLOT.id}` },
  { type: 'TOUCH', control: 'pay-card' },
  { type: 'TOUCH', control: 'pay-medical' },
  { type: 'TOUCH', control: 'retry' },
  { type: 'TOUCH', control: 'reg-gh20250301000009' },
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

const RECORDS_JOURNEY: ReadonlySet<string> = new Set(['records', 'printing', 'takeReceipt', 'printFailed', 'payLoading', 'payNothingDue', 'paySelect', 'payAmount', 'payConfirm', 'payPin', 'paying', 'payDone', 'payFailed', 'reprinting']);

/** The hospital journeys' states (HOSPITAL_ONLY_NODES without the substates). */
const HOSPITAL_JOURNEY: ReadonlySet<string> = new Set(HOSPITAL_ONLY_NODES.filter((n) => !n.includes('.')));
const PRINTER_KEYED: ReadonlySet<string> = new Set(['menu', 'records', 'paying', 'regPaying', 'slipFailed']);

/** The hospital journeys' choices and outcomes, keyed on their own screens only. */
function hospitalKey(top: string, c: SessionSnapshot['context']): Record<string, unknown> {
  switch (top) {
    case 'regDepartment':
      return { dept: c.reg?.deptId };
    case 'regSlot':
      return { day: c.reg?.day, slot: c.reg?.slotId, notice: c.reg?.notice };
    case 'regConfirm':
      return { method: c.reg?.method, cardNotice: c.reg?.cardNotice };
    case 'regPin':
      return { regPin: !!c.reg?.pinNotice };
    case 'regDone':
    case 'regFailed':
      return { reg: c.reg?.outcome?.status };
    case 'cancelList':
      return { cancel: c.regCancel?.regId, n: c.regCancel?.list?.length, cnotice: c.regCancel?.notice };
    case 'cancelConfirm':
      return { refund: c.regCancel?.refund };
    case 'regCancelled':
      return { result: c.regCancel?.result?.refund };
    case 'regUnavailable':
      return { sent: !!c.regCancel?.sent };
  }
  return {};
}

/**
 * The vertex of a snapshot: its state value and the context that changes what a citizen sees or can
 * do there. Every state keyed below is a child of the root, so the top-level state name (one string
 * compare) stands for `s.matches(…)`: this runs for every edge of the walks.
 */
export function vertexKey(s: SessionSnapshot): string {
  const c = s.context;
  const top = typeof s.value === 'string' ? s.value : Object.keys(s.value)[0]!;
  const hospital = HOSPITAL_JOURNEY.has(top);
  return JSON.stringify({
    value: s.value,
    lang: c.lang,
    card: c.card,
    // How the visit started matters only for a tap or a code ('card' and none behave alike).
    // On the hospital journeys only whether a card is in the slot matters (the bank account needs it).
    via: hospital ? undefined : c.via === 'tap' || c.via === 'code' ? c.via : undefined,
    // On the records journey's screens the card status changes nothing (the menu, where it
    // matters, keys it again).
    status: hospital || RECORDS_JOURNEY.has(top) ? undefined : c.cardStatus,
    verified: !!c.pinVerified,
    purpose: c.pinPurpose,
    digits: (c.pinDigits ?? 0) > 0,
    notice: c.pinNotice?.code,
    ref: !!c.serviceRef,
    outage: c.outage,
    error: c.lastError?.code.split('_')[0],
    retain: c.retainReason?.split(':')[0],
    // The records journey's selection matters only on its own screens (it is forgotten after).
    ...(top === 'records' ? { records: c.records ? c.records.records.length > 0 : undefined, tab: c.recordsTab, year: c.recordsYear } : {}),
    ...(top === 'printing' ? { kind: c.printKind } : {}),
    ...(top === 'takeReceipt' ? { receipt: !!c.receiptCode } : {}),
    // Printer readiness changes what the menu and the records screen offer; elsewhere it would
    // only multiply every state by two.
    printer: PRINTER_KEYED.has(top) ? c.printer === 'ok' : undefined,
    // The payment's choices matter on its own screens; its outcome on pay-done / pay-failed / pin.
    // What a payment screen lets the citizen change is keyed there only: the item on pay-select,
    // the base and periods on pay-amount. Later screens show the result, unit-tested on its own.
    ...(top === 'paySelect' ? { item: c.payItem } : {}),
    ...(top === 'payAmount' ? { item: c.payItem, choice: c.payChoice, periods: c.payPeriods } : {}),
    ...(top === 'payDone' || top === 'payFailed' || top === 'payPin' ? { outcome: c.payOutcome?.status, pinNotice: !!c.payPinNotice } : {}),
    reprintable: top === 'menu' || top === 'payDone' ? !!c.reprintable : undefined,
    // Hospital: the menu's 补打挂号凭条, and what each registration screen lets the patient choose.
    slips: top === 'menu' ? !!c.slipReprintable : undefined,
    ...(hospital ? hospitalKey(top, c) : {}),
  });
}
