import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedBackend } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import type { PostPremiumRequest, PremiumDue } from '../../../kiosk/backend/interface.js';
import { backendError, LI, RecordingClock, RESIDENT, startRig, ZHANG, ZHAO, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const LI_MONTHS = ['2024-03', '2024-04', '2025-10', '2025-11', '2025-12', '2026-01'];
const BASES = [4500, 6000, 7500, 15000, 22500];

/** Li's first N months of flexible pension at the 4,500-yuan base (900 yuan a month). */
function liPension(n: number, over: Partial<PostPremiumRequest> = {}): PostPremiumRequest {
  return {
    txnId: 'T0001-20260105010000-0a1b2c3d',
    ssn: LI.ssn,
    item: 'flexible-pension',
    choiceId: 'base-4500',
    periods: LI_MONTHS.slice(0, n),
    amountFen: 90000 * n,
    terminalId: 'T0001',
    bankRef: 'BK000001',
    paidAt: '2026-01-05T01:00:00.000Z',
    ...over,
  };
}

const due = (dues: PremiumDue[], item: string) => dues.find((d) => d.item === item);

describe('premiums due (demo seed, clock 2026-01-05)', () => {
  it('a flexible worker owes pension and medical by month: arrears, then this year up to this month', async () => {
    rig = await startRig();
    const dues = await rig.client.premiumsDue(LI.ssn);
    expect(dues.map((d) => d.item)).toEqual(['flexible-pension', 'flexible-medical']);
    expect(due(dues, 'flexible-pension')).toEqual({
      item: 'flexible-pension',
      type: 'pension',
      scheme: 'flexible',
      unit: 'month',
      periods: LI_MONTHS,
      arrears: LI_MONTHS.slice(0, 5),
      choices: BASES.map((b) => ({ id: `base-${b}`, baseFen: b * 100, amountFen: b * 20 })),
      defaultChoiceId: 'base-4500', // the base she used last
      maxPeriods: 12,
    });
    const medical = due(dues, 'flexible-medical')!;
    expect(medical.periods).toEqual(LI_MONTHS);
    expect(medical.choices.map((c) => c.amountFen)).toEqual(BASES.map((b) => b * 8));
  });

  it('a resident owes this year’s pension by grade and the collected year’s medical premium', async () => {
    rig = await startRig();
    const dues = await rig.client.premiumsDue(RESIDENT.ssn);
    expect(dues.map((d) => d.item)).toEqual(['resident-pension', 'resident-medical']);
    const pension = due(dues, 'resident-pension')!;
    expect(pension).toMatchObject({ type: 'pension', scheme: 'resident', unit: 'year', periods: ['2026'], arrears: [], defaultChoiceId: 'grade-500', maxPeriods: 1 });
    expect(pension.choices.map((c) => c.gradeFen! / 100)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000]);
    expect(pension.choices.every((c) => c.amountFen === c.gradeFen && c.id === `grade-${c.gradeFen! / 100}`)).toBe(true);
    expect(due(dues, 'resident-medical')).toEqual({
      item: 'resident-medical',
      type: 'medical',
      scheme: 'resident',
      unit: 'year',
      periods: ['2026'],
      arrears: [],
      choices: [{ id: 'yearly', amountFen: 40000 }],
      defaultChoiceId: 'yearly',
      maxPeriods: 1,
    });
  });

  it('employees and retirees owe nothing here; an unknown holder is BACKEND_NOT_FOUND', async () => {
    rig = await startRig();
    expect(await rig.client.premiumsDue(ZHANG.ssn)).toEqual([]);
    expect(await rig.client.premiumsDue(ZHAO.ssn)).toEqual([]);
    expect((await backendError(rig.client.premiumsDue('110101199912319999'))).code).toBe('BACKEND_NOT_FOUND');
  });

  it('follows the clock: in September the months run on and residents pay next year’s medical', async () => {
    rig = await startRig({ clock: new VirtualClock(Date.UTC(2026, 8, 10, 2)) });
    const dues = await rig.client.premiumsDue(LI.ssn);
    const pension = due(dues, 'flexible-pension')!;
    expect(pension.periods).toHaveLength(5 + 9);
    expect(pension.periods.at(-1)).toBe('2026-09');
    expect(pension.arrears).toEqual(pension.periods.slice(0, -1)); // everything before this month is past due
    const res = await rig.client.premiumsDue(RESIDENT.ssn);
    expect(due(res, 'resident-medical')!.periods).toEqual(['2027']);
    expect(due(res, 'resident-pension')!).toMatchObject({ periods: ['2026'], arrears: [] });
  });
});

