/**
 * Premium postings in the embedded backend's SQLite database. A posting is one transaction: the
 * posting row (txnId UNIQUE) and the `paid` contribution records of its periods commit together,
 * so what is due, the holder's records and the posting log can never disagree, and a repeated
 * txnId finds the first posting instead of paying the periods twice.
 */
import { applySchema } from '../../journal/sqlite.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../../drivers/common/clock.js';
import { maskId } from '../../../drivers/common/mask.js';
import type {
  ContributionRecord,
  HolderProfile,
  PostPremiumRequest,
  PostPremiumResult,
  PremiumDue,
  PremiumItem,
  PremiumPosting,
} from '../interface.js';
import { ApiError } from './api-error.js';
import { computeDues, itemOfInsured, postedRecord, type HolderPremiumPlan, type PremiumConfig } from './premiums.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS premium_plans (ssn TEXT PRIMARY KEY, plan TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS premium_postings (
  seq INTEGER PRIMARY KEY, txn_id TEXT NOT NULL UNIQUE, ref TEXT NOT NULL UNIQUE, ssn TEXT NOT NULL,
  item TEXT NOT NULL, choice_id TEXT NOT NULL, periods TEXT NOT NULL, amount_fen INTEGER NOT NULL,
  terminal_id TEXT NOT NULL, bank_ref TEXT NOT NULL, paid_at TEXT NOT NULL, posted_at TEXT NOT NULL,
  fingerprint TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS premium_postings_day ON premium_postings (posted_at);
