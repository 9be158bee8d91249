import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, kioskPage, launch, screenshot } from './helpers/browser.js';
import { touch, waitForScreen } from './helpers/kiosk.js';
import { ensureUiBuilt, repoRoot } from './helpers/ui-build.js';

/** The contract this test relies on (kiosk/host.ts, owned by the host's author). */
interface StartedHost {
  url: string | undefined;
  stop(): Promise<void>;
}
type StartHost = (opts: { sim: true; port?: number; dataDir?: string }) => Promise<StartedHost>;

const hostFile = path.join(repoRoot, 'kiosk', 'host.ts');
const hasHost = existsSync(hostFile);
if (!hasHost) console.warn('[e2e] skipping card-read: kiosk/host.ts does not exist yet');

describe.skipIf(!hasChromium || !hasHost)('citizen reads a card on the real host (simulated devices)', () => {
  let host: StartedHost;
  let url: string;
  let browser: Browser;
  let kiosk: Page;
  let sim: Page;
  let errors: string[];
  let dataDir: string;

  beforeAll(async () => {
    await ensureUiBuilt();
    process.env.LOG_LEVEL ??= 'warn';
    dataDir = mkdtempSync(path.join(tmpdir(), 'ykt-e2e-'));
    const { startHost } = (await import('../../kiosk/host.js')) as { startHost: StartHost };
    host = await startHost({ sim: true, port: 0, dataDir });
    if (!host.url) throw new Error('startHost returned no url: the UI server did not start');
    url = host.url;
    browser = await launch();
    ({ page: kiosk, errors } = await kioskPage(browser));
    sim = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await kiosk.goto(url);
    await sim.goto(`${url}/sim?kiosk=0`);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts idle with no card', async () => {
    await waitForScreen(kiosk, 'idle');
    await sim.locator('[data-card="valid"]').waitFor();
    await expect.poll(() => sim.locator('[data-sim="card"]').getAttribute('data-place')).toBe('none');
    await screenshot(kiosk, 'host-idle');
  });

  it('shows the holder on the menu after the card is inserted from the sim panel', async () => {
    await sim.locator('[data-card="valid"] input').check();
    await sim.click('#sim-insert');
    await waitForScreen(kiosk, 'pin');
    for (const keys of ['123456', 'enter']) {
      const r = await fetch(`${url}/sim/api/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keys }) });
      expect(r.status).toBe(200);
    }
    await waitForScreen(kiosk, 'menu', { text: '张三' });
    await expect.poll(() => sim.locator('[data-sim="card"]').getAttribute('data-place')).toBe('inside');
    await screenshot(kiosk, 'host-menu');
    await screenshot(sim, 'host-sim-panel');
  });

  it('returns the card on finish and goes idle once it is taken', async () => {
    await touch(kiosk, 'finish');
    await waitForScreen(kiosk, 'take-card');
    await expect.poll(() => sim.locator('[data-sim="card"]').getAttribute('data-place')).toBe('at-gate');
    await screenshot(kiosk, 'host-take-card');
    await sim.click('#sim-take');
    await waitForScreen(kiosk, 'idle');
    const st = (await (await fetch(`${url}/sim/api/state`)).json()) as { card: string; screen: string };
    expect(st).toMatchObject({ card: 'none', screen: 'idle' });
    await screenshot(kiosk, 'host-idle-after');
  });

  it('logged no errors in the kiosk page', () => {
    expect(errors).toEqual([]);
  });
});
