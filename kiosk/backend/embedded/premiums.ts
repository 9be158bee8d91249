/**
 * What a holder can pay at the kiosk, derived from their insured types and records (pure: the
 * SQLite side is premium-ledger.ts). Demo rules, documented in docs/backend.md "Premiums due":
 *
 * - flexible pension / medical (monthly): the months on record as `arrears` in the flexible scheme,
 *   then every month of the current year up to the current one (from the insured `since`) that is
 *   not paid. Choices: bases of 60/80/100/200/300% of the local average wage; default: the nearest
 *   to the base last used.
 * - resident pension (yearly): the current year unless paid (plus years on record as arrears);
 *   grades 100…1,000, 1,500, 2,000 yuan; default the grade last paid (else 500).
 * - resident medical (yearly): the year being collected — the current one until August, the next
 *   from September (the usual 征缴期) — unless paid; one choice, `yearly`.
 *
 * "Current" is the backend's clock, in UTC like every date the embedded backend keeps.
 */
import type { ContributionRecord, InsuredType, PremiumChoice, PremiumDue, PremiumItem } from '../interface.js';
import { PREMIUM_ITEMS } from '../interface.js';
import {
  DEFAULT_LOCAL_AVERAGE_WAGE_FEN,
  DEFAULT_RESIDENT_PENSION_GRADE_YUAN,
  FLEXIBLE_BASE_PERCENTS,
  FLEXIBLE_RATES,
  MAX_MONTHS_PER_PAYMENT,
  MAX_YEARS_PER_PAYMENT,
  RESIDENT_MEDICAL_COLLECTION_OPENS,
  RESIDENT_PENSION_GRADES_YUAN,
  flexibleBaseFen,
  monthsBetween,
  partFen,
  residentMedicalYuan,
} from './rates.js';

/** Backend-wide premium figures (scenario `backend.premiums`). */
export interface PremiumConfig {
  /** 100% base for flexible workers, fen/month. Default 7,500 yuan. */
  averageWageFen?: number;
  /** Resident medical premium, fen/year. Default: the demo table (400 yuan from 2024). */
  residentMedicalFen?: number;
}

/** A scenario's explicit list of what one item is due for (replaces the derived periods). */
export interface DueOverride {
  item: PremiumItem;
  periods: string[];
}

/** Per-holder premium settings (scenario `backend.holders.<ssn>.premiums`). */
export interface HolderPremiumPlan extends PremiumConfig {
  /** When given, exactly these items are due ([] = nothing), for these periods minus paid ones. */
  due?: DueOverride[];
}

export const ITEM_PARTS: Record<PremiumItem, { type: 'pension' | 'medical'; scheme: 'flexible' | 'resident'; unit: 'month' | 'year' }> = {
  'flexible-pension': { type: 'pension', scheme: 'flexible', unit: 'month' },
  'flexible-medical': { type: 'medical', scheme: 'flexible', unit: 'month' },
  'resident-pension': { type: 'pension', scheme: 'resident', unit: 'year' },
  'resident-medical': { type: 'medical', scheme: 'resident', unit: 'year' },
};

/** The contribution month a period is recorded on: resident years on January, as in the seed. */
export function recordMonthOf(item: PremiumItem, period: string): string {
  return ITEM_PARTS[item].unit === 'year' ? `${period}-01` : period;
}

/** The item a holder's insured entry makes them pay themselves, if any (not while retired/terminated). */
export function itemOfInsured(i: InsuredType): PremiumItem | undefined {
  if (i.status !== 'active' && i.status !== 'suspended') return undefined;
  return PREMIUM_ITEMS.find((item) => ITEM_PARTS[item].type === i.type && ITEM_PARTS[item].scheme === i.scheme);
}

export function monthOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

function uniqueSorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** The choice whose value is nearest to `value` (ties: the lower, i.e. the earlier in the list). */
function nearest(choices: readonly PremiumChoice[], value: number, of: (c: PremiumChoice) => number): PremiumChoice {
  let best = choices[0]!;
  for (const c of choices) if (Math.abs(of(c) - value) < Math.abs(of(best) - value)) best = c;
  return best;
}

function latest(records: readonly ContributionRecord[], pred: (r: ContributionRecord) => boolean): ContributionRecord | undefined {
  let out: ContributionRecord | undefined;
  for (const r of records) if (pred(r) && (!out || r.yearMonth > out.yearMonth)) out = r;
  return out;
}

