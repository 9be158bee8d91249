import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../drivers/common/clock.js';
import { maskAccount, maskId } from '../../drivers/common/mask.js';
import { openDatabase, applySchema } from '../journal/sqlite.js';
import {
  FINAL_STATES,
  orderKind,
  type AnyOrder,
  type AnyPaymentRecord,
  type PaymentMethod,
  type PaymentRecord,
  type PaymentState,
} from './types.js';

interface Row {
  txn_id: string;
  state: PaymentState;
  order_json: string;
  pan_masked: string;
  created_at: number;
  updated_at: number;
  bank_ref: string | null;
  posting_ref: string | null;
  decline_reason: string | null;
  attempts: number;
  last_error: string | null;
  receipt_printed: number;
  kind: string;
  source: PaymentMethod;
  hold_release: 'pending' | 'done' | null;
}

/** Columns added after the first release: added in place to an older file (rows keep their meaning through the defaults). */
const ADDED_COLUMNS: readonly [string, string][] = [
  ['kind', "kind TEXT NOT NULL DEFAULT 'premium'"],
  ['source', "source TEXT NOT NULL DEFAULT 'bank-card'"],
  ['hold_release', 'hold_release TEXT'],
];

/** Finds a holder's payments without keeping the id in clear once a payment is final. */
export const holderKey = (ssn: string): string => createHash('sha256').update(`ykt-holder:${ssn}`).digest('hex');

export interface Transition {
  bankRef?: string;
  postingRef?: string;
  declineReason?: string;
  lastError?: string;
  /** Count one more reversal / posting attempt. */
  attempt?: boolean;
  /** A registration whose money goes back: its HIS hold is to be released (or now is). */
  holdRelease?: 'pending' | 'done';
}

/**
 * The payments' write-ahead record (SQLite, WAL, synchronous=FULL): a row is committed to disk
 * before the debit leaves, and every outcome is committed before anything acts on it. It holds
 * what recovery needs (the order, with the holder's id for the posting) and no more: the PAN is
 * masked (a reversal needs only the transaction id) and the id is masked once the payment is final.
 */
export class PaymentStore {
  private readonly db: BetterSqlite3.Database;

  constructor(
    file: string,
    private readonly clock: Clock,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openDatabase(file);
    applySchema(this.db, `CREATE TABLE IF NOT EXISTS payments (
      txn_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      order_json TEXT NOT NULL,
      pan_masked TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      bank_ref TEXT,
      posting_ref TEXT,
      decline_reason TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      holder_key TEXT NOT NULL DEFAULT '',
      receipt_printed INTEGER NOT NULL DEFAULT 0,
      kind TEXT NOT NULL DEFAULT 'premium',
      source TEXT NOT NULL DEFAULT 'bank-card',
      hold_release TEXT
    );`);
    const have = new Set((this.db.prepare('PRAGMA table_info(payments)').all() as { name: string }[]).map((c) => c.name));
    const missing = ADDED_COLUMNS.filter(([name]) => !have.has(name));
    applySchema(
      this.db,
      `${missing.map(([, ddl]) => `ALTER TABLE payments ADD COLUMN ${ddl};`).join('\n')}
    CREATE INDEX IF NOT EXISTS payments_holder ON payments (holder_key, created_at);
    CREATE INDEX IF NOT EXISTS payments_open ON payments (state) WHERE state IN ('pending', 'approved', 'uncertain', 'refunding');
    CREATE INDEX IF NOT EXISTS payments_release ON payments (hold_release) WHERE hold_release = 'pending';`,
    );
  }

