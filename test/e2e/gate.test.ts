import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Terminal } from '../../kiosk/terminal.js';
import { hasChromium, kioskPage, launch, screenshot } from './helpers/browser.js';
import { waitForScreen } from './helpers/kiosk.js';
import { ensureUiBuilt } from './helpers/ui-build.js';

/** The gate profile in Chromium: tap from the /sim panel, the gate opens, walk through; a bad code is refused. */
describe.skipIf(!hasChromium)('transit gate on the real host (simulated devices)', () => {
  let host: Terminal;
  let url: string;
  let browser: Browser;
  let screen: Page;
  let sim: Page;
  let errors: string[];
  let dataDir: string;

  beforeAll(async () => {
    await ensureUiBuilt();
    process.env.LOG_LEVEL ??= 'warn';
    dataDir = mkdtempSync(path.join(tmpdir(), 'ykt-e2e-gate-'));
    const { startTerminal } = await import('../../kiosk/terminal.js');
    host = await startTerminal({ sim: true, port: 0, dataDir, config: { profile: 'gate' } });
    if (!host.url) throw new Error('no UI url');
    url = host.url;
    browser = await launch();
    ({ page: screen, errors } = await kioskPage(browser));
    sim = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await screen.goto(url);
    await sim.goto(`${url}/sim?kiosk=0`);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens for a tapped third-generation card and closes after the passage', async () => {
    await waitForScreen(screen, 'idle');
    await sim.locator('[data-card="valid-gen3"] input').check();
    await sim.click('#sim-tap');
    await waitForScreen(screen, 'gate-open', { text: '请通行' });
    await expect.poll(() => sim.locator('[data-sim="gate"]').getAttribute('data-gate')).toBe('open');
    await screenshot(screen, 'gate-open');
    await screenshot(sim, 'gate-sim-panel');
    await sim.click('#sim-pass');
    await waitForScreen(screen, 'idle');
    await expect.poll(() => sim.locator('[data-sim="gate"]').getAttribute('data-gate')).toBe('closed');
  });

  it('refuses a tampered electronic card code with the reason', async () => {
    await sim.click('#sim-scan-tampered');
    await waitForScreen(screen, 'gate-denied', { text: '校验失败' });
    await screenshot(screen, 'gate-denied');
    expect(errors).toEqual([]);
  });
});
