/**
 * The hospital's calendar: Asia/Shanghai local dates and times. China has kept UTC+8 without
 * daylight saving since 1991, so a fixed offset is exact and needs no time zone database (the
 * embedded HIS must run the same on a kiosk image without full ICU data).
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The local date (YYYY-MM-DD) at instant `ms`. */
export function localDate(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, n: number): string {
  return new Date(utcMidnight(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(utcMidnight(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant (ms) of local time `hhmm` on local `date`. */
export function instantOf(date: string, hhmm: string): number {
  return Date.parse(`${date}T${hhmm}:00+08:00`);
}

/** YYYYMMDD, for ids. */
export function compactDate(date: string): string {
  return date.replaceAll('-', '');
}
