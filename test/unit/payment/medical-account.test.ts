/**
 * The medical insurance personal account as a payment source, end to end over loopback HTTP: the
 * embedded backend's ledger, the backend client, the MedicalAccountGateway and the payment engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { BACKEND_OPERATIONS, parseBackendSeed } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import type { MedicalDebitRequest } from '../../../kiosk/backend/interface.js';
import { Journal } from '../../../kiosk/journal/journal.js';
import { PaymentEngine } from '../../../kiosk/payment/engine.js';
import { createMedicalAccountGateway } from '../../../kiosk/payment/medical-gateway.js';
import { PaymentStore } from '../../../kiosk/payment/store.js';
import type { RegistrationOrder } from '../../../kiosk/payment/types.js';
import { backendError, fakeServer, RESIDENT, startRig, ZHANG, type Rig } from '../backend/helpers.js';
import { FakeBank, FakeHis, Script } from './fakes.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

let seq = 0;
const txn = () => `YKT-T-0001-20260105010000-${(++seq).toString(16).padStart(8, '0')}`;
const debit = (over: Partial<MedicalDebitRequest> = {}): MedicalDebitRequest => ({
  txnId: txn(),
  ssn: ZHANG.ssn,
  amountFen: 1000,
  terminalId: 'YKT-T-0001',
  description: '挂号费 内科 赵磊 2026-01-05 10:00',
  ...over,
});
/** 张三's retiree medical account, as seeded. */
const ZHANG_MEDICAL = 128_650;

async function medicalBalance(r: Rig, ssn = ZHANG.ssn): Promise<number | undefined> {
  return (await r.client.accountBalances(ssn)).medical?.balanceFen;
}

/** An engine paying registration fees from the medical account of `rig`, registering at a FakeHis. */
function terminal(r: Rig) {
  const script = new Script();
  const his = new FakeHis(script);
  const bank = new FakeBank(new Script(['refused', 'refused']));
  const store = new PaymentStore(':memory:', r.clock);
  const journal = new Journal(':memory:', r.clock);
  const medicalAccount = createMedicalAccountGateway(r.client);
  const engine = new PaymentEngine({ store, journal, gateway: bank, medicalAccount, his, clock: r.clock, logger: silentLogger, terminalId: 'YKT-T-0001' });
  const order = (): RegistrationOrder => ({
    kind: 'registration',
    ssn: ZHANG.ssn,
    amountFen: 1000,
    description: '挂号费 内科 赵磊',
    holdId: his.hold(),
    slotId: 'internal-4-20260105-1000',
    requestId: `hold-${txn()}`,
  });
  return { his, bank, store, journal, engine, order, script };
}

