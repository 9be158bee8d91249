/**
 * A citizen prints a contributions statement on the real host (simulated devices): card and PIN,
 * the contributions table, print, the receipt's picture from the sim API with its QR code scanned
 * back to the verification code the kiosk shows, then the receipt taken from the /sim panel.
 * Waits only on data-* hooks (no sleeps) with generous timeouts: a 2-core CI box renders the
 * receipt in a second headless Chromium while this one drives the kiosk.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimPanelState } from '../../kiosk/server/sim-protocol.js';
import { artifactsDir, hasChromium, kioskPage, launch, screenshot } from './helpers/browser.js';
import { touch, waitForScreen } from './helpers/kiosk.js';
import { ensureUiBuilt, repoRoot } from './helpers/ui-build.js';

/** The contract this test relies on (kiosk/host.ts, owned by the host's author). */
interface StartedHost {
  url: string | undefined;
  stop(): Promise<void>;
}
type StartHost = (opts: { sim: true; port?: number; dataDir?: string }) => Promise<StartedHost>;

const hasHost = existsSync(path.join(repoRoot, 'kiosk', 'host.ts'));
if (!hasHost) console.warn('[e2e] skipping print-statement: kiosk/host.ts does not exist yet');

// jsqr is CommonJS with an ESM-style d.ts: under NodeNext its default import is typed as the module
// namespace. The function carries itself as `.default` too, so this is right for types and runtime.
const jsQR = jsQRModule.default;

const SLOW = { timeout: 60_000 };
/** The demo card's PIN (test/fixtures/cards/valid.json). */
const PIN = '123456';

/**
 * Finds the QR code on a receipt picture. The receipt is 576 px wide and a few thousand tall; jsQR
 * locates a symbol best when it is a fair part of the picture, so after the whole picture it tries
 * overlapping bands from the bottom (the code is in the footer).
 */
function scanQr(png: PNG): string | undefined {
  const whole = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (whole) return whole.data;
  const band = 600;
  for (let y = Math.max(0, png.height - band); ; y = Math.max(0, y - band / 2)) {
    const h = Math.min(band, png.height - y);
    const crop = new PNG({ width: png.width, height: h });
    PNG.bitblt(png, crop, 0, y, png.width, h, 0, 0);
    const found = jsQR(new Uint8ClampedArray(crop.data), crop.width, crop.height);
    if (found) return found.data;
    if (y === 0) return undefined;
  }
}

