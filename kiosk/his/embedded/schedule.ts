/**
 * The rolling schedule window: today and the next six days, today being the clock's date in
 * Asia/Shanghai. A day is written to SQLite the first time the window reaches it (at the seed,
 * and later as the clock moves on), with the places others have booked by then and the scenario's
 * rules applied. Days already written are never rewritten: they hold real registrations.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { PERIODS } from '../interface.js';
import { addDays, compactDate, daysBetween, isoWeekday } from './calendar.js';
import type { HisSeedOverrides, SessionRule, SlotChange } from './overrides.js';
import { CAPACITY, DOCTORS, SLOT_STARTS, seededBooked, slotEnd, type SeedDoctor } from './seed-data.js';

export const WINDOW_DAYS = 7;

export const SCHEDULE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS days (date TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS slots (
  id TEXT PRIMARY KEY, doctor_id TEXT NOT NULL, department_id TEXT NOT NULL, date TEXT NOT NULL, period TEXT NOT NULL,
  start TEXT NOT NULL, end TEXT NOT NULL, capacity INTEGER NOT NULL, booked INTEGER NOT NULL,
  CHECK (booked >= 0 AND booked <= capacity));
CREATE INDEX IF NOT EXISTS slots_by_date ON slots (date, department_id, doctor_id, start);
CREATE TABLE IF NOT EXISTS queues (
  doctor_id TEXT NOT NULL, date TEXT NOT NULL, period TEXT NOT NULL, last_number INTEGER NOT NULL,
  PRIMARY KEY (doctor_id, date, period));
`;

export function slotIdOf(doctorId: string, date: string, start: string): string {
  return `${doctorId}-${compactDate(date)}-${start.replace(':', '')}`;
}

function applyChange(s: { capacity: number; booked: number }, c: SlotChange): void {
  if (c.capacity !== undefined) {
    s.capacity = c.capacity;
    s.booked = Math.min(s.booked, c.capacity);
  }
  if (c.remaining !== undefined) s.booked = s.capacity - Math.min(c.remaining, s.capacity);
}

function matches(r: SessionRule, d: SeedDoctor, date: string, day: number, period: string, start: string): boolean {
  return (
    (r.department === undefined || r.department === d.departmentId) &&
    (r.doctor === undefined || r.doctor === d.id) &&
    (r.day === undefined || r.day === day) &&
    (r.date === undefined || r.date === date) &&
    (r.period === undefined || r.period === period) &&
    (r.start === undefined || r.start === start)
  );
}

export class Schedule {
  private openedFor: string | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly overrides: Pick<HisSeedOverrides, 'sessions' | 'slots'>,
  ) {}

  /** The date the schedule was first seeded (what a rule's `day` counts from). */
  seedDate(): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'seed_date'").get() as { value: string } | undefined)?.value;
  }

  /** Writes the days of the window starting at `today` that are not written yet. Cheap when nothing changed. */
  ensure(today: string): void {
    if (this.openedFor === today) return;
    this.db.transaction(() => {
      if (!this.seedDate()) this.db.prepare("INSERT INTO meta VALUES ('seed_date', ?)").run(today);
      const seed = this.seedDate()!;
      const known = this.db.prepare('SELECT 1 FROM days WHERE date = ?');
      for (let ahead = 0; ahead < WINDOW_DAYS; ahead++) {
        const date = addDays(today, ahead);
        if (!known.get(date)) this.openDay(date, ahead, daysBetween(seed, date));
      }
    }).immediate();
    this.openedFor = today;
  }

  private openDay(date: string, ahead: number, day: number): void {
    const insSlot = this.db.prepare('INSERT INTO slots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insQueue = this.db.prepare('INSERT INTO queues VALUES (?, ?, ?, ?)');
    const weekday = isoWeekday(date);
    for (const d of DOCTORS) {
      for (const period of PERIODS) {
        if (!d.sessions[period].includes(weekday)) continue;
        let bookedInPeriod = 0;
        for (const start of SLOT_STARTS[period]) {
          const id = slotIdOf(d.id, date, start);
          const s = { capacity: CAPACITY[d.title], booked: seededBooked(d, ahead, start) };
          for (const r of this.overrides.sessions ?? []) if (matches(r, d, date, day, period, start)) applyChange(s, r);
          const exact = this.overrides.slots?.[id];
          if (exact) applyChange(s, exact);
          insSlot.run(id, d.id, d.departmentId, date, period, start, slotEnd(start), s.capacity, s.booked);
          bookedInPeriod += s.booked;
        }
        // Others' registrations took the first numbers of the half-day; ours continue after them.
        insQueue.run(d.id, date, period, bookedInPeriod);
      }
    }
    this.db.prepare('INSERT INTO days VALUES (?)').run(date);
  }
}
