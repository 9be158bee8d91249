/**
 * The REST wire format shared by the HTTP client and the embedded server. Both sides validate with
 * these schemas: the client every response (a malformed one becomes BACKEND_BAD_RESPONSE, never a
 * crash deeper in a flow), the server every request body and query.
 */
import { z } from 'zod';
import {
  CARD_STATUSES,
  INSURANCE_TYPES,
  INSURED_STATUSES,
  PREMIUM_ITEMS,
  SCHEMES,
  type AccountBalances,
  type BlacklistPage,
  type CardStatusResult,
  type EcardStatusResult,
  type ContributionRecord,
  type HolderProfile,
  type LossResult,
  type MedicalDebitResult,
  type MedicalReversalResult,
  type MedicalTransaction,
  type MedicalTransactions,
  type PostPremiumResult,
  type PremiumDue,
  type PremiumPosting,
  type Statement,
  type StatementVerification,
} from './interface.js';

export const Ssn = z.string().regex(/^\d{17}[\dX]$/, 'ssn must be an 18-character citizen ID number');
export const CardNumber = z.string().regex(/^[A-Z0-9]{9}$/, 'cardNumber is 9 letters/digits');
export const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month is YYYY-MM');
const Fen = z.number().int().min(0);
const RequestId = z.string().min(8).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'requestId: letters, digits, . _ : -');
const TerminalId = z.string().min(1).max(32);
const Year = z.coerce.number().int().min(1950).max(2100);
export const YearText = z.string().regex(/^\d{4}$/, 'year is YYYY');
/** A premium period: YYYY-MM (monthly items) or YYYY (yearly items). */
export const PremiumPeriod = z.union([YearMonth, YearText]);
export const IsoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date is YYYY-MM-DD');
const IsoTimestamp = z.iso.datetime({ offset: true });
/** Kebab-case: the UI builds the control name `choice-<id>` from it. */
const ChoiceId = z.string().min(1).max(32).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'choice id is kebab-case');

export const InsuranceTypeSchema = z.enum(INSURANCE_TYPES);
export const SchemeSchema = z.enum(SCHEMES);
export const CardStatusSchema = z.enum(CARD_STATUSES);
export const InsuredStatusSchema = z.enum(INSURED_STATUSES);
export const PremiumItemSchema = z.enum(PREMIUM_ITEMS);

// ---- requests -------------------------------------------------------------------------------

export const ReportLossBody = z.object({ kind: z.enum(['temporary', 'formal']), terminalId: TerminalId, requestId: RequestId }).strict();
export const LiftLossBody = z.object({ terminalId: TerminalId, requestId: RequestId }).strict();
export const StatementBody = z
  .object({
    kind: z.enum(['proof', 'detail']),
    months: z.number().int().min(1).max(600).optional(),
    terminalId: TerminalId.optional(),
    requestId: RequestId,
  })
  .strict();
export const ContributionsQuery = z
  .object({ type: InsuranceTypeSchema.optional(), fromYear: Year.optional(), toYear: Year.optional() })
  .strict();
/** Most entries one blacklist page may carry: 100k × ~35 bytes stays under the client's 4 MiB cap. */
export const BLACKLIST_PAGE_MAX = 100_000;
/** 卡识别码 as the blacklist carries it: 1–32 hex digits (the chip's `cn`, F padding optional). */
const CARD_ID_CODE = /^[0-9A-F]{1,32}$/i;
const CARD_ID_CODE_MESSAGE = 'card identification code is 1–32 hex digits';
export const CardIdCode = z.string().regex(CARD_ID_CODE, CARD_ID_CODE_MESSAGE);
/**
 * A blacklist page's ids: one regex loop rather than a schema per element, which costs ~4× more
 * on a 50,000-id page. Issues still name the entry (`add.17`).
 */
const CardIdCodes = z
  .array(z.string())
  .max(BLACKLIST_PAGE_MAX)
  .superRefine((ids, ctx) => {
    for (let i = 0; i < ids.length; i++) {
      if (!CARD_ID_CODE.test(ids[i]!)) return void ctx.addIssue({ code: 'custom', path: [i], message: CARD_ID_CODE_MESSAGE });
    }
  });
