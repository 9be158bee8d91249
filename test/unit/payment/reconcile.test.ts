import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { accountDigits, encryptPinBlock } from '../../../drivers/pinpad/crypto.js';
import type { MedicalTransaction, PremiumPosting } from '../../../kiosk/backend/interface.js';
import type { BankTransaction, Tombstone } from '../../../kiosk/bank/wire.js';
import { startHost, type Host } from '../../../kiosk/host.js';
import { createGatewayClient } from '../../../kiosk/payment/gateway-client.js';
import { CSV_HEADER, dayBounds, reconcile, renderCsv, type ReconcileInput, type Verdict } from '../../../kiosk/payment/reconcile.js';
import type { AnyPaymentRecord, PaymentRecord, PaymentState } from '../../../kiosk/payment/types.js';
import { DEMO_PIN_WORKING_KEY } from '../../../kiosk/sim/demo-keys.js';
import { runReconcile } from '../../../scripts/reconcile.js';

const TERM = 'YKT-T-0001';
const DATE = '2026-01-05';
/** 09:00 Beijing on DATE. */
const AT = Date.UTC(2026, 0, 5, 1, 0, 0);
const SSN = '330302198507152348';
const iso = (ms: number) => new Date(ms).toISOString();

let seq = 0;
const txn = () => `${TERM}-20260105010000-${(++seq).toString(16).padStart(8, '0')}`;

function payment(txnId: string, state: PaymentState, amountFen = 180_000, createdAt = AT): PaymentRecord {
  return {
    txnId,
    state,
    order: { ssn: '330302********2348', item: 'flexible-pension', choiceId: 'base-4500', periods: ['2024-03', '2024-04'], amountFen, description: 'x' },
    source: 'bank-card',
    panMasked: '621700*********5671',
    createdAt,
    updatedAt: createdAt,
    attempts: 0,
    receiptPrinted: true,
  };
}

function debit(txnId: string, status: BankTransaction['status'], amountFen = 180_000, at = AT, terminalId = TERM): BankTransaction {
  return { txnId, terminalId, panMasked: '621700*********5671', amountFen, status, bankRef: status === 'declined' ? null : 'YB1', reason: null, description: 'x', at: iso(at), reversedAt: null };
}

function posting(txnId: string, amountFen = 180_000, opts: { periods?: string[]; at?: number; ref?: string } = {}): PremiumPosting {
  return { txnId, ssn: SSN, item: 'flexible-pension', amountFen, periods: opts.periods ?? ['2024-03', '2024-04'], ref: opts.ref ?? `JF-${txnId.slice(-4)}`, postedAt: iso(opts.at ?? AT + 1000) };
}

function run(parts: Partial<ReconcileInput>) {
  return reconcile({ date: DATE, terminalId: TERM, payments: [], bank: [], tombstones: [], postings: [], ...parts });
}

/** Reconciles one transaction's three records and returns its only line. */
function one(p: PaymentRecord | undefined, b: BankTransaction | undefined, x: PremiumPosting[] = [], tomb?: Tombstone) {
  const r = run({ payments: p ? [p] : [], bank: b ? [b] : [], postings: x, tombstones: tomb ? [tomb] : [] });
  expect(r.lines).toHaveLength(1);
  return r.lines[0]!;
}

