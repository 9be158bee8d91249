import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../drivers/common/clock.js';
import { maskAccount, maskId } from '../../drivers/common/mask.js';
import { openDatabase, applySchema } from '../journal/sqlite.js';
import { FINAL_STATES, type PaymentOrder, type PaymentRecord, type PaymentState } from './types.js';

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
}

/** Finds a holder's payments without keeping the id in clear once a payment is final. */
export const holderKey = (ssn: string): string => createHash('sha256').update(`ykt-holder:${ssn}`).digest('hex');

export interface Transition {
  bankRef?: string;
  postingRef?: string;
  declineReason?: string;
  lastError?: string;
  /** Count one more reversal / posting attempt. */
  attempt?: boolean;
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
      receipt_printed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS payments_holder ON payments (holder_key, created_at);
    CREATE INDEX IF NOT EXISTS payments_open ON payments (state) WHERE state IN ('pending', 'approved', 'uncertain', 'refunding');`);
  }

  /** The durable promise "this debit may be sent": committed before the request leaves. */
  insertPending(txnId: string, order: PaymentOrder, pan: string): PaymentRecord {
    const now = this.clock.now();
    this.db
      .prepare('INSERT INTO payments (txn_id, state, order_json, pan_masked, created_at, updated_at, holder_key) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(txnId, 'pending', JSON.stringify(order), maskAccount(pan), now, now, holderKey(order.ssn));
    return this.get(txnId)!;
  }

  /** Moves a payment on; a final state also masks the holder's id in the stored order. */
  transition(txnId: string, state: PaymentState, t: Transition = {}): PaymentRecord {
    const rec = this.get(txnId);
    if (!rec) throw new Error(`payment ${txnId} is not in the store`);
    const order = FINAL_STATES.includes(state) ? { ...rec.order, ssn: maskId(rec.order.ssn) } : rec.order;
    this.db
      .prepare(
        `UPDATE payments SET state = ?, order_json = ?, updated_at = ?,
          bank_ref = COALESCE(?, bank_ref), posting_ref = COALESCE(?, posting_ref),
          decline_reason = COALESCE(?, decline_reason), last_error = COALESCE(?, last_error), attempts = attempts + ?
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
        txnId,
      );
    return this.get(txnId)!;
  }

  get(txnId: string): PaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE txn_id = ?').get(txnId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The holder's newest paid payment since `since` (the receipt to print again). */
  lastPaidOf(ssn: string, since: number): PaymentRecord | undefined {
    const row = this.db
      .prepare("SELECT * FROM payments WHERE holder_key = ? AND created_at >= ? AND state IN ('approved', 'posted') ORDER BY created_at DESC LIMIT 1")
      .get(holderKey(ssn), since) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  markReceiptPrinted(txnId: string): void {
    this.db.prepare('UPDATE payments SET receipt_printed = 1 WHERE txn_id = ?').run(txnId);
  }

  /** Payments recovery must finish: not yet final. */
  open(): PaymentRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM payments WHERE state IN ('pending', 'approved', 'uncertain', 'refunding') ORDER BY created_at")
      .all() as Row[];
    return rows.map(toRecord);
  }

  /** The newest payments first (operator, reprint, reconciliation). */
  list(opts: { limit?: number; since?: number; until?: number } = {}): PaymentRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM payments WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT ?')
      .all(opts.since ?? 0, opts.until ?? Number.MAX_SAFE_INTEGER, opts.limit ?? 1000) as Row[];
    return rows.map(toRecord);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRecord(r: Row): PaymentRecord {
  return {
    txnId: r.txn_id,
    state: r.state,
    order: JSON.parse(r.order_json) as PaymentOrder,
    panMasked: r.pan_masked,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.bank_ref ? { bankRef: r.bank_ref } : {}),
    ...(r.posting_ref ? { postingRef: r.posting_ref } : {}),
    ...(r.decline_reason ? { declineReason: r.decline_reason } : {}),
    attempts: r.attempts,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    receiptPrinted: r.receipt_printed === 1,
  };
}
