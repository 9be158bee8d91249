/**
 * The embedded HIS's SQLite store. Every change is one IMMEDIATE transaction (the write lock is
 * taken before the place is counted), so two terminals racing for the last place cannot both see
 * it free, even with several processes on one file; the `booked <= capacity` CHECK is the backstop.
 * Writes carrying a requestId are answered from the stored outcome when retransmitted.
 *
 * A place is taken by a registration (`slots.booked`) or by an active, unexpired hold. Holds expire
 * lazily against the clock, so no timer has to run for a place to come free.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../../drivers/common/clock.js';
import { maskId } from '../../../drivers/common/mask.js';
import { applySchema, openDatabase } from '../../journal/sqlite.js';
import type { Cancellation, Department, Hold, Patient, Payment, Period, Registration, ReleaseResult, Slot, SlotQuery } from '../interface.js';
import { HisApiError } from './api-error.js';
import { addDays, compactDate, instantOf, localDate } from './calendar.js';
import { HisSeedError, type HisSeedOverrides } from './overrides.js';
import { SCHEDULE_SCHEMA, Schedule, WINDOW_DAYS } from './schedule.js';
import { departmentById, DEPARTMENTS, doctorById, DOCTORS, FEES, publicDoctor, type SeedDoctor } from './seed-data.js';

export { HisApiError };

export const DEFAULT_HOLD_TTL_MS = 5 * 60_000;

const SCHEMA = `${SCHEDULE_SCHEMA}
CREATE TABLE IF NOT EXISTS patients (ssn TEXT PRIMARY KEY, name TEXT NOT NULL, card_number TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY, slot_id TEXT NOT NULL, ssn TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
  status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS holds_by_slot ON holds (slot_id, status, expires_ms);
CREATE INDEX IF NOT EXISTS holds_by_patient ON holds (ssn, status);
CREATE TABLE IF NOT EXISTS registrations (
  id TEXT PRIMARY KEY, hold_id TEXT NOT NULL UNIQUE, slot_id TEXT NOT NULL, ssn TEXT NOT NULL, name TEXT NOT NULL,
  queue_number INTEGER NOT NULL, registration_fen INTEGER NOT NULL, consultation_fen INTEGER NOT NULL,
  pay_method TEXT NOT NULL, pay_txn_id TEXT NOT NULL UNIQUE, pay_amount_fen INTEGER NOT NULL,
  status TEXT NOT NULL, registered_at TEXT NOT NULL, cancelled_at TEXT);
CREATE INDEX IF NOT EXISTS registrations_by_patient ON registrations (ssn, slot_id);
CREATE TABLE IF NOT EXISTS requests (request_id TEXT PRIMARY KEY, op TEXT NOT NULL, fingerprint TEXT NOT NULL, response TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

interface SlotRow {
  id: string;
  doctor_id: string;
  department_id: string;
  date: string;
  period: Period;
  start: string;
  end: string;
  capacity: number;
  booked: number;
}
interface HoldRow {
  id: string;
  slot_id: string;
  ssn: string;
  created_ms: number;
  expires_ms: number;
  status: 'active' | 'released' | 'registered';
}
interface RegistrationRow {
  id: string;
  hold_id: string;
  slot_id: string;
  ssn: string;
  name: string;
  queue_number: number;
  registration_fen: number;
  consultation_fen: number;
  pay_method: Payment['method'];
  pay_txn_id: string;
  pay_amount_fen: number;
  status: 'registered' | 'cancelled';
  registered_at: string;
  cancelled_at: string | null;
}

const ACTIVE_HOLDS = "SELECT COUNT(*) AS n FROM holds WHERE slot_id = ? AND status = 'active' AND expires_ms > ?";

export class HisStore {
  readonly db: BetterSqlite3.Database;
  private readonly schedule: Schedule;
  private readonly holdTtlMs: number;

  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly overrides: HisSeedOverrides = {},
  ) {
    this.db = openDatabase(file);
    applySchema(this.db, SCHEMA);
    this.schedule = new Schedule(this.db, overrides);
    this.holdTtlMs = overrides.holdTtlSec !== undefined ? overrides.holdTtlSec * 1000 : DEFAULT_HOLD_TTL_MS;
  }

  /** The hospital's today (Asia/Shanghai date of the clock). */
  today(): string {
    return localDate(this.clock.now());
  }

  /**
   * Opens the schedule window. On a fresh database, every `slots` override must name a slot the
   * window has: a scenario's typo or a doctor's day off fails the start, not the run's third step.
   */
  seed(): void {
    const fresh = this.schedule.seedDate() === undefined;
    this.schedule.ensure(this.today());
    if (!fresh) return;
    const unknown = Object.keys(this.overrides.slots ?? {}).filter((id) => !this.db.prepare('SELECT 1 FROM slots WHERE id = ?').get(id));
    if (unknown.length) {
      const from = this.today();
      throw new HisSeedError(
        unknown.map((id) => `his.slots.${id}: no such slot in the schedule ${from}…${addDays(from, WINDOW_DAYS - 1)} (date, doctor's days, time)`).join('; '),
      );
    }
  }

  private now(): number {
    return this.clock.now();
  }

  private open(): void {
    this.schedule.ensure(this.today());
  }

  departments(): Department[] {
    return DEPARTMENTS.map((d) => ({ ...d }));
  }

  doctors(departmentId: string) {
    if (!departmentById(departmentId)) throw new HisApiError(404, 'NOT_FOUND', `no department ${departmentId}`);
    return DOCTORS.filter((d) => d.departmentId === departmentId).map(publicDoctor);
  }

  /** Slots not yet ended, from `from` (not before today) for `days` days within the window. */
  slots(q: SlotQuery = {}): Slot[] {
    this.open();
    if (q.departmentId !== undefined && !departmentById(q.departmentId)) throw new HisApiError(404, 'NOT_FOUND', `no department ${q.departmentId}`);
    if (q.doctorId !== undefined && !doctorById(q.doctorId)) throw new HisApiError(404, 'NOT_FOUND', `no doctor ${q.doctorId}`);
    const today = this.today();
    const from = q.from !== undefined && q.from > today ? q.from : today;
    const lastOfWindow = addDays(today, WINDOW_DAYS - 1);
    const lastAsked = addDays(q.from ?? today, (q.days ?? WINDOW_DAYS) - 1);
    const to = lastAsked < lastOfWindow ? lastAsked : lastOfWindow;
    const rows = this.db
      .prepare(
        `SELECT * FROM slots WHERE date BETWEEN ? AND ?
           AND (? IS NULL OR department_id = ?) AND (? IS NULL OR doctor_id = ?)
         ORDER BY date, start, department_id, doctor_id`,
      )
      .all(from, to, q.departmentId ?? null, q.departmentId ?? null, q.doctorId ?? null, q.doctorId ?? null) as SlotRow[];
    const now = this.now();
    return rows.filter((r) => instantOf(r.date, r.end) > now).map((r) => this.slotView(r));
  }

  /** One slot as the list would show it (tests and the runner). */
  slot(id: string): Slot {
    this.open();
    return this.slotView(this.slotRow(id));
  }

  hold(slotId: string, patient: Patient, requestId: string): Hold {
    this.open();
    return this.idempotent(requestId, 'hold', [slotId, patient.ssn, patient.name, patient.cardNumber], () => {
      const s = this.slotRow(slotId);
      const now = this.now();
      if (instantOf(s.date, s.end) <= now) throw new HisApiError(409, 'REJECTED', `slot ${slotId} has ended`, 'SLOT_CLOSED');
      this.refuseSecondVisit(patient.ssn, s);
      // One active hold per patient: going back to pick another slot must not keep the first place.
      this.db.prepare("UPDATE holds SET status = 'released' WHERE ssn = ? AND status = 'active'").run(patient.ssn);
      const held = (this.db.prepare(ACTIVE_HOLDS).get(s.id, now) as { n: number }).n;
      if (s.capacity - s.booked - held <= 0) {
        // Full of registrations is final; a place someone holds may come back if they do not pay.
        if (s.booked >= s.capacity) throw new HisApiError(409, 'SLOT_FULL', `slot ${slotId} is full`);
        throw new HisApiError(409, 'SLOT_TAKEN', `the last place of slot ${slotId} is being taken by another patient`);
      }
      this.db
        .prepare('INSERT INTO patients VALUES (?, ?, ?) ON CONFLICT (ssn) DO UPDATE SET name = excluded.name, card_number = excluded.card_number')
        .run(patient.ssn, patient.name, patient.cardNumber);
      const holdId = this.nextId('HD');
      const expires = now + this.holdTtlMs;
      this.db.prepare("INSERT INTO holds VALUES (?, ?, ?, ?, ?, 'active')").run(holdId, s.id, patient.ssn, now, expires);
      return { holdId, slot: this.slotView(s), patientId: patient.ssn, expiresAt: new Date(expires).toISOString() };
    });
  }

  register(holdId: string, payment: Payment, requestId: string): Registration {
    this.open();
    return this.idempotent(requestId, 'register', [holdId, payment.method, payment.txnId, payment.amountFen], () => {
      const h = this.holdRow(holdId);
      if (h.status === 'registered') {
        // The same payment through another requestId (a terminal recovering from its journal) gets the same registration.
        const r = this.db.prepare('SELECT * FROM registrations WHERE hold_id = ?').get(holdId) as RegistrationRow;
        if (r.pay_txn_id === payment.txnId && r.pay_amount_fen === payment.amountFen && r.pay_method === payment.method) return this.registrationView(r);
        throw new HisApiError(409, 'REJECTED', `hold ${holdId} is already registered`, 'ALREADY_REGISTERED');
      }
      if (this.db.prepare('SELECT 1 FROM registrations WHERE pay_txn_id = ?').get(payment.txnId)) {
        throw new HisApiError(409, 'REJECTED', 'payment txnId already pays another registration', 'TXN_ID_REUSED');
      }
      const s = this.slotRow(h.slot_id);
      const d = doctorById(s.doctor_id)!;
      const fee = FEES[d.title];
      if (payment.amountFen !== fee.totalFen) {
        throw new HisApiError(409, 'REJECTED', `amount ${payment.amountFen} differs from the fee ${fee.totalFen}`, 'AMOUNT_MISMATCH');
      }
      if (h.status === 'released') throw new HisApiError(410, 'HOLD_EXPIRED', `hold ${holdId} was released`, 'RELEASED');
      const now = this.now();
      if (h.expires_ms <= now) {
        // Paid late: honoured while the place is still free (a refund is worse for everyone).
        const held = (this.db.prepare(ACTIVE_HOLDS).get(s.id, now) as { n: number }).n;
        if (instantOf(s.date, s.end) <= now || s.capacity - s.booked - held <= 0) {
          throw new HisApiError(410, 'HOLD_EXPIRED', `hold ${holdId} expired and its place is gone`, 'EXPIRED');
        }
      }
      this.refuseSecondVisit(h.ssn, s);
      this.db.prepare('UPDATE slots SET booked = booked + 1 WHERE id = ?').run(s.id);
      const { last_number: queueNumber } = this.db
        .prepare('UPDATE queues SET last_number = last_number + 1 WHERE doctor_id = ? AND date = ? AND period = ? RETURNING last_number')
        .get(s.doctor_id, s.date, s.period) as { last_number: number };
      this.db.prepare("UPDATE holds SET status = 'registered' WHERE id = ?").run(holdId);
      const name = (this.db.prepare('SELECT name FROM patients WHERE ssn = ?').get(h.ssn) as { name: string }).name;
      const regId = this.nextId('GH');
      this.db
        .prepare("INSERT INTO registrations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, NULL)")
        .run(regId, holdId, s.id, h.ssn, name, queueNumber, fee.registrationFen, fee.consultationFen, payment.method, payment.txnId,
          payment.amountFen, new Date(now).toISOString());
      return this.registrationView(this.registrationRow(regId));
    });
  }

  release(holdId: string): ReleaseResult {
    return this.db
      .transaction(() => {
        const h = this.holdRow(holdId);
        if (h.status === 'registered') {
          throw new HisApiError(409, 'REJECTED', `hold ${holdId} is registered: cancel the registration instead`, 'ALREADY_REGISTERED');
        }
        if (h.status === 'released') return { holdId, released: false };
        this.db.prepare("UPDATE holds SET status = 'released' WHERE id = ?").run(holdId);
        return { holdId, released: h.expires_ms > this.now() };
      })
      .immediate();
  }

  cancel(regId: string, requestId: string): Cancellation {
    return this.idempotent(requestId, 'cancel', [regId], () => {
      const r = this.registrationRow(regId);
      if (r.status === 'cancelled') throw new HisApiError(422, 'NOT_CANCELLABLE', `registration ${regId} is already cancelled`, 'ALREADY_CANCELLED');
      const s = this.slotRow(r.slot_id);
      const now = this.now();
      if (now >= instantOf(s.date, s.start)) {
        throw new HisApiError(422, 'NOT_CANCELLABLE', `slot of ${regId} started at ${s.date} ${s.start}`, 'STARTED');
      }
      const cancelledAt = new Date(now).toISOString();
      this.db.prepare("UPDATE registrations SET status = 'cancelled', cancelled_at = ? WHERE id = ?").run(cancelledAt, regId);
      // The place returns to the slot; the queue number is not reused (slips already printed carry it).
      this.db.prepare('UPDATE slots SET booked = booked - 1 WHERE id = ?').run(s.id);
      return { regId, cancelledAt, refund: { method: r.pay_method, txnId: r.pay_txn_id, amountFen: r.pay_amount_fen } };
    });
  }

  registrationsOf(ssn: string, date = this.today()): Registration[] {
    const rows = this.db
      .prepare('SELECT r.* FROM registrations r JOIN slots s ON s.id = r.slot_id WHERE r.ssn = ? AND s.date = ? ORDER BY s.start, r.id')
      .all(ssn, date) as RegistrationRow[];
    return rows.map((r) => this.registrationView(r));
  }

  registration(regId: string): Registration {
    return this.registrationView(this.registrationRow(regId));
  }

  /** Every registration, in order (scenario expectations, tests). */
  registrations(): Registration[] {
    return (this.db.prepare('SELECT * FROM registrations ORDER BY rowid').all() as RegistrationRow[]).map((r) => this.registrationView(r));
  }

  /** Holds that still keep a place now. */
  activeHolds(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM holds WHERE status = 'active' AND expires_ms > ?").get(this.now()) as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** 同一患者同一天同一医生限挂一号: one registration per patient, doctor and day. */
  private refuseSecondVisit(ssn: string, s: SlotRow): void {
    const dup = this.db
      .prepare("SELECT 1 FROM registrations r JOIN slots s ON s.id = r.slot_id WHERE r.ssn = ? AND r.status = 'registered' AND s.doctor_id = ? AND s.date = ?")
      .get(ssn, s.doctor_id, s.date);
    if (dup) throw new HisApiError(409, 'REJECTED', `patient ${maskId(ssn)} already has ${s.doctor_id} on ${s.date}`, 'ALREADY_REGISTERED');
  }

  /** Runs `apply` once per requestId in one IMMEDIATE transaction; a repeat replays the stored answer. */
  private idempotent<T>(requestId: string, op: string, fingerprint: unknown, apply: () => T): T {
    const fp = JSON.stringify(fingerprint);
    return this.db
      .transaction(() => {
        const prior = this.db.prepare('SELECT op, fingerprint, response FROM requests WHERE request_id = ?').get(requestId) as
          | { op: string; fingerprint: string; response: string }
          | undefined;
        if (prior) {
          if (prior.op !== op || prior.fingerprint !== fp) {
            throw new HisApiError(409, 'REJECTED', 'requestId already used for a different request', 'REQUEST_ID_REUSED');
          }
          return JSON.parse(prior.response) as T;
        }
        const out = apply();
        this.db.prepare('INSERT INTO requests VALUES (?, ?, ?, ?)').run(requestId, op, fp, JSON.stringify(out));
        return out;
      })
      .immediate();
  }

  /** `GH20260105000001`: prefix, the hospital's date, a per-day sequence. */
  private nextId(prefix: 'GH' | 'HD'): string {
    const day = `${prefix}${compactDate(this.today())}`;
    const { value } = this.db
      .prepare('INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value')
      .get(day) as { value: number };
    return `${day}${String(value).padStart(6, '0')}`;
  }

  private slotRow(id: string): SlotRow {
    const row = this.db.prepare('SELECT * FROM slots WHERE id = ?').get(id) as SlotRow | undefined;
    if (!row) throw new HisApiError(404, 'NOT_FOUND', `no slot ${id}`);
    return row;
  }

  private holdRow(id: string): HoldRow {
    const row = this.db.prepare('SELECT * FROM holds WHERE id = ?').get(id) as HoldRow | undefined;
    if (!row) throw new HisApiError(404, 'NOT_FOUND', `no hold ${id}`);
    return row;
  }

  private registrationRow(id: string): RegistrationRow {
    const row = this.db.prepare('SELECT * FROM registrations WHERE id = ?').get(id) as RegistrationRow | undefined;
    if (!row) throw new HisApiError(404, 'NOT_FOUND', `no registration ${id}`);
    return row;
  }

  private slotView(r: SlotRow): Slot {
    const d = doctorById(r.doctor_id)!;
    const held = (this.db.prepare(ACTIVE_HOLDS).get(r.id, this.now()) as { n: number }).n;
    return {
      id: r.id,
      departmentId: r.department_id,
      doctorId: r.doctor_id,
      date: r.date,
      period: r.period,
      start: r.start,
      end: r.end,
      fee: { ...FEES[d.title] },
      capacity: r.capacity,
      remaining: Math.max(0, r.capacity - r.booked - held),
    };
  }

  private registrationView(r: RegistrationRow): Registration {
    const s = this.slotRow(r.slot_id);
    const d: SeedDoctor = doctorById(s.doctor_id)!;
    const dept = departmentById(s.department_id)!;
    return {
      regId: r.id,
      status: r.status,
      queueNumber: r.queue_number,
      patient: { ssn: r.ssn, name: r.name },
      department: { ...dept },
      doctor: { id: d.id, name: d.name, title: d.title },
      slotId: s.id,
      date: s.date,
      period: s.period,
      start: s.start,
      end: s.end,
      location: { zh: `${dept.location.zh} ${d.room}诊室`, en: `${dept.location.en}, Room ${d.room}` },
      fee: { registrationFen: r.registration_fen, consultationFen: r.consultation_fen, totalFen: r.registration_fen + r.consultation_fen },
      payment: { method: r.pay_method, txnId: r.pay_txn_id, amountFen: r.pay_amount_fen },
      registeredAt: r.registered_at,
      ...(r.cancelled_at ? { cancelledAt: r.cancelled_at } : {}),
    };
  }
}