describe('reconcile: the pure join and classification', () => {
  it('the day is 00:00–24:00 Beijing time, and only calendar dates are accepted', () => {
    expect(dayBounds(DATE)).toEqual({ since: Date.UTC(2026, 0, 4, 16), until: Date.UTC(2026, 0, 5, 16) });
    expect(() => dayBounds('2026-02-30')).toThrow(expect.objectContaining({ code: 'RECONCILE_BAD_DATE' }));
    expect(() => dayBounds('5.1.2026')).toThrow(expect.objectContaining({ code: 'RECONCILE_BAD_DATE' }));
  });

  it('ok: posted ⇔ one standing debit ⇔ one posting of the same amount', () => {
    const id = txn();
    expect(one(payment(id, 'posted'), debit(id, 'approved'), [posting(id)])).toMatchObject({ verdict: 'ok', bankStatus: 'approved', backendAmountFen: 180_000 });
  });

  it.each<[PaymentState, BankTransaction['status'] | 'tombstone' | 'none']>([
    ['declined', 'declined'],
    ['failed', 'none'],
    ['reversed', 'reversed'],
    ['reversed', 'tombstone'],
    ['refunded', 'reversed'],
  ])('ok: terminal %s, bank %s, no posting', (state, bankState) => {
    const id = txn();
    const b = bankState === 'none' || bankState === 'tombstone' ? undefined : debit(id, bankState);
    const tomb = bankState === 'tombstone' ? { txnId: id, terminalId: TERM, at: iso(AT) } : undefined;
    expect(one(payment(id, state), b, [], tomb)).toMatchObject({ verdict: 'ok', bankStatus: bankState });
  });

  /** [what, verdict, terminal state (none: unknown), bank status and amount (none: no record), amounts posted]. */
  const cases: [string, Verdict, PaymentState | null, [BankTransaction['status'], number?] | null, number[]][] = [
    ['standing debit, no posting', 'debit-not-posted', 'posted', ['approved'], []],
    ['a reversal that did not land', 'debit-not-posted', 'reversed', ['approved'], []],
    ['a posting with the debit reversed', 'posted-without-debit', 'posted', ['reversed'], [180_000]],
    ['a posting with no bank record', 'posted-without-debit', 'posted', null, [180_000]],
    ['the backend amount differs', 'amount-differs', 'posted', ['approved'], [90_000]],
    ['the bank amount differs', 'amount-differs', 'posted', ['approved', 1], [180_000]],
    ['a bank debit the terminal lacks', 'unknown-to-terminal', null, ['approved'], []],
    ['a posting the terminal lacks', 'unknown-to-terminal', null, null, [180_000]],
    ['approved, the posting still being retried', 'open-at-terminal', 'approved', ['approved'], []],
    ['uncertain, the reversal still being retried', 'open-at-terminal', 'uncertain', null, []],
    ['refunding', 'open-at-terminal', 'refunding', ['approved'], []],
    ['two postings under one txnId', 'double-posting', 'posted', ['approved'], [180_000, 180_000]],
    ['declined at the terminal yet posted', 'reversed-but-posted', 'declined', ['declined'], [180_000]],
    ['reversed at the terminal yet posted', 'reversed-but-posted', 'reversed', ['reversed'], [180_000]],
  ];
  it.each(cases)('%s → %s', (_what, verdict, state, bank, posted) => {
    const id = txn();
    const line = one(state ? payment(id, state) : undefined, bank ? debit(id, bank[0], bank[1]) : undefined, posted.map((a, i) => posting(id, a, { ref: `JF-${i}` })));
    expect(line.verdict).toBe(verdict);
    expect(line.note).not.toBe('');
  });

  it('double-posting: the same months of the same holder posted under a second txnId', () => {
    const [a, b] = [txn(), txn()];
    const r = run({
      payments: [payment(a, 'posted'), payment(b, 'posted', 90_000, AT + 5000)],
      bank: [debit(a, 'approved'), debit(b, 'approved', 90_000, AT + 5000)],
      postings: [posting(a), posting(b, 90_000, { periods: ['2024-04'], at: AT + 6000 })],
    });
    expect(r.lines.map((l) => [l.txnId, l.verdict])).toEqual([[a, 'ok'], [b, 'double-posting']]);
    expect(r.lines[1]!.note).toContain(`2024-04 by ${a}`);
  });

  it('a payment straddling midnight is matched on the terminal day and not reported the next day', () => {
    const id = txn();
    const late = Date.UTC(2026, 0, 5, 15, 59, 59); // 23:59:59 Beijing
    const input = { payments: [payment(id, 'posted', 180_000, late)], bank: [debit(id, 'approved', 180_000, late + 2000)], postings: [posting(id, 180_000, { at: late + 3000 })] };
    expect(run(input).lines).toMatchObject([{ txnId: id, verdict: 'ok' }]);
    expect(reconcile({ date: '2026-01-06', terminalId: TERM, tombstones: [], ...input }).lines).toEqual([]);
  });

  it("ignores other terminals' records, sums each source and never writes the holder's id", () => {
    const id = txn();
    const other = 'YKT-X-0009-20260105010000-00000001';
    const r = run({ payments: [payment(id, 'posted')], bank: [debit(id, 'approved'), debit(other, 'approved', 5, AT, 'YKT-X-0009')], postings: [posting(id), posting(other, 5, { periods: ['2030-01'] })] });
    expect(r.ignored).toEqual({ bank: 1, backend: 1 });
    expect(r.totals).toEqual({ terminal: { count: 1, paidFen: 180_000 }, bank: { count: 1, standingFen: 180_000 }, backend: { count: 1, postedFen: 180_000 }, medical: { count: 0, standingFen: 0 } });
    const csv = renderCsv(r);
    expect(csv.split('\n')[0]).toBe(CSV_HEADER.join(','));
    expect(csv).not.toContain(SSN);
    expect(csv).not.toContain('6217002330012345671');
  });

  it('quotes CSV cells and defuses formula-like text', () => {
    const id = txn();
    const r = run({ payments: [payment(id, 'posted')], bank: [debit(id, 'approved')], postings: [posting(id, 180_000, { ref: '=HYPERLINK("x")' })] });
    expect(renderCsv(r).trim().split('\n')[1]).toContain(`,"'=HYPERLINK(""x"")",180000,ok,`);
  });
});