  /**
   * The durable promise "this debit may be sent": committed before the request leaves. `account`
   * is the PAN (bank) or the holder's id (medical account); either is stored masked.
   */
  insertPending(txnId: string, order: AnyOrder, account: string, source: PaymentMethod = 'bank-card'): AnyPaymentRecord {
    const now = this.clock.now();
    this.db
      .prepare(
        'INSERT INTO payments (txn_id, state, order_json, pan_masked, created_at, updated_at, holder_key, kind, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(txnId, 'pending', JSON.stringify(order), maskAccount(account), now, now, holderKey(order.ssn), orderKind(order), source);
    return this.record(txnId)!;
  }

  /** Moves a payment on; a final state also masks the holder's id in the stored order. */
  transition(txnId: string, state: PaymentState, t: Transition = {}): AnyPaymentRecord {
    const rec = this.record(txnId);
    if (!rec) throw new Error(`payment ${txnId} is not in the store`);
    const order = FINAL_STATES.includes(state) ? { ...rec.order, ssn: maskId(rec.order.ssn) } : rec.order;
    this.db
      .prepare(
        `UPDATE payments SET state = ?, order_json = ?, updated_at = ?,
          bank_ref = COALESCE(?, bank_ref), posting_ref = COALESCE(?, posting_ref),
          decline_reason = COALESCE(?, decline_reason), last_error = COALESCE(?, last_error), attempts = attempts + ?,
          hold_release = COALESCE(?, hold_release)
         WHERE txn_id = ?`,
      )
      .run(
        state,
        JSON.stringify(order),
        this.clock.now(),
        t.bankRef ?? null,
        t.postingRef ?? null,
        t.declineReason ?? null,
        t.lastError ?? null,
        t.attempt ? 1 : 0,
        t.holdRelease ?? null,
        txnId,
      );
    return this.record(txnId)!;
  }

  /** Records the hold's release (or another failed attempt at it) without changing the payment's state. */
  holdRelease(txnId: string, release: 'pending' | 'done', t: { attempt?: boolean; lastError?: string } = {}): void {
    this.db
      .prepare('UPDATE payments SET hold_release = ?, attempts = attempts + ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE txn_id = ?')
      .run(release, t.attempt ? 1 : 0, t.lastError ?? null, this.clock.now(), txnId);
  }

  /** A premium payment (undefined for a txnId of another kind of order: see `record`). */
  get(txnId: string): PaymentRecord | undefined {
    const rec = this.record(txnId);
    return rec && rec.order.kind !== 'registration' ? (rec as PaymentRecord) : undefined;
  }

  /** A payment of any kind of order. */
  record(txnId: string): AnyPaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE txn_id = ?').get(txnId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The holder's newest paid premium since `since` (the receipt to print again). */
  lastPaidOf(ssn: string, since: number): PaymentRecord | undefined {
    const row = this.db
      .prepare(
        "SELECT * FROM payments WHERE holder_key = ? AND created_at >= ? AND kind = 'premium' AND state IN ('approved', 'posted') ORDER BY created_at DESC LIMIT 1",
      )
      .get(holderKey(ssn), since) as Row | undefined;
    return row ? (toRecord(row) as PaymentRecord) : undefined;
  }

  markReceiptPrinted(txnId: string): void {
    this.db.prepare('UPDATE payments SET receipt_printed = 1 WHERE txn_id = ?').run(txnId);
  }

  /** Payments recovery must finish: not yet final. */
  open(): AnyPaymentRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM payments WHERE state IN ('pending', 'approved', 'uncertain', 'refunding') ORDER BY created_at")
      .all() as Row[];
    return rows.map(toRecord);
  }

  /** Registrations whose money went back (or is going back) and whose HIS hold is not released yet. */
  pendingReleases(): AnyPaymentRecord[] {
    const rows = this.db.prepare("SELECT * FROM payments WHERE hold_release = 'pending' ORDER BY created_at").all() as Row[];
    return rows.map(toRecord);
  }

  /** The newest payments first (operator, reprint, reconciliation); optionally of one source only. */
  list(opts: { limit?: number; since?: number; until?: number; source?: PaymentMethod } = {}): AnyPaymentRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM payments WHERE created_at >= ? AND created_at < ? AND (? IS NULL OR source = ?) ORDER BY created_at DESC LIMIT ?')
      .all(opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.source ?? null, opts.source ?? null, opts.limit ?? 1000) as Row[];
    return rows.map(toRecord);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRecord(r: Row): AnyPaymentRecord {
  return {
    txnId: r.txn_id,
    state: r.state,
    order: JSON.parse(r.order_json) as AnyOrder,
    source: r.source,
    panMasked: r.pan_masked,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.bank_ref ? { bankRef: r.bank_ref } : {}),
    ...(r.posting_ref ? { postingRef: r.posting_ref } : {}),
    ...(r.decline_reason ? { declineReason: r.decline_reason } : {}),
    attempts: r.attempts,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    receiptPrinted: r.receipt_printed === 1,
    ...(r.hold_release ? { holdRelease: r.hold_release } : {}),
  } as AnyPaymentRecord;
}
