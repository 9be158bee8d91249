/**
 * The embedded bank's ledger (SQLite, WAL, synchronous=FULL). Every decision about a debit or a
 * reversal is one SQLite transaction keyed by the terminal's txnId, so a retransmission is answered
 * from what was stored, and a balance never moves without its transaction row (or vice versa).
 *
 * This is the bank's side: it decrypts PIN blocks (drivers/pinpad/sim/bank-side.ts). The kiosk
 * host never imports it; it runs beside the host in sim mode, as a separate service would.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../../drivers/common/clock.js';
import { YktError } from '../../../drivers/common/errors.js';
import { maskAccount } from '../../../drivers/common/mask.js';
import { blockSize } from '../../../drivers/pinpad/crypto.js';
import { decryptPinBlock } from '../../../drivers/pinpad/sim/bank-side.js';
import type { DebitResult, ReversalResult } from '../../payment/gateway.js';
import { openDatabase, applySchema } from '../../journal/sqlite.js';
import { businessDate, type BankErrorResponse, type BankTransaction, type DebitBody, type ReversalBody, type Tombstone, type TransactionStatus } from '../wire.js';

/** PIN tries an account starts with and gets back after a correct PIN. */
export const MAX_PIN_TRIES = 3;
/** 10,000.00 yuan: enough for a year of any premium, small enough to test running out. */
export const DEFAULT_BALANCE_FEN = 1_000_000;

export interface BankAccountSeed {
  pan: string;
  pin: string;
  /** Default 1,000,000 fen (10,000 yuan). */
  balanceFen?: number;
}

export interface BankAccountState {
  pan: string;
  balanceFen: number;
  pinTriesLeft: number;
}

export interface StandingDebit {
  txnId: string;
  pan: string;
  amountFen: number;
  at: string;
}

export interface PinKey {
  alg: 'sm4' | '3des';
  key: Uint8Array;
}

/** An answer the server turns into an error response (HTTP status, wire code, reason). */
export class BankApiError extends YktError {
  constructor(
    readonly status: number,
    readonly wireCode: BankErrorResponse['error']['code'],
    readonly reason: string,
    message: string,
  ) {
    super(`BANK_API_${reason}`, message);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
  pan TEXT PRIMARY KEY,
  pin TEXT NOT NULL,
  balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
  pin_tries_left INTEGER NOT NULL DEFAULT ${MAX_PIN_TRIES});
CREATE TABLE IF NOT EXISTS transactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  txn_id TEXT NOT NULL UNIQUE,
  terminal_id TEXT NOT NULL,
  pan TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'reversed')),
  bank_ref TEXT,
  reason TEXT,
  tries_left INTEGER,
  fingerprint TEXT NOT NULL,
  description TEXT NOT NULL,
  at TEXT NOT NULL,
  business_date TEXT NOT NULL,
  reversed_at TEXT);
CREATE INDEX IF NOT EXISTS transactions_date ON transactions (business_date);
CREATE TABLE IF NOT EXISTS tombstones (
  txn_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, at TEXT NOT NULL, business_date TEXT NOT NULL);
