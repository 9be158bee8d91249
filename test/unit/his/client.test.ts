import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { createHisClient, type HisClient } from '../../../kiosk/his/http-client.js';
import { fakeServer, hisError, json, RecordingClock, TODAY, ZHANG } from './helpers.js';

type Fake = Awaited<ReturnType<typeof fakeServer>>;
let fake: Fake | undefined;
let client: HisClient | undefined;
afterEach(async () => {
  client?.close();
  await fake?.close();
  fake = client = undefined;
});

const SLOT = {
  id: 'internal-4-20260105-1000',
  departmentId: 'internal',
  doctorId: 'internal-4',
  date: TODAY,
  period: 'morning',
  start: '10:00',
  end: '10:30',
  fee: { registrationFen: 100, consultationFen: 900, totalFen: 1000 },
  capacity: 6,
  remaining: 3,
};

const REG = {
  regId: 'GH20260105000001',
  status: 'registered',
  queueNumber: 25,
  patient: { ssn: ZHANG.ssn, name: ZHANG.name },
  department: { id: 'internal', name: { zh: '内科', en: 'Internal Medicine' }, location: { zh: '门诊楼2层B区', en: 'Outpatient Building 2F, Zone B' } },
  doctor: { id: 'internal-4', name: '赵磊', title: 'resident' },
  slotId: SLOT.id,
  date: TODAY,
  period: 'morning',
  start: '10:00',
  end: '10:30',
  location: { zh: '门诊楼2层B区 4诊室', en: 'Outpatient Building 2F, Zone B, Room 4' },
  fee: SLOT.fee,
  payment: { method: 'bank-card', txnId: 'txn-00000001', amountFen: 1000 },
  registeredAt: '2026-01-05T01:00:00.000Z',
};

/** A client against a server that answers every request with (status, body). */
async function against(status: number, body: unknown, opts: { retries?: number } = {}): Promise<HisClient> {
  fake = await fakeServer((_req, res) => json(res, status, body));
  client = createHisClient({ baseUrl: fake.url, timeoutMs: 1000, retries: opts.retries ?? 0, clock: new RecordingClock(), logger: silentLogger });
  return client;
}

describe('HIS client refuses malformed answers (HIS_BAD_RESPONSE)', () => {
  const slotsWith = (patch: Record<string, unknown>) => ({ slots: [{ ...SLOT, ...patch }] });

  it.each([
    ['more places left than it has', slotsWith({ remaining: 7 })],
    ['a fee whose parts do not add up', slotsWith({ fee: { registrationFen: 100, consultationFen: 900, totalFen: 1100 } })],
    ['a float amount', slotsWith({ fee: { registrationFen: 100, consultationFen: 899.5, totalFen: 999.5 } })],
    ['an unknown period', slotsWith({ period: 'evening' })],
    ['a window ending before it starts', slotsWith({ end: '09:30' })],
    ['an extra field', slotsWith({ price: 10 })],
    ['a bad date', slotsWith({ date: '2026-1-5' })],
    ['a missing list', { items: [] }],
  ])('slots with %s', async (_what, body) => {
    const c = await against(200, body);
    expect(await hisError(c.slots())).toMatchObject({ code: 'HIS_BAD_RESPONSE', op: 'slots' });
  });

  it.each([
    ['a payment that differs from the fee', { ...REG, payment: { ...REG.payment, amountFen: 900 } }],
    ['a cancellation without its time', { ...REG, status: 'cancelled' }],
    ['queue number 0', { ...REG, queueNumber: 0 }],
    ['an unknown title', { ...REG, doctor: { ...REG.doctor, title: '专家' } }],
  ])('a registration with %s', async (_what, body) => {
    const c = await against(200, body);
    expect((await hisError(c.registration('GH20260105000001'))).code).toBe('HIS_BAD_RESPONSE');
  });

  it('accepts a well-formed registration as is', async () => {
    const c = await against(200, REG);
    expect(await c.registration('GH20260105000001')).toEqual(REG);
  });

  it('refuses a doctor listed under another department', async () => {
    const doctor = { id: 'surgery-1', departmentId: 'surgery', name: '孙志刚', title: 'chief', specialty: { zh: '普通外科', en: 'General Surgery' }, room: 1 };
    const c = await against(200, { doctors: [doctor] });
    expect((await hisError(c.doctors('internal'))).code).toBe('HIS_BAD_RESPONSE');
  });

  it('refuses a 200 that is not JSON, an unrecognised error body, and an oversized body', async () => {
    expect((await hisError((await against(200, 'OK')).departments())).code).toBe('HIS_BAD_RESPONSE');
    await fake!.close();
    client!.close();
    expect((await hisError((await against(409, { message: 'nope' })).departments())).code).toBe('HIS_BAD_RESPONSE');
    await fake!.close();
    client!.close();
    fake = await fakeServer((_req, res) => json(res, 200, { departments: [], pad: 'x'.repeat(4096) }));
    client = createHisClient({ baseUrl: fake.url, timeoutMs: 1000, retries: 0, logger: silentLogger, maxResponseBytes: 1024 });
    expect((await hisError(client.departments())).code).toBe('HIS_BAD_RESPONSE');
  });
});

