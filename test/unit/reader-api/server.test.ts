/**
 * The HTTP face of the reader API: loopback only, bearer tokens, HTTP 200 for every function result,
 * 4xx for protocol errors, masked logs. The card side is the simulated world (world.ts).
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../../drivers/common/log.js';
import type { CardAccess } from '../../../kiosk/reader-api/functions.js';
import { createReaderApiServer, type ReaderApiServer, type ReaderApiServerOptions } from '../../../kiosk/reader-api/server.js';
import { DEVICE_ID, TERMINAL_ID, setupWorld, until, type World } from './world.js';

const HIS = 'his-token-0123456789abcdef0123456789abcdef';
const LAB = 'lab-token-0123456789abcdef0123456789abcdef';
const VALID_BAS =
  '110101|110101195001011234|A12345678|110101D15600000500101123|张三|594B542D5353432D32|2.00|20241231|20341231|YKT-SIM-0001|RDR-SIM-0001|';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  body: { code: number; output?: string; message: string; triesLeft?: number };
}

function call(base: string, path: string, opts: { token?: string; body?: string; method?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const req = request(`${base}${path}`, { method: opts.method ?? 'POST', headers, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

const fn = (name: string, iType?: number) => ({ path: `/v1/reader/${name}`, body: iType === undefined ? '{}' : JSON.stringify({ iType }) });

let world: World | undefined;
let server: ReaderApiServer | undefined;
afterEach(async () => {
  await server?.close();
  await world?.close();
  server = undefined;
  world = undefined;
});

async function start(extra: Partial<ReaderApiServerOptions> = {}): Promise<{ w: World; s: ReaderApiServer }> {
  world = await setupWorld();
  server = await createReaderApiServer({
    port: 0,
    tokens: { his: HIS, lab: LAB },
    access: world.access,
    logger: silentLogger,
    terminalId: TERMINAL_ID,
    deviceId: DEVICE_ID,
    ...extra,
  });
  return { w: world, s: server };
}

async function post(s: ReaderApiServer, name: string, iType?: number, token = HIS, headers?: Record<string, string>): Promise<Answer> {
  const f = fn(name, iType);
  return call(s.url, f.path, { token, body: f.body, headers });
}

describe('binding', () => {
  it('refuses to listen beyond loopback', async () => {
    const base = { port: 0, tokens: { his: HIS }, access: {} as CardAccess, logger: silentLogger, terminalId: 'T', deviceId: 'D' };
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'localhost']) {
      await expect(createReaderApiServer({ ...base, host })).rejects.toMatchObject({ code: 'READER_API_NOT_LOOPBACK' });
    }
  });

  it('listens on 127.0.0.1 by default', async () => {
    const { s } = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('functions over HTTP', () => {
  it('iReadCardBas: 200 and the DLL’s output text, byte for byte', async () => {
    const { w, s } = await start();
    await w.insert('valid');
    const a = await post(s, 'iReadCardBas', 1);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.body).toEqual({ code: 0, output: VALID_BAS, message: 'ok (成功)' });
    expect(a.raw.includes(Buffer.from(VALID_BAS, 'utf8'))).toBe(true);
  });

  it('function failures are HTTP 200 with the code: no card, bank-only card, bad iType', async () => {
    const { w, s } = await start();
    expect((await post(s, 'iReadCardBas', 3)).body).toEqual({ code: -2, message: 'no card (无卡)' });
    await w.insert('bank-only');
    const a = await post(s, 'iReadCardBas', 1);
    expect([a.status, a.body.code]).toEqual([200, -1]);
    const b = await post(s, 'iReadCardBas', 9);
    expect([b.status, b.body.code]).toEqual([200, -14]);
  });

  it('busy: the kiosk holds the reader → 200 with -90', async () => {
    const { w, s } = await start();
    const release = w.arbiter.tryAcquire({ kind: 'kiosk' });
    const a = await post(s, 'iGetCardType');
    expect([a.status, a.body.code]).toEqual([200, -90]);
    release();
    expect((await post(s, 'iGetCardType')).body.code).toBe(-2);
  });

  it('iGetCardType and iGetReaderInfo', async () => {
    const { w, s } = await start();
    w.tap('valid-gen3');
    expect((await post(s, 'iGetCardType')).body).toEqual({ code: 0, output: '2', message: 'ok (成功)' });
    expect((await post(s, 'iGetReaderInfo')).body).toEqual({ code: 0, output: 'RDR-SIM-0001|YKT-SIM-0001|', message: 'ok (成功)' });
  });

  it('iVerifyPIN: the citizen types on the pad, the caller gets the outcome only', async () => {
    const { w, s } = await start();
    await w.insert('valid');
    const right = post(s, 'iVerifyPIN', 1);
    await w.typeWhenAsked('123456');
    expect((await right).body).toEqual({ code: 0, message: 'ok (成功)' });
    const wrong = post(s, 'iVerifyPIN', 1);
    await w.typeWhenAsked('000111');
    expect((await wrong).body).toEqual({ code: -51, message: 'wrong PIN (密码错误): 2 tries left (剩余2次)', triesLeft: 2 });
  });

  it('a caller that hangs up during the PIN entry stops the pad; no try is spent', async () => {
    const { w, s } = await start();
    await w.insert('valid');
    const ac = new AbortController();
    const f = fn('iVerifyPIN', 1);
    const pending = call(s.url, f.path, { token: HIS, body: f.body, signal: ac.signal }).catch((e: Error) => e.name);
    await until(() => w.world.pinpad.entry.phase === 'active');
    w.world.keys('12');
    ac.abort();
    expect(await pending).toBe('AbortError');
    await until(() => w.world.pinpad.entry.phase === 'idle' && w.arbiter.holder === undefined);
    expect(w.triesLeft('valid')).toBe(3);
  });
});

describe('protocol errors', () => {
  it('401 without a token or with a wrong one; each client’s own token works', async () => {
    const { s } = await start();
    const none = await call(s.url, '/v1/reader/iGetCardType', { body: '{}' });
    expect([none.status, none.body.code]).toEqual([401, -14]);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="reader-api"');
    expect((await post(s, 'iGetCardType', undefined, `${HIS}x`)).status).toBe(401);
    expect((await post(s, 'iGetCardType', undefined, 'Basic')).status).toBe(401);
    expect((await post(s, 'iGetCardType', undefined, LAB)).status).toBe(200);
  });

  it('401 comes before anything else is revealed, even for an unknown function', async () => {
    const { s } = await start();
    expect((await post(s, 'iNoSuchThing', 1, 'wrong-token-wrong-token')).status).toBe(401);
  });

  it('unknown function → 404 with -13; a spec function not offered → 200 with -13', async () => {
    const { s } = await start();
    const a = await post(s, 'iNoSuchThing', 1);
    expect([a.status, a.body.code]).toEqual([404, -13]);
    const b = await post(s, 'iReloadPIN', 1);
    expect([b.status, b.body.code]).toEqual([200, -13]);
    const c = await call(s.url, '/v2/other', { token: HIS, body: '{}' });
    expect([c.status, c.body.code]).toEqual([404, -13]);
    const d = await call(s.url, '/v1/reader/iGetCardType', { token: HIS, method: 'GET' });
    expect([d.status, d.headers.allow]).toEqual([405, 'POST']);
  });

  it('the body carries iType only: a PIN field is refused with the reason, bad JSON is 400', async () => {
    const { w, s } = await start();
    await w.insert('valid');
    const pin = await call(s.url, '/v1/reader/iVerifyPIN', { token: HIS, body: '{"iType":1,"pin":"123456"}' });
    expect([pin.status, pin.body.code]).toEqual([400, -14]);
    expect(pin.body.message).toMatch(/PIN never crosses this API/);
    expect(w.world.pinpad.entry.phase).toBe('idle');
    for (const body of ['{', '[1]', '"x"', '{"iType":1.5}', '{"iType":1,"x":2}']) {
      const a = await call(s.url, '/v1/reader/iReadCardBas', { token: HIS, body });
      expect([a.status, a.body.code], body).toEqual([400, -14]);
    }
    const big = await call(s.url, '/v1/reader/iReadCardBas', { token: HIS, body: JSON.stringify({ iType: 1, pad: 'x'.repeat(2000) }) });
    expect(big.status).toBe(413);
  });

  it('one call per client at a time (429); another client gets -90 from the arbiter', async () => {
    const { w, s } = await start();
    await w.insert('valid');
    const verify = post(s, 'iVerifyPIN', 1);
    await until(() => w.world.pinpad.entry.phase === 'active');
    const again = await post(s, 'iReadCardBas', 1);
    expect([again.status, again.body.code]).toEqual([429, -90]);
    const other = await post(s, 'iReadCardBas', 1, LAB);
    expect([other.status, other.body.code]).toEqual([200, -90]);
    await w.typeWhenAsked('123456');
    expect((await verify).body.code).toBe(0);
  });

  it('rate limit per client: 429 with Retry-After once the budget is spent', async () => {
    const { s } = await start({ maxRequestsPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(s, 'iGetCardType')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await post(s, 'iGetCardType', undefined, LAB)).status).toBe(200);
  });

  it('browsers: a foreign Origin is refused; a configured one gets CORS', async () => {
    const { s } = await start({ allowedOrigins: ['http://his.hospital.local'] });
    const evil = await post(s, 'iGetCardType', undefined, HIS, { Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const pre = await call(s.url, '/v1/reader/iGetCardType', { method: 'OPTIONS', headers: { Origin: 'http://his.hospital.local' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://his.hospital.local');
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const ok = await post(s, 'iGetCardType', undefined, HIS, { Origin: 'http://his.hospital.local' });
    expect([ok.status, ok.headers['access-control-allow-origin']]).toEqual([200, 'http://his.hospital.local']);
  });
});

describe('logs', () => {
  it('mask the ssn and the name, never carry a token, the output or a PIN', async () => {
    const lines: string[] = [];
    world = await setupWorld();
    server = await createReaderApiServer({
      port: 0,
      tokens: { his: HIS, lab: LAB },
      access: world.access,
      logger: createLogger('test', 'debug', (l) => lines.push(l)),
      terminalId: TERMINAL_ID,
      deviceId: DEVICE_ID,
    });
    await world.insert('valid');
    await post(server, 'iReadCardBas', 1);
    const verify = post(server, 'iVerifyPIN', 1);
    await world.typeWhenAsked('123456');
    await verify;
    await post(server, 'iReadCardBas', 1, 'not-a-valid-token-at-all');
    const log = lines.join("");
    expect(log).toContain('110101********1234');
    expect(log).toContain('"holderName":"张*"');
    expect(log).toContain('"client":"his"');
    for (const secret of ['110101195001011234', '张三', HIS, LAB, 'not-a-valid-token-at-all', VALID_BAS, '123456']) {
      expect(log, secret).not.toContain(secret);
    }
  });
});
