import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { cardIdCodeOf } from '../../../drivers/card-reader/sim/chip/ssc-files.js';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { BackendSeedError, createEmbeddedBackend, parseBackendSeed } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';
import { backendError, LI, RecordingClock, RESIDENT, startRig, SUN, ZHANG, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const T = 'T0001';

describe('embedded backend seed', () => {
  it('knows every fixture card with the simulator’s card number, id code and status', async () => {
    rig = await startRig();
    const fixtures = loadFixtureCards();
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(9);
    const listed: string[] = [];
    for (const [handle, p] of Object.entries(fixtures)) {
      const r = resolveCardProfile(p);
      const st = await rig.client.cardStatus(r.ssn, r.cardNumber);
      expect(st.status, handle).toBe(p.status ?? 'normal');
      expect((await rig.client.holderProfile(r.ssn)).name, handle).toBe(r.name);
      if (st.status !== 'normal') listed.push(cardIdCodeOf(r));
    }
    expect((await rig.client.blacklistSince(0)).add).toEqual(listed.sort());
    expect(listed).toEqual([cardIdCodeOf(resolveCardProfile(fixtures.blacklisted!))]);
  });

  it('gives 张三 30 years of pension history as a retired urban employee', async () => {
    rig = await startRig();
    const pension = await rig.client.contributions(ZHANG.ssn, { type: 'pension' });
    expect(pension).toHaveLength(360);
    expect(pension[0]!.yearMonth).toBe('1980-01');
    expect(pension.at(-1)!.yearMonth).toBe('2009-12');
    expect(pension.every((r) => r.status === 'paid' && r.employer === '北京东华机床厂')).toBe(true);
    const medical = await rig.client.contributions(ZHANG.ssn, { type: 'medical', fromYear: 2005, toYear: 2005 });
    for (const r of medical) {
      expect(r.employerFen).toBe(Math.round((r.baseFen * 980) / 10000));
      expect(r.personalFen).toBe(Math.round((r.baseFen * 200) / 10000));
    }
    const injury = await rig.client.contributions(ZHANG.ssn, { type: 'injury' });
    expect(injury.every((r) => r.personalFen === 0 && r.employerFen > 0)).toBe(true);
  });

  it('has a flexible worker with months in arrears and a resident with yearly premiums', async () => {
    rig = await startRig();
    const li = await rig.client.contributions(LI.ssn, { type: 'pension', fromYear: 2020 });
    expect(li.filter((r) => r.status === 'arrears').map((r) => r.yearMonth)).toEqual(['2024-03', '2024-04', '2025-10', '2025-11', '2025-12']);
    expect(li[0]).toMatchObject({ scheme: 'flexible', baseFen: 450000, employerFen: 0, personalFen: 90000, employer: '灵活就业' });
    const res = await rig.client.contributions(RESIDENT.ssn, { type: 'medical', fromYear: 2024 });
    expect(res.map((r) => [r.yearMonth, r.personalFen])).toEqual([
      ['2024-01', 40000],
      ['2025-01', 40000],
    ]);
  });

  it('is deterministic', async () => {
    rig = await startRig();
    const other = await startRig();
    try {
      expect(await other.client.contributions(LI.ssn)).toEqual(await rig.client.contributions(LI.ssn));
      expect(await other.client.accountBalances(ZHANG.ssn)).toEqual(await rig.client.accountBalances(ZHANG.ssn));
    } finally {
      await other.close();
    }
  });
});

describe('loss reports', () => {
  it('temporary report → temp-lost (not blacklisted) → lift → normal', async () => {
    rig = await startRig();
    const c = rig.client;
    const v0 = (await c.blacklistSince(0)).version;
    await rig.clock.advance(60_000);
    const { ref } = await c.reportLoss({ ...ZHANG, kind: 'temporary', terminalId: T, requestId: 'loss-zhang-1' });
    expect(await c.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).toEqual({ status: 'temp-lost', since: '2026-01-05T01:01:00.000Z' });
    expect(await c.blacklistSince(v0)).toEqual({ version: v0, full: false, add: [], remove: [] });
    const lift = await c.liftLoss({ ...ZHANG, terminalId: T, requestId: 'lift-zhang-1' });
    expect(lift.ref).not.toBe(ref);
    expect((await c.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).status).toBe('normal');
    const again = await backendError(c.liftLoss({ ...ZHANG, terminalId: T, requestId: 'lift-zhang-2' }));
    expect(again.code).toBe('LOSS_NOT_LIFTABLE');
    expect(again.reason).toBe('NOT_LOST');
    expect(rig.backend.store.lossReports(ZHANG.ssn)).toMatchObject([{ ref, kind: 'temporary', lifted_ref: lift.ref }]);
  });

  it('formal report → lost, blacklisted by id code, and not liftable at a kiosk', async () => {
    rig = await startRig();
    const c = rig.client;
    const v0 = (await c.blacklistSince(0)).version;
    await c.reportLoss({ ...LI, kind: 'formal', terminalId: T, requestId: 'loss-li-0001' });
    expect((await c.cardStatus(LI.ssn, LI.cardNumber)).status).toBe('lost');
    const delta = await c.blacklistSince(v0);
    expect(delta).toEqual({ version: v0 + 1, full: false, add: ['330300D15600000599110145'], remove: [] });
    const err = await backendError(c.liftLoss({ ...LI, terminalId: T, requestId: 'lift-li-0001' }));
    expect(err.code).toBe('LOSS_NOT_LIFTABLE');
    expect(err.reason).toBe('FORMALLY_LOST');
    expect((await c.cardStatus(LI.ssn, LI.cardNumber)).status).toBe('lost');
  });

  it('upgrades a temporary report to formal, refuses a second report and blacklisted cards', async () => {
    rig = await startRig();
    const c = rig.client;
    await c.reportLoss({ ...ZHANG, kind: 'temporary', terminalId: T, requestId: 'loss-up-0001' });
    const dup = await backendError(c.reportLoss({ ...ZHANG, kind: 'temporary', terminalId: T, requestId: 'loss-up-0002' }));
    expect([dup.code, dup.reason]).toEqual(['BACKEND_REJECTED', 'ALREADY_LOST']);
    await c.reportLoss({ ...ZHANG, kind: 'formal', terminalId: T, requestId: 'loss-up-0003' });
    expect((await c.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).status).toBe('lost');
    const bl = await backendError(c.reportLoss({ ...SUN, kind: 'temporary', terminalId: T, requestId: 'loss-sun-0001' }));
    expect([bl.code, bl.reason]).toEqual(['BACKEND_REJECTED', 'CARD_BLACKLISTED']);
  });

  it('is idempotent by requestId: the same request twice makes one report', async () => {
    rig = await startRig();
    const req = { ...ZHANG, kind: 'temporary' as const, terminalId: T, requestId: 'loss-idem-0001' };
    const a = await rig.client.reportLoss(req);
    const b = await rig.client.reportLoss(req);
    expect(b).toEqual(a);
    expect(rig.backend.store.lossReports()).toHaveLength(1);
    const reused = await backendError(rig.client.reportLoss({ ...req, kind: 'formal' }));
    expect([reused.code, reused.reason]).toEqual(['BACKEND_REJECTED', 'REQUEST_ID_REUSED']);
    expect((await rig.client.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).status).toBe('temp-lost');
  });

  it('persists across a restart on the same database file without re-seeding', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'ykt-backend-')), 'backend.sqlite');
    const clock = new VirtualClock();
    const first = await createEmbeddedBackend({ dbFile, clock, logger: silentLogger });
    const c1 = createBackendClient({ baseUrl: first.url, timeoutMs: 1000, retries: 0, logger: silentLogger });
    await c1.reportLoss({ ...ZHANG, kind: 'temporary', terminalId: T, requestId: 'loss-restart-1' });
    await first.close();
    const second = await createEmbeddedBackend({ dbFile, clock, logger: silentLogger });
    try {
      const c2 = createBackendClient({ baseUrl: second.url, timeoutMs: 1000, retries: 0, logger: silentLogger });
      expect((await c2.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).status).toBe('temp-lost');
      expect(await c2.contributions(ZHANG.ssn, { type: 'pension' })).toHaveLength(360);
    } finally {
      await second.close();
    }
  });
});

