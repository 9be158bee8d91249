import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedBackend, EcardIssuer, issueEcardCode } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import { parseEcardCode } from '../../../kiosk/ecard/format.js';
import { verifyEcardCode } from '../../../kiosk/ecard/verify.js';
import { backendError, fakeServer, LI, RecordingClock, startRig, SUN, ZHANG, type Rig } from '../backend/helpers.js';
import { TRUSTED } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/v1/ecard/codes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const verifyNow = (r: Rig, code: string) => verifyEcardCode(code, { publicKeys: TRUSTED, now: r.clock.now() });

describe('embedded backend: issuing and online status over HTTP', () => {
  it('issues a code that verifies offline and is valid online, with the holder for the session', async () => {
    rig = await startRig();
    const { status, json } = await post(rig.backend.url, { ssn: LI.ssn });
    expect(status).toBe(200);
    expect(json.exp).toBe(rig.clock.now() / 1000 + 60);
    const v = verifyNow(rig, json.code);
    expect(v.ok && v.claims).toMatchObject({ kid: 'demo-1', cno: LI.cardNumber, cid: '330300D15600000599110145', nm: '李**', jti: json.jti });
    expect(json.code).not.toContain(LI.ssn);
    expect(JSON.stringify(parseEcardCode(json.code).claims)).not.toMatch(/\d{17}[\dX]/);
    expect(await rig.client.ecardStatus(json.jti)).toEqual({ status: 'valid', cardStatus: 'normal', ssn: LI.ssn, name: '李秀英' });
  });

  it('reports the card’s current status: a code issued before a loss report shows lost', async () => {
    rig = await startRig();
    const { jti } = rig.backend.issueEcardCode(LI.ssn);
    await rig.client.reportLoss({ ...LI, kind: 'formal', terminalId: 'T0001', requestId: 'req-ecard-loss-1' });
    expect(await rig.client.ecardStatus(jti)).toMatchObject({ status: 'valid', cardStatus: 'lost', ssn: LI.ssn });
  });

  it('answers unknown for a jti it never issued, and refuses a malformed jti', async () => {
    rig = await startRig();
    expect(await rig.client.ecardStatus('0123456789abcdef')).toEqual({ status: 'unknown' });
    const bad = await backendError(rig.client.ecardStatus('not-a-jti'));
    expect(bad.code).toBe('BACKEND_REJECTED');
    expect(bad.reason).toBe('BAD_REQUEST');
  });

  it('revokes a card’s earlier codes when a new one is issued, and on demand', async () => {
    rig = await startRig();
    const first = rig.backend.issueEcardCode(ZHANG.ssn);
    const second = rig.backend.issueEcardCode(ZHANG.ssn);
    expect((await rig.client.ecardStatus(first.jti)).status).toBe('revoked');
    expect((await rig.client.ecardStatus(second.jti)).status).toBe('valid');
    // Another holder with the same card number is another card: untouched.
    const sun = rig.backend.issueEcardCode(SUN.ssn);
    expect((await rig.client.ecardStatus(second.jti)).status).toBe('valid');
    const issuer = new EcardIssuer(rig.backend.store, rig.clock);
    expect(issuer.revoke(sun.jti)).toBe(true);
    expect(issuer.revoke(sun.jti)).toBe(false);
    expect((await rig.client.ecardStatus(sun.jti)).status).toBe('revoked');
  });

  it('issues the failing variants: expired, tampered, foreign', async () => {
    rig = await startRig();
    const code = (variant: 'expired' | 'tampered' | 'foreign') => issueEcardCode(rig!.backend, LI.ssn, { variant });
    const fail = (c: string) => {
      const v = verifyNow(rig!, c);
      return v.ok ? 'OK' : v.error.code;
    };
    expect(fail(code('expired'))).toBe('ECARD_EXPIRED');
    expect(fail(code('tampered'))).toBe('ECARD_TAMPERED');
    expect(fail(code('foreign'))).toBe('ECARD_FOREIGN');
    expect(fail(issueEcardCode(rig.backend, LI.ssn))).toBe('OK');
    // Over HTTP too, and the foreign code is one this backend does not know.
    const foreign = await post(rig.backend.url, { ssn: LI.ssn, variant: 'foreign' });
    expect(fail(foreign.json.code)).toBe('ECARD_FOREIGN');
    expect(await rig.client.ecardStatus(foreign.json.jti)).toEqual({ status: 'unknown' });
  });

  it('honours ttlSec and the backend clock: a code expires on virtual time', async () => {
    rig = await startRig();
    const { code } = rig.backend.issueEcardCode(LI.ssn, { ttlSec: 10 });
    expect(verifyNow(rig, code).ok).toBe(true);
    await rig.clock.advance(40_001); // 10 s lifetime + 30 s skew
    expect(verifyNow(rig, code)).toMatchObject({ ok: false, error: { code: 'ECARD_EXPIRED' } });
  });

  it('validates the issuing request and knows only its own holders', async () => {
    rig = await startRig();
    expect((await post(rig.backend.url, { ssn: '110101199912319999' })).status).toBe(404);
    expect((await post(rig.backend.url, { ssn: LI.ssn, cardNumber: 'Z99999999' })).status).toBe(404);
    expect((await post(rig.backend.url, { ssn: LI.ssn, ttlSec: 1 })).json.error.code).toBe('BAD_REQUEST');
    expect((await post(rig.backend.url, { ssn: LI.ssn, idNumber: LI.ssn })).status).toBe(400);
    expect((await post(rig.backend.url, { ssn: LI.ssn, variant: 'bogus' })).status).toBe(400);
  });

  it('puts the card expiry in the code for simulated cards it was given, and issues before a deferred seed', async () => {
    const clock = new VirtualClock();
    const backend = await createEmbeddedBackend({
      dbFile: ':memory:',
      clock,
      logger: silentLogger,
      deferSeed: true,
      cards: [{ ssn: '110101198001010019', name: '测试', cardNumber: 'C00000001', expiry: '20300630' }],
      ecardTtlSec: 30,
    });
    try {
      const issued = backend.issueEcardCode('110101198001010019');
      const { claims } = parseEcardCode(issued.code);
      expect(claims).toMatchObject({ cno: 'C00000001', ce: '20300630', nm: '测*' });
      expect(claims.exp - claims.iat).toBe(30);
      expect(parseEcardCode(backend.issueEcardCode(ZHANG.ssn).code).claims).not.toHaveProperty('ce');
    } finally {
      await backend.close();
    }
  });

  it('injects faults on the e-card routes like any other operation', async () => {
    rig = await startRig({}, { timeoutMs: 300 });
    const { jti } = rig.backend.issueEcardCode(LI.ssn);
    rig.backend.faults.set({ failOn: 'ecardStatus' });
    expect((await backendError(rig.client.ecardStatus(jti))).code).toBe('BACKEND_UNAVAILABLE');
    rig.backend.faults.clear();
    rig.backend.faults.set({ badResponseOn: 'ecardStatus' });
    expect((await backendError(rig.client.ecardStatus(jti))).code).toBe('BACKEND_BAD_RESPONSE');
    rig.backend.faults.clear();
    rig.backend.faults.set({ timeoutOn: 'ecardStatus' });
    expect((await backendError(rig.client.ecardStatus(jti))).code).toBe('BACKEND_TIMEOUT');
  });
});

