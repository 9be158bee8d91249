/**
 * A patient registers at the hospital profile (`npm start -- --profile hospital`) on the real host
 * with simulated devices and the embedded HIS, in Debian's Chromium: card and PIN on the /sim panel,
 * 挂号 → department → slot → confirm (paid from the medical insurance account) → the slip printed;
 * the slip's picture is saved to test-artifacts/ and its QR code scanned back to the registration
 * id; the slip and the card are taken from the /sim panel. Waits on data-* hooks only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimPanelState } from '../../kiosk/server/sim-protocol.js';
import type { Terminal } from '../../kiosk/terminal.js';
import { artifactsDir, hasChromium, kioskPage, launch, screenshot } from './helpers/browser.js';
import { touch, waitForScreen } from './helpers/kiosk.js';
import { ensureUiBuilt } from './helpers/ui-build.js';

const jsQR = jsQRModule.default;
const SLOW = { timeout: 60_000 };
/** The demo card's PIN (test/fixtures/cards/valid.json). */
const PIN = '123456';

/** The QR code on a slip picture: the whole picture, then bands from the bottom (the code is near the end). */
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

describe.skipIf(!hasChromium)('a patient registers at the hospital machine (real host, simulated devices, embedded HIS)', () => {
  let host: Terminal;
  let url: string;
  let browser: Browser;
  let kiosk: Page;
  let sim: Page;
  let errors: string[];
  let dataDir: string;
  let queue: string;

  const api = (route: string, init?: RequestInit) => fetch(`${url}/sim/api/${route}`, init);
  const post = (route: string, body: unknown) =>
    api(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const simState = async () => SimPanelState.parse(await (await api('state')).json());
  const screenText = async (id: string) => (await kiosk.locator(`[data-screen="${id}"]`).textContent()) ?? '';

  beforeAll(async () => {
    await ensureUiBuilt();
    process.env.LOG_LEVEL ??= 'warn';
    dataDir = mkdtempSync(path.join(tmpdir(), 'ykt-e2e-hospital-'));
    const { startTerminal } = await import('../../kiosk/terminal.js');
    host = await startTerminal({ sim: true, port: 0, dataDir, config: { profile: 'hospital' } });
    if (!host.url) throw new Error('startTerminal returned no url: the UI server did not start');
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

  it('names the hospital on the idle screen; the card and the PIN are read', async () => {
    await waitForScreen(kiosk, 'idle', { text: '示例市第一人民医院 自助挂号', ...SLOW });
    await sim.locator('[data-card="valid"] input').check();
    await sim.click('#sim-insert');
    await waitForScreen(kiosk, 'pin', SLOW);
    for (const keys of [PIN, 'enter']) expect((await post('keys', { keys })).status).toBe(200);
    await waitForScreen(kiosk, 'menu', { text: '张三', ...SLOW });
    // 挂号 is the first service.
    const first = await kiosk.locator('nav.controls [data-control]').evaluateAll((els) => els.map((e) => e.getAttribute('data-control')));
    expect(first.filter((id) => id !== 'finish' && id !== 'language')[0]).toBe('register-visit');
    await screenshot(kiosk, 'hospital-menu');
  });

  it('chooses the department and the slot (one preselected, full ones shown as 已满)', async () => {
    await touch(kiosk, 'register-visit');
    await waitForScreen(kiosk, 'reg-department', { text: '内科', ...SLOW });
    await touch(kiosk, 'dept-surgery');
    await kiosk.locator('[data-control="dept-surgery"][aria-selected="true"]').waitFor(SLOW);
    await touch(kiosk, 'dept-internal');
    await kiosk.locator('[data-control="dept-internal"][aria-selected="true"]').waitFor(SLOW);
    await screenshot(kiosk, 'hospital-reg-department');
    await touch(kiosk, 'confirm');
    await waitForScreen(kiosk, 'reg-slot', SLOW);
    await kiosk.locator('[data-table="doctors"] tbody tr').first().waitFor(SLOW);
    expect(await screenText('reg-slot')).toContain('已满');
    await kiosk.locator('[data-control="day-0"][aria-selected="true"]').waitFor(SLOW);
    // The view offers every slot by doctor; one free slot is preselected and confirm takes it.
    const view = host.snapshot().view;
    const chosen = view.controls.find((c) => c.selected && c.id.startsWith('slot-'));
    expect(chosen?.disabled).toBeFalsy();
    expect(view.controls.some((c) => c.id.startsWith('slot-') && c.disabled && c.note === '已满')).toBe(true);
    expect(await screenText('reg-slot')).toContain('已选');
    await screenshot(kiosk, 'hospital-reg-slot');
  });

  it('confirms with the fee in large type and pays from the medical insurance account', async () => {
    await touch(kiosk, 'confirm');
    await waitForScreen(kiosk, 'reg-confirm', SLOW);
    const title = (await kiosk.locator('#screen-title').textContent()) ?? '';
    expect(title).toMatch(/^请确认挂号：¥\d+\.00$/);
    expect(await kiosk.locator('#screen-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    await kiosk.locator('[data-control="pay-medical"][aria-selected="true"]').waitFor(SLOW);
    expect(await screenText('reg-confirm')).toContain('医保个人账户');
    await screenshot(kiosk, 'hospital-reg-confirm');
    // What the patient checks before paying is on the stage without scrolling.
    for (const height of [1024]) {
      await kiosk.setViewportSize({ width: 1280, height });
      const panel = (await kiosk.locator('.panel').boundingBox())!;
      for (const id of ['doctor', 'time', 'location', 'fee']) {
        const box = (await kiosk.locator(`[data-field="${id}"]`).boundingBox())!;
        expect(box.y + box.height, `${id} hidden below the panel at 1280×${height}`).toBeLessThanOrEqual(panel.y + panel.height + 1);
      }
      for (const id of ['confirm', 'back', 'finish']) {
        const box = (await kiosk.locator(`[data-control="${id}"]`).boundingBox())!;
        expect(box.y + box.height, `${id} below the stage at 1280×${height}`).toBeLessThanOrEqual(height);
      }
    }
    await kiosk.setViewportSize({ width: 1280, height: 1024 });
    await touch(kiosk, 'confirm');
    await waitForScreen(kiosk, 'take-slip', { text: '就诊序号', ...SLOW });
    const m = /就诊序号 (\d+) 号/.exec(await screenText('take-slip'));
    expect(m).not.toBeNull();
    queue = m![1]!;
    await screenshot(kiosk, 'hospital-take-slip');
  }, 120_000);

  it('printed the slip: queue number, department, QR = the registration id; saved as PNG', async () => {
    const regs = host.world!.his!.registrations();
    expect(regs).toHaveLength(1);
    const reg = regs[0]!;
    expect(String(reg.queueNumber)).toBe(queue);
    const st = await simState();
    expect(st.printer).toMatchObject({ receiptWaiting: true, documents: 1 });
    expect(st.printer?.last).toMatchObject({ printing: false, truncated: false, cut: true, qr: [reg.regId] });
    expect(st.printer?.last?.text).toContain('挂号凭条');
    expect(st.printer?.last?.text).toContain('内科');
    expect(st.printer?.last?.text).toContain('医保个人账户');

    const res = await api('receipt.png');
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(path.join(artifactsDir, 'hospital-registration-slip.png'), bytes);
    const png = PNG.sync.read(bytes);
    expect(png.width).toBe(576);
    expect(scanQr(png)).toBe(reg.regId);
  }, 120_000);

  it('takes the slip and the card from the /sim panel', { timeout: 120_000 }, async () => {
    await sim.locator('[data-sim="printer"][data-receipt="waiting"]').waitFor(SLOW);
    await sim.click('#sim-take-receipt');
    await waitForScreen(kiosk, 'menu', { text: '补打挂号凭条', ...SLOW });
    await touch(kiosk, 'finish');
    await waitForScreen(kiosk, 'take-card', SLOW);
    await expect.poll(() => sim.locator('[data-sim="card"]').getAttribute('data-place'), SLOW).toBe('at-gate');
    await sim.click('#sim-take');
    await waitForScreen(kiosk, 'idle', SLOW);
    expect((await simState()).card).toBe('none');
    expect(host.world!.his!.registrations().filter((r) => r.status === 'registered')).toHaveLength(1);
  });

  it('logged no errors in the kiosk page', () => {
    expect(errors).toEqual([]);
  });
});