describe('statements', () => {
  it('detail covers the last 24 months on record; the code verifies and detects tampering', async () => {
    rig = await startRig();
    const st = await rig.client.statement(ZHANG.ssn, { kind: 'detail', requestId: 'stmt-0000001' });
    expect(st.lines[0]!.yearMonth).toBe('2008-01');
    expect(st.lines.at(-1)!.yearMonth).toBe('2009-12');
    expect(st.lines).toHaveLength(24 * 5);
    expect(st.summaries.find((s) => s.type === 'pension')).toMatchObject({ firstMonth: '1980-01', lastMonth: '2009-12', totalMonths: 360, status: 'retired' });
    expect(st.issuingAgency).toBe('北京市社会保险基金管理中心');
    const again = await rig.client.statement(ZHANG.ssn, { kind: 'detail', requestId: 'stmt-0000001' });
    expect(again.code).toBe(st.code);
    expect((await rig.client.verifyStatement(st.code.toLowerCase())).valid).toBe(true);
    rig.backend.store.db.prepare("UPDATE statements SET digest = 'x' WHERE code = ?").run(st.code);
    expect((await rig.client.verifyStatement(st.code)).valid).toBe(false);
  });

  it('proof has summaries only; resident years count 12 months each', async () => {
    rig = await startRig();
    const st = await rig.client.statement(RESIDENT.ssn, { kind: 'proof' });
    expect(st.lines).toEqual([]);
    expect(st.summaries).toEqual([
      { type: 'pension', scheme: 'resident', status: 'active', firstMonth: '2012-01', lastMonth: '2025-01', totalMonths: 14 * 12, arrearsMonths: 0 },
      { type: 'medical', scheme: 'resident', status: 'active', firstMonth: '2016-01', lastMonth: '2025-01', totalMonths: 10 * 12, arrearsMonths: 0 },
    ]);
  });
});

