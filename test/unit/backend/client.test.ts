import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import { backendError, fakeServer, LI, RecordingClock, RESIDENT, startRig, ZHANG, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('HTTP client against the embedded backend (real loopback HTTP)', () => {
  it('answers every interface call with validated data', async () => {
    rig = await startRig();
    const c = rig.client;

    expect(await c.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).toEqual({ status: 'normal' });

    const profile = await c.holderProfile(ZHANG.ssn);
    expect(profile).toMatchObject({ name: '张三', sex: 'male', birthDate: '1950-01-01', employer: null });
    expect(profile.insured.find((i) => i.type === 'pension')).toEqual({ type: 'pension', scheme: 'employee', status: 'retired', since: '2010-01' });

    const pension = await c.contributions(ZHANG.ssn, { type: 'pension', fromYear: 2009, toYear: 2009 });
    expect(pension).toHaveLength(12);
    expect(pension.every((r) => r.type === 'pension' && r.yearMonth.startsWith('2009-'))).toBe(true);
    const r = pension[0]!;
    expect(r.employerFen).toBe(Math.round(r.baseFen * 0.16));
    expect(r.personalFen).toBe(Math.round(r.baseFen * 0.08));

    const balances = await c.accountBalances(LI.ssn);
    expect(balances.pension?.balanceFen).toBeGreaterThan(0);
    expect(Number.isInteger(balances.pension?.balanceFen)).toBe(true);
    expect((await c.accountBalances(RESIDENT.ssn)).medical).toBeNull();

    const st = await c.statement(LI.ssn, { kind: 'detail', months: 12, terminalId: 'T0001' });
    expect(st.holder.name).toBe('李秀英');
    expect(st.terminalId).toBe('T0001');
    expect(st.lines).toHaveLength(24); // pension + medical for 12 months
    expect(st.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await c.verifyStatement(st.code)).toMatchObject({ valid: true, kind: 'detail', holderName: '李**', ssn: '330302********2348', lineCount: 24 });
    expect((await c.verifyStatement('AAAA-BBBB-CCCC-DDDD')).valid).toBe(false);

    const bl = await c.blacklistSince(0);
    expect(bl.full).toBe(true);
    expect(bl.version).toBeGreaterThan(0);

    const ref = await c.reportLoss({ ...RESIDENT, kind: 'temporary', terminalId: 'T0001', requestId: 'req-loss-0001' });
    expect(ref.ref).toMatch(/^GS20260105\d{6}$/);
    expect((await c.liftLoss({ ...RESIDENT, terminalId: 'T0001', requestId: 'req-lift-0001' })).ref).toMatch(/^JG/);
  });

  it('maps unknown holders and cards to BACKEND_NOT_FOUND and bad input to BACKEND_REJECTED', async () => {
    rig = await startRig();
    expect((await backendError(rig.client.holderProfile('110101199912319999'))).code).toBe('BACKEND_NOT_FOUND');
    expect((await backendError(rig.client.cardStatus(ZHANG.ssn, 'Z99999999'))).code).toBe('BACKEND_NOT_FOUND');
    const bad = await backendError(rig.client.holderProfile('not-an-ssn'));
    expect(bad.code).toBe('BACKEND_REJECTED');
    expect(bad.reason).toBe('BAD_REQUEST');
  });

  it('times out within the configured deadline when the backend holds the request', async () => {
    rig = await startRig({}, { timeoutMs: 300, retries: 0 });
    rig.backend.faults.set({ timeoutOn: 'contributions' });
    const t0 = Date.now();
    const err = await backendError(rig.client.contributions(ZHANG.ssn));
    const took = Date.now() - t0;
    expect(err.code).toBe('BACKEND_TIMEOUT');
    expect(err.op).toBe('contributions');
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    // Other routes are unaffected, and clearing the fault restores the route.
    expect(await rig.client.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).toEqual({ status: 'normal' });
    rig.backend.faults.clear();
    expect((await rig.client.contributions(ZHANG.ssn)).length).toBeGreaterThan(0);
  });

  it('reports BACKEND_UNAVAILABLE when the server is down or injected to fail', async () => {
    rig = await startRig();
    rig.backend.faults.set({ failOn: 'holderProfile' });
    expect((await backendError(rig.client.holderProfile(ZHANG.ssn))).code).toBe('BACKEND_UNAVAILABLE');
    const url = rig.backend.url;
    await rig.close();
    rig = undefined;
    const c = createBackendClient({ baseUrl: url, timeoutMs: 1000, retries: 1, clock: new RecordingClock(), logger: silentLogger });
    const err = await backendError(c.cardStatus(ZHANG.ssn, ZHANG.cardNumber));
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('turns the embedded badResponseOn fault into BACKEND_BAD_RESPONSE', async () => {
    rig = await startRig({ seed: { badResponseOn: 'cardStatus' } });
    expect((await backendError(rig.client.cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_BAD_RESPONSE');
  });
});

describe('HTTP client against a fake server', () => {
  const client = (url: string, retries = 2, clock = new RecordingClock()) =>
    createBackendClient({ baseUrl: url, timeoutMs: 1000, retries, backoffMs: 100, clock, logger: silentLogger });

  it('rejects malformed JSON and schema-violating JSON as BACKEND_BAD_RESPONSE, without retrying', async () => {
    const bodies = ['{"status": "norm', '{"status":"stolen"}', '{"status":"normal","extra":1}', '[]'];
    let i = 0;
    const fake = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(bodies[i++]);
    });
    try {
      const c = client(fake.url);
      for (let n = 0; n < bodies.length; n++) {
        const err = await backendError(c.cardStatus(ZHANG.ssn, ZHANG.cardNumber));
        expect(err.code, `body ${bodies[n]}`).toBe('BACKEND_BAD_RESPONSE');
      }
      expect(fake.hits).toHaveLength(bodies.length);
    } finally {
      await fake.close();
    }
  });

  it('validates nested fields: a float amount is refused', async () => {
    const fake = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          records: [{ type: 'pension', scheme: 'employee', yearMonth: '2024-01', baseFen: 100.5, employerFen: 16, personalFen: 8, status: 'paid', employer: 'x' }],
        }),
      );
    });
    try {
      const err = await backendError(client(fake.url).contributions(ZHANG.ssn));
      expect(err.code).toBe('BACKEND_BAD_RESPONSE');
      expect(err.message).toContain('baseFen');
    } finally {
      await fake.close();
    }
  });

  it('retries GETs with exponential backoff on the clock, never POSTs', async () => {
    const fake = await fakeServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'down' } }));
    });
    try {
      const clock = new RecordingClock();
      const c = client(fake.url, 2, clock);
      expect((await backendError(c.holderProfile(ZHANG.ssn))).code).toBe('BACKEND_UNAVAILABLE');
      expect(fake.hits.filter((h) => h.startsWith('GET'))).toHaveLength(3);
      expect(clock.delays).toEqual([100, 200]);

      fake.hits.length = 0;
      expect((await backendError(c.reportLoss({ ...ZHANG, kind: 'temporary', terminalId: 'T1', requestId: 'req-000001' }))).code).toBe('BACKEND_UNAVAILABLE');
      expect((await backendError(c.statement(ZHANG.ssn, { kind: 'proof' }))).code).toBe('BACKEND_UNAVAILABLE');
      expect(fake.hits).toEqual([
        `POST /v1/holders/${ZHANG.ssn}/cards/${ZHANG.cardNumber}/loss-reports`,
        `POST /v1/holders/${ZHANG.ssn}/statements`,
      ]);
      expect(clock.delays).toEqual([100, 200]);
    } finally {
      await fake.close();
    }
  });

  it('does not retry a definite answer (404) and maps rejection reasons', async () => {
    const fake = await fakeServer((req, res) => {
      const notFound = req.method === 'GET';
      res.writeHead(notFound ? 404 : 422, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          notFound
            ? { error: { code: 'NOT_FOUND', message: 'no such holder' } }
            : { error: { code: 'LOSS_NOT_LIFTABLE', reason: 'FORMALLY_LOST', message: 'counter only' } },
        ),
      );
    });
    try {
      const c = client(fake.url);
      expect((await backendError(c.holderProfile(ZHANG.ssn))).code).toBe('BACKEND_NOT_FOUND');
      expect(fake.hits).toHaveLength(1);
      const lift = await backendError(c.liftLoss({ ...ZHANG, terminalId: 'T1', requestId: 'req-000002' }));
      expect(lift.code).toBe('LOSS_NOT_LIFTABLE');
      expect(lift.reason).toBe('FORMALLY_LOST');
    } finally {
      await fake.close();
    }
  });

  it('treats an unrecognised error body as BACKEND_BAD_RESPONSE', async () => {
    const fake = await fakeServer((_req, res) => {
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end('teapot');
    });
    try {
      expect((await backendError(client(fake.url).cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_BAD_RESPONSE');
    } finally {
      await fake.close();
    }
  });

  it('times out a response that stalls mid-body, and retries the GET', async () => {
    const fake = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":'); // and never finishes
    });
    try {
      const c = createBackendClient({ baseUrl: fake.url, timeoutMs: 200, retries: 1, backoffMs: 10, clock: new RecordingClock(), logger: silentLogger });
      expect((await backendError(c.cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_TIMEOUT');
      expect(fake.hits).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it('never logs the ssn or the name in clear', async () => {
    rig = await startRig();
    const lines: string[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const c = createBackendClient({ baseUrl: rig.backend.url, timeoutMs: 1000, retries: 0, clock: new RecordingClock(), logger });
    await c.holderProfile(ZHANG.ssn);
    await backendError(c.cardStatus(ZHANG.ssn, 'Z99999999'));
    const text = lines.join('');
    expect(text).toContain('110101********1234');
    expect(text).not.toContain(ZHANG.ssn);
    expect(text).not.toContain('张三');
  });
});
