import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../drivers/common/log.js';
import { createUiServer, type UiServer } from '../../kiosk/server/index.js';
import { hasChromium, kioskPage, launch, screenshot } from './helpers/browser.js';
import { FakeHub, FakeSim, idleView, menuView, readingView } from './helpers/fake-hub.js';
import { touch } from './helpers/kiosk.js';
import { ensureUiBuilt, uiDist } from './helpers/ui-build.js';

describe.skipIf(!hasChromium)('kiosk UI in Chromium (fake hub)', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const hub = new FakeHub();
  const sim = new FakeSim();

  beforeAll(async () => {
    await ensureUiBuilt();
    server = await createUiServer({ port: 0, staticDir: uiDist, logger: silentLogger, hub, sim });
    browser = await launch();
    ({ page, errors } = await kioskPage(browser));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the idle screen from the first snapshot', async () => {
    const root = page.locator('[data-screen="idle"]');
    await root.waitFor();
    await expect(root.locator('h1').textContent()).resolves.toBe('请插入社会保障卡');
    await expect(page.locator('[data-control="elderly-mode"]').textContent()).resolves.toContain('长辈模式');
    expect(await page.locator('ykt-kiosk').getAttribute('data-link')).toBe('open');
    expect(await page.locator('.terminal-id').textContent()).toContain('YKT-0001');
    await screenshot(page, 'ui-idle');
  });

  it('renders holder fields, controls, a disabled note and a countdown on the menu', async () => {
    hub.show(menuView(Date.now() + 45_000), { card: 'inside' });
    const root = page.locator('[data-screen="menu"]');
    await root.waitFor();
    expect(await root.locator('h1').textContent()).toBe('张三，您好');
    expect(await page.locator('[data-field="name"] dd').textContent()).toBe('张三');
    expect(await page.locator('[data-field="ssn"] dd').textContent()).toBe('110101********1234');
    const ids = await page.locator('[data-control]').evaluateAll((els) => els.map((e) => e.getAttribute('data-control')));
    expect(ids).toEqual(['query-contributions', 'print-statement', 'pay-premiums', 'finish']);
    const print = page.locator('#ctl-print-statement');
    expect(await print.isDisabled()).toBe(true);
    expect(await print.textContent()).toContain('打印机缺纸');
    const secs = Number(await page.locator('.countdown-text').getAttribute('data-seconds'));
    expect(secs).toBeGreaterThan(40);
    expect(secs).toBeLessThanOrEqual(45);
    // Touch targets: age-friendly minimum 60×60.
    for (const id of ids) {
      const box = await page.locator(`#ctl-${id}`).boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(60);
      expect(box!.height).toBeGreaterThanOrEqual(60);
    }
    // The live region announces the new title.
    await page.waitForFunction(() => document.querySelector('[aria-live][aria-atomic="true"]')?.textContent === '张三，您好');
    await screenshot(page, 'ui-menu');
  });

  it('sends a touch intent when a button is clicked', async () => {
    await touch(page, 'finish');
    const i = await hub.nextIntent((x) => x.type === 'touch');
    expect(i).toEqual({ type: 'touch', control: 'finish' });
    // Disabled controls send nothing.
    await page.locator('#ctl-print-statement').click({ force: true });
    await page.waitForTimeout(200);
    expect(hub.intents.filter((x) => x.type === 'touch')).toHaveLength(1);
  });

  it('is keyboard usable', async () => {
    hub.show(idleView());
    await page.locator('[data-screen="idle"]').waitFor();
    await page.waitForFunction(() => document.querySelector('ykt-kiosk')?.getAttribute('data-input') === 'ready');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-control'))).toBe('elderly-mode');
    await page.keyboard.press('Enter');
    await hub.nextIntent((x) => x.type === 'touch' && x.control === 'elderly-mode');
  });

  it('shows progress', async () => {
    hub.show(readingView(0.4), { card: 'inside' });
    const bar = page.locator('[data-screen="reading"] [role="progressbar"]');
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe('40');
    await screenshot(page, 'ui-reading');
  });

  it('shows the connecting state while the host is away and recovers', async () => {
    const port = new URL(server.url).port;
    await server.close();
    await page.locator('[data-screen-overlay="connecting"]').waitFor();
    expect(await page.locator('ykt-kiosk').getAttribute('data-link')).not.toBe('open');
    await screenshot(page, 'ui-connecting');
    hub.show(menuView());
    server = await createUiServer({ port: Number(port), staticDir: uiDist, logger: silentLogger, hub, sim });
    await page.locator('[data-screen="menu"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-screen-overlay="connecting"]').waitFor({ state: 'detached' });
  });

  it('renders the simulator panel and drives the sim API', async () => {
    const p = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await p.goto(`${server.url}/sim`);
    await p.locator('[data-card="valid"]').waitFor();
    expect(await p.locator('[data-device="printer"]').getAttribute('data-status')).toBe('paper-out');
    await p.click('#sim-insert');
    await p.locator('[data-sim="log"] li').first().waitFor();
    expect(sim.calls).toContain('insert:valid');
    await p.click('#sim-fault-garble');
    await expect.poll(() => sim.calls).toContain('fault:reader:garble');
    await p.click('#sim-take');
    await expect.poll(() => p.locator('[data-sim="log"] li').first().textContent()).toContain('no card at the gate');
    await screenshot(p, 'ui-sim-panel');
    await p.close();
  });

  it('logged no errors in the page', () => {
    // The reconnect test provokes failed socket attempts; those are expected browser noise.
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });
});
