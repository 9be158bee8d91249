import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../drivers/common/log.js';
import { startHost, type Host } from '../../kiosk/host.js';

const TOKEN = 'his-test-token-0123456789abcdef0123456789';

/** The reader API inside the real kiosk host: shares the reader with the citizen's visit. */
describe('reader API in the kiosk host', () => {
  let host: Host;
  let dataDir: string;
  const call = async (fn: string, body: Record<string, unknown> = { iType: 3 }) => {
    const r = await fetch(`${host.readerApiUrl}/v1/reader/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    return (await r.json()) as { code: number; output?: string; message: string };
  };
  const until = async (pred: () => boolean, ms = 10_000) => {
    const t = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > t) throw new Error(`timed out on ${host.snapshot().view.screen}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ykt-rapi-'));
    host = await startHost({
      sim: true,
      headless: true,
      dataDir,
      logger: silentLogger,
      config: { readerApi: { enabled: true, port: 0, tokens: { his: TOKEN } }, sim: { readerDelays: { motor: 0, powerOn: 0, apdu: 0 } } },
    });
    await until(() => host.snapshot().view.screen === 'idle' && host.snapshot().devices.reader === 'ok');
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers while the kiosk is idle: reader info, and no card', async () => {
    expect(host.readerApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call('iGetReaderInfo', {})).code).toBe(0);
    expect((await call('iReadCardBas', { iType: 1 })).code).toBe(-2);
  });

  it('refuses with the busy code while a citizen visit holds the reader, and serves again after it', async () => {
    expect(host.world!.insert('valid').ok).toBe(true);
    await until(() => host.snapshot().view.screen === 'pin');
    const busy = await call('iReadCardBas', { iType: 1 });
    expect(busy.code).toBe(-90);
    host.touch('finish');
    await until(() => host.snapshot().card === 'at-gate');
    host.world!.take();
    await until(() => host.snapshot().view.screen === 'idle');
    await until(() => !host.busy());
    expect((await call('iReadCardBas', { iType: 1 })).code).toBe(-2);
  });

  it('refuses a caller without the token', async () => {
    const r = await fetch(`${host.readerApiUrl}/v1/reader/iGetReaderInfo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
  });
});