describe.skipIf(!hasChromium || !hasHost)('citizen prints a contributions statement (real host, simulated devices)', () => {
  let host: StartedHost;
  let url: string;
  let browser: Browser;
  let kiosk: Page;
  let sim: Page;
  let errors: string[];
  let dataDir: string;
  let code: string;

  const api = (route: string, init?: RequestInit) => fetch(`${url}/sim/api/${route}`, init);
  const post = (route: string, body: unknown) =>
    api(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const simState = async () => SimPanelState.parse(await (await api('state')).json());

  beforeAll(async () => {
    await ensureUiBuilt();
    process.env.LOG_LEVEL ??= 'warn';
    dataDir = mkdtempSync(path.join(tmpdir(), 'ykt-e2e-print-'));
    const { startHost } = (await import('../../kiosk/host.js')) as { startHost: StartHost };
    host = await startHost({ sim: true, port: 0, dataDir });
    if (!host.url) throw new Error('startHost returned no url: the UI server did not start');
    url = host.url;
    browser = await launch();
    ({ page: kiosk, errors } = await kioskPage(browser));
    sim = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await kiosk.goto(url);
    await sim.goto(`${url}/sim?kiosk=0`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the printer in the sim panel; no receipt picture before anything is printed', async () => {
    await waitForScreen(kiosk, 'idle', SLOW);
    await sim.locator('[data-sim="printer"][data-paper="ok"][data-cover="closed"][data-receipt="none"]').waitFor(SLOW);
    await sim.locator('[data-sim="receipt-none"]').waitFor();
    const st = await simState();
    expect(st.printer).toMatchObject({ paper: 'ok', coverOpen: false, jammed: false, receiptWaiting: false, documents: 0 });
    expect(st.printer?.last).toBeUndefined();

    const png = await api('receipt.png');
    expect(png.status).toBe(404);
    expect(png.headers.get('content-type')).toMatch(/application\/json/);
    expect(await png.json()).toEqual({ ok: false, message: expect.stringMatching(/nothing printed/) });

    const none = await post('take-receipt', {});
    expect(none.status).toBe(409);
    expect(await none.json()).toMatchObject({ ok: false, message: expect.stringMatching(/no receipt/) });
    const bad = await post('take-receipt', { receipt: 1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()) as { message: string }).toMatchObject({ ok: false, message: expect.stringMatching(/receipt/) });
    expect((await api('take-receipt')).status).toBe(405);
  });

  it('reads the card and the PIN', async () => {
    await sim.locator('[data-card="valid"] input').check();
    await sim.click('#sim-insert');
    await waitForScreen(kiosk, 'pin', SLOW);
    for (const keys of [PIN, 'enter']) expect((await post('keys', { keys })).status).toBe(200);
    await waitForScreen(kiosk, 'menu', { text: '张三', ...SLOW });
  });

  it('shows the contributions table, switches to 医疗保险, and fits the stage', async () => {
    await touch(kiosk, 'query-contributions');
    await waitForScreen(kiosk, 'contributions', SLOW);
    const table = kiosk.locator('[data-table="contributions"]');
    await table.locator('tbody tr').first().waitFor(SLOW);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await kiosk.locator('[data-control="tab-pension"][aria-selected="true"]').waitFor();

    await touch(kiosk, 'tab-medical');
    await kiosk.locator('[data-control="tab-medical"][aria-selected="true"]').waitFor(SLOW);
    await table.locator('.table-title', { hasText: '医疗保险' }).waitFor(SLOW);
    expect(await kiosk.locator('[data-control="tab-pension"]').getAttribute('aria-selected')).toBe('false');
    await screenshot(kiosk, 'print-contributions');
    await expectReadable(kiosk);

    // A 1280×800 stage (a common kiosk panel) must still show the title, rows and every action.
    await kiosk.setViewportSize({ width: 1280, height: 800 });
    await expectReadable(kiosk);
    await screenshot(kiosk, 'print-contributions-1280x800');
    await kiosk.setViewportSize({ width: 1280, height: 1024 });
  });

  it('prints the statement; the receipt QR code is the verification code on the screen', async () => {
    await touch(kiosk, 'print-statement');
    await waitForScreen(kiosk, 'take-receipt', SLOW);
    const screenText = (await kiosk.locator('[data-screen="take-receipt"]').textContent()) ?? '';
    const shown = /验证码：([0-9A-Z]{4}(?:-[0-9A-Z]{4})+)/.exec(screenText);
    expect(shown, `no 验证码 on the take-receipt screen: ${screenText}`).not.toBeNull();
    code = shown![1]!;
    await screenshot(kiosk, 'print-take-receipt');

    const st = await simState();
    expect(st.printer).toMatchObject({ receiptWaiting: true, documents: 1 });
    expect(st.printer?.last).toMatchObject({ printing: false, truncated: false, cut: true, qr: [code] });
    expect(st.printer?.last?.text).toContain(code);

    const res = await api('receipt.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${st.printer?.last?.id}"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(path.join(artifactsDir, 'print-statement-receipt.png'), bytes);
    const png = PNG.sync.read(bytes);
    expect(png.width).toBe(576);
    expect(scanQr(png)).toBe(code);

    // The same document is rendered once: a revalidation is a 304, a plain GET the same picture.
    const again = await api('receipt.png', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const third = await api('receipt.png');
    expect(third.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await third.arrayBuffer()).equals(bytes)).toBe(true);
  }, 120_000);

  it('shows the receipt in the sim panel and goes back to the menu once it is taken', async () => {
    const printer = sim.locator('[data-sim="printer"][data-receipt="waiting"]');
    await printer.waitFor(SLOW);
    await sim.locator(`img[data-sim="receipt"][data-doc]`).waitFor(SLOW);
    await sim.locator('.sim-receipt[data-state="ok"]').waitFor(SLOW);
    expect(await sim.locator('[data-sim="receipt-text"]').textContent()).toContain(code);
    await printer.screenshot({ path: path.join(artifactsDir, 'print-sim-printer.png') });
    await sim.locator('[data-sim="receipt-card"]').screenshot({ path: path.join(artifactsDir, 'print-sim-receipt.png') });

    await sim.click('#sim-take-receipt');
    await waitForScreen(kiosk, 'menu', SLOW);
    await sim.locator('[data-sim="printer"][data-receipt="none"]').waitFor(SLOW);
    expect((await simState()).printer?.receiptWaiting).toBe(false);
  });

  it('logged no errors in the kiosk page', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * What an elderly citizen needs from a dense screen: the title, some table rows and every action
 * button on the stage without scrolling the page, at readable sizes.
 */
async function expectReadable(page: Page): Promise<void> {
  const vp = page.viewportSize()!;
  const stage = (await page.locator('.stage').boundingBox())!;
  const title = (await page.locator('#screen-title').boundingBox())!;
  expect(title.y).toBeGreaterThanOrEqual(stage.y);
  const rows = (await page.locator('[data-table="contributions"] .table-wrap').boundingBox())!;
  expect(rows.height, 'table area too short').toBeGreaterThanOrEqual(150);
  for (const id of ['print-statement', 'print-proof', 'back', 'finish']) {
    const box = (await page.locator(`[data-control="${id}"]`).boundingBox())!;
    expect(box.y + box.height, `${id} below the stage`).toBeLessThanOrEqual(vp.height);
    expect(box.height).toBeGreaterThanOrEqual(60);
    expect(box.width).toBeGreaterThanOrEqual(60);
  }
  const px = (sel: string) => page.locator(sel).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(await px('#screen-title')).toBeGreaterThanOrEqual(40);
  expect(await px('[data-table="contributions"] td')).toBeGreaterThanOrEqual(24);
  expect(await px('[data-field] dd')).toBeGreaterThanOrEqual(24);
}
