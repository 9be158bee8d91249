import { assign, fromPromise, setup } from 'xstate';
import type { CardInfo } from '../../kiosk/card/card-info.js';
import { isCardless } from './cardless.js';
import { menuWarningMs } from './config.js';
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
import { notProvided } from './not-provided.js';
import { REGISTER_ACTORS } from './register-actors.js';
import { choiceOfControl, dueOf, itemOfControl, maxPeriods, orderOf, selectItem } from './pay.js';
import { firstTab, stepYear, tabOfControl, yearFor } from './records.js';
import { MENU_SERVICES, printerReady, serviceAvailable } from './services.js';
import {
  isBlocked,
  type CapturePinInput,
  type CheckCodeInput,
  type CheckCardStatusInput,
  type CheckCardStatusOutput,
  type ControlId,
  type Outage,
  type DuesOutput,
  type PayOrderInput,
  type PayOutcome,
  type PrepareReaderOutput,
  type PrintStatementInput,
  type PrintStatementOutput,
  type RecordsOutput,
  type RetainCardInput,
  type ServiceRefOutput,
  type SessionContext,
  type SessionEvent,
  type SessionInput,
  type SessionMeta,
  type VerifyPinInput,
  type VerifyPinPurpose,
} from './types.js';


const timedOut = (what: string): SessionError => ({
  code: READ_TIMEOUT.code,
  message: `${what}: ${READ_TIMEOUT.message}`,
});

const errorOf = (err: unknown) => toSessionError(err);
/** The error of an `xstate.error.actor.*` event (the machine's own event union does not name them). */
const eventError = (event: unknown): unknown => (event as { error?: unknown }).error;
const pinFailureOf = (event: unknown): PinFailure => classifyPinError(errorOf(eventError(event)).code);


/** What the card was handed back after, for the retain reason when it is not taken. */
export type NotTaken = 'error' | 'status' | 'loss-reported';