export const BlacklistQuery = z
  .object({
    since: z.coerce.number().int().min(0),
    cursor: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(BLACKLIST_PAGE_MAX).optional(),
  })
  .strict();
/** The posting body (the ssn travels in it: the posting collection is keyed by txnId, not holder). */
export const PostPremiumBody = z
  .object({
    txnId: RequestId,
    ssn: Ssn,
    item: PremiumItemSchema,
    choiceId: ChoiceId,
    periods: z.array(PremiumPeriod).min(1).max(24),
    amountFen: Fen.positive(),
    terminalId: TerminalId,
    bankRef: z.string().min(1).max(64),
    paidAt: IsoTimestamp,
  })
  .strict();
export const PostingsQuery = z.object({ date: IsoDate }).strict();

// ---- responses ------------------------------------------------------------------------------

export const CardStatusResponse = z
  .object({ status: CardStatusSchema, since: z.string().optional() })
  .strict() satisfies z.ZodType<CardStatusResult>;

export const LossResponse = z.object({ ref: z.string().min(1).max(64) }).strict() satisfies z.ZodType<LossResult>;

export const HolderProfileResponse = z
  .object({
    ssn: Ssn,
    name: z.string().min(1).max(64),
    sex: z.enum(['male', 'female']),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    employer: z.string().nullable(),
    agency: z.string(),
    insured: z.array(
      z.object({ type: InsuranceTypeSchema, scheme: SchemeSchema, status: InsuredStatusSchema, since: YearMonth }).strict(),
    ),
  })
  .strict() satisfies z.ZodType<HolderProfile>;

export const ContributionRecordSchema = z
  .object({
    type: InsuranceTypeSchema,
    scheme: SchemeSchema,
    yearMonth: YearMonth,
    baseFen: Fen,
    employerFen: Fen,
    personalFen: Fen,
    status: z.enum(['paid', 'arrears']),
    employer: z.string(),
  })
  .strict() satisfies z.ZodType<ContributionRecord>;

export const ContributionsResponse = z.object({ records: z.array(ContributionRecordSchema) }).strict();

const Balance = z.object({ balanceFen: z.number().int(), asOf: z.string() }).strict();
export const AccountsResponse = z
  .object({ pension: Balance.nullable(), medical: Balance.nullable() })
  .strict() satisfies z.ZodType<AccountBalances>;

export const StatementResponse = z
  .object({
    code: z.string().min(8).max(64),
    kind: z.enum(['proof', 'detail']),
    issuedAt: z.string(),
    issuingAgency: z.string(),
    terminalId: z.string().nullable(),
    holder: z.object({ ssn: Ssn, name: z.string(), sex: z.enum(['male', 'female']), employer: z.string().nullable() }).strict(),
    summaries: z.array(
      z
        .object({
          type: InsuranceTypeSchema,
          scheme: SchemeSchema,
          status: InsuredStatusSchema,
          firstMonth: YearMonth.nullable(),
          lastMonth: YearMonth.nullable(),
          totalMonths: z.number().int().min(0),
          arrearsMonths: z.number().int().min(0),
        })
        .strict(),
    ),
    lines: z.array(ContributionRecordSchema),
  })
  .strict() satisfies z.ZodType<Statement>;

export const VerificationResponse = z
  .object({
    valid: z.boolean(),
    code: z.string(),
    kind: z.enum(['proof', 'detail']).optional(),
    issuedAt: z.string().optional(),
    issuingAgency: z.string().optional(),
    holderName: z.string().optional(),
    ssn: z.string().optional(),
    lineCount: z.number().int().min(0).optional(),
  })
  .strict() satisfies z.ZodType<StatementVerification>;

export const BlacklistResponse = z
  .object({
    version: z.number().int().min(0),
    full: z.boolean(),
    from: z.number().int().min(0).optional(),
    total: z.number().int().min(0).optional(),
    add: CardIdCodes,
    remove: CardIdCodes,
    next: z.string().min(1).max(64).optional(),
  })
  .strict() satisfies z.ZodType<BlacklistPage>;

export const PremiumChoiceSchema = z
  .object({ id: ChoiceId, amountFen: Fen.positive(), baseFen: Fen.optional(), gradeFen: Fen.optional() })
  .strict();

