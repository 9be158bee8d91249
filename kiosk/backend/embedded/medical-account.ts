/**
 * The medical insurance personal account (医保个人账户) as a payment source, in the embedded
 * backend's SQLite database (docs/payments.md, "Registration fees"). The balance is the holder's
 * `medical_fen`, the same figure `accountBalances` reports, so a debit shows there at once.
 *
 * Same rules as the embedded bank's ledger (docs/bank.md), without the PIN: a debit is decided in
 * one IMMEDIATE transaction and idempotent by txnId (every decision, declines included, is stored
 * and answered again to a repeat); a reversal is idempotent too, and a reversal of a txnId never
 * seen leaves a tombstone, so a debit that arrives after it is refused (REVERSED_BEFORE_DEBIT).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../../drivers/common/clock.js';
import { maskId } from '../../../drivers/common/mask.js';
import { applySchema } from '../../journal/sqlite.js';
import type { MedicalDebitResult, MedicalReversalResult, MedicalTransactions } from '../interface.js';
import { ApiError } from './api-error.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS medical_debits (
  seq INTEGER PRIMARY KEY, txn_id TEXT NOT NULL UNIQUE, ssn TEXT NOT NULL, terminal_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL, ref TEXT UNIQUE, reason TEXT,
  balance_after INTEGER, at TEXT NOT NULL, reversed_at TEXT);
CREATE INDEX IF NOT EXISTS medical_debits_holder ON medical_debits (ssn, at);
CREATE TABLE IF NOT EXISTS medical_tombstones (txn_id TEXT PRIMARY KEY, at TEXT NOT NULL);
`;

export type MedicalDebitStatus = 'approved' | 'declined' | 'reversed';

interface DebitRow {
  seq: number;
  txn_id: string;
  ssn: string;
  terminal_id: string;
  amount_fen: number;
  description: string;
  status: MedicalDebitStatus;
  ref: string | null;
  reason: string | null;
  balance_after: number | null;
  at: string;
  reversed_at: string | null;
}

/** One decision of the ledger (tests, scenario expectations). */
export interface MedicalDebitRecord {
  txnId: string;
  ssn: string;
  terminalId: string;
  amountFen: number;
  status: MedicalDebitStatus;
  ref: string | null;
  reason: string | null;
  at: string;
  reversedAt: string | null;
}

export interface MedicalDebitBody {
  txnId: string;
  amountFen: number;
  terminalId: string;
  description: string;
}

const toRecord = (r: DebitRow): MedicalDebitRecord => ({
  txnId: r.txn_id,
  ssn: r.ssn,
  terminalId: r.terminal_id,
  amountFen: r.amount_fen,
  status: r.status,
  ref: r.ref,
  reason: r.reason,
  at: r.at,
  reversedAt: r.reversed_at,
});

export class MedicalAccountLedger {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {
    applySchema(db, SCHEMA);
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private answer(r: DebitRow, duplicate: boolean): MedicalDebitResult {
    return r.status === 'declined'
      ? { txnId: r.txn_id, outcome: 'declined', declineReason: r.reason ?? 'DECLINED', duplicate }
      : // A reversed debit answers as it was decided; the reversal shows in the ledger, not here.
        { txnId: r.txn_id, outcome: 'approved', ref: r.ref!, balanceFen: r.balance_after!, duplicate };
  }

  debit(ssn: string, b: MedicalDebitBody): MedicalDebitResult {
    return this.db
      .transaction((): MedicalDebitResult => {
        const prior = this.db.prepare('SELECT * FROM medical_debits WHERE txn_id = ?').get(b.txnId) as DebitRow | undefined;
        if (prior) {
          const same = prior.ssn === ssn && prior.terminal_id === b.terminalId && prior.amount_fen === b.amountFen && prior.description === b.description;
          if (!same) throw new ApiError(409, 'REJECTED', 'txnId already used for a different debit', 'TXN_ID_REUSED');
          return this.answer(prior, true);
        }
        const holder = this.db.prepare('SELECT medical_fen FROM holders WHERE ssn = ?').get(ssn) as { medical_fen: number | null } | undefined;
        if (!holder) throw new ApiError(404, 'NOT_FOUND', `no holder ${maskId(ssn)}`);
        const at = this.nowIso();
        const decline = (reason: string): MedicalDebitResult => {
          this.db
            .prepare("INSERT INTO medical_debits (txn_id, ssn, terminal_id, amount_fen, description, status, reason, at) VALUES (?, ?, ?, ?, ?, 'declined', ?, ?)")
            .run(b.txnId, ssn, b.terminalId, b.amountFen, b.description, reason, at);
          return { txnId: b.txnId, outcome: 'declined', declineReason: reason, duplicate: false };
        };
        if (this.db.prepare('SELECT 1 FROM medical_tombstones WHERE txn_id = ?').get(b.txnId)) return decline('REVERSED_BEFORE_DEBIT');
        if (holder.medical_fen === null) return decline('NO_MEDICAL_ACCOUNT');
        if (holder.medical_fen < b.amountFen) return decline('INSUFFICIENT_BALANCE');
        const balance = holder.medical_fen - b.amountFen;
        const n = (this.db.prepare('SELECT COUNT(ref) AS n FROM medical_debits').get() as { n: number }).n + 1;
        const ref = `YZ${at.slice(0, 10).replaceAll('-', '')}${String(n).padStart(6, '0')}`;
        this.db.prepare('UPDATE holders SET medical_fen = ? WHERE ssn = ?').run(balance, ssn);
        this.db
          .prepare(
            "INSERT INTO medical_debits (txn_id, ssn, terminal_id, amount_fen, description, status, ref, balance_after, at) VALUES (?, ?, ?, ?, ?, 'approved', ?, ?, ?)",
          )
          .run(b.txnId, ssn, b.terminalId, b.amountFen, b.description, ref, balance, at);
        return { txnId: b.txnId, outcome: 'approved', ref, balanceFen: balance, duplicate: false };
      })
      .immediate();
  }

