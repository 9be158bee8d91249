/**
 * Demo contribution arithmetic for the embedded backend's seed. These are APPROXIMATIONS chosen to
 * look plausible on a statement, not any city's legal rates: today's Beijing-like rates are applied
 * to every year, and personal accounts earn no interest. See docs/backend.md.
 */
import type { InsuranceType, Scheme } from '../interface.js';

/** Rates in basis points (1/100 of a percent) so that every amount stays integer arithmetic. */
export interface Rate {
  employerBp: number;
  personalBp: number;
}

/** Urban employees: pension 16/8, medical 9.8/2, unemployment 0.5/0.5, injury ~0.4/0, maternity 0.8/0. */
export const EMPLOYEE_RATES: Record<InsuranceType, Rate> = {
  pension: { employerBp: 1600, personalBp: 800 },
  medical: { employerBp: 980, personalBp: 200 },
  unemployment: { employerBp: 50, personalBp: 50 },
  injury: { employerBp: 40, personalBp: 0 },
  maternity: { employerBp: 80, personalBp: 0 },
};

/**
 * Flexible workers pay everything themselves: pension 20% of the chosen base (8 points of it to the
 * personal account), medical 8% (demo figure). They have no unemployment, injury or maternity cover.
 */
export const FLEXIBLE_RATES: Partial<Record<InsuranceType, Rate>> = {
  pension: { employerBp: 0, personalBp: 2000 },
  medical: { employerBp: 0, personalBp: 800 },
};
export const FLEXIBLE_PENSION_ACCOUNT_BP = 800;

/**
 * Monthly average wage (yuan) used as the 100% contribution base, Beijing-like anchor years; years in
 * between are interpolated geometrically. 2021 on follow the published Beijing base ranges
 * (lower bound 60%, upper 300% of this figure); earlier anchors are rounded public averages.
 */
const WAGE_ANCHORS: ReadonlyArray<readonly [number, number]> = [
  [1980, 73],
  [1985, 121],
  [1990, 221],
  [1995, 679],
  [2000, 1311],
  [2005, 2849],
  [2010, 4201],
  [2015, 7086],
  [2020, 9407],
  [2023, 11297],
  [2024, 11761],
  [2025, 12183],
];

export function averageWageYuan(year: number): number {
  const first = WAGE_ANCHORS[0]!;
  const last = WAGE_ANCHORS[WAGE_ANCHORS.length - 1]!;
  if (year <= first[0]) return first[1];
  if (year >= last[0]) return last[1];
  for (let i = 1; i < WAGE_ANCHORS.length; i++) {
    const [y1, w1] = WAGE_ANCHORS[i]!;
    const [y0, w0] = WAGE_ANCHORS[i - 1]!;
    if (year <= y1) return Math.round(w0 * (w1 / w0) ** ((year - y0) / (y1 - y0)));
  }
  return last[1];
}

/** An employee's base: their wage factor × the average, clamped to 60%–300% as bases are. */
export function employeeBaseFen(year: number, factor: number): number {
  const clamped = Math.min(3, Math.max(0.6, factor));
  return Math.round(averageWageYuan(year) * clamped) * 100;
}

/** Rounds to the fen, half up, as agencies print. */
export function partFen(baseFen: number, bp: number): number {
  return Math.round((baseFen * bp) / 10_000);
}

export function rateFor(scheme: Scheme, type: InsuranceType): Rate | undefined {
  if (scheme === 'employee') return EMPLOYEE_RATES[type];
  if (scheme === 'flexible') return FLEXIBLE_RATES[type];
  return undefined;
}

/**
 * Resident medical premium per year (yuan), roughly the national minimum personal premium; 400
 * from 2024 per the domain facts (uncertain figures).
 */
export function residentMedicalYuan(year: number): number {
  const table: Record<number, number> = { 2016: 150, 2017: 180, 2018: 220, 2019: 250, 2020: 280, 2021: 320, 2022: 350, 2023: 380 };
  if (year >= 2024) return 400;
  return table[year] ?? 120;
}

// ---- premiums a citizen pays at the kiosk (issue 5; docs/backend.md "Premiums due") ----------

/**
 * The local average monthly wage flexible workers choose their base against (100%). A city's own
 * figure (the default is a Wenzhou-like demo figure, deliberately not the Beijing-like statement
 * anchors above); configurable per backend and per holder, since it changes every year.
 */
export const DEFAULT_LOCAL_AVERAGE_WAGE_FEN = 7500_00;
/** The bands offered at the kiosk, % of the average wage (some cities offer exactly these). */
export const FLEXIBLE_BASE_PERCENTS = [60, 80, 100, 200, 300] as const;
/** Resident pension grades (档次), yuan/year: the national 100…1,000, 1,500, 2,000. */
export const RESIDENT_PENSION_GRADES_YUAN = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000] as const;
export const DEFAULT_RESIDENT_PENSION_GRADE_YUAN = 500;
/** Month (1–12) from which the resident medical premium collected is next year's (征缴期). */
export const RESIDENT_MEDICAL_COLLECTION_OPENS = 9;
/** Flexible workers pay up to a year of months at once; residents one year. */
export const MAX_MONTHS_PER_PAYMENT = 12;
export const MAX_YEARS_PER_PAYMENT = 1;

/** A base in whole yuan (agencies publish bases in yuan): pct % of the average wage. */
export function flexibleBaseFen(averageWageFen: number, pct: number): number {
  return Math.round((averageWageFen * pct) / 100 / 100) * 100;
}

/** Months between two YYYY-MM values, inclusive, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
