import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../../drivers/common/log.js';
import { HostSnapshot } from '../../../flows/view/protocol.js';
import { createUiServer, type UiServer } from '../../../kiosk/server/index.js';
import { FakeHub, FakeSim, menuView } from '../../e2e/helpers/fake-hub.js';

/** A ws client that queues every message so tests can await them in order. */
class Client {
  readonly ws: WebSocket;
  private readonly queue: unknown[] = [];
  private waiting: ((m: unknown) => void) | undefined;

  constructor(url: string) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
    this.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as unknown;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(m);
      } else this.queue.push(m);
    });
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }
  next(timeoutMs = 2000): Promise<unknown> {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no message in time')), timeoutMs);
      this.waiting = (m) => (clearTimeout(t), resolve(m));
    });
  }
  close(): void {
    this.ws.close();
  }
}

let staticDir: string;

beforeAll(() => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'ykt-ui-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(path.join(staticDir, 'sim.html'), '<!doctype html><title>sim</title>');
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'assets', 'app-abc123.js'), 'export {}');
  writeFileSync(path.join(staticDir, 'assets', 'app-abc123.css'), 'body{}');
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

describe('UI server websocket', () => {
  let server: UiServer;
  let hub: FakeHub;
  const clients: Client[] = [];
  const connect = async (): Promise<Client> => {
    const c = new Client(server.url);
    clients.push(c);
    await c.opened();
    return c;
  };

  beforeAll(async () => {
    hub = new FakeHub();
    server = await createUiServer({ port: 0, staticDir, logger: silentLogger, hub });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => server.close());

  it('sends the current snapshot at once, then every new one', async () => {
    const c = await connect();
    const first = HostSnapshot.parse(await c.next());
    expect(first.view.screen).toBe('idle');
    hub.show(menuView());
    const second = HostSnapshot.parse(await c.next());
    expect(second.view.screen).toBe('menu');
    expect(second.seq).toBeGreaterThan(first.seq);
  });

  it('passes intents to the hub and answers hello with the current snapshot', async () => {
    const c = await connect();
    await c.next();
    c.ws.send(JSON.stringify({ type: 'touch', control: 'finish' }));
    expect(await hub.nextIntent((i) => i.type === 'touch')).toEqual({ type: 'touch', control: 'finish' });
    c.ws.send(JSON.stringify({ type: 'hello' }));
    expect(HostSnapshot.parse(await c.next()).type).toBe('snapshot');
  });

  it('answers malformed messages with an error and keeps the connection', async () => {
    const c = await connect();
    await c.next();
    const before = hub.intents.length;
    c.ws.send('not json');
    expect(await c.next()).toMatchObject({ type: 'error', message: expect.stringContaining('JSON') });
    c.ws.send(JSON.stringify({ type: 'touch', control: 'DROP TABLE' }));
    expect(await c.next()).toMatchObject({ type: 'error', message: expect.stringContaining('intent') });
    c.ws.send(JSON.stringify({ type: 'launch-missiles' }));
    expect(await c.next()).toMatchObject({ type: 'error' });
    expect(hub.intents.length).toBe(before);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    hub.show(menuView());
    expect(HostSnapshot.parse(await c.next()).view.screen).toBe('menu');
  });

  it('survives a hub that throws on an intent', async () => {
    const c = await connect();
    await c.next();
    const orig = hub.intent.bind(hub);
    hub.intent = () => {
      throw new Error('boom');
    };
    try {
      c.ws.send(JSON.stringify({ type: 'touch', control: 'finish' }));
      expect(await c.next()).toMatchObject({ type: 'error' });
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      hub.intent = orig;
    }
  });

  it('does not send a snapshot that breaks the contract', async () => {
    const c = await connect();
    await c.next();
    hub.show({ ...menuView(), screen: 'Not Kebab' });
    hub.show(menuView());
    expect(HostSnapshot.parse(await c.next()).view.screen).toBe('menu');
  });

  it('refuses upgrades on other paths and unsubscribes on close', async () => {
    const bad = new WebSocket(server.url.replace(/^http/, 'ws') + '/other');
    await expect(new Promise((resolve, reject) => (bad.once('open', resolve), bad.once('error', reject)))).rejects.toThrow();
    expect(hub.listenerCount).toBe(1); // one subscription for all clients
  });
});

describe('UI server http', () => {
  let withSim: UiServer;
  let noSim: UiServer;
  let sim: FakeSim;

  beforeAll(async () => {
    sim = new FakeSim();
    withSim = await createUiServer({ port: 0, staticDir, logger: silentLogger, hub: new FakeHub(), sim });
    noSim = await createUiServer({ port: 0, staticDir, logger: silentLogger, hub: new FakeHub() });
  });
  afterAll(async () => {
    await withSim.close();
    await noSim.close();
  });

  const post = (base: string, p: string, body: unknown) =>
    fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('serves index.html, assets with content types, and /healthz', async () => {
    const index = await fetch(withSim.url + '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const js = await fetch(withSim.url + '/assets/app-abc123.js');
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(withSim.url + '/assets/app-abc123.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect(await (await fetch(withSim.url + '/healthz')).json()).toMatchObject({ ok: true });
    expect((await fetch(withSim.url + '/nope.js')).status).toBe(404);
    expect((await fetch(withSim.url + '/..%2f..%2fetc%2fpasswd')).status).toBe(404);
  });

  it('serves /sim only with a sim, else 404 for the page and the API', async () => {
    const page = await fetch(withSim.url + '/sim');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>sim</title>');
    expect((await fetch(noSim.url + '/sim')).status).toBe(404);
    expect((await fetch(noSim.url + '/sim.html')).status).toBe(404);
    expect((await fetch(noSim.url + '/sim/api/state')).status).toBe(404);
    expect((await post(noSim.url, '/sim/api/insert', { card: 'valid' })).status).toBe(404);
  });

  it('answers the sim state and actions', async () => {
    const st = await (await fetch(withSim.url + '/sim/api/state')).json();
    expect(st).toMatchObject({ card: 'none', screen: 'idle', cards: [{ handle: 'valid' }, { handle: 'expired' }] });
    const ins = await post(withSim.url, '/sim/api/insert', { card: 'valid' });
    expect(ins.status).toBe(200);
    expect(await ins.json()).toEqual({ ok: true });
    const take = await post(withSim.url, '/sim/api/take', {});
    expect(take.status).toBe(409);
    expect(await take.json()).toEqual({ ok: false, message: 'no card at the gate' });
    expect((await post(withSim.url, '/sim/api/fault', { device: 'reader', kind: 'garble' })).status).toBe(200);
    expect(sim.calls).toEqual(['insert:valid', 'take', 'fault:reader:garble']);
  });

  it('rejects bad sim bodies with 400 and a clear message', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/sim/api/insert', {}, /card/],
      ['/sim/api/insert', { card: 42 }, /card/],
      ['/sim/api/insert', { card: 'valid', extra: 1 }, /extra|unrecognized/i],
      ['/sim/api/insert', '{"card":', /JSON/],
      ['/sim/api/fault', { device: 'reader' }, /kind/],
      ['/sim/api/fault', { device: '../x', kind: 'garble' }, /device/],
      ['/sim/api/take', { card: 'valid' }, /unrecognized|card/i],
    ];
    for (const [p, body, msg] of cases) {
      const r = await post(withSim.url, p, body);
      expect(r.status, `${p} ${JSON.stringify(body)}`).toBe(400);
      const j = (await r.json()) as { ok: boolean; message: string };
      expect(j.ok).toBe(false);
      expect(j.message).toMatch(msg);
    }
    expect((await fetch(withSim.url + '/sim/api/insert')).status).toBe(405);
    expect((await post(withSim.url, '/sim/api/bogus', {})).status).toBe(404);
    expect((await post(withSim.url, '/sim/api/insert', { card: 'x'.repeat(20_000) })).status).toBe(413);
  });

  it('answers 503 with build instructions when the UI is not built', async () => {
    const s = await createUiServer({ port: 0, staticDir: path.join(staticDir, 'missing'), logger: silentLogger, hub: new FakeHub() });
    try {
      const r = await fetch(s.url + '/');
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build');
    } finally {
      await s.close();
    }
  });

  it('reports a clear error when the port is taken', async () => {
    const port = Number(new URL(withSim.url).port);
    await expect(createUiServer({ port, staticDir, logger: silentLogger, hub: new FakeHub() })).rejects.toMatchObject({ code: 'UI_LISTEN_FAILED' });
  });
});