  /** 冲正: credits an approved debit back; for a txnId never seen, a tombstone. Both answers are final. */
  reverse(txnId: string): MedicalReversalResult {
    return this.db
      .transaction((): MedicalReversalResult => {
        const r = this.db.prepare('SELECT * FROM medical_debits WHERE txn_id = ?').get(txnId) as DebitRow | undefined;
        if (!r) {
          this.db.prepare('INSERT OR IGNORE INTO medical_tombstones VALUES (?, ?)').run(txnId, this.nowIso());
          return { txnId, reversed: false };
        }
        if (r.status === 'declined') return { txnId, reversed: false };
        if (r.status === 'approved') {
          this.db.prepare('UPDATE holders SET medical_fen = medical_fen + ? WHERE ssn = ?').run(r.amount_fen, r.ssn);
          this.db.prepare("UPDATE medical_debits SET status = 'reversed', reversed_at = ? WHERE txn_id = ?").run(this.nowIso(), txnId);
        }
        return { txnId, reversed: true };
      })
      .immediate();
  }

  /** Every decision, in order. */
  debits(): MedicalDebitRecord[] {
    return (this.db.prepare('SELECT * FROM medical_debits ORDER BY seq').all() as DebitRow[]).map(toRecord);
  }

  /** Approved and not reversed: the money standing taken. */
  standing(): MedicalDebitRecord[] {
    return this.debits().filter((d) => d.status === 'approved');
  }

  tombstones(): { txnId: string; at: string }[] {
    return this.db.prepare('SELECT txn_id AS txnId, at FROM medical_tombstones ORDER BY at, txn_id').all() as { txnId: string; at: string }[];
  }

  /**
   * The decisions and bare reversals of one Beijing business day (00:00–24:00 UTC+8), by the time
   * of the decision, as the daily reconciliation reads them: no holder id leaves here.
   */
  transactionsOn(date: string): MedicalTransactions {
    const since = Date.parse(`${date}T00:00:00+08:00`);
    const [from, to] = [new Date(since).toISOString(), new Date(since + 86_400_000).toISOString()];
    const rows = this.db.prepare('SELECT * FROM medical_debits WHERE at >= ? AND at < ? ORDER BY seq').all(from, to) as DebitRow[];
    const tombs = this.db.prepare('SELECT txn_id AS txnId, at FROM medical_tombstones WHERE at >= ? AND at < ? ORDER BY at, txn_id').all(from, to) as {
      txnId: string;
      at: string;
    }[];
    return {
      date,
      transactions: rows.map((r) => ({
        txnId: r.txn_id,
        terminalId: r.terminal_id,
        amountFen: r.amount_fen,
        status: r.status,
        ref: r.ref,
        reason: r.reason,
        description: r.description,
        at: r.at,
        reversedAt: r.reversed_at,
      })),
      reversalsWithoutDebit: tombs,
    };
  }

  /** The UTC date (YYYY-MM-DD) of the holder's last debit or reversal, if any: the balance's `asOf`. */
  lastMovement(ssn: string): string | undefined {
    const row = this.db
      .prepare("SELECT MAX(MAX(at), COALESCE(MAX(reversed_at), '')) AS t FROM medical_debits WHERE ssn = ? AND status != 'declined'")
      .get(ssn) as { t: string | null } | undefined;
    return row?.t ? row.t.slice(0, 10) : undefined;
  }
}