describe('HIS client error mapping, retries and connections', () => {
  it('maps wire errors onto HisError codes with their reason', async () => {
    const c = await against(409, { error: { code: 'SLOT_TAKEN', message: 'taken' } });
    expect(await hisError(c.hold(SLOT.id, ZHANG, 'req-00000001'))).toMatchObject({ code: 'SLOT_TAKEN', op: 'hold' });
    await fake!.close();
    client!.close();
    const d = await against(422, { error: { code: 'NOT_CANCELLABLE', reason: 'STARTED', message: 'started' } });
    expect(await hisError(d.cancel('GH1', 'req-00000002'))).toMatchObject({ code: 'NOT_CANCELLABLE', reason: 'STARTED' });
    await fake!.close();
    client!.close();
    const e = await against(400, { error: { code: 'BAD_REQUEST', message: 'bad' } });
    expect(await hisError(e.departments())).toMatchObject({ code: 'REJECTED', reason: 'BAD_REQUEST' });
  });

  it('retries HTTP 5xx (even an HTML page) and succeeds when the HIS recovers', async () => {
    let n = 0;
    fake = await fakeServer((_req, res) => {
      if (++n < 3) {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      } else json(res, 200, { departments: [] });
    });
    const backoff = new RecordingClock();
    client = createHisClient({ baseUrl: fake.url, timeoutMs: 1000, retries: 2, backoffMs: 50, clock: backoff, logger: silentLogger });
    expect(await client.departments()).toEqual([]);
    expect(fake.hits).toHaveLength(3);
    expect(backoff.delays).toEqual([50, 100]);
  });

  it('does not retry a definite answer', async () => {
    const c = await against(404, { error: { code: 'NOT_FOUND', message: 'no slot' } }, { retries: 3 });
    expect((await hisError(c.hold('x-1-20260105-1000', ZHANG, 'req-00000003'))).code).toBe('NOT_FOUND');
    expect(fake!.hits).toHaveLength(1);
  });

  it('reuses one kept-alive connection across a visit', async () => {
    const c = await against(200, { departments: [] });
    for (let i = 0; i < 5; i++) await c.departments();
    expect(fake!.hits).toHaveLength(5);
    expect(fake!.connections()).toBe(1);
  });

  it('sends exactly the documented bodies', async () => {
    const bodies: unknown[] = [];
    fake = await fakeServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push({ url: req.url, method: req.method, body: text ? JSON.parse(text) : undefined });
        json(res, 503, { error: { code: 'UNAVAILABLE', message: 'down' } });
      });
    });
    client = createHisClient({ baseUrl: `${fake.url}/his/`, timeoutMs: 1000, retries: 0, logger: silentLogger });
    const extra = { ...ZHANG, pin: '123456' } as typeof ZHANG;
    await hisError(client.hold(SLOT.id, extra, 'req-00000004'));
    await hisError(client.register('HD1', { method: 'medical-account', txnId: 'txn-00000009', amountFen: 1000 }, 'req-00000005'));
    await hisError(client.slots({ departmentId: 'internal', days: 2 }));
    await hisError(client.registrationsOf(ZHANG.ssn, TODAY));
    expect(bodies).toEqual([
      { url: '/his/v1/holds', method: 'POST', body: { slotId: SLOT.id, patient: { ssn: ZHANG.ssn, name: '张三', cardNumber: 'A12345678' }, requestId: 'req-00000004' } },
      {
        url: '/his/v1/registrations',
        method: 'POST',
        body: { holdId: 'HD1', payment: { method: 'medical-account', txnId: 'txn-00000009', amountFen: 1000 }, requestId: 'req-00000005' },
      },
      { url: '/his/v1/slots?department=internal&days=2', method: 'GET', body: undefined },
      { url: `/his/v1/patients/${ZHANG.ssn}/registrations?date=${TODAY}`, method: 'GET', body: undefined },
    ]);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => createHisClient({ baseUrl: 'ftp://his', timeoutMs: 1, retries: 0, logger: silentLogger })).toThrow(/must be http/);
  });
});