describe('postPremium', () => {
  it('posts the arrears, marks them paid, and leaves the rest due', async () => {
    rig = await startRig();
    const c = rig.client;
    const r = await c.postPremium(liPension(5));
    expect(r).toEqual({ ref: 'JF20260105000001', duplicate: false });

    const records = await c.contributions(LI.ssn, { type: 'pension', fromYear: 2024 });
    for (const m of LI_MONTHS.slice(0, 5)) {
      expect(records.find((x) => x.yearMonth === m)).toEqual({
        type: 'pension',
        scheme: 'flexible',
        yearMonth: m,
        baseFen: 450000,
        employerFen: 0,
        personalFen: 90000,
        status: 'paid',
        employer: '灵活就业',
      });
    }
    expect(records.filter((x) => x.status === 'arrears')).toEqual([]);

    const dues = await c.premiumsDue(LI.ssn);
    expect(due(dues, 'flexible-pension')).toMatchObject({ periods: ['2026-01'], arrears: [] });
    expect(due(dues, 'flexible-medical')!.periods).toEqual(LI_MONTHS); // another item, untouched

    const posting = { txnId: 'T0001-20260105010000-0a1b2c3d', ssn: LI.ssn, item: 'flexible-pension', amountFen: 450000, periods: LI_MONTHS.slice(0, 5), ref: r.ref, postedAt: '2026-01-05T01:00:00.000Z' };
    expect(rig.backend.postings()).toEqual([posting]);
    expect(await c.postingsOn('2026-01-05')).toEqual([posting]);
    expect(await c.postingsOn('2026-01-06')).toEqual([]);

    // The last month, at a higher base: refs count on, nothing more is due for pension.
    await rig.clock.advance(86_400_000);
    const second = await c.postPremium(liPension(1, { txnId: 'T0001-20260106010000-11111111', periods: ['2026-01'], choiceId: 'base-7500', amountFen: 150000 }));
    expect(second.ref).toBe('JF20260106000002');
    expect(due(await c.premiumsDue(LI.ssn), 'flexible-pension')).toBeUndefined();
    expect((await c.postingsOn('2026-01-06')).map((p) => p.ref)).toEqual([second.ref]);
    expect((await c.contributions(LI.ssn, { type: 'pension', fromYear: 2026 }))[0]).toMatchObject({ baseFen: 750000, personalFen: 150000, status: 'paid' });
  });

  it('posts a resident’s yearly grade as a January record with no base', async () => {
    rig = await startRig();
    const c = rig.client;
    await c.postPremium({ ...liPension(1), ssn: RESIDENT.ssn, item: 'resident-pension', choiceId: 'grade-1000', periods: ['2026'], amountFen: 100000 });
    expect((await c.contributions(RESIDENT.ssn, { type: 'pension', fromYear: 2026 }))).toEqual([
      { type: 'pension', scheme: 'resident', yearMonth: '2026-01', baseFen: 0, employerFen: 0, personalFen: 100000, status: 'paid', employer: '城乡居民' },
    ]);
    expect((await c.premiumsDue(RESIDENT.ssn)).map((d) => d.item)).toEqual(['resident-medical']);
    // Next year's default grade is the one paid last.
    await rig.clock.advance(366 * 86_400_000);
    expect(due(await c.premiumsDue(RESIDENT.ssn), 'resident-pension')).toMatchObject({ periods: ['2027'], defaultChoiceId: 'grade-1000' });
  });

  it('is idempotent by txnId: a repeat returns the same ref, different content is TXN_ID_REUSED', async () => {
    rig = await startRig();
    const c = rig.client;
    const first = await c.postPremium(liPension(2));
    // A retry from the journal may restamp paidAt: still the same posting.
    expect(await c.postPremium(liPension(2, { paidAt: '2026-01-05T01:05:00.000Z' }))).toEqual({ ref: first.ref, duplicate: true });
    expect(rig.backend.postings()).toHaveLength(1);
    for (const over of [{ periods: LI_MONTHS.slice(0, 3), amountFen: 270000 }, { amountFen: 180001 }, { bankRef: 'BK999999' }, { ssn: RESIDENT.ssn }]) {
      const e = await backendError(c.postPremium(liPension(2, over)));
      expect([e.code, e.reason, e.op], JSON.stringify(over)).toEqual(['BACKEND_REJECTED', 'TXN_ID_REUSED', 'postPremium']);
    }
    expect(rig.backend.postings()).toHaveLength(1);
    expect(due(await c.premiumsDue(LI.ssn), 'flexible-pension')!.periods).toEqual(LI_MONTHS.slice(2));
  });

  it('rejects what is not payable, with a reason, and stores nothing', async () => {
    rig = await startRig();
    const c = rig.client;
    const cases: [Partial<PostPremiumRequest>, string][] = [
      [{ amountFen: 90001 }, 'AMOUNT_MISMATCH'],
      [{ choiceId: 'base-6000' }, 'AMOUNT_MISMATCH'], // 900 yuan is the 4,500 base's amount
      [{ periods: ['2024-04'] }, 'PERIODS_NOT_PAYABLE'], // not the first payable period
      [{ periods: ['2023-01'] }, 'PERIODS_NOT_PAYABLE'],
      [{ choiceId: 'base-4501' }, 'UNKNOWN_CHOICE'],
      [{ item: 'resident-pension', periods: ['2026'], choiceId: 'grade-900' }, 'NOT_INSURED_FOR_ITEM'],
      [{ ssn: ZHANG.ssn }, 'NOT_INSURED_FOR_ITEM'],
      [{ txnId: 'bad id!' }, 'BAD_REQUEST'],
      [{ periods: [] }, 'BAD_REQUEST'],
      [{ paidAt: 'yesterday' }, 'BAD_REQUEST'],
    ];
    for (const [over, reason] of cases) {
      const e = await backendError(c.postPremium(liPension(1, over)));
      expect([e.code, e.reason], JSON.stringify(over)).toEqual(['BACKEND_REJECTED', reason]);
    }
    const many = await backendError(c.postPremium(liPension(7, { periods: [...LI_MONTHS, '2026-02'], amountFen: 90000 * 7 })));
    expect(many.reason).toBe('PERIODS_NOT_PAYABLE'); // a future month is not payable yet
    expect((await backendError(c.postPremium(liPension(1, { ssn: '110101199912319999' })))).code).toBe('BACKEND_NOT_FOUND');
    expect(rig.backend.postings()).toEqual([]);
    // Once paid, a period is no longer payable (a new txnId paying it again is refused).
    await c.postPremium(liPension(1));
    const again = await backendError(c.postPremium(liPension(1, { txnId: 'T0001-20260105010000-ffffffff' })));
    expect(again.reason).toBe('PERIODS_NOT_PAYABLE');
  });

  it('refuses more periods than one payment may cover', async () => {
    rig = await startRig({ clock: new VirtualClock(Date.UTC(2026, 11, 1)) });
    const d = due(await rig.client.premiumsDue(LI.ssn), 'flexible-pension')!;
    expect(d.periods).toHaveLength(17);
    const e = await backendError(rig.client.postPremium(liPension(13, { periods: d.periods.slice(0, 13), amountFen: 90000 * 13 })));
    expect(e.reason).toBe('PERIODS_NOT_PAYABLE');
    expect(await rig.client.postPremium(liPension(12, { periods: d.periods.slice(0, 12), amountFen: 90000 * 12 }))).toMatchObject({ duplicate: false });
  });

  it('survives a restart on the same database file', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'ykt-premiums-')), 'backend.sqlite');
    const clock = new VirtualClock();
    const first = await createEmbeddedBackend({ dbFile, clock, logger: silentLogger });
    const c1 = createBackendClient({ baseUrl: first.url, timeoutMs: 1000, retries: 0, logger: silentLogger });
    const { ref } = await c1.postPremium(liPension(5));
    await first.close();
    const second = await createEmbeddedBackend({ dbFile, clock, logger: silentLogger });
    try {
      const c2 = createBackendClient({ baseUrl: second.url, timeoutMs: 1000, retries: 0, logger: silentLogger });
      expect(await c2.postPremium(liPension(5))).toEqual({ ref, duplicate: true });
      expect(due(await c2.premiumsDue(LI.ssn), 'flexible-pension')!.periods).toEqual(['2026-01']);
      expect(second.postings().map((p) => p.ref)).toEqual([ref]);
    } finally {
      await second.close();
    }
  });
});

