/**
 * The statement as paper: encoded, printed by the simulator, rendered to PNG in headless Chromium,
 * and the QR code scanned back out of the picture. Needs Debian's chromium (/usr/bin/chromium or
 * CHROMIUM_PATH) and the Noto CJK fonts; without Chromium the test is skipped with a message.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { encodeReceipt } from '../../../drivers/printer/escpos.js';
import type { DecodedBlock } from '../../../drivers/printer/decoder.js';
import { blockDots } from '../../../drivers/printer/sim/paper-roll.js';
import { PrinterSimulator } from '../../../drivers/printer/sim/printer-sim.js';
import { DEFAULT_CHROMIUM, chromiumAvailable } from '../../../drivers/printer/sim/render.js';
import type { Statement } from '../../../kiosk/backend/interface.js';
import { SAMPLE_VERIFY_URL_BASE, sampleStatement, statementQrPayload, statementReceipt, type PrintLang } from '../../../kiosk/print/index.js';

const artifacts = path.resolve('test-artifacts');
/** #receipt's vertical padding in render.ts, and the cut mark (2 px border + 4 px margin). */
const PAD = 16;
const CUT_MARK = 6;

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[print] skipping statement PNG + QR scan tests: no Chromium at ${DEFAULT_CHROMIUM} (set CHROMIUM_PATH)`);

async function printAndScan(st: Statement, lang: PrintLang, verifyUrlBase: string | undefined, name: string) {
  const sim = new PrinterSimulator({ clock: new VirtualClock() });
  sim.connect(() => undefined);
  sim.receive(encodeReceipt(statementReceipt(st, { lang, ...(verifyUrlBase ? { verifyUrlBase } : {}) })));
  const doc = sim.last!;
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  const r = await sim.renderLastPng(file);
  const png = PNG.sync.read(readFileSync(file));

  // Where the symbol is on the paper, from the same per-block paper lengths the roll model charges.
  const qrIndex = doc.blocks.findIndex((b) => b.kind === 'qr');
  const qr = doc.blocks[qrIndex] as Extract<DecodedBlock, { kind: 'qr' }>;
  const top = PAD + doc.blocks.slice(0, qrIndex).reduce((n, b) => n + blockDots(b), 0);
  const side = blockDots(qr);
  // Crop to the symbol with a margin: the rest of the receipt is text a QR locator need not wade through.
  const y0 = Math.max(0, top - 40);
  const h = Math.min(png.height - y0, side + 80);
  const crop = new PNG({ width: png.width, height: h });
  PNG.bitblt(png, crop, 0, y0, png.width, h, 0, 0);
  const found = jsQR(new Uint8ClampedArray(crop.data), crop.width, crop.height);
  const totalDots = doc.blocks.reduce((n, b) => n + blockDots(b), 0);
  return { r, png, found, totalDots, file };
}

describe.skipIf(!hasChromium)('statement PNG: the QR code scans back to its payload', () => {
  it('zh detail with a verification URL', async () => {
    const st = sampleStatement('detail');
    const { r, png, found, totalDots } = await printAndScan(st, 'zh', SAMPLE_VERIFY_URL_BASE, 'statement-detail-zh.png');
    expect(png.width).toBe(576);
    // The picture is as long as the paper: every block at its dots, plus the page padding and cut mark.
    expect(png.height).toBe(r.height);
    expect(r.height).toBe(2 * PAD + totalDots + CUT_MARK);
    expect(found?.data).toBe(statementQrPayload(st, SAMPLE_VERIFY_URL_BASE));
    expect(found?.data).toBe('https://ykt.example/verify/K7QF-3M9X-T2PV-8HJD');
  }, 60_000);

  it('en proof with the bare code', async () => {
    const st = sampleStatement('proof');
    const { found } = await printAndScan(st, 'en', undefined, 'statement-proof-en.png');
    expect(found?.data).toBe('K7QF-3M9X-T2PV-8HJD');
  }, 60_000);
});
