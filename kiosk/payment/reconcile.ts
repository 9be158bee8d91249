/**
 * Daily reconciliation (docs/payments.md, "Reconciliation"): the terminal's payment journal
 * against the bank's transactions and the backend's premium postings, joined by the terminal's
 * transaction id. `reconcile()` is pure (join + classify); `reconcileDay()` reads the three
 * sources for one business day; `renderCsv()` / `renderSummary()` format the result.
 *
 * One day boundary for all three sources: the bank's business day, 00:00–24:00 Beijing time
 * (UTC+8). A transaction belongs to the day the terminal created it (for one the terminal does
 * not know: the day the bank or backend first saw it). The bank and the backend are read one day
 * either side, so a payment that straddles midnight is matched, not reported as two mismatches.
 *
 * Registration fees (kind `registration`) are in the same journal: their counterpart is the HIS,
 * which is not read here, so a registered one is `ok` when its debit stands with the same amount.
 * A fee paid from the holder's medical insurance personal account has the backend's medical-account
 * ledger as its payer instead of the bank: the same rules, read from that ledger (`payer` column).
 *
 * Nothing personal leaves this module: the backend's postings carry the holder's id (used in
 * memory only, to find the same periods paid twice); lines carry ids, states, amounts and refs.
 */
import { YktError } from '../../drivers/common/errors.js';
import type { MedicalTransaction, MedicalTransactions, PremiumPosting } from '../backend/interface.js';
import { BusinessDate, businessDate, type BankTransaction, type Tombstone, type TransactionsResponse } from '../bank/wire.js';
import type { PaymentStore } from './store.js';
import type { AnyPaymentRecord, PaymentState } from './types.js';

