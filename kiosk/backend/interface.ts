/**
 * The social insurance agency's backend as the kiosk sees it. One interface, two implementations
 * kept honest against each other: the HTTP JSON client (production and demo) and the embedded
 * backend's server, which the client reaches over real loopback HTTP.
 *
 * Money is always integer fen (分): contribution amounts are sums of many small percentages and a
 * float would drift by a fen on a printed statement. Formatting to yuan happens at the UI/printer.
 * Months are `YYYY-MM`, timestamps ISO 8601 (UTC).
 */
import { YktError } from '../../drivers/common/errors.js';

export const INSURANCE_TYPES = ['pension', 'medical', 'unemployment', 'injury', 'maternity'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];

/** employee: urban employee (职工); flexible: 灵活就业; resident: 城乡居民 (yearly premiums). */
export const SCHEMES = ['employee', 'flexible', 'resident'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const CARD_STATUSES = ['normal', 'lost', 'temp-lost', 'blacklisted', 'dead-holder'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export interface CardStatusResult {
  status: CardStatus;
  /** When the card entered this status (absent for a card that has always been normal). */
  since?: string;
}

export type LossKind = 'temporary' | 'formal';

export interface ReportLossRequest {
  ssn: string;
  cardNumber: string;
  kind: LossKind;
  terminalId: string;
  /** Unique per citizen action; a retransmission with the same id returns the same ref. */
  requestId: string;
}

export interface LiftLossRequest {
  ssn: string;
  cardNumber: string;
  terminalId: string;
  requestId: string;
}

export interface LossResult {
  /** The agency's reference for the report (printed on the slip). */
  ref: string;
}

export const INSURED_STATUSES = ['active', 'suspended', 'retired', 'terminated'] as const;
export type InsuredStatus = (typeof INSURED_STATUSES)[number];

export interface InsuredType {
  type: InsuranceType;
  scheme: Scheme;
  /** active: contributing; suspended: 中断缴费; retired: drawing benefits; terminated: 终止. */
  status: InsuredStatus;
  since: string; // YYYY-MM
}

export interface HolderProfile {
  ssn: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string; // YYYY-MM-DD
  /** Current employer; null for flexible workers, residents and retirees without one. */
  employer: string | null;
  /** The agency that keeps this holder's records (printed as the issuing agency). */
  agency: string;
  insured: InsuredType[];
}

export interface ContributionQuery {
  type?: InsuranceType;
  fromYear?: number;
  toYear?: number;
}

export interface ContributionRecord {
  type: InsuranceType;
  scheme: Scheme;
  /** YYYY-MM. Resident (yearly) premiums are recorded on January of their year. */
  yearMonth: string;
  /** 缴费基数 in fen; 0 for resident premiums, which have grades instead of a base. */
  baseFen: number;
  employerFen: number;
  personalFen: number;
  status: 'paid' | 'arrears';
  /** Employer on record for that month; '灵活就业' / '城乡居民' for those schemes. */
  employer: string;
}

export interface AccountBalance {
  balanceFen: number;
  asOf: string; // YYYY-MM-DD
}

export interface AccountBalances {
  /** null when the holder has no such personal account (e.g. residents have no medical account). */
  pension: AccountBalance | null;
  medical: AccountBalance | null;
}

export type StatementKind = 'proof' | 'detail';

export interface StatementRequest {
  /** proof: 参保缴费证明 (summaries); detail: 缴费明细 (summaries and monthly lines). */
  kind: StatementKind;
  /** Lines for the last N months on record; detail defaults to 24, proof to none. */
  months?: number;
  terminalId?: string;
  /** Dedupe key; the client generates one when left out. */
  requestId?: string;
}

export interface TypeSummary {
  type: InsuranceType;
  scheme: Scheme;
  status: InsuredStatus;
  firstMonth: string | null;
  lastMonth: string | null;
  /** Paid months (resident yearly premiums count 12 each: that is how 缴费年限 accrues). */
  totalMonths: number;
  arrearsMonths: number;
}

export interface Statement {
  /** Verification code (HMAC-derived), printed as text and as a QR code. */
  code: string;
  kind: StatementKind;
  issuedAt: string;
  issuingAgency: string;
  terminalId: string | null;
  holder: { ssn: string; name: string; sex: 'male' | 'female'; employer: string | null };
  summaries: TypeSummary[];
  lines: ContributionRecord[];
}

export interface StatementVerification {
  valid: boolean;
  code: string;
  /** Present when valid; personal data masked, since whoever holds the paper may check it. */
  kind?: StatementKind;
  issuedAt?: string;
  issuingAgency?: string;
  holderName?: string;
  ssn?: string;
  lineCount?: number;
}

/**
 * Local blacklist sync. Entries are card identification codes (卡识别码, EF05 record 01): unlike
 * card numbers they are unique per chip (cards from different regions may share a card number) and
 * the terminal reads them before any PIN. A card is listed while its status is lost (formal),
 * blacklisted or dead-holder; a temporary loss is not listed, so its holder can still come to a
 * kiosk and lift it.
 */
export interface BlacklistDelta {
  version: number;
  /** true: `add` is the whole list, replace the local copy (first sync, or version unknown). */
  full: boolean;
  add: string[];
  remove: string[];
}

/**
 * One answer of the paged sync (docs/blacklist.md): a delta whole, or one page of a full list.
 * A full list longer than a page continues with `cursor: next` until a page has no `next`.
 */
export interface BlacklistPage extends BlacklistDelta {
  /** Deltas: the version the delta starts from (the `since` asked). */
  from?: number;
  /** Full lists: entries in the whole list, on every page (the client checks what it assembled). */
  total?: number;
  /** Full lists: opaque cursor of the next page; absent on the last one. */
  next?: string;
}

export interface BlacklistPageQuery {
  since: number;
  /** From the previous page's `next`. */
  cursor?: string;
  /** Entries per page; the server may cap it. */
  limit?: number;
}

// ---- premiums (issue 5): what a flexible worker or resident can pay at the kiosk -------------

/** `<scheme>-<type>`: the premiums a citizen pays themselves (employees' are paid by the employer). */
export const PREMIUM_ITEMS = ['flexible-pension', 'flexible-medical', 'resident-pension', 'resident-medical'] as const;
export type PremiumItem = (typeof PREMIUM_ITEMS)[number];

export interface PremiumChoice {
  /** Stable id, kebab-case (e.g. 'base-4500', 'grade-500', 'yearly'); the UI control is `choice-<id>`. */
  id: string;
  /** Amount per period in fen. */
  amountFen: number;
  /** Flexible employment: the monthly contribution base in fen. */
  baseFen?: number;
  /** Resident pension: the yearly grade (档次) in fen. */
  gradeFen?: number;
}

export interface PremiumDue {
  item: PremiumItem;
  type: 'pension' | 'medical';
  scheme: 'flexible' | 'resident';
  unit: 'month' | 'year';
  /** Payable periods, oldest first (arrears first): YYYY-MM for months, YYYY for years. A payment covers the first N. */
  periods: string[];
  /** Periods of `periods` that are arrears (already past due). */
  arrears: string[];
  choices: PremiumChoice[];
  defaultChoiceId: string;
  /** Most periods one payment may cover (e.g. 12 months; 1 year). */
  maxPeriods: number;
}

export interface PostPremiumRequest {
  txnId: string;
  ssn: string;
  item: PremiumItem;
  choiceId: string;
  /** Must be the first N payable periods of the item. */
  periods: string[];
  /** Must equal the choice's amountFen × periods.length. */
  amountFen: number;
  terminalId: string;
  /** The bank's reference of the approved debit. */
  bankRef: string;
  paidAt: string; // ISO 8601
}

export interface PostPremiumResult {
  /** The agency's reference (printed on the receipt). */
  ref: string;
  /** true when this txnId had been posted before: the same ref comes back, nothing is posted twice. */
  duplicate: boolean;
}

/** One posted premium as the agency keeps it (daily reconciliation, scenario ledger checks). */
export interface PremiumPosting {
  txnId: string;
  ssn: string;
  item: PremiumItem;
  amountFen: number;
  periods: string[];
  ref: string;
  /** When the backend posted it (its clock), ISO 8601 UTC. */
  postedAt: string;
}

// ---- medical insurance personal account (医保个人账户) as a payment source (issue #7) ---------

/**
 * A debit of the holder's medical insurance personal account (a registration fee). The account is
 * the holder's ssn: there is no PIN block, the holder proved the card PIN at the kiosk in this visit
 * (docs/payments.md). Idempotent by txnId, like a bank debit; declines are answers, not errors.
 */
export interface MedicalDebitRequest {
  txnId: string;
  ssn: string;
  amountFen: number;
  terminalId: string;
  /** What it pays, for the account statement (e.g. "挂号费 内科 赵磊 2026-01-05 10:00"). */
  description: string;
}

/** INSUFFICIENT_BALANCE, NO_MEDICAL_ACCOUNT (e.g. residents), REVERSED_BEFORE_DEBIT (a tombstone), or the agency's own. */
export type MedicalDeclineReason = 'INSUFFICIENT_BALANCE' | 'NO_MEDICAL_ACCOUNT' | 'REVERSED_BEFORE_DEBIT' | (string & {});

export type MedicalDebitResult =
  /** `balanceFen`: the account right after this debit; `duplicate`: a repeat of a txnId answered from the record. */
  | { txnId: string; outcome: 'approved'; ref: string; balanceFen: number; duplicate: boolean }
  | { txnId: string; outcome: 'declined'; declineReason: MedicalDeclineReason; duplicate: boolean };

export interface MedicalReversalResult {
  txnId: string;
  /** true: a debit stood and is credited back (or was before); false: no debit (a tombstone now refuses a late one). */
  reversed: boolean;
}

/** The medical account's debit and reversal (冲正), beside SocialSecurityBackend (kiosk/payment/medical-gateway.ts). */
/** One decision of the medical account's ledger, as the reconciliation reads it (no holder id). */
export interface MedicalTransaction {
  txnId: string;
  terminalId: string;
  amountFen: number;
  status: 'approved' | 'declined' | 'reversed';
  ref: string | null;
  reason: string | null;
  description: string;
  at: string;
  reversedAt: string | null;
}

/** The medical account's ledger of one Beijing business day. */
export interface MedicalTransactions {
  date: string;
  transactions: MedicalTransaction[];
  reversalsWithoutDebit: { txnId: string; at: string }[];
}

/** The reconciliation's read of the medical account (the operator's tool, not the kiosk's). */
export interface MedicalLedgerReader {
  medicalTransactionsOn(date: string): Promise<MedicalTransactions> | MedicalTransactions;
}

export interface MedicalAccountApi {
  /** Never retried by the client: a lost answer is reversed by the payment engine. */
  debitMedicalAccount(req: MedicalDebitRequest): Promise<MedicalDebitResult>;
  /** Idempotent by txnId; safe to repeat until it answers. */
  reverseMedicalDebit(txnId: string): Promise<MedicalReversalResult>;
}

// ---- electronic card codes (电子社保卡二维码, docs/ecard.md) --------------------------------------

/** valid: issued by this backend and not revoked; revoked: superseded or withdrawn; unknown: never issued here. */
export const ECARD_CODE_STATUSES = ['valid', 'revoked', 'unknown'] as const;
export type EcardCodeStatus = (typeof ECARD_CODE_STATUSES)[number];

/**
 * The backend's word on one code (by its jti). The code's lifetime is not part of it: `exp` is
 * signed into the code and checked offline. For a known code, the holder (full ssn and name, to
 * start a session: this answer travels on the terminal's authenticated channel, not in the QR) and
 * the card's current status (a code of a lost card is still genuine; the caller's policy decides).
 */
export type EcardStatusResult =
  | { status: 'unknown' }
  | { status: 'valid' | 'revoked'; cardStatus: CardStatus; ssn: string; name: string };

export interface SocialSecurityBackend {
  cardStatus(ssn: string, cardNumber: string): Promise<CardStatusResult>;
  reportLoss(req: ReportLossRequest): Promise<LossResult>;
  /** Only a temporary report can be lifted at a kiosk; anything else → LOSS_NOT_LIFTABLE. */
  liftLoss(req: LiftLossRequest): Promise<LossResult>;
  holderProfile(ssn: string): Promise<HolderProfile>;
  contributions(ssn: string, query?: ContributionQuery): Promise<ContributionRecord[]>;
  accountBalances(ssn: string): Promise<AccountBalances>;
  statement(ssn: string, req: StatementRequest): Promise<Statement>;
  verifyStatement(code: string): Promise<StatementVerification>;
  /** The whole answer: a full list's pages assembled (a convenience; the sync stages pages instead). */
  blacklistSince(version: number): Promise<BlacklistDelta>;
  blacklistPage(q: BlacklistPageQuery): Promise<BlacklistPage>;
  /** What the holder can pay here; [] when nothing (employees, retirees, all paid up). Idempotent read. */
  premiumsDue(ssn: string): Promise<PremiumDue[]>;
  /**
   * Posts an approved debit. Idempotent by txnId: a repeat with the same content answers the first
   * ref with `duplicate: true`, so a caller unsure whether a posting arrived simply repeats it.
   */
  postPremium(req: PostPremiumRequest): Promise<PostPremiumResult>;
  /** Postings made on one UTC day (YYYY-MM-DD), in posting order: the daily reconciliation. */
  postingsOn(date: string): Promise<PremiumPosting[]>;
  /** Online status of an electronic card code, by the code's jti. Idempotent read. */
  ecardStatus(jti: string): Promise<EcardStatusResult>;
  /** A turnstile's journal of gate events; idempotent by event id (sent at least once). */
  uploadGateEvents(req: GateEventUpload): Promise<GateEventUploadResult>;
}

/** Gate events from one terminal, oldest first; `id` is unique per terminal and event. */
export interface GateEventUpload {
  terminalId: string;
  events: { id: string; ts: number; status: string; data: Record<string, unknown> }[];
}

export interface GateEventUploadResult {
  accepted: number;
  duplicates: number;
}

export const BACKEND_ERROR_CODES = [
  'BACKEND_TIMEOUT',
  'BACKEND_UNAVAILABLE',
  'BACKEND_BAD_RESPONSE',
  'BACKEND_NOT_FOUND',
  'BACKEND_REJECTED',
  'LOSS_NOT_LIFTABLE',
] as const;
export type BackendErrorCode = (typeof BACKEND_ERROR_CODES)[number];

/**
 * Reasons the server gives with a rejection (BACKEND_REJECTED / LOSS_NOT_LIFTABLE). Open-ended on
 * purpose: a real agency adds its own; flows branch on the known ones and show the rest generically.
 */
export type RejectReason =
  | 'ALREADY_LOST'
  | 'CARD_BLACKLISTED'
  | 'HOLDER_DECEASED'
  | 'NOT_LOST'
  | 'FORMALLY_LOST'
  | 'REQUEST_ID_REUSED'
  | 'BAD_REQUEST'
  // postPremium:
  | 'AMOUNT_MISMATCH'
  | 'PERIODS_NOT_PAYABLE'
  | 'NOT_INSURED_FOR_ITEM'
  | 'UNKNOWN_CHOICE'
  | 'TXN_ID_REUSED'
  | (string & {});

export class BackendError extends YktError {
  declare readonly code: BackendErrorCode;
  readonly reason?: RejectReason;
  /** The interface method that failed (e.g. 'contributions'). */
  readonly op: string;
  constructor(code: BackendErrorCode, op: string, message: string, options?: { reason?: string; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.op = op;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

export function isBackendError(err: unknown, code?: BackendErrorCode): err is BackendError {
  return err instanceof BackendError && (code === undefined || err.code === code);
}
