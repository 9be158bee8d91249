/**
 * The embedded backend's SQLite store. All state changes (loss reports, lifts, statements) are
 * single transactions keyed by the client's requestId, so a retransmitted write is answered from
 * the stored outcome instead of being applied twice. Premium postings (keyed by txnId) live in
 * premium-ledger.ts, on the same database.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../../drivers/common/clock.js';
import { maskId, maskName } from '../../../drivers/common/mask.js';
import { openDatabase, applySchema } from '../../journal/sqlite.js';
import {
  INSURANCE_TYPES,
  type AccountBalances,
  type BlacklistPage,
  type CardStatus,
  type CardStatusResult,
  type ContributionQuery,
  type ContributionRecord,
  type HolderProfile,
  type InsuredType,
  type LossKind,
  type LossResult,
  type PostPremiumRequest,
  type PostPremiumResult,
  type PremiumDue,
  type PremiumPosting,
  type Statement,
  type StatementKind,
  type StatementVerification,
} from '../interface.js';
import { ApiError } from './api-error.js';
import { BlacklistFeed } from './blacklist-feed.js';
import { MedicalAccountLedger } from './medical-account.js';
import { PremiumLedger } from './premium-ledger.js';
import type { PremiumConfig } from './premiums.js';
import { SEED_AS_OF, type SeedHolder } from './seed-data.js';
import { contentDigest, lastMonths, statementCode, summarize } from './statement.js';

export { ApiError };

const LISTED: ReadonlySet<CardStatus> = new Set(['lost', 'blacklisted', 'dead-holder']);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holders (
  ssn TEXT PRIMARY KEY, name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,
  employer TEXT, agency TEXT NOT NULL, insured TEXT NOT NULL, pension_fen INTEGER, medical_fen INTEGER);
CREATE TABLE IF NOT EXISTS cards (
  ssn TEXT NOT NULL, card_number TEXT NOT NULL, card_id_code TEXT NOT NULL, status TEXT NOT NULL, since TEXT,
  PRIMARY KEY (ssn, card_number));
CREATE TABLE IF NOT EXISTS contributions (
  ssn TEXT NOT NULL, type TEXT NOT NULL, year_month TEXT NOT NULL, scheme TEXT NOT NULL, base_fen INTEGER NOT NULL,
  employer_fen INTEGER NOT NULL, personal_fen INTEGER NOT NULL, status TEXT NOT NULL, employer TEXT NOT NULL,
  PRIMARY KEY (ssn, type, year_month));
CREATE TABLE IF NOT EXISTS requests (request_id TEXT PRIMARY KEY, op TEXT NOT NULL, fingerprint TEXT NOT NULL, response TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS loss_reports (
  ref TEXT PRIMARY KEY, ssn TEXT NOT NULL, card_number TEXT NOT NULL, kind TEXT NOT NULL, terminal_id TEXT NOT NULL,
  request_id TEXT NOT NULL, created_at TEXT NOT NULL, lifted_ref TEXT, lifted_at TEXT);
CREATE TABLE IF NOT EXISTS blacklist_log (version INTEGER PRIMARY KEY AUTOINCREMENT, card_id_code TEXT NOT NULL, op TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blacklist_synthetic (card_id_code TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS statements (
  id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE, ssn TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  issued_at TEXT NOT NULL, agency TEXT NOT NULL, line_count INTEGER NOT NULL, digest TEXT NOT NULL);
`;

interface HolderRow {
  ssn: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  employer: string | null;
  agency: string;
  insured: string;
  pension_fen: number | null;
  medical_fen: number | null;
}
interface CardRow {
  ssn: string;
  card_number: string;
  card_id_code: string;
  status: CardStatus;
  since: string | null;
}
interface ContributionRow {
  type: ContributionRecord['type'];
  scheme: ContributionRecord['scheme'];
  year_month: string;
  base_fen: number;
  employer_fen: number;
  personal_fen: number;
  status: ContributionRecord['status'];
  employer: string;
}
export interface LossReportRow {
  ref: string;
  ssn: string;
  card_number: string;
  kind: LossKind;
  terminal_id: string;
  request_id: string;
  created_at: string;
  lifted_ref: string | null;
  lifted_at: string | null;
}

export class BackendStore {
  readonly db: BetterSqlite3.Database;
  private readonly premiums: PremiumLedger;
  private readonly blacklist: BlacklistFeed;
  /** The medical personal account's debits and reversals (medical-account.ts): the balance is `medical_fen`. */
  readonly medicalAccount: MedicalAccountLedger;

  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly secret: string,
  ) {
    this.db = openDatabase(file);
    applySchema(this.db, SCHEMA);
    this.premiums = new PremiumLedger(this.db, clock, this);
    this.blacklist = new BlacklistFeed(this.db);
    this.medicalAccount = new MedicalAccountLedger(this.db, clock);
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  isSeeded(): boolean {
    return this.db.prepare("SELECT 1 FROM meta WHERE key = 'seeded'").get() !== undefined;
  }

  /** Seeds once per database: a restart on the same file keeps loss reports, statements and postings. */
  seed(holders: readonly SeedHolder[], premiums?: PremiumConfig): void {
    const insHolder = this.db.prepare('INSERT INTO holders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insCard = this.db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, ?)');
    const insContribution = this.db.prepare('INSERT INTO contributions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insLog = this.db.prepare("INSERT INTO blacklist_log (card_id_code, op) VALUES (?, 'add')");
    this.db.transaction(() => {
      for (const h of holders) {
        insHolder.run(h.ssn, h.name, h.sex, h.birthDate, h.employer, h.agency, JSON.stringify(h.insured), h.accounts.pensionFen, h.accounts.medicalFen);
        for (const c of h.cards) {
          insCard.run(h.ssn, c.cardNumber, c.cardIdCode, c.status, c.since ?? null);
          if (LISTED.has(c.status)) insLog.run(c.cardIdCode);
        }
        for (const r of h.contributions) {
          insContribution.run(h.ssn, r.type, r.yearMonth, r.scheme, r.baseFen, r.employerFen, r.personalFen, r.status, r.employer);
        }
      }
      this.premiums.seed(premiums, holders.flatMap((h) => (h.premiums ? [[h.ssn, h.premiums] as const] : [])));
      this.db.prepare("INSERT INTO meta VALUES ('seeded', ?)").run(this.nowIso());
    })();
  }

  private holderRow(ssn: string): HolderRow {
    const row = this.db.prepare('SELECT * FROM holders WHERE ssn = ?').get(ssn) as HolderRow | undefined;
    if (!row) throw new ApiError(404, 'NOT_FOUND', `no holder ${maskId(ssn)}`);
    return row;
  }

  private cardRow(ssn: string, cardNumber: string): CardRow {
    const row = this.db.prepare('SELECT * FROM cards WHERE ssn = ? AND card_number = ?').get(ssn, cardNumber) as CardRow | undefined;
    if (!row) throw new ApiError(404, 'NOT_FOUND', `no card ${cardNumber} for holder ${maskId(ssn)}`);
    return row;
  }

  cardStatus(ssn: string, cardNumber: string): CardStatusResult {
    const c = this.cardRow(ssn, cardNumber);
    return c.since ? { status: c.status, since: c.since } : { status: c.status };
  }

  /** Changes a card's status and logs the blacklist change it implies. Also a test helper. */
  setCardStatus(ssn: string, cardNumber: string, status: CardStatus): void {
    const c = this.cardRow(ssn, cardNumber);
    this.db.transaction(() => {
      this.db.prepare('UPDATE cards SET status = ?, since = ? WHERE ssn = ? AND card_number = ?').run(status, this.nowIso(), ssn, cardNumber);
      const was = LISTED.has(c.status);
      const is = LISTED.has(status);
      if (was !== is) this.db.prepare('INSERT INTO blacklist_log (card_id_code, op) VALUES (?, ?)').run(c.card_id_code, is ? 'add' : 'remove');
    })();
  }

  /** Runs `apply` once per requestId; a repeat with the same request replays the stored answer. */
  private idempotent<T>(requestId: string, op: string, fingerprint: unknown, apply: () => T): T {
    const fp = JSON.stringify(fingerprint);
    return this.db.transaction(() => {
      const prior = this.db.prepare('SELECT op, fingerprint, response FROM requests WHERE request_id = ?').get(requestId) as
        | { op: string; fingerprint: string; response: string }
        | undefined;
      if (prior) {
        if (prior.op !== op || prior.fingerprint !== fp) {
          throw new ApiError(409, 'REJECTED', 'requestId already used for a different request', 'REQUEST_ID_REUSED');
        }
        return JSON.parse(prior.response) as T;
      }
      const out = apply();
      this.db.prepare('INSERT INTO requests VALUES (?, ?, ?, ?)').run(requestId, op, fp, JSON.stringify(out));
      return out;
    })();
  }

  private nextRef(prefix: string, column: 'ref' | 'lifted_ref'): string {
    const n = (this.db.prepare(`SELECT COUNT(${column}) AS n FROM loss_reports`).get() as { n: number }).n + 1;
    return `${prefix}${this.nowIso().slice(0, 10).replaceAll('-', '')}${String(n).padStart(6, '0')}`;
  }

  reportLoss(r: { ssn: string; cardNumber: string; kind: LossKind; terminalId: string; requestId: string }): LossResult {
    return this.idempotent(r.requestId, 'reportLoss', [r.ssn, r.cardNumber, r.kind, r.terminalId], () => {
      const c = this.cardRow(r.ssn, r.cardNumber);
      if (c.status === 'dead-holder') throw new ApiError(409, 'REJECTED', 'holder is recorded as deceased', 'HOLDER_DECEASED');
      if (c.status === 'blacklisted') throw new ApiError(409, 'REJECTED', 'card is blacklisted', 'CARD_BLACKLISTED');
      if (c.status === 'lost' || (c.status === 'temp-lost' && r.kind === 'temporary')) {
        throw new ApiError(409, 'REJECTED', `card is already reported lost (${c.status})`, 'ALREADY_LOST');
      }
      // temp-lost → formal is allowed: a temporary report is upgraded when the card stays lost.
      const ref = this.nextRef('GS', 'ref');
      this.db
        .prepare('INSERT INTO loss_reports (ref, ssn, card_number, kind, terminal_id, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ref, r.ssn, r.cardNumber, r.kind, r.terminalId, r.requestId, this.nowIso());
      this.setCardStatus(r.ssn, r.cardNumber, r.kind === 'temporary' ? 'temp-lost' : 'lost');
      return { ref };
    });
  }

  liftLoss(r: { ssn: string; cardNumber: string; terminalId: string; requestId: string }): LossResult {
    return this.idempotent(r.requestId, 'liftLoss', [r.ssn, r.cardNumber, r.terminalId], () => {
      const c = this.cardRow(r.ssn, r.cardNumber);
      const refuse: Partial<Record<CardStatus, [string, string]>> = {
        normal: ['NOT_LOST', 'card is not reported lost'],
        lost: ['FORMALLY_LOST', 'a formal loss report can only be handled at a service counter'],
        blacklisted: ['CARD_BLACKLISTED', 'card is blacklisted'],
        'dead-holder': ['HOLDER_DECEASED', 'holder is recorded as deceased'],
      };
      const why = refuse[c.status];
      if (why) throw new ApiError(422, 'LOSS_NOT_LIFTABLE', why[1], why[0]);
      const ref = this.nextRef('JG', 'lifted_ref');
      this.db
        .prepare("UPDATE loss_reports SET lifted_ref = ?, lifted_at = ? WHERE ssn = ? AND card_number = ? AND kind = 'temporary' AND lifted_ref IS NULL")
        .run(ref, this.nowIso(), r.ssn, r.cardNumber);
      this.setCardStatus(r.ssn, r.cardNumber, 'normal');
      return { ref };
    });
  }

  lossReports(ssn?: string): LossReportRow[] {
    return (
      ssn
        ? this.db.prepare('SELECT * FROM loss_reports WHERE ssn = ? ORDER BY created_at, ref').all(ssn)
        : this.db.prepare('SELECT * FROM loss_reports ORDER BY created_at, ref').all()
    ) as LossReportRow[];
  }

  holderProfile(ssn: string): HolderProfile {
    const h = this.holderRow(ssn);
    return {
      ssn: h.ssn,
      name: h.name,
      sex: h.sex,
      birthDate: h.birth_date,
      employer: h.employer,
      agency: h.agency,
      insured: JSON.parse(h.insured) as InsuredType[],
    };
  }

  contributions(ssn: string, q: ContributionQuery = {}): ContributionRecord[] {
    this.holderRow(ssn);
    const rows = this.db
      .prepare(
        `SELECT * FROM contributions WHERE ssn = ? AND (? IS NULL OR type = ?)
         AND year_month >= ? AND year_month <= ? ORDER BY year_month`,
      )
      .all(ssn, q.type ?? null, q.type ?? null, `${q.fromYear ?? 0}`.padStart(4, '0'), `${q.toYear ?? 9999}-99`) as ContributionRow[];
    const order = (t: ContributionRecord['type']) => INSURANCE_TYPES.indexOf(t);
    return rows
      .map((r) => ({
        type: r.type,
        scheme: r.scheme,
        yearMonth: r.year_month,
        baseFen: r.base_fen,
        employerFen: r.employer_fen,
        personalFen: r.personal_fen,
        status: r.status,
        employer: r.employer,
      }))
      .sort((a, b) => order(a.type) - order(b.type) || a.yearMonth.localeCompare(b.yearMonth));
  }

  accountBalances(ssn: string): AccountBalances {
    const h = this.holderRow(ssn);
    const of = (fen: number | null) => (fen === null ? null : { balanceFen: fen, asOf: SEED_AS_OF });
    // The medical balance moves with kiosk debits and reversals: as of the last one, if any.
    const medical = of(h.medical_fen);
    const moved = this.medicalAccount.lastMovement(ssn);
    return { pension: of(h.pension_fen), medical: medical && moved && moved > medical.asOf ? { ...medical, asOf: moved } : medical };
  }

  statement(ssn: string, r: { kind: StatementKind; months?: number; terminalId?: string; requestId: string }): Statement {
    return this.idempotent(r.requestId, 'statement', [ssn, r.kind, r.months ?? null, r.terminalId ?? null], () => {
      const profile = this.holderProfile(ssn);
      const records = this.contributions(ssn);
      const months = r.months ?? (r.kind === 'detail' ? 24 : 0);
      const summaries = summarize(profile.insured, records);
      const lines = lastMonths(records, months);
      const issuedAt = this.nowIso();
      const digest = contentDigest({ summaries, lines });
      const ins = this.db
        .prepare('INSERT INTO statements (ssn, name, kind, issued_at, agency, line_count, digest) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ssn, profile.name, r.kind, issuedAt, profile.agency, lines.length, digest);
      const id = Number(ins.lastInsertRowid);
      const code = statementCode(this.secret, { id, ssn, kind: r.kind, issuedAt, digest });
      this.db.prepare('UPDATE statements SET code = ? WHERE id = ?').run(code, id);
      return {
        code,
        kind: r.kind,
        issuedAt,
        issuingAgency: profile.agency,
        terminalId: r.terminalId ?? null,
        holder: { ssn, name: profile.name, sex: profile.sex, employer: profile.employer },
        summaries,
        lines,
      };
    });
  }

  verifyStatement(code: string): StatementVerification {
    const normalized = code.trim().toUpperCase();
    const row = this.db.prepare('SELECT * FROM statements WHERE code = ?').get(normalized) as
      | { id: number; ssn: string; name: string; kind: StatementKind; issued_at: string; agency: string; line_count: number; digest: string }
      | undefined;
    if (!row) return { valid: false, code: normalized };
    const expected = statementCode(this.secret, { id: row.id, ssn: row.ssn, kind: row.kind, issuedAt: row.issued_at, digest: row.digest });
    if (expected !== normalized) return { valid: false, code: normalized };
    return {
      valid: true,
      code: normalized,
      kind: row.kind,
      issuedAt: row.issued_at,
      issuingAgency: row.agency,
      holderName: maskName(row.name),
      ssn: maskId(row.ssn),
      lineCount: row.line_count,
    };
  }

  blacklistVersion(): number {
    return this.blacklist.version();
  }

  /** A delta, or one page of the full list (blacklist-feed.ts). */
  blacklistSince(since: number, page?: { cursor?: string; limit?: number }): BlacklistPage {
    return this.blacklist.page(since, page);
  }

  /** Tests and bench: n synthetic listed ids (`syntheticCardIdCode`); clients reload in full. Returns the version. */
  seedSyntheticBlacklist(n: number): number {
    return this.blacklist.seedSynthetic(n);
  }

  /** Tests: lists or unlists ids not tied to a seeded card, each a logged change (a delta). Returns the version. */
  setBlacklisted(cardIdCodes: readonly string[], listed: boolean): number {
    return this.blacklist.setListed(cardIdCodes, listed);
  }

  /** Forgets the blacklist log up to a version (default: all); older clients then get the full list. */
  compactBlacklistLog(upTo?: number): void {
    this.blacklist.compact(upTo);
  }

  premiumsDue(ssn: string): PremiumDue[] {
    return this.premiums.premiumsDue(ssn);
  }

  postPremium(r: PostPremiumRequest): PostPremiumResult {
    return this.premiums.postPremium(r);
  }

  /** Every premium posting, in posting order (scenario `expect.posted`, ledger checks). */
  postings(): PremiumPosting[] {
    return this.premiums.postings();
  }

  postingsOn(date: string): PremiumPosting[] {
    return this.premiums.postingsOn(date);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