describe('premium faults', () => {
  it('timeoutOn postPremium is a lost answer: the posting stands, the client times out, a repeat is a duplicate', async () => {
    rig = await startRig({ seed: { timeoutOn: 'postPremium' } }, { timeoutMs: 300, retries: 0 });
    const e = await backendError(rig.client.postPremium(liPension(5)));
    expect([e.code, e.op]).toEqual(['BACKEND_TIMEOUT', 'postPremium']);
    expect(rig.backend.postings()).toHaveLength(1);
    expect(due(await rig.client.premiumsDue(LI.ssn), 'flexible-pension')!.periods).toEqual(['2026-01']);
    rig.backend.faults.clear();
    expect(await rig.client.postPremium(liPension(5))).toEqual({ ref: rig.backend.postings()[0]!.ref, duplicate: true });
    expect(rig.backend.postings()).toHaveLength(1);
  });

  it('the client retries a lost posting with the same body; the retry finds the posting', async () => {
    rig = await startRig({ seed: { timeoutOn: 'postPremium' } }, { timeoutMs: 300, retries: 1 });
    const clientClock = new RecordingClock();
    // Clear the fault while the client backs off, so the retry gets through.
    clientClock.setTimeout = (fn: () => void, ms: number) => {
      clientClock.delays.push(ms);
      rig!.backend.faults.clear();
      return setImmediate(fn) as unknown as ReturnType<RecordingClock['setTimeout']>;
    };
    const c = createBackendClient({ baseUrl: rig.backend.url, timeoutMs: 300, retries: 1, backoffMs: 50, clock: clientClock, logger: silentLogger });
    try {
      const r = await c.postPremium(liPension(5));
      expect(r).toEqual({ ref: 'JF20260105000001', duplicate: true });
      expect(clientClock.delays).toEqual([50]);
      expect(rig.backend.postings()).toHaveLength(1);
    } finally {
      c.close();
    }
  });

  it('failOn and badResponseOn accept the premium operations; an outage posts nothing', async () => {
    rig = await startRig({ seed: { failOn: 'postPremium', badResponseOn: 'premiumsDue' } });
    expect((await backendError(rig.client.postPremium(liPension(1)))).code).toBe('BACKEND_UNAVAILABLE');
    expect(rig.backend.postings()).toEqual([]);
    expect((await backendError(rig.client.premiumsDue(LI.ssn))).code).toBe('BACKEND_BAD_RESPONSE');
    rig.backend.faults.set({ timeoutOn: 'premiumsDue', failOn: 'postingsOn' });
    expect(rig.backend.faults.current()).toEqual({ timeoutOn: 'premiumsDue', failOn: 'postingsOn', badResponseOn: 'premiumsDue' });
    expect((await backendError(rig.client.postingsOn('2026-01-05'))).code).toBe('BACKEND_UNAVAILABLE');
  });
});