/**
 * Checked beyond shape: an answer whose parts contradict each other (a default that is not a
 * choice, arrears that are not payable, a period of the wrong unit) would mislead the pay screens.
 */
export const PremiumDueSchema = z
  .object({
    item: PremiumItemSchema,
    type: z.enum(['pension', 'medical']),
    scheme: z.enum(['flexible', 'resident']),
    unit: z.enum(['month', 'year']),
    periods: z.array(PremiumPeriod).min(1),
    arrears: z.array(PremiumPeriod),
    choices: z.array(PremiumChoiceSchema).min(1),
    defaultChoiceId: ChoiceId,
    maxPeriods: z.number().int().min(1).max(120),
  })
  .strict()
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (d.item !== `${d.scheme}-${d.type}`) issue('item', `item ${d.item} does not match ${d.scheme}/${d.type}`);
    const shape = d.unit === 'month' ? YearMonth : YearText;
    if (d.periods.some((p) => !shape.safeParse(p).success)) issue('periods', `periods must be ${d.unit === 'month' ? 'YYYY-MM' : 'YYYY'}`);
    if (d.periods.some((p, i) => i > 0 && p <= d.periods[i - 1]!)) issue('periods', 'periods must be ascending and unique');
    if (d.arrears.some((p) => !d.periods.includes(p))) issue('arrears', 'arrears must be payable periods');
    if (!d.choices.some((c) => c.id === d.defaultChoiceId)) issue('defaultChoiceId', 'default choice is not among the choices');
    if (new Set(d.choices.map((c) => c.id)).size !== d.choices.length) issue('choices', 'choice ids must be unique');
  }) satisfies z.ZodType<PremiumDue>;

export const PremiumsDueResponse = z.object({ dues: z.array(PremiumDueSchema) }).strict();

export const PostPremiumResponse = z
  .object({ ref: z.string().min(1).max(64), duplicate: z.boolean() })
  .strict() satisfies z.ZodType<PostPremiumResult>;

export const PremiumPostingSchema = z
  .object({
    txnId: RequestId,
    ssn: Ssn,
    item: PremiumItemSchema,
    amountFen: Fen,
    periods: z.array(PremiumPeriod),
    ref: z.string().min(1).max(64),
    postedAt: IsoTimestamp,
  })
  .strict() satisfies z.ZodType<PremiumPosting>;

export const PostingsResponse = z.object({ postings: z.array(PremiumPostingSchema) }).strict();

// ---- medical insurance personal account (payments of registration fees) ----------------------

export const MedicalDebitBody = z
  .object({
    txnId: RequestId,
    amountFen: Fen.positive().max(10_000_000_000),
    terminalId: TerminalId,
    description: z.string().max(200),
  })
  .strict();
export const MedicalReversalBody = z.object({ txnId: RequestId }).strict();
const MedicalRef = z.string().min(1).max(64);
const DeclineReason = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'declineReason is an UPPER_SNAKE code');
export const MedicalDebitResponse = z.discriminatedUnion('outcome', [
  z.object({ txnId: RequestId, outcome: z.literal('approved'), ref: MedicalRef, balanceFen: Fen, duplicate: z.boolean() }).strict(),
  z.object({ txnId: RequestId, outcome: z.literal('declined'), declineReason: DeclineReason, duplicate: z.boolean() }).strict(),
]) satisfies z.ZodType<MedicalDebitResult>;
export const MedicalReversalResponse = z.object({ txnId: RequestId, reversed: z.boolean() }).strict() satisfies z.ZodType<MedicalReversalResult>;

/** The ledger of one Beijing business day, for the daily reconciliation (docs/payments.md). */
export const MedicalTransactionsQuery = z.object({ date: IsoDate }).strict();
export const MedicalTransactionSchema = z
  .object({
    txnId: RequestId,
    terminalId: TerminalId,
    amountFen: z.number().int(),
    status: z.enum(['approved', 'declined', 'reversed']),
    ref: MedicalRef.nullable(),
    reason: z.string().nullable(),
    description: z.string(),
    /** ISO 8601 UTC: when the debit was decided. */
    at: z.string(),
    /** ISO 8601 UTC: when an approved debit was reversed. */
    reversedAt: z.string().nullable(),
  })
  .strict() satisfies z.ZodType<MedicalTransaction>;