describe('medical account ledger (embedded backend)', () => {
  it('a debit lowers the balance accountBalances reports, once per txnId', async () => {
    rig = await startRig();
    expect(await rig.client.accountBalances(ZHANG.ssn)).toMatchObject({ medical: { balanceFen: ZHANG_MEDICAL, asOf: '2025-12-31' } });
    const req = debit();
    const first = await rig.client.debitMedicalAccount(req);
    expect(first).toEqual({ txnId: req.txnId, outcome: 'approved', ref: 'YZ20260105000001', balanceFen: ZHANG_MEDICAL - 1000, duplicate: false });
    expect(await rig.client.accountBalances(ZHANG.ssn)).toMatchObject({ medical: { balanceFen: ZHANG_MEDICAL - 1000, asOf: '2026-01-05' } });
    // A repeat (a retransmission) is answered from the record, and takes nothing more.
    expect(await rig.client.debitMedicalAccount(req)).toEqual({ ...first, duplicate: true });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL - 1000);
    // The same txnId for something else is refused as a request.
    const reused = await backendError(rig.client.debitMedicalAccount({ ...req, amountFen: 2000 }));
    expect(reused).toMatchObject({ code: 'BACKEND_REJECTED', reason: 'TXN_ID_REUSED', op: 'medicalDebit' });
    await expect(createMedicalAccountGateway(rig.client).debit({ ...req, amountFen: 2000 })).rejects.toMatchObject({ code: 'MEDICAL_REJECTED' });
    expect(rig.backend.store.medicalAccount.standing().map((d) => d.txnId)).toEqual([req.txnId]);
  });

  it('declines a short balance and a holder without a medical account, with a reason; moves nothing', async () => {
    rig = await startRig({ seed: { holders: { [ZHANG.ssn]: { accounts: { medicalFen: 500 } } } } });
    expect(await rig.client.debitMedicalAccount(debit())).toMatchObject({ outcome: 'declined', declineReason: 'INSUFFICIENT_BALANCE' });
    expect(await medicalBalance(rig)).toBe(500);
    expect(await rig.client.debitMedicalAccount(debit({ ssn: RESIDENT.ssn }))).toMatchObject({ outcome: 'declined', declineReason: 'NO_MEDICAL_ACCOUNT' });
    expect(await backendError(rig.client.debitMedicalAccount(debit({ ssn: '110101199901010012' })))).toMatchObject({ code: 'BACKEND_NOT_FOUND' });
    expect(rig.backend.store.medicalAccount.standing()).toEqual([]);
    // Through the engine: declined, nothing to undo.
    const t = terminal(rig);
    const out = await t.engine.payRegistration(t.order(), { method: 'medical-account' });
    expect(out).toMatchObject({ status: 'declined', reason: 'INSUFFICIENT_BALANCE' });
  });

  it('a reversal credits back, is idempotent, and a reversal of a txnId never seen leaves a tombstone that refuses a late debit', async () => {
    rig = await startRig();
    const req = debit();
    await rig.client.debitMedicalAccount(req);
    expect(await rig.client.reverseMedicalDebit(req.txnId)).toEqual({ txnId: req.txnId, reversed: true });
    expect(await rig.client.reverseMedicalDebit(req.txnId)).toEqual({ txnId: req.txnId, reversed: true });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);
    // Answered from the record, not applied again.
    expect(await rig.client.debitMedicalAccount(req)).toMatchObject({ outcome: 'approved', duplicate: true });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);

    const ghost = debit();
    expect(await rig.client.reverseMedicalDebit(ghost.txnId)).toEqual({ txnId: ghost.txnId, reversed: false });
    expect(rig.backend.store.medicalAccount.tombstones().map((t) => t.txnId)).toEqual([ghost.txnId]);
    expect(await rig.client.debitMedicalAccount(ghost)).toMatchObject({ outcome: 'declined', declineReason: 'REVERSED_BEFORE_DEBIT' });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);
    expect(rig.backend.store.medicalAccount.standing()).toEqual([]);
  });

  it("answers the day's ledger for the reconciliation: decisions and bare reversals, no holder id", async () => {
    rig = await startRig();
    const kept = debit();
    const undone = debit();
    await rig.client.debitMedicalAccount(kept);
    await rig.client.debitMedicalAccount(undone);
    await rig.client.reverseMedicalDebit(undone.txnId);
    const ghost = debit();
    await rig.client.reverseMedicalDebit(ghost.txnId);
    // The Beijing business day of the rig's clock.
    const day = new Date(rig.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const ledger = await rig.client.medicalTransactionsOn(day);
    expect(ledger.transactions.map((t) => [t.txnId, t.status, t.amountFen])).toEqual([
      [kept.txnId, 'approved', 1000],
      [undone.txnId, 'reversed', 1000],
    ]);
    expect(ledger.reversalsWithoutDebit.map((t) => t.txnId)).toEqual([ghost.txnId]);
    expect(JSON.stringify(ledger)).not.toContain(ZHANG.ssn);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await rig.client.medicalTransactionsOn(next)).transactions).toEqual([]);
    expect(await backendError(rig.client.medicalTransactionsOn('2026-02-30x'))).toMatchObject({ code: 'BACKEND_REJECTED', reason: 'BAD_REQUEST' });
  });

  it('names its operations for faults and validates its wire both ways', async () => {
    expect(BACKEND_OPERATIONS).toEqual(expect.arrayContaining(['medicalDebit', 'medicalReversal']));
    expect(parseBackendSeed({ timeoutOn: 'medicalDebit', failOn: 'medicalReversal' })).toMatchObject({ timeoutOn: 'medicalDebit' });
    rig = await startRig();
    expect(await backendError(rig.client.debitMedicalAccount(debit({ amountFen: 0 })))).toMatchObject({ code: 'BACKEND_REJECTED', reason: 'BAD_REQUEST' });
    const liar = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ txnId: 'someone-else-0001', outcome: 'approved', ref: 'YZ1', balanceFen: 1, duplicate: false }));
    });
    const off = createBackendClient({ baseUrl: liar.url, timeoutMs: 500, retries: 0, logger: silentLogger });
    try {
      await expect(createMedicalAccountGateway(off).debit(debit())).rejects.toMatchObject({ code: 'MEDICAL_BAD_RESPONSE' });
    } finally {
      off.close();
      await liar.close();
    }
  });
});