export const sessionSetup = setup({
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
    /**
     * Read and authenticate the card the antenna has just activated (the host keeps it from the
     * tap), then deactivate. Rejects like readCard; CARD_REMOVED when the card left the field.
     */
    readTapped: fromPromise<CardInfo>(notProvided('readTapped')),
    /**
     * Check a scanned e-card code (offline, then the backend, which alone gives the holder's ssn)
     * and build the holder from it. Rejects ECARD_* (with the reason), ECARD_OFFLINE.
     */
    checkCode: fromPromise<CardInfo, CheckCodeInput>(notProvided('checkCode')),
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
    /** Holder's contribution records, account balances and insured types. Rejects BACKEND_*. */
    queryContributions: fromPromise<RecordsOutput>(notProvided('queryContributions')),
    /**
     * Fetch a statement from the backend, print it, journal it. Rejects PRINTER_* (nothing or not
     * all printed) or BACKEND_* (nothing printed).
     */
    printStatement: fromPromise<PrintStatementOutput, PrintStatementInput>(notProvided('printStatement')),
    /**
     * Read the card's bank account (debit application) and what the holder owes. Rejects
     * CARD_NO_FINANCIAL (this card cannot pay), BACKEND_*, READER_* / LINK_*.
     */
    loadDues: fromPromise<DuesOutput>(notProvided('loadDues')),
    /** One online PIN entry; the host keeps the encrypted PIN block for payPremium. Rejects like capturePin. */
    captureOnlinePin: fromPromise<void>(notProvided('captureOnlinePin')),
    /** Debit, post, journal: exactly once (kiosk/payment). Resolves with the outcome; rejects only on a host fault. */
    payPremium: fromPromise<PayOutcome, PayOrderInput>(notProvided('payPremium')),
    /** Prints the receipt of a payment (or the holder's last one). Rejects PRINTER_*. */
    printPaymentReceipt: fromPromise<void, { txnId?: string }>(notProvided('printPaymentReceipt')),
    /** Resolves once the reader answers again. */
    recoverReader: fromPromise<void>(notProvided('recoverReader')),
    /** Hospital profile: registration, cancellation and slips (flows/session/register-actors.ts). */
    ...REGISTER_ACTORS,
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
    payGuard: ({ context }) => context.config.payGuardMs,
    printGuard: ({ context }) => context.config.printGuardMs,
    takeReceipt: ({ context }) => context.config.takeReceiptMs,
  },
  guards: {
    touched: ({ event }, params: { control: ControlId }) => event.type === 'TOUCH' && event.control === params.control,
    /** 退卡 with the card inside, or 结束 of a visit without one (nothing to hand back). */
    finishWithCardInside: ({ context, event }) =>
      event.type === 'TOUCH' && event.control === 'finish' && (context.card === 'inside' || isCardless(context)),
    /** No card in the slot (tap or code session): the eject states go straight on. */
    cardless: ({ context }) => isCardless(context),
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
      // Nothing to keep in a visit without a card: the blocked screen is shown, then idle.
      return isBlocked(status) && context.config.statusPolicy[status] === 'retain' && !isCardless(context);
    },
    /** A code session proved the citizen in the issuing app: no PIN at the start. */
    pinAtStart: ({ context }) => context.config.pinAtStart && context.via !== 'code',
    pinFor: ({ context }, params: { purpose: VerifyPinPurpose }) => context.pinPurpose === params.purpose,
    printerReady: ({ context }) => printerReady(context),
    /** A print job failed on the backend side (nothing printed) rather than at the printer. */
    backendFailed: ({ event }) => errorOf(eventError(event)).code.startsWith('BACKEND_'),
    hasRecords: ({ context }) => (context.records?.records.length ?? 0) > 0,
    itemTouched: ({ context, event }) =>
      event.type === 'TOUCH' && itemOfControl(event.control, context.dues) !== undefined && itemOfControl(event.control, context.dues) !== context.payItem,
    choiceTouched: ({ context, event }) =>
      event.type === 'TOUCH' && choiceOfControl(event.control, dueOf(context)) !== undefined && choiceOfControl(event.control, dueOf(context)) !== context.payChoice,
    periodsStep: ({ context, event }, params: { dir: -1 | 1 }) => {
      if (event.type !== 'TOUCH' || event.control !== (params.dir < 0 ? 'periods-less' : 'periods-more')) return false;
      const due = dueOf(context);
      const n = (context.payPeriods ?? 1) + params.dir;
      return !!due && n >= 1 && n <= maxPeriods(due);
    },
    hasDues: ({ event }) => ((event as { output?: DuesOutput }).output?.dues.length ?? 0) > 0,
    payIs: ({ event }, params: { status: PayOutcome['status'] }) => (event as { output?: PayOutcome }).output?.status === params.status,
    payWrongPin: ({ event }) => {
      const o = (event as { output?: PayOutcome }).output;
      return o?.status === 'declined' && o.reason === 'WRONG_PIN' && (o.triesLeft ?? 1) > 0;
    },
    cardCannotPay: ({ event }) => errorOf(eventError(event)).code === 'CARD_NO_FINANCIAL',
    reprintable: ({ context }) => context.reprintable === true,
    /** Another tab than the one shown (an empty history shows no tabs). */
    tabTouched: ({ context, event }) =>
      event.type === 'TOUCH' &&
      (context.records?.records.length ?? 0) > 0 &&
      tabOfControl(event.control) !== undefined &&
      tabOfControl(event.control) !== context.recordsTab,
    yearTouched: ({ context, event }, params: { dir: -1 | 1 }) =>
      event.type === 'TOUCH' &&
      event.control === (params.dir < 0 ? 'year-prev' : 'year-next') &&
      context.recordsTab !== undefined &&
      stepYear(context.records, context.recordsTab, context.recordsYear, params.dir) !== undefined,
    retainAfterLossReport: ({ context }) => context.config.retainAfterLossReport && !isCardless(context),
    /** A menu button: offered to this holder, and (pin) whether the PIN must be proved first. */
    service: ({ context, event }, params: { control: ControlId; needsPin: boolean }) => {
      if (event.type !== 'TOUCH' || event.control !== params.control) return false;
      const s = MENU_SERVICES.find((x) => x.control === params.control);
      if (!s?.offered(context) || !serviceAvailable(s, context)) return false;
      return (s.pinPurpose !== undefined && !context.pinVerified) === params.needsPin;
    },
  },
  actions: {
    toggleLang: assign({ lang: ({ context }) => (context.lang === 'zh-CN' ? 'en' : 'zh-CN') }),
    /** A card in the slot starts a visit: nothing of an earlier one (a PIN proved) carries over. */
    cardIn: assign({
      card: 'inside',
      via: 'card',
      holder: undefined,
      lastError: undefined,
      retainReason: undefined,
      pinVerified: undefined,
      cardStatus: undefined,
    }),
    /** A visit without a card starts ('retained' of an earlier card is the last visit's). */
    startCardless: assign((_, params: { via: 'tap' | 'code' }) => ({
      card: 'none' as const,
      via: params.via,
      holder: undefined,
      lastError: undefined,
      retainReason: undefined,
    })),
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
      records: undefined,
      recordsTab: undefined,
      recordsYear: undefined,
      printKind: undefined,
      receiptCode: undefined,
      dues: undefined,
      panMasked: undefined,
      payItem: undefined,
      payChoice: undefined,
      payPeriods: undefined,
      payOutcome: undefined,
      payPinNotice: undefined,
      reprintable: undefined,
      reg: undefined,
      registration: undefined,
      regCancel: undefined,
      slipReprintable: undefined,
    }),
    forgetOutage: assign({ outage: undefined }),
    noteDevice: assign({
      printer: ({ context, event }) =>
        event.type === 'DEVICE_STATUS' && event.device === 'printer' ? event.status : context.printer,
    }),
    storeRecords: assign(({ event }) => {
      const records = (event as { output?: RecordsOutput }).output ?? { records: [], balances: { pension: null, medical: null }, insured: [] };
      const tab = firstTab(records);
      return { records, recordsTab: tab, recordsYear: yearFor(records, tab) };
    }),
    selectTab: assign(({ context, event }) => {
      const tab = event.type === 'TOUCH' ? tabOfControl(event.control) : undefined;
      if (!tab) return {};
      return { recordsTab: tab, recordsYear: yearFor(context.records, tab, context.recordsYear) };
    }),
    stepYear: assign({
      recordsYear: ({ context }, params: { dir: -1 | 1 }) =>
        context.recordsTab === undefined
          ? context.recordsYear
          : (stepYear(context.records, context.recordsTab, context.recordsYear, params.dir) ?? context.recordsYear),
    }),
    storeDues: assign(({ event }) => {
      const out = (event as { output?: DuesOutput }).output;
      return { dues: out?.dues ?? [], panMasked: out?.panMasked, payOutcome: undefined, payPinNotice: undefined, ...selectItem(out?.dues, undefined) };
    }),
    selectPayItem: assign(({ context, event }) =>
      event.type === 'TOUCH' ? selectItem(context.dues, itemOfControl(event.control, context.dues)) : {},
    ),
    selectPayChoice: assign({
      payChoice: ({ context, event }) => (event.type === 'TOUCH' ? (choiceOfControl(event.control, dueOf(context)) ?? context.payChoice) : context.payChoice),
    }),
    stepPeriods: assign({ payPeriods: ({ context }, params: { dir: -1 | 1 }) => (context.payPeriods ?? 1) + params.dir }),
    storePayOutcome: assign({
      payOutcome: ({ event }) => (event as { output?: PayOutcome }).output,
      payPinNotice: ({ event }) => {
        const o = (event as { output?: PayOutcome }).output;
        return o?.status === 'declined' && o.reason === 'WRONG_PIN' ? (o.triesLeft !== undefined ? { triesLeft: o.triesLeft } : {}) : undefined;
      },
    }),
    /** Payment choices go with the menu; the outcome stays for the receipt until then. */
    forgetPay: assign({
      dues: undefined,
      panMasked: undefined,
      payItem: undefined,
      payChoice: undefined,
      payPeriods: undefined,
      payOutcome: undefined,
      payPinNotice: undefined,
    }),
    choosePrint: assign({ printKind: (_, params: { kind: 'detail' | 'proof' }) => params.kind }),
    receiptPrinted: assign({
      receiptCode: ({ event }) => (event as { output?: PrintStatementOutput }).output?.code,
    }),
    recordPrintTimeout: assign({
      lastError: { code: 'PRINTER_TIMEOUT', message: 'print statement: the printer did not finish in time' },
    }),
    /** Records and print state are read again for each service; nothing stale is shown. */
    forgetRecords: assign({
      records: undefined,
      recordsTab: undefined,
      recordsYear: undefined,
      printKind: undefined,
      receiptCode: undefined,
    }),
  },
});