describe('reconcile: registration fees paid from the bank (kind registration)', () => {
  const reg = (txnId: string, state: PaymentState, amountFen = 1000): AnyPaymentRecord => ({
    ...payment(txnId, state, amountFen),
    order: { kind: 'registration', ssn: '110101********1234', amountFen, description: '挂号费', holdId: 'HD1', slotId: 's', requestId: 'hold-0001' },
    ...(state === 'posted' ? { postingRef: 'GH20260105000001' } : {}),
  });

  it('registered with its debit standing is ok (the HIS is not read); without it, posted-without-debit', () => {
    const a = txn();
    const b = txn();
    const c = txn();
    const d = txn();
    const r = run({
      payments: [reg(a, 'posted'), reg(b, 'posted'), reg(c, 'refunded'), reg(d, 'posted')],
      bank: [debit(a, 'approved', 1000), debit(b, 'reversed', 1000), debit(c, 'reversed', 1000), debit(d, 'approved', 2000)],
    });
    const verdict = (id: string) => r.lines.find((l) => l.txnId === id)!.verdict;
    expect([verdict(a), verdict(b), verdict(c), verdict(d)]).toEqual(['ok', 'posted-without-debit', 'ok', 'amount-differs']);
    expect(r.lines.find((l) => l.txnId === a)!.note).toContain('GH20260105000001');
  });
});

describe('reconcile: registration fees paid from the medical personal account', () => {
  const reg = (txnId: string, state: PaymentState, amountFen = 1000): AnyPaymentRecord => ({
    ...payment(txnId, state, amountFen),
    source: 'medical-account',
    order: { kind: 'registration', ssn: '110101********1234', amountFen, description: '挂号费', holdId: 'HD1', slotId: 's', requestId: 'hold-0001' },
    ...(state === 'posted' ? { postingRef: 'GH20260105000002' } : {}),
  });
  const medical = (txnId: string, status: MedicalTransaction['status'], amountFen = 1000, terminalId = TERM): MedicalTransaction => ({
    txnId,
    terminalId,
    amountFen,
    status,
    ref: status === 'declined' ? null : 'YZ1',
    reason: status === 'declined' ? 'INSUFFICIENT_BALANCE' : null,
    description: '挂号费',
    at: iso(AT + 500),
    reversedAt: status === 'reversed' ? iso(AT + 900) : null,
  });

  it("is checked against the medical account's ledger, not the bank's, and totalled apart", () => {
    const [ok, lost, refunded, stuck, declined, stray, bare] = [txn(), txn(), txn(), txn(), txn(), txn(), txn()];
    const r = run({
      payments: [reg(ok, 'posted'), reg(lost, 'posted'), reg(refunded, 'refunded'), reg(stuck, 'refunded'), reg(declined, 'declined'), reg(bare, 'failed')],
      medical: [
        medical(ok, 'approved'),
        medical(lost, 'reversed'),
        medical(refunded, 'reversed'),
        medical(stuck, 'approved'),
        medical(declined, 'declined'),
        medical(stray, 'approved', 500),
        medical(txn(), 'approved', 700, 'YKT-X-0009'),
      ],
      medicalTombstones: [{ txnId: bare, at: iso(AT + 100) }],
    });
    const line = (id: string) => r.lines.find((l) => l.txnId === id)!;
    expect([ok, lost, refunded, stuck, declined, stray, bare].map((id) => line(id).verdict)).toEqual([
      'ok',
      'posted-without-debit',
      'ok',
      'debit-not-posted',
      'ok',
      'unknown-to-terminal',
      'ok',
    ]);
    expect(line(ok).payer).toBe('medical-account');
    expect(line(bare).bankStatus).toBe('tombstone');
    expect(line(stuck).note).toContain('medical account debit');
    expect(r.totals.bank).toEqual({ count: 0, standingFen: 0 });
    // ok + stuck + stray are standing: 1000 + 1000 + 500; the other terminal's record is ignored.
    expect(r.totals.medical).toEqual({ count: 7, standingFen: 2500 });
    expect(r.ignored.bank).toBe(1);
    expect(renderCsv(r).split('\n')[1]).toContain(`,${ok},medical-account,posted,approved,1000,`);
  });
});