describe('the engine over the medical account', () => {
  it('pays a registration: the balance goes down by the fee and the registration says medical-account', async () => {
    rig = await startRig();
    const t = terminal(rig);
    const out = await t.engine.payRegistration(t.order(), { method: 'medical-account' });
    expect(out).toMatchObject({ status: 'approved', bankRef: 'YZ20260105000001', registration: { payment: { method: 'medical-account', amountFen: 1000 } } });
    expect(t.store.record(out.txnId)).toMatchObject({ state: 'posted', source: 'medical-account', panMasked: '110101********1234' });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL - 1000);
    expect(t.bank.txns.size).toBe(0);
  });

  it('a debit processed but unanswered (timeoutOn) is reversed: the balance comes back, the hold is released', async () => {
    rig = await startRig({ seed: { timeoutOn: 'medicalDebit' } }, { timeoutMs: 300 });
    const t = terminal(rig);
    const order = t.order();
    const out = await t.engine.payRegistration(order, { method: 'medical-account' });
    expect(out).toMatchObject({ status: 'reversed', code: 'MEDICAL_TIMEOUT' });
    expect(rig.backend.store.medicalAccount.debits()).toMatchObject([{ txnId: out.txnId, status: 'reversed' }]);
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);
    expect(t.his.holds.get(order.holdId)).toBe('released');
    expect(t.journal.latest()).toMatchObject({ status: 'hold-released' });
  });

  it('a debit refused at the door (503) is reversed too: the tombstone refuses it if it turns up late', async () => {
    rig = await startRig({ seed: { failOn: 'medicalDebit' } }, { timeoutMs: 300 });
    const t = terminal(rig);
    const order = t.order();
    const out = await t.engine.payRegistration(order, { method: 'medical-account' });
    expect(out).toMatchObject({ status: 'reversed', code: 'MEDICAL_BAD_RESPONSE' });
    expect(t.journal.list({ type: 'payment' }).find((e) => e.status === 'reversed')).toMatchObject({ data: { debitFound: false } });
    rig.backend.faults.clear();
    const late = await rig.client.debitMedicalAccount({ txnId: out.txnId, ssn: ZHANG.ssn, amountFen: 1000, terminalId: 'YKT-T-0001', description: order.description });
    expect(late).toMatchObject({ outcome: 'declined', declineReason: 'REVERSED_BEFORE_DEBIT' });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);
  });

  it('a reversal that is not answered stays uncertain and is retried until the backend answers', async () => {
    rig = await startRig({ seed: { timeoutOn: 'medicalDebit' } }, { timeoutMs: 300 });
    rig.backend.faults.set({ failOn: 'medicalReversal' });
    const t = terminal(rig);
    const out = await t.engine.payRegistration(t.order(), { method: 'medical-account' });
    expect(out).toMatchObject({ status: 'uncertain', code: 'MEDICAL_TIMEOUT' });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL - 1000);
    await t.engine.recover();
    expect(t.engine.unfinished().map((r) => r.state)).toEqual(['uncertain']);
    rig.backend.faults.clear();
    await t.engine.recover();
    expect(t.engine.unfinished()).toEqual([]);
    expect(t.store.record(out.txnId)).toMatchObject({ state: 'reversed', holdRelease: 'done' });
    expect(await medicalBalance(rig)).toBe(ZHANG_MEDICAL);
  });

  it('a backend that cannot be reached took nothing: failed, nothing to reverse', async () => {
    rig = await startRig();
    const url = rig.backend.url;
    await rig.close();
    rig = undefined;
    const client = createBackendClient({ baseUrl: url, timeoutMs: 300, retries: 0, logger: silentLogger });
    const gw = createMedicalAccountGateway(client);
    await expect(gw.debit(debit())).rejects.toMatchObject({ code: 'MEDICAL_UNREACHABLE' });
    client.close();
  });
});