export const VERDICTS = [
  'ok',
  'debit-not-posted',
  'posted-without-debit',
  'amount-differs',
  'unknown-to-terminal',
  'open-at-terminal',
  'double-posting',
  'reversed-but-posted',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The bank's side of one txnId: its transaction's status, a tombstone only, or nothing. */
export type BankStatus = BankTransaction['status'] | 'tombstone' | 'none';

export const RECONCILE_ERROR_CODES = [
  /** --date is not a calendar date. */
  'RECONCILE_BAD_DATE',
  /** A command-line argument is missing or wrong. */
  'RECONCILE_BAD_ARGS',
  /** A source is not there (no payments.sqlite, no embedded ledger, no URL outside sim mode). */
  'RECONCILE_NO_SOURCE',
  /** A source is there but could not be read (bank or backend unreachable, bad answer). */
  'RECONCILE_SOURCE_FAILED',
] as const;
export type ReconcileErrorCode = (typeof RECONCILE_ERROR_CODES)[number];

export class ReconcileError extends YktError {
  declare readonly code: ReconcileErrorCode;
  constructor(code: ReconcileErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The states in which the terminal holds the money as taken for good. */
const PAID: readonly PaymentState[] = ['posted'];
/** Final states in which no money stays taken. */
const UNPAID: readonly PaymentState[] = ['declined', 'failed', 'reversed', 'refunded'];

const DAY_MS = 86_400_000;

/** The Beijing business day `date` as UTC milliseconds [since, until). */
export function dayBounds(date: string): { since: number; until: number } {
  const m = BusinessDate.safeParse(date);
  const since = Date.parse(`${date}T00:00:00+08:00`);
  // The regex lets 2026-02-30 through; Date.parse would roll it over to March.
  if (!m.success || Number.isNaN(since) || businessDate(since) !== date) {
    throw new ReconcileError('RECONCILE_BAD_DATE', `not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return { since, until: since + DAY_MS };
}

const shiftDate = (date: string, days: number): string => businessDate(dayBounds(date).since + days * DAY_MS);

/** One transaction as the three sources see it. */
/** Who took the money: the bank (a bank card) or the backend's medical personal account. */
export type Payer = 'bank' | 'medical-account';

export interface Joined {
  txnId: string;
  /** Whose ledger `bank` and `tombstone` come from. */
  payer: Payer;
  payment?: AnyPaymentRecord;
  bank?: BankTransaction;
  tombstone?: Tombstone;
  postings: PremiumPosting[];
  /** Earlier postings, under other txnIds, of a period this transaction's postings also cover. */
  overlaps: { txnId: string; ref: string; period: string }[];
}

export interface ReconcileLine {
  date: string;
  txnId: string;
  payer: Payer;
  terminalState: PaymentState | null;
  terminalAmountFen: number | null;
  bankStatus: BankStatus;
  bankAmountFen: number | null;
  backendRefs: string[];
  backendAmountFen: number | null;
  verdict: Verdict;
  note: string;
}

export interface ReconcileReport {
  date: string;
  terminalId: string;
  /** UTC milliseconds [since, until) of the Beijing business day. */
  since: number;
  until: number;
  lines: ReconcileLine[];
  counts: Record<Verdict, number>;
  totals: {
    terminal: { count: number; paidFen: number };
    bank: { count: number; standingFen: number };
    backend: { count: number; postedFen: number };
    medical: { count: number; standingFen: number };
  };
  /** Records of other terminals in the sources (not this terminal's to reconcile). */
  ignored: { bank: number; backend: number };
}

export interface ReconcileInput {
  date: string;
  terminalId: string;
  /** The day's journal rows, plus any row of another day whose txnId the bank or backend shows. */
  payments: readonly AnyPaymentRecord[];
  /** Bank transactions and tombstones of the day and one day either side. */
  bank: readonly BankTransaction[];
  tombstones: readonly Tombstone[];
  /** Backend postings of the day and one day either side (any order). */
  postings: readonly PremiumPosting[];
  /** The medical account's decisions and bare reversals of the day and one day either side. */
  medical?: readonly MedicalTransaction[];
  medicalTombstones?: MedicalTransactions['reversalsWithoutDebit'];
}

/** A medical-account decision in the bank's shape: the classification reads both alike. */
const asPayerRecord = (m: MedicalTransaction): BankTransaction => ({
  txnId: m.txnId,
  terminalId: m.terminalId,
  panMasked: 'medical-account',
  amountFen: m.amountFen,
  status: m.status,
  bankRef: m.ref,
  reason: m.reason,
  description: m.description,
  at: m.at,
  reversedAt: m.reversedAt,
});

export const yuan = (fen: number): string => {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** Decides one transaction. Order matters: the first rule that applies names the line. */
export function classify(j: Joined): { verdict: Verdict; note: string } {
  const p = j.payment;
  const standing = j.bank?.status === 'approved';
  const posted = j.postings.length;
  const who = j.payer === 'bank' ? 'bank' : 'medical account';
  const bankSays = j.bank
    ? `${who} ${j.bank.status}${j.bank.reason ? ` (${j.bank.reason})` : ''} ${yuan(j.bank.amountFen)} yuan`
    : j.tombstone
      ? `${who}: reversal only, no debit`
      : `${who}: no record`;
  const backendSays = posted ? `backend posted ${j.postings.map((x) => `${x.ref} ${yuan(x.amountFen)} yuan`).join(', ')}` : 'backend: no posting';

  if (!p) return { verdict: 'unknown-to-terminal', note: `no terminal record; ${bankSays}; ${backendSays}` };
  if (posted > 1) return { verdict: 'double-posting', note: `posted ${posted} times under one txnId: ${j.postings.map((x) => x.ref).join(', ')}` };
  if (j.overlaps.length) {
    const o = j.overlaps.map((x) => `${x.period} by ${x.txnId} (${x.ref})`).join(', ');
    return { verdict: 'double-posting', note: `periods already posted: ${o}` };
  }
  // Recovery is still working on it; what the bank and backend show is not final yet either.
  if (!PAID.includes(p.state) && !UNPAID.includes(p.state)) {
    const why = p.lastError ? `, last error ${p.lastError}` : '';
    return { verdict: 'open-at-terminal', note: `terminal ${p.state} (${p.attempts} attempts${why}); ${bankSays}; ${backendSays}` };
  }
  if (UNPAID.includes(p.state)) {
    if (posted) return { verdict: 'reversed-but-posted', note: `terminal ${p.state} but ${backendSays}; ${bankSays}` };
    if (standing) return { verdict: 'debit-not-posted', note: `terminal ${p.state} but the ${who} debit of ${yuan(j.bank!.amountFen)} yuan stands (a reversal did not land?)` };
    return { verdict: 'ok', note: `${p.state}${p.declineReason ? ` (${p.declineReason})` : ''}: nothing taken` };
  }
  // The terminal holds it posted.
  if (p.order.kind === 'registration') {
    // Posted at the HIS (not read here): the bank's side is what this report can check.
    if (!standing) return { verdict: 'posted-without-debit', note: `terminal registered ${p.postingRef ?? ''}; ${bankSays}` };
    if (p.order.amountFen !== j.bank!.amountFen) {
      return { verdict: 'amount-differs', note: `terminal ${yuan(p.order.amountFen)}, ${who} ${yuan(j.bank!.amountFen)} yuan (registration)` };
    }
    return { verdict: 'ok', note: `registration fee paid, registered ${p.postingRef ?? ''} (HIS not read)` };
  }
  if (standing && !posted) return { verdict: 'debit-not-posted', note: `bank debit of ${yuan(j.bank!.amountFen)} yuan stands, backend has no posting (terminal says posted)` };
  if (!standing) return { verdict: 'posted-without-debit', note: `terminal posted; ${bankSays}; ${backendSays}` };
  const amounts = [p.order.amountFen, j.bank!.amountFen, j.postings[0]!.amountFen];
  if (amounts.some((a) => a !== amounts[0])) {
    return { verdict: 'amount-differs', note: `terminal ${yuan(amounts[0]!)}, bank ${yuan(amounts[1]!)}, backend ${yuan(amounts[2]!)} yuan` };
  }
  return { verdict: 'ok', note: 'paid and posted' };
}

/** When the terminal created it; else when the bank or backend first saw it (NaN: no readable time). */
const firstSeen = (j: Joined): number => {
  if (j.payment) return j.payment.createdAt;
  const times = [j.bank?.at, j.tombstone?.at, ...j.postings.map((x) => x.postedAt)].map((t) => Date.parse(t ?? '')).filter((t) => !Number.isNaN(t));
  return times.length ? Math.min(...times) : Number.NaN;
};

/**
 * Postings that pay a period another, earlier posting (other txnId, same holder and item) already
 * paid: the citizen paid it twice. The holder's id is compared here and goes no further.
 */
function findOverlaps(postings: readonly PremiumPosting[]): Map<string, Joined['overlaps']> {
  const ordered = [...postings].sort((a, b) => a.postedAt.localeCompare(b.postedAt));
  const seen = new Map<string, { txnId: string; ref: string }>();
  const out = new Map<string, Joined['overlaps']>();
  for (const x of ordered) {
    for (const period of x.periods) {
      const key = `${x.ssn}\u0000${x.item}\u0000${period}`;
      const prior = seen.get(key);
      if (!prior) seen.set(key, { txnId: x.txnId, ref: x.ref });
      else if (prior.txnId !== x.txnId) out.set(x.txnId, [...(out.get(x.txnId) ?? []), { ...prior, period }]);
    }
  }
  return out;
}

/** Joins the three sources by txnId and classifies each transaction of `input.date`. Pure. */
export function reconcile(input: ReconcileInput): ReconcileReport {
  const { since, until } = dayBounds(input.date);
  const known = new Map(input.payments.map((p) => [p.txnId, p]));
  const ours = `${input.terminalId}-`;
  const joined = new Map<string, Joined>();
  const at = (txnId: string): Joined => {
    let j = joined.get(txnId);
    if (!j) joined.set(txnId, (j = { txnId, payer: 'bank', postings: [], overlaps: [] }));
    return j;
  };
  const ignored = { bank: 0, backend: 0 };
  // Another terminal's records are not ours to reconcile, unless our journal knows the txnId
  // (then a terminal id changed in the config must not hide our own money).
  for (const p of input.payments) {
    const j = at(p.txnId);
    j.payment = p;
    if (p.source === 'medical-account') j.payer = 'medical-account';
  }
  for (const b of input.bank) {
    if (b.terminalId !== input.terminalId && !known.has(b.txnId)) ignored.bank++;
    else at(b.txnId).bank ??= b;
  }
  for (const t of input.tombstones) {
    if (t.terminalId !== input.terminalId && !known.has(t.txnId)) ignored.bank++;
    else at(t.txnId).tombstone ??= t;
  }
  // The medical account's ledger keeps no terminal with a bare reversal: the txnId prefix tells.
  for (const m of input.medical ?? []) {
    if (m.terminalId !== input.terminalId && !known.has(m.txnId)) ignored.bank++;
    else {
      const j = at(m.txnId);
      j.payer = 'medical-account';
      j.bank ??= asPayerRecord(m);
    }
  }
  for (const t of input.medicalTombstones ?? []) {
    if (!t.txnId.startsWith(ours) && !known.has(t.txnId)) ignored.bank++;
    else {
      const j = at(t.txnId);
      j.payer = 'medical-account';
      j.tombstone ??= { txnId: t.txnId, terminalId: input.terminalId, at: t.at };
    }
  }
  for (const x of input.postings) {
    if (!x.txnId.startsWith(ours) && !known.has(x.txnId)) ignored.backend++;
    else at(x.txnId).postings.push(x);
  }
  const overlaps = findOverlaps(input.postings);
  const day = [...joined.values()]
    .map((j) => ({ j, t: firstSeen(j) }))
    // A record without a readable time (the bank's `at` is free text on the wire) is shown rather
    // than hidden: on the day asked for.
    .map(({ j, t }) => ({ j, t: Number.isNaN(t) ? since : t }))
    .filter(({ t }) => t >= since && t < until)
    .sort((a, b) => a.t - b.t || a.j.txnId.localeCompare(b.j.txnId))
    .map(({ j }) => j);

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const totals: ReconcileReport['totals'] = {
    terminal: { count: 0, paidFen: 0 },
    bank: { count: 0, standingFen: 0 },
    backend: { count: 0, postedFen: 0 },
    medical: { count: 0, standingFen: 0 },
  };
  const lines = day.map((j): ReconcileLine => {
    j.overlaps = overlaps.get(j.txnId) ?? [];
    const { verdict, note } = classify(j);
    counts[verdict]++;
    if (j.payment) {
      totals.terminal.count++;
      // Approved is paid too, only not posted yet: the money is taken either way.
      if (j.payment.state === 'posted' || j.payment.state === 'approved') totals.terminal.paidFen += j.payment.order.amountFen;
    }
    const payer = j.payer === 'bank' ? totals.bank : totals.medical;
    if (j.bank || j.tombstone) payer.count++;
    if (j.bank?.status === 'approved') payer.standingFen += j.bank.amountFen;
    totals.backend.count += j.postings.length;
    const postedFen = j.postings.reduce((s, x) => s + x.amountFen, 0);
    totals.backend.postedFen += postedFen;
    return {
      date: input.date,
      txnId: j.txnId,
      payer: j.payer,
      terminalState: j.payment?.state ?? null,
      terminalAmountFen: j.payment?.order.amountFen ?? null,
      bankStatus: j.bank?.status ?? (j.tombstone ? 'tombstone' : 'none'),
      bankAmountFen: j.bank?.amountFen ?? null,
      backendRefs: j.postings.map((x) => x.ref),
      backendAmountFen: j.postings.length ? postedFen : null,
      verdict,
      note,
    };
  });
  return { date: input.date, terminalId: input.terminalId, since, until, lines, counts, totals, ignored };
}

/** Where reconcileDay reads from: the payment store, a bank (HTTP client or embedded ledger), a backend. */
export interface ReconcileSources {
  terminal: Pick<PaymentStore, 'list' | 'record'>;
  bank: { transactionsOn(date: string): Promise<TransactionsResponse> | TransactionsResponse };
  backend: { postingsOn(date: string): Promise<PremiumPosting[]> | PremiumPosting[] };
  /** The backend's medical-account ledger (registration fees paid from it). */
  medical: { medicalTransactionsOn(date: string): Promise<MedicalTransactions> | MedicalTransactions };
}

async function read<T>(source: string, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const code = e instanceof YktError ? `${e.code}: ` : '';
    throw new ReconcileError('RECONCILE_SOURCE_FAILED', `cannot read the ${source}: ${code}${(e as Error).message}`, { cause: e });
  }
}

/** Reads one business day from the three sources and reconciles it. */
export async function reconcileDay(date: string, terminalId: string, src: ReconcileSources): Promise<ReconcileReport> {
  const { since, until } = dayBounds(date);
  // No LIMIT in practice: a terminal takes a few hundred payments a day at most.
  const payments = await read('payment journal', () => src.terminal.list({ since, until, limit: Number.MAX_SAFE_INTEGER }));
  const bank: BankTransaction[] = [];
  const tombstones: Tombstone[] = [];
  for (const d of [shiftDate(date, -1), date, shiftDate(date, 1)]) {
    const r = await read(`bank's transactions of ${d}`, () => src.bank.transactionsOn(d));
    bank.push(...r.transactions);
    tombstones.push(...r.reversalsWithoutDebit);
  }
  const medical: MedicalTransaction[] = [];
  const medicalTombstones: MedicalTransactions['reversalsWithoutDebit'] = [];
  for (const d of [shiftDate(date, -1), date, shiftDate(date, 1)]) {
    const r = await read(`medical account's ledger of ${d}`, () => src.medical.medicalTransactionsOn(d));
    medical.push(...r.transactions);
    medicalTombstones.push(...r.reversalsWithoutDebit);
  }
  // The backend's postingsOn takes UTC days: read each UTC day the window touches, once.
  const from = since - DAY_MS;
  const to = until + DAY_MS;
  const postings: PremiumPosting[] = [];
  for (let t = Date.parse(new Date(from).toISOString().slice(0, 10)); t < to; t += DAY_MS) {
    const utc = new Date(t).toISOString().slice(0, 10);
    const got = await read(`backend's postings of ${utc} (UTC)`, () => src.backend.postingsOn(utc));
    postings.push(...got.filter((x) => Date.parse(x.postedAt) >= from && Date.parse(x.postedAt) < to));
  }
  // Rows of other days that the bank or backend shows: the pure join must know they are not
  // unknown to the terminal (they belong to that other day's report).
  const have = new Set(payments.map((p) => p.txnId));
  const extra: AnyPaymentRecord[] = [];
  const seen = [bank, tombstones, postings, medical, medicalTombstones].flatMap((rows) => rows.map((r) => r.txnId));
  for (const id of new Set(seen)) {
    if (have.has(id)) continue;
    const rec = await read('payment journal', () => src.terminal.record(id));
    if (rec) extra.push(rec);
  }
  return reconcile({ date, terminalId, payments: [...payments, ...extra], bank, tombstones, postings, medical, medicalTombstones });
}

export { CSV_HEADER, renderCsv, renderSummary } from './reconcile-report.js';