function choicesOf(
  item: PremiumItem,
  periods: readonly string[],
  records: readonly ContributionRecord[],
  cfg: PremiumConfig,
): { choices: PremiumChoice[]; defaultChoiceId: string } {
  const { type, scheme } = ITEM_PARTS[item];
  if (scheme === 'flexible') {
    const rate = FLEXIBLE_RATES[type]!;
    const avg = cfg.averageWageFen ?? DEFAULT_LOCAL_AVERAGE_WAGE_FEN;
    const choices = FLEXIBLE_BASE_PERCENTS.map((pct) => {
      const baseFen = flexibleBaseFen(avg, pct);
      return { id: `base-${baseFen / 100}`, amountFen: partFen(baseFen, rate.personalBp), baseFen };
    });
    const mine = (r: ContributionRecord) => r.type === type && r.scheme === 'flexible';
    const last = latest(records, (r) => mine(r) && r.status === 'paid') ?? latest(records, mine);
    return { choices, defaultChoiceId: last ? nearest(choices, last.baseFen, (c) => c.baseFen ?? 0).id : choices[0]!.id };
  }
  if (type === 'pension') {
    const choices = RESIDENT_PENSION_GRADES_YUAN.map((y) => ({ id: `grade-${y}`, amountFen: y * 100, gradeFen: y * 100 }));
    const last = latest(records, (r) => r.type === 'pension' && r.scheme === 'resident' && r.status === 'paid');
    const gradeFen = last?.personalFen ?? DEFAULT_RESIDENT_PENSION_GRADE_YUAN * 100;
    return { choices, defaultChoiceId: nearest(choices, gradeFen, (c) => c.gradeFen ?? 0).id };
  }
  const year = Number(periods[periods.length - 1]);
  return { choices: [{ id: 'yearly', amountFen: cfg.residentMedicalFen ?? residentMedicalYuan(year) * 100 }], defaultChoiceId: 'yearly' };
}

/** Periods due by the demo rules (see the header), before removing paid ones. */
function derivedPeriods(item: PremiumItem, insured: InsuredType, records: readonly ContributionRecord[], now: number): string[] {
  const { type, scheme, unit } = ITEM_PARTS[item];
  const month = monthOf(now);
  const year = Number(month.slice(0, 4));
  const owed = records
    .filter((r) => r.type === type && r.scheme === scheme && r.status === 'arrears' && r.yearMonth <= month)
    .map((r) => (unit === 'year' ? r.yearMonth.slice(0, 4) : r.yearMonth));
  if (unit === 'month') {
    const from = insured.since > `${year}-01` ? insured.since : `${year}-01`;
    return [...owed, ...(from <= month ? monthsBetween(from, month) : [])];
  }
  const target = type === 'medical' && Number(month.slice(5)) >= RESIDENT_MEDICAL_COLLECTION_OPENS ? year + 1 : year;
  return insured.since.slice(0, 4) <= String(target) ? [...owed, String(target)] : owed;
}

/**
 * The holder's premiums due, in PREMIUM_ITEMS order; items with nothing payable are left out.
 * `plan.due`, when given, replaces the derivation (a scenario shaping exactly what is owed).
 */
export function computeDues(o: {
  insured: readonly InsuredType[];
  records: readonly ContributionRecord[];
  now: number;
  config?: PremiumConfig;
  plan?: HolderPremiumPlan;
}): PremiumDue[] {
  const cfg: PremiumConfig = { ...o.config, ...stripUndefined({ averageWageFen: o.plan?.averageWageFen, residentMedicalFen: o.plan?.residentMedicalFen }) };
  const paid = new Set(o.records.filter((r) => r.status === 'paid').map((r) => `${r.type}|${r.yearMonth}`));
  const current = monthOf(o.now);
  const out: PremiumDue[] = [];
  for (const item of PREMIUM_ITEMS) {
    const { type, scheme, unit } = ITEM_PARTS[item];
    let raw: string[];
    if (o.plan?.due) {
      const d = o.plan.due.find((x) => x.item === item);
      if (!d) continue;
      raw = d.periods;
    } else {
      const ins = o.insured.find((i) => itemOfInsured(i) === item);
      if (!ins) continue;
      raw = derivedPeriods(item, ins, o.records, o.now);
    }
    const periods = uniqueSorted(raw).filter((p) => !paid.has(`${type}|${recordMonthOf(item, p)}`));
    if (periods.length === 0) continue;
    const now = unit === 'month' ? current : current.slice(0, 4);
    out.push({
      item,
      type,
      scheme,
      unit,
      periods,
      arrears: periods.filter((p) => p < now),
      ...choicesOf(item, periods, o.records, cfg),
      maxPeriods: unit === 'month' ? MAX_MONTHS_PER_PAYMENT : MAX_YEARS_PER_PAYMENT,
    });
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The contribution record a posted period becomes: all personal, no employer part. */
export function postedRecord(item: PremiumItem, period: string, choice: PremiumChoice): ContributionRecord {
  const { type, scheme } = ITEM_PARTS[item];
  return {
    type,
    scheme,
    yearMonth: recordMonthOf(item, period),
    // Resident premiums have grades, not a base (0, as in the seed).
    baseFen: scheme === 'flexible' ? (choice.baseFen ?? 0) : 0,
    employerFen: 0,
    personalFen: choice.amountFen,
    status: 'paid',
    employer: scheme === 'flexible' ? '灵活就业' : '城乡居民',
  };
}
