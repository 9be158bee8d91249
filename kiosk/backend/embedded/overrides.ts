/**
 * Scenario `backend` overrides of the embedded backend's seed, validated strictly: the scenario
 * format is a public interface, so a typo must fail the file, not silently seed nothing.
 */
import { z } from 'zod';
import { resolveCardProfile, type CardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import type { ContributionRecord, InsuranceType, InsuredType } from '../interface.js';
import {
  CardNumber,
  CardStatusSchema,
  InsuranceTypeSchema,
  InsuredStatusSchema,
  PremiumItemSchema,
  SchemeSchema,
  Ssn,
  YearMonth,
  YearText,
} from '../wire.js';
import { ITEM_PARTS } from './premiums.js';
import { monthsBetween, partFen, rateFor } from './rates.js';
import { AGENCY_BEIJING, birthDateOfSsn, pensionCreditsFen, seedCardOf, sexOfSsn, type SeedHolder } from './seed-data.js';

/** Operation names a fault can target; `*` targets every route. */
export const BACKEND_OPERATIONS = [
  'cardStatus',
  'reportLoss',
  'liftLoss',
  'holderProfile',
  'contributions',
  'accountBalances',
  'statement',
  'verifyStatement',
  'blacklistSince',
  'premiumsDue',
  'postPremium',
  'postingsOn',
  'ecardStatus',
  'issueEcardCode',
  'uploadGateEvents',
  'medicalDebit',
  'medicalReversal',
  'medicalTransactionsOn',
] as const;
export type BackendOperation = (typeof BACKEND_OPERATIONS)[number];
export const FaultTarget = z.enum([...BACKEND_OPERATIONS, '*']);

const Fen = z.number().int().min(0);

/** A run of months with the same base; amounts follow the scheme's demo rates unless given. */
export const ContributionOverride = z
  .object({
    type: InsuranceTypeSchema,
    scheme: SchemeSchema.default('employee'),
    from: YearMonth,
    to: YearMonth.optional(),
    baseFen: Fen,
    employerFen: Fen.optional(),
    personalFen: Fen.optional(),
    status: z.enum(['paid', 'arrears']).default('paid'),
    employer: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => c.to === undefined || c.to >= c.from, { message: 'to is before from', path: ['to'] });

/** Backend-wide premium figures; a holder's `premiums` may override them. */
export const PremiumConfigOverride = z
  .object({
    /** 100% flexible base, fen/month (choices are 60/80/100/200/300% of it). Default 750000. */
    averageWageFen: Fen.min(1000_00).max(100_000_00).optional(),
    /** Resident medical premium, fen/year. Default 40000 (from 2024). */
    residentMedicalFen: Fen.min(1).max(100_000_00).optional(),
  })
  .strict();

/** One item due for exactly these periods (YYYY-MM for flexible items, YYYY for resident ones). */
export const DueOverride = z
  .object({ item: PremiumItemSchema, periods: z.array(z.union([YearMonth, YearText])).min(1).max(60) })
  .strict()
  .superRefine((d, ctx) => {
    const shape = ITEM_PARTS[d.item].unit === 'month' ? YearMonth : YearText;
    d.periods.forEach((p, i) => {
      if (!shape.safeParse(p).success) {
        ctx.addIssue({ code: 'custom', path: ['periods', i], message: `${d.item} periods are ${ITEM_PARTS[d.item].unit === 'month' ? 'YYYY-MM' : 'YYYY'}` });
      }
    });
  });

export const HolderPremiumsOverride = PremiumConfigOverride.extend({
  /** Replaces what is derived: exactly these items are due ([] = nothing), minus periods paid. */
  due: z
    .array(DueOverride)
    .refine((ds) => new Set(ds.map((d) => d.item)).size === ds.length, { message: 'an item is listed twice' })
    .optional(),
}).strict();

export const CardOverride = z
  .object({
    cardNumber: CardNumber,
    cardIdCode: z.string().regex(/^\d{6}D156000005[0-9A-F]{8}$/, 'cardIdCode: region + D156000005 + 8 hex digits').optional(),
    /** Left out: the card keeps its seeded status (normal for a new card). */
    status: CardStatusSchema.optional(),
    since: z.string().optional(),
  })
  .strict();

export const HolderOverride = z
  .object({
    name: z.string().min(1).max(64).optional(),
    sex: z.enum(['male', 'female']).optional(),
    employer: z.string().min(1).nullable().optional(),
    agency: z.string().min(1).optional(),
    /** Shortcut: the status of every card of this holder. */
    status: CardStatusSchema.optional(),
    /** Cards added, or replaced by card number. */
    cards: z.array(CardOverride).optional(),
    /** Replaces the insured list; derived from contributions when those are given and this is not. */
    insured: z
      .array(z.object({ type: InsuranceTypeSchema, scheme: SchemeSchema, status: InsuredStatusSchema, since: YearMonth }).strict())
      .optional(),
    /** Replaces the whole history; `[]` makes a holder with no records. */
    contributions: z.array(ContributionOverride).optional(),
    accounts: z.object({ pensionFen: Fen.nullable().optional(), medicalFen: Fen.nullable().optional() }).strict().optional(),
    /** What this holder can pay at the kiosk (otherwise derived from insured + contributions). */
    premiums: HolderPremiumsOverride.optional(),
  })
  .strict();

export const BackendSeedOverrides = z
  .object({
    holders: z.record(Ssn, HolderOverride).optional(),
    premiums: PremiumConfigOverride.optional(),
    timeoutOn: FaultTarget.optional(),
    failOn: FaultTarget.optional(),
    badResponseOn: FaultTarget.optional(),
  })
  .strict();
export type BackendSeedOverrides = z.input<typeof BackendSeedOverrides>;
/** The validated form (defaults filled in). */
export type ParsedBackendSeed = z.output<typeof BackendSeedOverrides>;
type ParsedOverrides = ParsedBackendSeed;
type ParsedHolder = z.output<typeof HolderOverride>;

function expand(c: z.output<typeof ContributionOverride>, fallbackEmployer: string): ContributionRecord[] {
  const rate = rateFor(c.scheme, c.type);
  const employer = c.employer ?? (c.scheme === 'flexible' ? '灵活就业' : c.scheme === 'resident' ? '城乡居民' : fallbackEmployer);
  return monthsBetween(c.from, c.to ?? c.from).map((yearMonth) => ({
    type: c.type,
    scheme: c.scheme,
    yearMonth,
    baseFen: c.baseFen,
    employerFen: c.employerFen ?? (rate ? partFen(c.baseFen, rate.employerBp) : 0),
    personalFen: c.personalFen ?? (rate ? partFen(c.baseFen, rate.personalBp) : 0),
    status: c.status,
    employer,
  }));
}

/** Each insured type with records: active since its first month, in the scheme of its last. */
function deriveInsured(records: readonly ContributionRecord[]): InsuredType[] {
  const byType = new Map<InsuranceType, ContributionRecord[]>();
  for (const r of records) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return [...byType.entries()].map(([type, rs]) => {
    const sorted = [...rs].sort((a, b) => a.yearMonth.localeCompare(b.yearMonth));
    return { type, scheme: sorted[sorted.length - 1]!.scheme, status: 'active', since: sorted[0]!.yearMonth };
  });
}

function newHolder(ssn: string): SeedHolder {
  return {
    ssn,
    name: '参保人',
    sex: sexOfSsn(ssn),
    birthDate: birthDateOfSsn(ssn),
    employer: null,
    agency: AGENCY_BEIJING,
    cards: [],
    insured: [],
    contributions: [],
    accounts: { pensionFen: null, medicalFen: null },
  };
}

function applyHolder(h: SeedHolder, o: ParsedHolder): void {
  if (o.name !== undefined) h.name = o.name;
  if (o.sex !== undefined) h.sex = o.sex;
  if (o.employer !== undefined) h.employer = o.employer;
  if (o.agency !== undefined) h.agency = o.agency;
  for (const c of o.cards ?? []) {
    const i = h.cards.findIndex((x) => x.cardNumber === c.cardNumber);
    const status = c.status ?? h.cards[i]?.status ?? 'normal';
    const since = c.since ?? (c.status === undefined ? h.cards[i]?.since : undefined);
    const card = { ...seedCardOf({ ssn: h.ssn, cardNumber: c.cardNumber }, status, since), ...(c.cardIdCode ? { cardIdCode: c.cardIdCode } : {}) };
    if (i >= 0) h.cards[i] = card;
    else h.cards.push(card);
  }
  // A holder named only by ssn still needs a card for cardStatus: the simulator's default number.
  if (h.cards.length === 0) h.cards.push(seedCardOf({ ssn: h.ssn }));
  if (o.status !== undefined) for (const c of h.cards) c.status = o.status;
  if (o.contributions !== undefined) {
    h.contributions = o.contributions.flatMap((c) => expand(c, h.employer ?? '未登记单位'));
    h.accounts.pensionFen = h.contributions.some((r) => r.type === 'pension') ? pensionCreditsFen(h.contributions) : null;
    if (o.insured === undefined) h.insured = deriveInsured(h.contributions);
  }
  if (o.insured !== undefined) h.insured = o.insured;
  if (o.accounts?.pensionFen !== undefined) h.accounts.pensionFen = o.accounts.pensionFen;
  if (o.accounts?.medicalFen !== undefined) h.accounts.medicalFen = o.accounts.medicalFen;
  if (o.premiums !== undefined) h.premiums = { ...h.premiums, ...o.premiums };
}

/** Returns the seed with the overrides applied (the input list is modified and returned). */
export function applyOverrides(holders: SeedHolder[], overrides: ParsedOverrides): SeedHolder[] {
  for (const [ssn, o] of Object.entries(overrides.holders ?? {})) {
    let h = holders.find((x) => x.ssn === ssn);
    if (!h) {
      h = newHolder(ssn);
      holders.push(h);
    }
    applyHolder(h, o);
  }
  return holders;
}

/**
 * Overrides that make the backend know the scenario's simulated cards: each card's holder (created
 * when unknown) gets the card's number and identification code, and the card's `status` when the
 * profile sets one (lost, blacklisted, dead-holder are backend facts, not chip facts).
 */
export function overridesForCards(profiles: readonly CardProfile[]): ParsedOverrides {
  const holders: Record<string, ParsedHolder> = {};
  for (const p of profiles) {
    const ssn = resolveCardProfile(p).ssn;
    const card = seedCardOf(p);
    const entry = holders[ssn] ?? {};
    entry.cards = [
      ...(entry.cards ?? []),
      { cardNumber: card.cardNumber, cardIdCode: card.cardIdCode, ...(p.status !== undefined ? { status: p.status } : {}) },
    ];
    if (p.name !== undefined) entry.name = p.name;
    holders[ssn] = entry;
  }
  return { holders };
}