describe('ecardStatus client: answers are validated', () => {
  it('turns a malformed or contradictory answer into BACKEND_BAD_RESPONSE', async () => {
    const bodies = [
      '{"status":"valid"}', // a known code without its holder
      '{"status":"unknown","ssn":"110101195001011234"}', // unknown yet with a holder
      '{"status":"active","cardStatus":"normal","ssn":"110101195001011234","name":"张三"}',
      '{"status":"valid","cardStatus":"stolen","ssn":"110101195001011234","name":"张三"}',
      '{"status":"valid","cardStatus":"normal","ssn":"11010119500101123","name":"张三"}',
      '{"status":"val',
    ];
    let i = 0;
    const fake = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(bodies[i++]);
    });
    const c = createBackendClient({ baseUrl: fake.url, timeoutMs: 1000, retries: 0, clock: new RecordingClock(), logger: silentLogger });
    try {
      for (const body of bodies) {
        const err = await backendError(c.ecardStatus('0123456789abcdef'));
        expect(err.code, body).toBe('BACKEND_BAD_RESPONSE');
        expect(err.op).toBe('ecardStatus');
      }
      expect(fake.hits[0]).toBe('GET /v1/ecard/0123456789abcdef/status');
    } finally {
      c.close();
      await fake.close();
    }
  });
});