`;

interface TxnRow {
  id: number;
  txn_id: string;
  terminal_id: string;
  pan: string;
  amount_fen: number;
  status: TransactionStatus;
  bank_ref: string | null;
  reason: string | null;
  tries_left: number | null;
  fingerprint: string;
  description: string;
  at: string;
  reversed_at: string | null;
}

interface AccountRow {
  pan: string;
  pin: string;
  balance_fen: number;
  pin_tries_left: number;
}

/**
 * What makes two debit requests "the same": everything but the PIN block. Nothing derived from
 * the PIN block is stored (format-0 blocks are deterministic per PIN and PAN, so even a hash would
 * be a PIN oracle for whoever holds the key); a different block under the same txnId and content
 * is answered from the stored outcome like any retransmission.
 */
function fingerprint(b: DebitBody): string {
  return createHash('sha256').update(JSON.stringify([b.terminalId, b.pan, b.expiry, b.amountFen, b.description])).digest('hex');
}

function sameDigits(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function resultOf(r: TxnRow): DebitResult {
  if (r.status === 'declined') {
    return { txnId: r.txn_id, outcome: 'declined', declineReason: r.reason ?? 'DECLINED', ...(r.tries_left !== null ? { triesLeft: r.tries_left } : {}) };
  }
  // A reversed debit was approved when it was decided: a retransmission gets that answer again.
  return { txnId: r.txn_id, outcome: 'approved', bankRef: r.bank_ref ?? r.txn_id };
}

export class BankStore {
  readonly db: BetterSqlite3.Database;

  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly pinKey: PinKey,
  ) {
    this.db = openDatabase(file);
    applySchema(this.db, SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Whether the scenario seed was applied to this file already (restart keeps balances). */
  isSeeded(): boolean {
    return !!this.db.prepare("SELECT 1 FROM meta WHERE key = 'seeded'").get();
  }

  markSeeded(): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', ?)").run(new Date(this.clock.now()).toISOString());
  }

  /** Adds an account unless its PAN exists (a restart must not reset a balance). */
  addAccount(a: BankAccountSeed): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO accounts (pan, pin, balance_fen) VALUES (?, ?, ?)')
      .run(a.pan, a.pin, a.balanceFen ?? DEFAULT_BALANCE_FEN);
    return r.changes > 0;
  }

  /** Overwrites an account's PIN and/or balance (scenario overrides, tests). */
  updateAccount(pan: string, patch: { pin?: string; balanceFen?: number; pinTriesLeft?: number }): void {
    const cur = this.db.prepare('SELECT * FROM accounts WHERE pan = ?').get(pan) as AccountRow | undefined;
    if (!cur) throw new YktError('BANK_UNKNOWN_ACCOUNT', `no account ${maskAccount(pan)}`);
    this.db
      .prepare('UPDATE accounts SET pin = ?, balance_fen = ?, pin_tries_left = ? WHERE pan = ?')
      .run(patch.pin ?? cur.pin, patch.balanceFen ?? cur.balance_fen, patch.pinTriesLeft ?? cur.pin_tries_left, pan);
  }

  account(pan: string): BankAccountState | undefined {
    const r = this.db.prepare('SELECT * FROM accounts WHERE pan = ?').get(pan) as AccountRow | undefined;
    return r && { pan: r.pan, balanceFen: r.balance_fen, pinTriesLeft: r.pin_tries_left };
  }

  /**
   * Decides a debit, once per txnId. `declineAll` (a fault) declines every new request with that
   * reason, stored like any decision so a retransmission gets the same answer.
   */
  debit(b: DebitBody, opts: { declineAll?: string } = {}): DebitResult {
    const fp = fingerprint(b);
    const decide = this.db.transaction((): DebitResult => {
      const existing = this.db.prepare('SELECT * FROM transactions WHERE txn_id = ?').get(b.txnId) as TxnRow | undefined;
      if (existing) {
        if (existing.fingerprint !== fp) {
          throw new BankApiError(409, 'REJECTED', 'TXN_ID_REUSED', 'txnId already used for a different debit');
        }
        return resultOf(existing);
      }
      const now = this.clock.now();
      const at = new Date(now).toISOString();
      const record = (status: 'approved' | 'declined', extra: { bankRef?: string; reason?: string; triesLeft?: number }): DebitResult => {
        this.db
          .prepare(
            `INSERT INTO transactions (txn_id, terminal_id, pan, amount_fen, status, bank_ref, reason, tries_left, fingerprint, description, at, business_date)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(b.txnId, b.terminalId, b.pan, b.amountFen, status, extra.bankRef ?? null, extra.reason ?? null, extra.triesLeft ?? null, fp, b.description, at, businessDate(now));
        return resultOf(this.db.prepare('SELECT * FROM transactions WHERE txn_id = ?').get(b.txnId) as TxnRow);
      };
      const decline = (reason: string, triesLeft?: number) => record('declined', { reason, ...(triesLeft !== undefined ? { triesLeft } : {}) });

      // The terminal reversed this txnId before its debit arrived (a debit overtaken by its own
      // reversal, the "reverse on doubt" case): it must never be applied now.
      if (this.db.prepare('SELECT 1 FROM tombstones WHERE txn_id = ?').get(b.txnId)) return decline('REVERSED_BEFORE_DEBIT');
      if (opts.declineAll) return decline(opts.declineAll);

      const acct = this.db.prepare('SELECT * FROM accounts WHERE pan = ?').get(b.pan) as AccountRow | undefined;
      if (!acct) return decline('ACCOUNT_INVALID');
      if (acct.pin_tries_left <= 0) return decline('PIN_LOCKED');
      const verdict = this.checkPin(b.pinBlock, b.pan, acct.pin);
      // A block that does not decode is a key or format problem at the terminal, not a guess:
      // it must not lock the citizen's account.
      if (verdict === 'malformed') return decline('PIN_FORMAT');
      if (verdict === 'wrong') {
        const left = acct.pin_tries_left - 1;
        this.db.prepare('UPDATE accounts SET pin_tries_left = ? WHERE pan = ?').run(left, b.pan);
        return decline('WRONG_PIN', left);
      }
      if (acct.pin_tries_left !== MAX_PIN_TRIES) this.db.prepare('UPDATE accounts SET pin_tries_left = ? WHERE pan = ?').run(MAX_PIN_TRIES, b.pan);
      if (b.amountFen > acct.balance_fen) return decline('INSUFFICIENT_FUNDS');

      this.db.prepare('UPDATE accounts SET balance_fen = balance_fen - ? WHERE pan = ?').run(b.amountFen, b.pan);
      const seq = (this.db.prepare("SELECT COUNT(*) AS n FROM transactions WHERE bank_ref IS NOT NULL").get() as { n: number }).n + 1;
      return record('approved', { bankRef: `YB${businessDate(now).replace(/-/g, '')}${String(seq).padStart(6, '0')}` });
    });
    // IMMEDIATE: the read of the balance and its update cannot interleave with another writer.
    return decide.immediate();
  }

  /**
   * 冲正, once per txnId: an approved debit is credited back; a txnId with no debit gets a tombstone
   * so the debit, should it still arrive, is refused; anything already settled answers as before.
   */
  reverse(b: ReversalBody): ReversalResult {
    const run = this.db.transaction((): ReversalResult => {
      const t = this.db.prepare('SELECT * FROM transactions WHERE txn_id = ?').get(b.txnId) as TxnRow | undefined;
      const at = this.clock.now();
      if (t) {
        if (t.terminal_id !== b.terminalId) {
          throw new BankApiError(409, 'REJECTED', 'TERMINAL_MISMATCH', 'the transaction belongs to another terminal');
        }
        if (t.status === 'reversed') return { txnId: b.txnId, reversed: true };
        if (t.status === 'declined') return { txnId: b.txnId, reversed: false };
        this.db.prepare('UPDATE accounts SET balance_fen = balance_fen + ? WHERE pan = ?').run(t.amount_fen, t.pan);
        this.db.prepare("UPDATE transactions SET status = 'reversed', reversed_at = ? WHERE id = ?").run(new Date(at).toISOString(), t.id);
        return { txnId: b.txnId, reversed: true };
      }
      const tomb = this.db.prepare('SELECT terminal_id FROM tombstones WHERE txn_id = ?').get(b.txnId) as { terminal_id: string } | undefined;
      if (tomb && tomb.terminal_id !== b.terminalId) {
        throw new BankApiError(409, 'REJECTED', 'TERMINAL_MISMATCH', 'the transaction belongs to another terminal');
      }
      if (!tomb) {
        this.db
          .prepare('INSERT INTO tombstones (txn_id, terminal_id, at, business_date) VALUES (?, ?, ?, ?)')
          .run(b.txnId, b.terminalId, new Date(at).toISOString(), businessDate(at));
      }
      return { txnId: b.txnId, reversed: false };
    });
    return run.immediate();
  }

  /** Approved debits that stand (not reversed): what the scenario runner counts as money taken. */
  standingDebits(): StandingDebit[] {
    const rows = this.db.prepare("SELECT txn_id, pan, amount_fen, at FROM transactions WHERE status = 'approved' ORDER BY id").all() as Pick<
      TxnRow,
      'txn_id' | 'pan' | 'amount_fen' | 'at'
    >[];
    return rows.map((r) => ({ txnId: r.txn_id, pan: r.pan, amountFen: r.amount_fen, at: r.at }));
  }

  /** The debits decided on a business date (Beijing time), and the reversals that found none. */
  transactionsOn(date: string): { transactions: BankTransaction[]; reversalsWithoutDebit: Tombstone[] } {
    const rows = this.db.prepare('SELECT * FROM transactions WHERE business_date = ? ORDER BY id').all(date) as TxnRow[];
    const tombs = this.db.prepare('SELECT txn_id, terminal_id, at FROM tombstones WHERE business_date = ? ORDER BY at, txn_id').all(date) as {
      txn_id: string;
      terminal_id: string;
      at: string;
    }[];
    return {
      transactions: rows.map((r) => ({
        txnId: r.txn_id,
        terminalId: r.terminal_id,
        panMasked: maskAccount(r.pan),
        amountFen: r.amount_fen,
        status: r.status,
        bankRef: r.bank_ref,
        reason: r.reason,
        description: r.description,
        at: r.at,
        reversedAt: r.reversed_at,
      })),
      reversalsWithoutDebit: tombs.map((t) => ({ txnId: t.txn_id, terminalId: t.terminal_id, at: t.at })),
    };
  }

  private checkPin(blockHex: string, pan: string, expected: string): 'ok' | 'wrong' | 'malformed' {
    const block = new Uint8Array(Buffer.from(blockHex, 'hex'));
    try {
      if (block.length !== blockSize(this.pinKey.alg)) return 'malformed';
      const pin = decryptPinBlock(this.pinKey.key, this.pinKey.alg, block, pan);
      if (pin === undefined) return 'malformed';
      return sameDigits(pin, expected) ? 'ok' : 'wrong';
    } catch {
      // accountDigits() refuses a PAN it cannot use: the block cannot be checked.
      return 'malformed';
    } finally {
      block.fill(0);
    }
  }
}
