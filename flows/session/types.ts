import type {
  AccountBalances,
  ContributionRecord,
  InsuranceType,
  InsuredType,
  PremiumDue,
  PremiumItem,
  StatementKind,
} from '../../kiosk/backend/interface.js';
import type { CardInfo } from '../../kiosk/card/card-info.js';
import type { CardPlace } from '../view/protocol.js';
import type { SessionConfig } from './config.js';
import type { SessionError } from './errors.js';
import type { RegCancelContext, RegContext, RegSummary } from './register-types.js';

export type { CardPlace };
export type Lang = 'zh-CN' | 'en';

/** Where the reader's sensors put a card when it starts (power-on or after a fault). */
export type ReaderPosition = 'none' | 'gate' | 'inside';

export interface PrepareReaderOutput {
  position: ReaderPosition;
}

export interface RetainCardInput {
  /**
   * Why the card was kept: `not-taken` (take-card timeout), `error-not-taken:<CODE>` (left at the
   * gate after an error), `status:<status>` (status policy: lost, blacklisted, dead-holder),
   * `not-taken:status:<status>` (a blocked card handed back but not taken), `loss-reported`
   * (config retainAfterLossReport) or `not-taken:loss-reported`.
   */
  reason: string;
}

/** Card status from the backend (or the local blacklist when offline). */
export const CARD_STATUSES = ['normal', 'lost', 'temp-lost', 'blacklisted', 'dead-holder'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
/** Statuses that end the visit before the PIN: the card is retained or returned per policy. */
export const BLOCKED_STATUSES = ['lost', 'blacklisted', 'dead-holder'] as const;
export type BlockedStatus = (typeof BLOCKED_STATUSES)[number];
export const isBlocked = (s: CardStatus | undefined): s is BlockedStatus =>
  (BLOCKED_STATUSES as readonly string[]).includes(s ?? '');

export interface CheckCardStatusInput {
  holder: CardInfo;
}
export interface CheckCardStatusOutput {
  status: CardStatus;
  /** Where the answer came from; `offline`: backend unreachable, only the local blacklist was checked. */
  source: 'backend' | 'local-blacklist' | 'offline';
  /** A payment receipt of this holder can be printed again (menu `reprint-receipt`). */
  reprintable?: boolean;
  /** Hospital: a registration slip of this holder can be printed again (menu `reprint-slip`). */
  slipReprintable?: boolean;
}

/**
 * Why the PIN is asked: `session` at the start of the visit (config pinAtStart), or before a
 * service that needs it when the visit started without the PIN (pinAtStart false).
 */
export type VerifyPinPurpose =
  | 'session'
  | 'lift-loss'
  | 'report-loss'
  | 'query'
  | 'print'
  | 'pay'
  | 'reprint'
  | 'register'
  | 'cancel-registration'
  | 'reprint-slip';
export interface VerifyPinInput {
  purpose: VerifyPinPurpose;
  /**
   * Tap session (no card in the slot): the card's VERIFY goes over the antenna, so the citizen
   * must hold the card to it again once the PIN is keyed. Absent for a card in the slot.
   */
  tap?: true;
}

/** How the visit started: a card inserted, a card tapped on the antenna, or an e-card code scanned. */
export type SessionVia = 'card' | 'tap' | 'code';

export interface CheckCodeInput {
  /** The scanned text, as the scanner read it. */
  text: string;
}

export type CapturePinPhase = 'old' | 'new' | 'confirm';
export interface CapturePinInput {
  phase: CapturePinPhase;
}

export type WeakPinReason = 'repeated' | 'sequence' | 'initial';

export interface ServiceRefOutput {
  /** The backend's reference for the citizen (shown, never a secret). */
  ref: string;
}

export type { InsuranceType, PremiumDue, PremiumItem, StatementKind };

/** What is due and whether this card can pay (loadDues). */
export interface DuesOutput {
  dues: PremiumDue[];
  /** The card's bank account, masked (first 6, last 4): shown on pay-confirm. */
  panMasked: string;
}

/** The payment the citizen confirmed: what payPremium debits and posts. */
export interface PayOrderInput {
  item: PremiumItem;
  choiceId: string;
  periods: string[];
  amountFen: number;
}

/** What the session learns of a payment (kiosk/payment PaymentOutcome, without internals). */
export type PayOutcome =
  | { status: 'approved'; txnId: string; bankRef: string; postingRef?: string; amountFen: number }
  | { status: 'declined'; txnId: string; reason: string; triesLeft?: number }
  | { status: 'failed' | 'reversed' | 'uncertain'; txnId: string; code: string };

/** The holder's contribution history as the contributions screen shows it (queryContributions). */
export interface RecordsOutput {
  /** Every record on file, all types and years (a few hundred at most). */
  records: ContributionRecord[];
  balances: AccountBalances;
  /** The holder's insured types with their status (参保状态). */
  insured: InsuredType[];
}

export interface PrintStatementInput {
  kind: StatementKind;
}
export interface PrintStatementOutput {
  /** The statement's verification code (printed as text and QR; shown on take-receipt). */
  code: string;
}

/** What the PIN screens tell the citizen about the previous attempt. Never the digits. */
export type PinNotice =
  | { code: 'PIN_WRONG'; triesLeft: number }
  | { code: 'PIN_MISMATCH' }
  | { code: 'PIN_WEAK'; reason: WeakPinReason };

/** What cannot be used when the card is handed back on `service-unavailable`. */
export type Outage = 'card-functions' | 'card-status' | 'pin';

export interface SessionInput {
  /** Missing fields take the defaults of SessionConfigSchema. */
  config: Partial<SessionConfig>;
  lang?: Lang;
}

export interface SessionContext {
  config: SessionConfig;
  lang: Lang;
  /** Exactly what a scenario's `expect.card` reads. */
  card: CardPlace;
  /** How this visit started; undefined in idle (and after a fault interrupted a visit without a card). */
  via?: SessionVia;
  /** The card holder, from a successful read until the next idle screen. */
  holder?: CardInfo;
  lastError?: SessionError;
  retainReason?: string;
  /** From checkCardStatus; `normal` again after a lift-loss. */
  cardStatus?: CardStatus;
  statusSource?: CheckCardStatusOutput['source'];
  /** The holder proved the PIN in this visit. */
  pinVerified?: boolean;
  /** Why the `pin` screen is shown. */
  pinPurpose?: VerifyPinPurpose;
  /** How many digits the PIN pad holds for the current entry (PIN_KEYS). Never the digits. */
  pinDigits?: number;
  pinNotice?: PinNotice;
  /** Backend reference of the last loss report or lift. */
  serviceRef?: string;
  /** Contribution history, from the query until the visit ends. */
  records?: RecordsOutput;
  /** The insurance type tab and the year shown on the contributions screen. */
  recordsTab?: InsuranceType;
  recordsYear?: number;
  /** The statement being printed or just printed. */
  printKind?: StatementKind;
  receiptCode?: string;
  /**
   * The printer's device status (DeviceState string) as the host last reported it; printing is
   * offered only when it is `ok` or `paper-low`. Unknown until the host reports it.
   */
  printer?: string;
  /** Premiums due, from loadDues until the menu. */
  dues?: PremiumDue[];
  panMasked?: string;
  /** The citizen's choices on pay-select / pay-amount. */
  payItem?: PremiumItem;
  payChoice?: string;
  payPeriods?: number;
  /** The last payment's outcome in this visit (pay-done / pay-failed). */
  payOutcome?: PayOutcome;
  /** The bank's verdict on the last online PIN (WRONG_PIN with tries left). */
  payPinNotice?: { triesLeft?: number };
  /** A payment receipt of this holder can be printed again (the host says so with the card status). */
  reprintable?: boolean;
  /** Set with lastError when the visit ends on `service-unavailable` (the card handed back). */
  outage?: Outage;
  /** Hospital: the registration journey (挂号), from the departments until the menu. */
  reg?: RegContext;
  /** Hospital: the registration just made in this visit (its slip; retry of the slip). */
  registration?: RegSummary;
  /** Hospital: the cancellation journey (退号). */
  regCancel?: RegCancelContext;
  /** Hospital: a registration slip of this holder can be printed again (menu `reprint-slip`). */
  slipReprintable?: boolean;
}

export type SessionEvent =
  | { type: 'CARD_INSERTED' }
  | { type: 'CARD_AT_GATE' }
  | { type: 'CARD_REMOVED' }
  /** A card came into the antenna's field (the host keeps the activated card for readTapped). Idle only. */
  | { type: 'TAP' }
  /** The QR scanner read a code (an electronic social security card's, or anything else). Idle only. */
  | { type: 'SCAN'; text: string }
  | { type: 'READER_FAULT'; code: string; message: string }
  | { type: 'READER_OK' }
  /** From the PIN pad while verifyPin / capturePin runs: digits entered so far, never values. */
  | { type: 'PIN_KEYS'; count: number }
  | { type: 'TOUCH'; control: string }
  /** The printer's presenter no longer holds the receipt. */
  | { type: 'RECEIPT_TAKEN' }
  /** A device other than the reader changed status (the reader has READER_FAULT / READER_OK). */
  | { type: 'DEVICE_STATUS'; device: string; status: string };

export const SCREEN_IDS = [
  'starting',
  'idle',
  'reading',
  'card-blocked',
  'pin',
  'pin-locked',
  'menu',
  'change-pin',
  'pin-changed',
  'report-loss',
  'loss-reported',
  'lift-loss',
  'loss-lifted',
  'service-unavailable',
  'loading',
  'contributions',
  'printing',
  'take-receipt',
  'print-failed',
  'pay-select',
  'pay-amount',
  'pay-confirm',
  'pay-processing',
  'pay-done',
  'pay-failed',
  'take-card',
  'card-error',
  'card-retained',
  'out-of-service',
  // Hospital profile (docs/hospital.md).
  'reg-department',
  'reg-slot',
  'reg-confirm',
  'reg-processing',
  'reg-done',
  'take-slip',
  'reg-failed',
  'reg-cancel-list',
  'reg-cancel-confirm',
  'reg-cancelled',
] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];

export const CONTROL_IDS = [
  'finish',
  'confirm',
  'cancel',
  'back',
  'language',
  'change-pin',
  'report-loss',
  'lift-loss',
  'query-contributions',
  'print-statement',
  'print-proof',
  'tab-pension',
  'tab-medical',
  'tab-unemployment',
  'tab-injury',
  'tab-maternity',
  'year-prev',
  'year-next',
  'pay-premiums',
  'reprint-receipt',
  'item-flexible-pension',
  'item-flexible-medical',
  'item-resident-pension',
  'item-resident-medical',
  'periods-less',
  'periods-more',
  // Hospital profile (docs/hospital.md); `dept-<id>`, `slot-<slotId>`, `reg-<regid>` are built from the HIS's ids.
  'register-visit',
  'cancel-registration',
  'reprint-slip',
  'pay-medical',
  'pay-card',
  'retry',
  'day-0',
  'day-1',
  'day-2',
  'day-3',
  'day-4',
  'day-5',
  'day-6',
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** State meta: every state names the screen it shows. */
export interface SessionMeta {
  screen: ScreenId;
}