export const MedicalTransactionsResponse = z
  .object({
    date: IsoDate,
    transactions: z.array(MedicalTransactionSchema),
    /** Reversals that found no debit (the txnId is barred). The ledger does not keep their terminal. */
    reversalsWithoutDebit: z.array(z.object({ txnId: RequestId, at: z.string() }).strict()),
  })
  .strict() satisfies z.ZodType<MedicalTransactions>;

// ---- electronic card codes (docs/ecard.md) ----------------------------------------------------

export const GateEventsBody = z
  .object({
    terminalId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/),
    events: z
      .array(
        z
          .object({
            id: z.string().min(1).max(80),
            ts: z.number().int().min(0),
            status: z.string().min(1).max(32),
            data: z.record(z.string(), z.unknown()),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();

export const GateEventsResponse = z.object({ accepted: z.number().int().min(0), duplicates: z.number().int().min(0) }).strict();

export const EcardJti = z.string().regex(/^[0-9a-f]{16}$/, 'jti is 16 lowercase hex');
/** Embedded backend only (demo, scenarios, /sim): codes that fail verification in a chosen way. */
export const EcardIssueVariant = z.enum(['valid', 'expired', 'tampered', 'foreign']);
export type EcardIssueVariant = z.infer<typeof EcardIssueVariant>;
/** The ssn picks the holder; cardNumber only picks among their cards (card numbers repeat across regions). */
export const IssueEcardBody = z
  .object({
    ssn: Ssn,
    cardNumber: CardNumber.optional(),
    ttlSec: z.number().int().min(5).max(86_400).optional(),
    variant: EcardIssueVariant.optional(),
  })
  .strict();
export const IssueEcardResponse = z.object({ code: z.string().min(1).max(512), jti: EcardJti, exp: z.number().int().min(0) }).strict();
export const EcardStatusResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('unknown') }).strict(),
  z.object({ status: z.enum(['valid', 'revoked']), cardStatus: CardStatusSchema, ssn: Ssn, name: z.string().min(1).max(64) }).strict(),
]) satisfies z.ZodType<EcardStatusResult>;

/** Error body for every non-2xx answer. `code` is the server's, mapped to BackendErrorCode by the client. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(['NOT_FOUND', 'REJECTED', 'LOSS_NOT_LIFTABLE', 'BAD_REQUEST', 'UNAVAILABLE', 'INTERNAL']),
    reason: z.string().optional(),
    message: z.string(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

// ---- routes ---------------------------------------------------------------------------------

const enc = encodeURIComponent;
/** Path builders: the one place both sides agree on URLs. */
export const paths = {
  holder: (ssn: string) => `/v1/holders/${enc(ssn)}`,
  cardStatus: (ssn: string, card: string) => `/v1/holders/${enc(ssn)}/cards/${enc(card)}/status`,
  lossReports: (ssn: string, card: string) => `/v1/holders/${enc(ssn)}/cards/${enc(card)}/loss-reports`,
  lossLifts: (ssn: string, card: string) => `/v1/holders/${enc(ssn)}/cards/${enc(card)}/loss-lifts`,
  contributions: (ssn: string) => `/v1/holders/${enc(ssn)}/contributions`,
  accounts: (ssn: string) => `/v1/holders/${enc(ssn)}/accounts`,
  statements: (ssn: string) => `/v1/holders/${enc(ssn)}/statements`,
  verification: (code: string) => `/v1/statements/${enc(code)}/verification`,
  blacklist: () => `/v1/blacklist`,
  premiumsDue: (ssn: string) => `/v1/holders/${enc(ssn)}/premiums-due`,
  premiumPostings: () => `/v1/premium-postings`,
  ecardCodes: () => `/v1/ecard/codes`,
  ecardStatus: (jti: string) => `/v1/ecard/${enc(jti)}/status`,
  gateEvents: (terminalId: string) => `/v1/terminals/${enc(terminalId)}/gate-events`,
  medicalDebits: (ssn: string) => `/v1/holders/${enc(ssn)}/medical-account/debits`,
  medicalReversals: () => `/v1/medical-account/reversals`,
  medicalTransactions: () => `/v1/medical-account/transactions`,
};