describe('scenario overrides', () => {
  it('replaces a history, sets a status, and creates new holders', async () => {
    rig = await startRig({
      seed: {
        holders: {
          [ZHANG.ssn]: { contributions: [] },
          [LI.ssn]: { status: 'dead-holder' },
          '110101200001011110': {
            name: '钱多',
            employer: '北京测试科技有限公司',
            contributions: [
              { type: 'pension', from: '2024-01', to: '2024-06', baseFen: 700000 },
              { type: 'pension', from: '2024-07', baseFen: 700000, status: 'arrears' },
            ],
          },
        },
      },
    });
    const c = rig.client;
    expect(await c.contributions(ZHANG.ssn)).toEqual([]);
    expect((await c.statement(ZHANG.ssn, { kind: 'detail' })).lines).toEqual([]);
    expect((await c.cardStatus(LI.ssn, LI.cardNumber)).status).toBe('dead-holder');
    expect((await c.blacklistSince(0)).add).toContain('330300D15600000599110145');
    const qian = await c.contributions('110101200001011110');
    expect(qian).toHaveLength(7);
    expect(qian[0]).toMatchObject({ employerFen: 112000, personalFen: 56000, employer: '北京测试科技有限公司', status: 'paid' });
    expect(qian[6]!.status).toBe('arrears');
    expect((await c.holderProfile('110101200001011110')).insured).toEqual([{ type: 'pension', scheme: 'employee', status: 'active', since: '2024-01' }]);
    expect((await c.cardStatus('110101200001011110', 'A12345678')).status).toBe('normal');
  });

  it('registers scenario cards, keeping seeded statuses unless the card sets one', async () => {
    rig = await startRig({
      cards: [{ ssn: '110101199202022222', name: '孙悟', status: 'lost', cardNumber: 'C11112222' }, { ssn: SUN.ssn, name: '孙强' }],
    });
    expect((await rig.client.cardStatus('110101199202022222', 'C11112222')).status).toBe('lost');
    expect((await rig.client.holderProfile('110101199202022222')).name).toBe('孙悟');
    expect((await rig.client.cardStatus(SUN.ssn, SUN.cardNumber)).status).toBe('blacklisted');
  });

  it('applies faults given in the seed', async () => {
    rig = await startRig({ seed: { timeoutOn: 'cardStatus' } }, { timeoutMs: 200 });
    expect((await backendError(rig.client.cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_TIMEOUT');
    expect(rig.backend.faults.current()).toEqual({ timeoutOn: 'cardStatus' });
  });

  it('refuses an invalid override, naming the field', () => {
    expect(() => parseBackendSeed({ holders: { [ZHANG.ssn]: { contributions: [{ type: 'pensoin', from: '2024-01', baseFen: 1 }] } } })).toThrow(
      new BackendSeedError(`backend.holders.${ZHANG.ssn}.contributions.0.type: Invalid option: expected one of "pension"|"medical"|"unemployment"|"injury"|"maternity"`),
    );
    expect(() => parseBackendSeed({ timeoutOn: 'debit' })).toThrow(/backend\.timeoutOn/);
    expect(() => parseBackendSeed({ holdrs: {} })).toThrow(/holdrs/);
    expect(() => parseBackendSeed({ holders: { '123': {} } })).toThrow(/ssn/);
  });

});
