import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { BackendSeedError, parseBackendSeed } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import type { PremiumDue } from '../../../kiosk/backend/interface.js';
import { backendError, fakeServer, LI, RecordingClock, RESIDENT, startRig, ZHANG, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const due = (dues: PremiumDue[], item: string) => dues.find((d) => d.item === item);
const NEW = '110101200001011110';

describe('scenario overrides shape what is due', () => {
  it('a backend-wide average wage and resident premium change the choices', async () => {
    rig = await startRig({ seed: { premiums: { averageWageFen: 1_000_000, residentMedicalFen: 38_000 } } });
    const li = due(await rig.client.premiumsDue(LI.ssn), 'flexible-pension')!;
    expect(li.choices.map((c) => c.id)).toEqual(['base-6000', 'base-8000', 'base-10000', 'base-20000', 'base-30000']);
    expect(li.defaultChoiceId).toBe('base-6000'); // nearest to the 4,500 she used last
    expect(li.choices[0]).toEqual({ id: 'base-6000', baseFen: 600_000, amountFen: 120_000 });
    expect(due(await rig.client.premiumsDue(RESIDENT.ssn), 'resident-medical')!.choices).toEqual([{ id: 'yearly', amountFen: 38_000 }]);
  });

  it('a holder’s `due` list replaces the derived one; [] means nothing is due', async () => {
    rig = await startRig({
      seed: {
        holders: {
          [LI.ssn]: { premiums: { averageWageFen: 800_000, due: [{ item: 'flexible-pension', periods: ['2026-01', '2025-12'] }] } },
          [RESIDENT.ssn]: { premiums: { due: [] } },
        },
      },
    });
    const dues = await rig.client.premiumsDue(LI.ssn);
    expect(dues.map((d) => d.item)).toEqual(['flexible-pension']);
    expect(dues[0]).toMatchObject({ periods: ['2025-12', '2026-01'], arrears: ['2025-12'], defaultChoiceId: 'base-4800' });
    expect(await rig.client.premiumsDue(RESIDENT.ssn)).toEqual([]);
    // What was listed is payable, and once paid it is no longer due.
    await rig.client.postPremium({
      txnId: 'T0001-20260105010000-00000001',
      ssn: LI.ssn,
      item: 'flexible-pension',
      choiceId: 'base-4800',
      periods: ['2025-12', '2026-01'],
      amountFen: 2 * 96_000,
      terminalId: 'T0001',
      bankRef: 'BK1',
      paidAt: '2026-01-05T01:00:00.000Z',
    });
    expect(await rig.client.premiumsDue(LI.ssn)).toEqual([]);
  });

  it('derives what is due from `contributions` in arrears for a new flexible holder', async () => {
    rig = await startRig({
      seed: {
        holders: {
          [NEW]: {
            name: '钱多',
            contributions: [
              { type: 'pension', scheme: 'flexible', from: '2025-01', to: '2025-10', baseFen: 900_000 },
              { type: 'pension', scheme: 'flexible', from: '2025-11', to: '2025-12', baseFen: 900_000, status: 'arrears' },
            ],
          },
          // Everything paid through this month: nothing due.
          [LI.ssn]: {
            contributions: [
              { type: 'pension', scheme: 'flexible', from: '2025-01', to: '2026-01', baseFen: 450_000 },
              { type: 'medical', scheme: 'flexible', from: '2025-01', to: '2026-01', baseFen: 450_000 },
            ],
          },
        },
      },
    });
    const dues = await rig.client.premiumsDue(NEW);
    expect(dues.map((d) => [d.item, d.periods, d.arrears, d.defaultChoiceId])).toEqual([
      ['flexible-pension', ['2025-11', '2025-12', '2026-01'], ['2025-11', '2025-12'], 'base-7500'],
    ]);
    expect(await rig.client.premiumsDue(LI.ssn)).toEqual([]);
    // Insured for flexible pension but nothing left to pay vs not insured for the item at all.
    const body = { txnId: 'T0001-20260105010000-00000002', ssn: LI.ssn, item: 'flexible-pension' as const, choiceId: 'base-4500', periods: ['2026-01'], amountFen: 90_000, terminalId: 'T0001', bankRef: 'BK2', paidAt: '2026-01-05T01:00:00.000Z' };
    expect((await backendError(rig.client.postPremium(body))).reason).toBe('PERIODS_NOT_PAYABLE');
    expect((await backendError(rig.client.postPremium({ ...body, ssn: NEW, item: 'flexible-medical' }))).reason).toBe('NOT_INSURED_FOR_ITEM');
  });

  it('validates premium overrides strictly, naming the field', () => {
    const bad = (premiums: unknown, holder = true) => () =>
      parseBackendSeed(holder ? { holders: { [ZHANG.ssn]: { premiums } } } : { premiums });
    expect(bad({ due: [{ item: 'resident-pension', periods: ['2026-01'] }] })).toThrow(
      new BackendSeedError(`backend.holders.${ZHANG.ssn}.premiums.due.0.periods.0: resident-pension periods are YYYY`),
    );
    expect(bad({ due: [{ item: 'flexible-medical', periods: ['2026'] }] })).toThrow(/premiums\.due\.0\.periods\.0: flexible-medical periods are YYYY-MM/);
    expect(bad({ due: [{ item: 'flexible-pension', periods: [] }] })).toThrow(/premiums\.due\.0\.periods/);
    expect(bad({ due: [{ item: 'flexible-pensoin', periods: ['2026-01'] }] })).toThrow(/premiums\.due\.0\.item/);
    expect(bad({ due: [{ item: 'resident-medical', periods: ['2026'] }, { item: 'resident-medical', periods: ['2027'] }] })).toThrow(/listed twice/);
    expect(bad({ averageWage: 1 })).toThrow(/averageWage/);
    expect(bad({ averageWageFen: 7500.5 }, false)).toThrow(/backend\.premiums\.averageWageFen/);
    expect(bad({ due: [] }, false)).toThrow(/backend\.premiums/); // `due` is per holder only
    expect(parseBackendSeed({ timeoutOn: 'postPremium', failOn: 'premiumsDue', badResponseOn: 'postingsOn' })).toMatchObject({ timeoutOn: 'postPremium' });
  });
});

describe('HTTP client: premium calls against a fake server', () => {
  const post = {
    txnId: 'T0001-20260105010000-00000003',
    ssn: LI.ssn,
    item: 'flexible-pension' as const,
    choiceId: 'base-4500',
    periods: ['2024-03'],
    amountFen: 90_000,
    terminalId: 'T0001',
    bankRef: 'BK3',
    paidAt: '2026-01-05T01:00:00.000Z',
  };

  it('retries postPremium on an outage with the same body, but not a rejection', async () => {
    const bodies: string[] = [];
    let n = 0;
    const fake = await fakeServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(text);
        n++;
        const reply =
          n === 1
            ? [503, { error: { code: 'UNAVAILABLE', message: 'down' } }]
            : n === 2
              ? [200, { ref: 'JF20260105000001', duplicate: false }]
              : [409, { error: { code: 'REJECTED', reason: 'AMOUNT_MISMATCH', message: 'no' } }];
        res.writeHead(reply[0] as number, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply[1]));
      });
    });
    try {
      const clock = new RecordingClock();
      const c = createBackendClient({ baseUrl: fake.url, timeoutMs: 1000, retries: 2, backoffMs: 100, clock, logger: silentLogger });
      expect(await c.postPremium(post)).toEqual({ ref: 'JF20260105000001', duplicate: false });
      expect(fake.hits).toEqual(['POST /v1/premium-postings', 'POST /v1/premium-postings']);
      expect(bodies[0]).toBe(bodies[1]);
      expect(JSON.parse(bodies[0]!)).toEqual(post);
      expect(clock.delays).toEqual([100]);
      const e = await backendError(c.postPremium(post));
      expect([e.code, e.reason]).toEqual(['BACKEND_REJECTED', 'AMOUNT_MISMATCH']);
      expect(fake.hits).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });

  it('refuses a premiums-due answer whose parts contradict each other', async () => {
    const good = {
      item: 'flexible-pension',
      type: 'pension',
      scheme: 'flexible',
      unit: 'month',
      periods: ['2025-12', '2026-01'],
      arrears: ['2025-12'],
      choices: [{ id: 'base-4500', amountFen: 90000, baseFen: 450000 }],
      defaultChoiceId: 'base-4500',
      maxPeriods: 12,
    };
    const variants = [
      { ...good, defaultChoiceId: 'base-6000' },
      { ...good, arrears: ['2025-11'] },
      { ...good, periods: ['2026'] },
      { ...good, periods: ['2026-01', '2025-12'] },
      { ...good, item: 'resident-pension' },
      { ...good, choices: [{ id: 'Base 4500', amountFen: 90000 }], defaultChoiceId: 'Base 4500' },
      { ...good, choices: [{ id: 'base-4500', amountFen: 900.5 }] },
    ];
    let i = -1;
    const fake = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ dues: [i < 0 ? good : variants[i]] }));
    });
    try {
      const c = createBackendClient({ baseUrl: fake.url, timeoutMs: 1000, retries: 0, clock: new RecordingClock(), logger: silentLogger });
      expect(await c.premiumsDue(LI.ssn)).toEqual([good]);
      for (i = 0; i < variants.length; i++) {
        expect((await backendError(c.premiumsDue(LI.ssn))).code, JSON.stringify(variants[i])).toBe('BACKEND_BAD_RESPONSE');
      }
    } finally {
      await fake.close();
    }
  });
});
