import { INSURANCE_TYPES } from '../../kiosk/backend/interface.js';
import type { InsuranceType, RecordsOutput } from './types.js';

/**
 * What the contributions screen can page through: one tab per insurance type, one year at a time.
 * Pure functions over the records, shared by the machine (which keeps the selection) and the
 * presenter (which shows it).
 */

export const TAB_CONTROLS: Readonly<Record<InsuranceType, `tab-${InsuranceType}`>> = {
  pension: 'tab-pension',
  medical: 'tab-medical',
  unemployment: 'tab-unemployment',
  injury: 'tab-injury',
  maternity: 'tab-maternity',
};

export function tabOfControl(control: string): InsuranceType | undefined {
  return INSURANCE_TYPES.find((t) => TAB_CONTROLS[t] === control);
}

/** Years with records of this type, ascending. */
export function yearsOf(records: RecordsOutput | undefined, type: InsuranceType): number[] {
  const years = new Set<number>();
  for (const r of records?.records ?? []) if (r.type === type) years.add(Number(r.yearMonth.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/** The tab shown first: pension (what most citizens come for) unless the holder has none of it. */
export function firstTab(records: RecordsOutput): InsuranceType {
  return INSURANCE_TYPES.find((t) => records.records.some((r) => r.type === t)) ?? 'pension';
}

/** The year to show for a tab: the one already shown when the tab has it, else its latest. */
export function yearFor(records: RecordsOutput | undefined, type: InsuranceType, current?: number): number | undefined {
  const years = yearsOf(records, type);
  if (current !== undefined && years.includes(current)) return current;
  return years[years.length - 1];
}

/** The neighbouring year with records of this type, or undefined at either end. */
export function stepYear(
  records: RecordsOutput | undefined,
  type: InsuranceType,
  current: number | undefined,
  dir: -1 | 1,
): number | undefined {
  const years = yearsOf(records, type);
  if (current === undefined) return undefined;
  return dir < 0 ? [...years].reverse().find((y) => y < current) : years.find((y) => y > current);
}
