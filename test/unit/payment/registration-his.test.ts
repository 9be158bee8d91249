/**
 * Registration fees end to end over loopback HTTP: the embedded HIS (holds, registrations, the
 * last-place race), the embedded bank and the embedded backend's medical account, each through the
 * host's own client, and one payment engine per terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { parseConfig } from '../../../kiosk/config/load.js';
import type { HisClient } from '../../../kiosk/his/http-client.js';
import type { Patient } from '../../../kiosk/his/interface.js';
import { Journal } from '../../../kiosk/journal/journal.js';
import { PaymentEngine } from '../../../kiosk/payment/engine.js';
import { createPayments } from '../../../kiosk/payment/index.js';
import { createMedicalAccountGateway } from '../../../kiosk/payment/medical-gateway.js';
import { PaymentStore } from '../../../kiosk/payment/store.js';
import type { Funding, PaymentOutcome, RegistrationOrder } from '../../../kiosk/payment/types.js';
import { startRig as startBackendRig, type Rig as BackendRig } from '../backend/helpers.js';
import { LI as LI_BANK, pinBlock, startRig as startBankRig, ZHANG as ZHANG_BANK, type Rig as BankRig } from '../bank/helpers.js';
import { hisError, LI, rid, startHisRig, WANG, ZHANG, type HisRig } from '../his/helpers.js';

const OPEN = 'internal-4-20260105-1000'; // 医师 赵磊, 10 yuan, 3 of 6 places free
const LAST = 'internal-3-20260105-1000'; // 主治 陈明, 20 yuan; seeded with one place left

let his: HisRig | undefined;
let bank: BankRig | undefined;
let backend: BackendRig | undefined;
afterEach(async () => {
  await Promise.all([his?.close(), bank?.close(), backend?.close()]);
  his = bank = backend = undefined;
});

async function services(hisSeed: unknown = {}) {
  his = await startHisRig({ seed: hisSeed }, { timeoutMs: 300 });
  bank = await startBankRig();
  backend = await startBackendRig();
  return { his, bank, backend };
}

/** One kiosk: its own HIS client, store, journal and engine; the bank and backend are shared services. */
function terminal(terminalId: string, client: HisClient) {
  const store = new PaymentStore(':memory:', his!.clock);
  const journal = new Journal(':memory:', his!.clock);
  const engine = new PaymentEngine({
    store,
    journal,
    gateway: bank!.client,
    medicalAccount: createMedicalAccountGateway(backend!.client),
    his: client,
    clock: his!.clock,
    logger: silentLogger,
    terminalId,
  });
  /** What the hospital flow does: hold the place, then pay for it. */
  const register = async (slotId: string, patient: Patient, funding: () => Funding): Promise<{ order: RegistrationOrder; out: PaymentOutcome }> => {
    const requestId = rid('hold');
    const hold = await client.hold(slotId, patient, requestId);
    const order: RegistrationOrder = {
      kind: 'registration',
      ssn: patient.ssn,
      amountFen: hold.slot.fee.totalFen,
      description: `挂号费 ${slotId}`,
      holdId: hold.holdId,
      slotId,
      requestId,
    };
    return { order, out: await engine.payRegistration(order, funding()) };
  };
  return { client, store, journal, engine, register };
}

const card = (acct: { pan: string; pin: string; expiry: string }) => (): Funding => ({
  method: 'bank-card',
  account: { pan: acct.pan, expiry: acct.expiry },
  pinBlock: Uint8Array.from(Buffer.from(pinBlock(acct.pin, acct.pan), 'hex')),
});
const medical = (): Funding => ({ method: 'medical-account' });

describe('registration fees against the embedded HIS', () => {
  it('bank card: debit → register → posted with the regId and queue number; one debit, one registration', async () => {
    const s = await services();
    const t = terminal('YKT-T-0001', s.his.client);
    const { out } = await t.register(OPEN, ZHANG, card(ZHANG_BANK));
    expect(out).toMatchObject({ status: 'approved', amountFen: 1000, registration: { slotId: OPEN, status: 'registered', payment: { method: 'bank-card' } } });
    if (out.status !== 'approved') throw new Error('not approved');
    expect(out.registration!.regId).toMatch(/^GH20260105\d{6}$/);
    expect(out.postingRef).toBe(out.registration!.regId);
    expect(s.his.his.registrations().map((r) => r.payment.txnId)).toEqual([out.txnId]);
    expect(s.bank.bank.standingDebits().map((d) => [d.txnId, d.amountFen])).toEqual([[out.txnId, 1000]]);
  });

  it('medical account: the fee comes off the account balance the backend reports', async () => {
    const s = await services();
    const before = (await s.backend.client.accountBalances(ZHANG.ssn)).medical!.balanceFen;
    const t = terminal('YKT-T-0001', s.his.client);
    const { out } = await t.register(OPEN, ZHANG, medical);
    expect(out).toMatchObject({ status: 'approved', registration: { payment: { method: 'medical-account', amountFen: 1000 } } });
    expect((await s.backend.client.accountBalances(ZHANG.ssn)).medical!.balanceFen).toBe(before - 1000);
    expect(s.bank.bank.standingDebits()).toEqual([]);
  });

  it('an HIS that registered but did not answer (timeoutOn register) is asked again with the same requestId: registered once', async () => {
    const s = await services({ timeoutOn: 'register' });
    const t = terminal('YKT-T-0001', s.his.client);
    const { out } = await t.register(OPEN, ZHANG, card(ZHANG_BANK));
    // Paid, registration being completed: never refunded on a timeout.
    expect(out).toMatchObject({ status: 'approved' });
    expect(out.status === 'approved' && out.registration).toBeFalsy();
    expect(s.his.his.registrations()).toHaveLength(1);
    await t.engine.recover(); // still withheld
    expect(t.store.record(out.txnId)!.state).toBe('approved');
    s.his.his.faults.clear();
    await t.engine.recover();
    const regs = s.his.his.registrations();
    expect(regs).toHaveLength(1);
    expect(t.store.record(out.txnId)).toMatchObject({ state: 'posted', postingRef: regs[0]!.regId });
    expect(s.bank.bank.standingDebits().map((d) => d.txnId)).toEqual([out.txnId]);
  });
});