`;

const CONFIG_KEY = 'premium_config';

interface PostingRow {
  seq: number;
  txn_id: string;
  ref: string;
  ssn: string;
  item: PremiumItem;
  periods: string;
  amount_fen: number;
  posted_at: string;
  fingerprint: string;
}

/** What the ledger needs of the rest of the store (a 404 for an unknown holder comes from there). */
export interface HolderSource {
  holderProfile(ssn: string): HolderProfile;
  contributions(ssn: string): ContributionRecord[];
}

/**
 * The content a txnId stands for. `paidAt` is left out on purpose: a terminal retrying a posting
 * from its journal may restamp it, and that must not turn a retry into TXN_ID_REUSED (which would
 * make the terminal refund a payment that is in fact posted). The first posting's paidAt stands.
 */
function fingerprint(r: PostPremiumRequest): string {
  return JSON.stringify([r.ssn, r.item, r.choiceId, r.periods, r.amountFen, r.terminalId, r.bankRef]);
}

function toPosting(r: PostingRow): PremiumPosting {
  return { txnId: r.txn_id, ssn: r.ssn, item: r.item, amountFen: r.amount_fen, periods: JSON.parse(r.periods) as string[], ref: r.ref, postedAt: r.posted_at };
}

export class PremiumLedger {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly clock: Clock,
    private readonly holders: HolderSource,
  ) {
    applySchema(db, SCHEMA);
  }

  /** Called inside the store's seed transaction (once per database). */
  seed(config: PremiumConfig | undefined, plans: ReadonlyArray<readonly [string, HolderPremiumPlan]>): void {
    if (config) this.db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run(CONFIG_KEY, JSON.stringify(config));
    const ins = this.db.prepare('INSERT OR REPLACE INTO premium_plans VALUES (?, ?)');
    for (const [ssn, plan] of plans) ins.run(ssn, JSON.stringify(plan));
  }

  private config(): PremiumConfig {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(CONFIG_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as PremiumConfig) : {};
  }

  private plan(ssn: string): HolderPremiumPlan | undefined {
    const row = this.db.prepare('SELECT plan FROM premium_plans WHERE ssn = ?').get(ssn) as { plan: string } | undefined;
    return row ? (JSON.parse(row.plan) as HolderPremiumPlan) : undefined;
  }

  premiumsDue(ssn: string): PremiumDue[] {
    const profile = this.holders.holderProfile(ssn);
    const plan = this.plan(ssn);
    return computeDues({
      insured: profile.insured,
      records: this.holders.contributions(ssn),
      now: this.clock.now(),
      config: this.config(),
      ...(plan ? { plan } : {}),
    });
  }

  postPremium(r: PostPremiumRequest): PostPremiumResult {
    return this.db.transaction((): PostPremiumResult => {
      // The txnId first: a repeat must find its posting even though its periods are now paid.
      const prior = this.db.prepare('SELECT ref, fingerprint FROM premium_postings WHERE txn_id = ?').get(r.txnId) as
        | { ref: string; fingerprint: string }
        | undefined;
      if (prior) {
        if (prior.fingerprint !== fingerprint(r)) {
          throw new ApiError(409, 'REJECTED', 'txnId already posted with different content', 'TXN_ID_REUSED');
        }
        return { ref: prior.ref, duplicate: true };
      }
      const due = this.checkedDue(r);
      const choice = due.choices.find((c) => c.id === r.choiceId);
      if (!choice) throw new ApiError(409, 'REJECTED', `no choice ${r.choiceId} for ${r.item}`, 'UNKNOWN_CHOICE');
      const n = r.periods.length;
      if (n > due.maxPeriods || r.periods.some((p, i) => p !== due.periods[i])) {
        throw new ApiError(
          409,
          'REJECTED',
          `periods must be the first 1–${Math.min(due.maxPeriods, due.periods.length)} payable periods (${due.periods.slice(0, 3).join(', ')}…)`,
          'PERIODS_NOT_PAYABLE',
        );
      }
      if (r.amountFen !== choice.amountFen * n) {
        throw new ApiError(409, 'REJECTED', `amount ${r.amountFen} is not ${choice.amountFen} × ${n}`, 'AMOUNT_MISMATCH');
      }
      const now = new Date(this.clock.now()).toISOString();
      const seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM premium_postings').get() as { n: number }).n;
      const ref = `JF${now.slice(0, 10).replaceAll('-', '')}${String(seq).padStart(6, '0')}`;
      this.db
        .prepare('INSERT INTO premium_postings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(seq, r.txnId, ref, r.ssn, r.item, r.choiceId, JSON.stringify(r.periods), r.amountFen, r.terminalId, r.bankRef, r.paidAt, now, fingerprint(r));
      const upsert = this.db.prepare(
        `INSERT INTO contributions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ssn, type, year_month) DO UPDATE SET scheme = excluded.scheme, base_fen = excluded.base_fen,
           employer_fen = excluded.employer_fen, personal_fen = excluded.personal_fen, status = excluded.status,
           employer = excluded.employer`,
      );
      for (const p of r.periods) {
        const c = postedRecord(r.item, p, choice);
        upsert.run(r.ssn, c.type, c.yearMonth, c.scheme, c.baseFen, c.employerFen, c.personalFen, c.status, c.employer);
      }
      return { ref, duplicate: false };
    })();
  }

  /** The item's due entry, or the rejection saying why there is none. */
  private checkedDue(r: PostPremiumRequest): PremiumDue {
    const due = this.premiumsDue(r.ssn).find((d) => d.item === r.item);
    if (due) return due;
    const insured = this.holders.holderProfile(r.ssn).insured.some((i) => itemOfInsured(i) === r.item);
    if (insured) throw new ApiError(409, 'REJECTED', `nothing of ${r.item} is payable for ${maskId(r.ssn)}`, 'PERIODS_NOT_PAYABLE');
    throw new ApiError(409, 'REJECTED', `${maskId(r.ssn)} does not pay ${r.item}`, 'NOT_INSURED_FOR_ITEM');
  }

  /** Every posting, in posting order. */
  postings(): PremiumPosting[] {
    return (this.db.prepare('SELECT * FROM premium_postings ORDER BY seq').all() as PostingRow[]).map(toPosting);
  }

  /** The postings of one UTC day (YYYY-MM-DD) by posting time. */
  postingsOn(date: string): PremiumPosting[] {
    const rows = this.db.prepare('SELECT * FROM premium_postings WHERE posted_at >= ? AND posted_at < ? ORDER BY seq').all(`${date}T`, `${date}T~`);
    return (rows as PostingRow[]).map(toPosting);
  }
}