describe('reconcile: a real host in sim mode, its embedded bank and backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-reconcile-'));
  const PAN = '6217002330012345671';
  const pinBlock = () => encryptPinBlock(DEMO_PIN_WORKING_KEY, 'sm4', '654321', accountDigits(PAN));
  let host: Host;
  let paid = '';
  let reversed = '';

  /** Runs the CLI in-process; returns its exit code, stdout and the CSV rows (header dropped). */
  async function cli(...args: string[]) {
    let out = '';
    let err = '';
    const code = await runReconcile(['--date', DATE, '--data-dir', dir, ...args], { out: (s) => (out += s), err: (s) => (err += s) }, silentLogger);
    const csvFile = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(dir, `reconcile-${DATE}.csv`);
    const rows = code === 0 || code === 3 ? readFileSync(csvFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')) : [];
    return { code, out, err, rows, verdictOf: (id: string) => rows.find((r) => r[1] === id)?.[8] };
  }

  beforeAll(async () => {
    const clock = new VirtualClock();
    host = await startHost({ config: { mode: 'sim', dataDir: dir, bank: { timeoutMs: 300 } }, clock, headless: true, logger: silentLogger });
    await clock.runUntil(() => !host.busy(), 60_000); // the devices finish starting, as in a scenario run
    const due = (await host.backend.premiumsDue(SSN)).find((d) => d.item === 'flexible-pension')!;
    const choice = due.choices.find((c) => c.id === due.defaultChoiceId)!;
    const order = { ssn: SSN, item: due.item, choiceId: choice.id, periods: due.periods.slice(0, 2), amountFen: choice.amountFen * 2, description: 'flexible pension' };
    const account = { pan: PAN, expiry: '3306' };
    const ok = await host.payments.engine.pay(order, account, pinBlock());
    expect(ok).toMatchObject({ status: 'approved' });
    paid = ok.txnId;
    // The bank debits but the answer is lost: the terminal reverses at once.
    host.world!.bank!.faults.set({ lostResponseOn: 'debit', times: 1 });
    const rev = await host.payments.engine.pay(order, account, pinBlock());
    expect(rev).toMatchObject({ status: 'reversed' });
    reversed = rev.txnId;
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the paid and the reversed payment ok, reading the embedded files while the host runs', async () => {
    const r = await cli();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.rows).toHaveLength(2);
    expect(r.verdictOf(paid)).toBe('ok');
    expect(r.verdictOf(reversed)).toBe('ok');
    expect(r.rows.find((x) => x[1] === reversed)!.slice(2, 5)).toEqual(['bank', 'reversed', 'reversed']);
    expect(r.out).toContain('ok 2, debit-not-posted 0');
    expect(r.out).toContain('no mismatches');
  });

  it('reads the same over HTTP when bank.url and backend.url are configured', async () => {
    const cfg = join(dir, 'http.json');
    writeFileSync(cfg, JSON.stringify({ mode: 'hardware', dataDir: dir, bank: { url: host.world!.bank!.url }, backend: { url: host.world!.backend!.url } }));
    const out = join(dir, 'http.csv');
    const r = await cli('--config', cfg, '--out', out);
    expect(r.code).toBe(0);
    expect(r.rows.map((x) => x[8])).toEqual(['ok', 'ok']);
  });

  it('finds a bank debit the terminal never made, and a posting that went missing', async () => {
    const gw = createGatewayClient({ baseUrl: host.world!.bank!.url, timeoutMs: 2000, logger: silentLogger });
    const stray = `${host.config.terminalId}-20260105010000-0badc0de`;
    const pb = Buffer.from(pinBlock()).toString('hex').toUpperCase();
    expect(await gw.debit({ txnId: stray, terminalId: host.config.terminalId, pan: PAN, expiry: '3306', amountFen: 100, pinBlock: pb, description: 'not from the journal' })).toMatchObject({
      outcome: 'approved',
    });
    gw.close();
    let r = await cli();
    expect(r.code).toBe(3);
    expect(r.verdictOf(stray)).toBe('unknown-to-terminal');
    expect(r.out).toMatch(/mismatches \(1\):\n {2}unknown-to-terminal {2}YKT-SIM-0001-20260105010000-0badc0de/);

    host.world!.backend!.store.db.prepare('DELETE FROM premium_postings WHERE txn_id = ?').run(paid);
    r = await cli();
    expect(r.code).toBe(3);
    expect(r.verdictOf(paid)).toBe('debit-not-posted');
    expect(r.verdictOf(reversed)).toBe('ok');
    expect(r.out).toContain('debit-not-posted 1');
  });

  it('exits 2 on bad arguments or a data dir without a journal', async () => {
    expect((await cli('--date', '2026-02-30')).code).toBe(2);
    expect((await cli('--bogus')).code).toBe(2);
    const noDate = await runReconcile(['--data-dir', dir], { out: () => {}, err: () => {} });
    expect(noDate).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'ykt-reconcile-empty-'));
    let err = '';
    expect(await runReconcile(['--date', DATE, '--data-dir', empty], { out: () => {}, err: (s) => (err += s) })).toBe(2);
    expect(err).toContain('RECONCILE_NO_SOURCE: no payment journal at');
    rmSync(empty, { recursive: true, force: true });
  });
});