describe('two terminals racing for the last place', () => {
  it('one holds, pays and is registered; the loser gets SLOT_TAKEN at the hold and is never charged', async () => {
    const s = await services({ slots: { [LAST]: { remaining: 1 } } });
    const a = terminal('YKT-T-000A', s.his.newClient());
    const b = terminal('YKT-T-000B', s.his.newClient());
    const results = await Promise.allSettled([
      a.register(LAST, ZHANG, card(ZHANG_BANK)).then((r) => ({ who: a, ...r })),
      b.register(LAST, LI, card(LI_BANK)).then((r) => ({ who: b, ...r })),
    ]);
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string }] : []));
    expect(won).toHaveLength(1);
    expect(lost).toMatchObject([{ code: 'SLOT_TAKEN' }]);
    const winner = won[0]!;
    const loser = winner.who === a ? b : a;
    expect(winner.out).toMatchObject({ status: 'approved', amountFen: 2000, registration: { slotId: LAST } });
    // The loser's flow stopped at the hold: no payment row, no debit.
    expect(loser.store.list()).toEqual([]);
    expect(s.bank.bank.standingDebits().map((d) => d.txnId)).toEqual([winner.out.txnId]);
    expect(s.his.his.registrations()).toHaveLength(1);
    // And the place is gone for good now.
    expect((await hisError(loser.client.hold(LAST, loser === a ? ZHANG : LI, rid()))).code).toBe('SLOT_FULL');
  });

  it('a hold that expired while its owner paid: the place went to the other terminal, the late payer is charged and refunded, hold released', async () => {
    const s = await services({ slots: { [LAST]: { remaining: 1 } } });
    const a = terminal('YKT-T-000A', s.his.newClient());
    const b = terminal('YKT-T-000B', s.his.newClient());
    const holdA = await a.client.hold(LAST, ZHANG, rid('hold'));
    await s.his.clock.advance(6 * 60_000); // A's 5-minute hold lapses at the PIN pad
    const { out: outB } = await b.register(LAST, LI, card(LI_BANK));
    expect(outB).toMatchObject({ status: 'approved', registration: { slotId: LAST } });
    const order: RegistrationOrder = { kind: 'registration', ssn: ZHANG.ssn, amountFen: 2000, description: '挂号费', holdId: holdA.holdId, slotId: LAST, requestId: 'late-hold-0001' };
    const outA = await a.engine.payRegistration(order, card(ZHANG_BANK)());
    expect(outA).toMatchObject({ status: 'reversed', code: 'HOLD_EXPIRED', reason: 'EXPIRED' });
    expect(a.store.record(outA.txnId)).toMatchObject({ state: 'refunded', holdRelease: 'done' });
    expect(a.journal.latest()).toMatchObject({ status: 'hold-released', data: { holdId: holdA.holdId, released: false } });
    // Charged and given back: only the winner's debit stands; one registration, the winner's.
    expect(s.bank.bank.standingDebits().map((d) => d.txnId)).toEqual([outB.txnId]);
    expect(s.bank.bank.account(ZHANG_BANK.pan).balanceFen).toBe(50_000);
    expect(s.his.his.registrations().map((r) => r.payment.txnId)).toEqual([outB.txnId]);
  });
});

describe('createPayments: what the host gets', () => {
  it('pays registration fees from both sources with an HIS, and refuses them clearly without one', async () => {
    const s = await services();
    const dir = mkdtempSync(join(tmpdir(), 'ykt-payments-'));
    const config = parseConfig({ mode: 'sim', dataDir: dir, terminalId: 'YKT-T-0001', bank: { url: s.bank.bank.url, timeoutMs: 300 } });
    const base = { config, dataDir: dir, clock: s.his.clock, logger: silentLogger, journal: new Journal(':memory:', s.his.clock), backend: s.backend.client };
    const withHis = await createPayments({ ...base, his: s.his.client });
    const without = await createPayments({ ...base, dataDir: join(dir, 'other') });
    try {
      expect(withHis.engine.registration).toEqual({ available: true, medicalAccount: true });
      const hold = async (p: Patient) => {
        const h = await s.his.client.hold(OPEN, p, rid('hold'));
        return { kind: 'registration', ssn: p.ssn, amountFen: h.slot.fee.totalFen, description: '挂号费', holdId: h.holdId, slotId: OPEN, requestId: rid('hold') } as const;
      };
      expect(await withHis.payRegistration(await hold(ZHANG), medical())).toMatchObject({ status: 'approved', registration: { payment: { method: 'medical-account' } } });
      expect(await withHis.payRegistration(await hold(LI), card(LI_BANK)())).toMatchObject({ status: 'approved', registration: { payment: { method: 'bank-card' } } });
      expect(withHis.store.list().map((r) => r.source).sort()).toEqual(['bank-card', 'medical-account']);
      expect(without.engine.registration.available).toBe(false);
      await expect(without.payRegistration(await hold(WANG), medical())).rejects.toMatchObject({ code: 'REGISTRATION_UNAVAILABLE' });
    } finally {
      withHis.close();
      without.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
