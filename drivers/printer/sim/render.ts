/**
 * Renders a decoded document as the 80 mm receipt it would be: HTML at one CSS pixel per printer dot
 * (576 wide), then a PNG through headless Chromium (playwright-core). Only on request — never on the
 * print path: launching a browser costs a second or more.
 *
 * QR codes are drawn as the real symbol (the `qrcode` package), so a test can scan the PNG back.
 * This module is itself loaded lazily (printer-sim imports it only inside renderLastPng), which keeps
 * `qrcode` off the print path without a dynamic import here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { COLUMNS, DOTS_PER_LINE, textWidth, type QrEc } from '../escpos.js';
import type { DecodedBlock, DecodedDocument, TextSegment } from '../decoder.js';

/** An SVG of the symbol for `data` and its size in modules. */
export type QrSvgFn = (data: string, ec: QrEc) => { svg: string; modules: number };

export interface RenderOptions {
  /** Replaces the real symbol drawing (a test that wants a fixed picture). */
  qrSvg?: QrSvgFn;
}

const FONT = `'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', monospace`;
const HALF_WIDTH_DOTS = DOTS_PER_LINE / COLUMNS;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function segmentHtml(s: TextSegment): string {
  const fontPx = 24 * s.height;
  const weight = s.bold ? 700 : 400;
  if (s.width === s.height) {
    return `<span style="font-size:${fontPx}px;font-weight:${weight}">${esc(s.text)}</span>`;
  }
  // Unequal multipliers: lay out at the printed width, draw the glyphs stretched to fill it.
  const boxPx = textWidth(s.text) * HALF_WIDTH_DOTS * s.width;
  return (
    `<span style="display:inline-block;width:${boxPx}px;font-size:${fontPx}px;font-weight:${weight}">` +
    `<span style="display:inline-block;transform:scaleX(${s.width / s.height});transform-origin:left top">${esc(s.text)}</span></span>`
  );
}

function blockHtml(b: DecodedBlock, opts: RenderOptions): string {
  switch (b.kind) {
    case 'line': {
      const h = Math.max(1, ...b.segments.map((s) => s.height));
      const heightPx = Math.max(b.lineSpacing, 24 * h);
      const body = b.segments.map(segmentHtml).join('') || '&nbsp;';
      return `<div class="line" style="text-align:${b.align};height:${heightPx}px;line-height:${heightPx}px">${body}</div>`;
    }
    case 'feed':
      return `<div class="feed" style="height:${b.dots}px"></div>`;
    case 'qr': {
      // Sized from the symbol itself: one printer dot per CSS pixel, `size` dots per module.
      const { svg, modules } = (opts.qrSvg ?? qrSvg)(b.data, b.ec);
      const px = modules * b.size;
      return (
        `<div class="qr-row" style="text-align:${b.align}">` +
        `<div class="qr" data-qr="${esc(b.data)}" style="display:inline-block;width:${px}px;height:${px}px">${svg}</div></div>`
      );
    }
    case 'cut':
      return `<div class="feed" style="height:${b.feedDots}px"></div><div class="cut" title="${b.partial ? 'partial' : 'full'} cut"></div>`;
  }
}

/** A standalone HTML page whose #receipt element is the 576-dot-wide receipt. */
export function renderReceiptHtml(doc: DecodedDocument, opts: RenderOptions = {}): string {
  // Joined without whitespace: a newline between blocks inside `white-space: pre` would be an
  // extra anonymous line box and make the picture of the paper longer than the paper.
  const blocks = doc.blocks.map((b) => blockHtml(b, opts)).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>receipt</title>
<style>
  html, body { margin: 0; padding: 0; background: #888; }
  #receipt { width: ${DOTS_PER_LINE}px; background: #fff; color: #000; font-family: ${FONT}; padding: 16px 0;
    overflow: hidden; }
  .line { overflow: hidden; white-space: pre; }
  .qr-row { line-height: 0; font-size: 0; }
  .qr { vertical-align: top; }
  .qr svg { width: 100%; height: 100%; display: block; }
  .cut { border-top: 2px dashed #999; margin-top: 4px; }
</style></head>
<body><div id="receipt" data-truncated="${'truncated' in doc ? String((doc as { truncated: unknown }).truncated) : 'false'}">
${blocks}
</div></body></html>`;
}

/**
 * The symbol in byte mode, as the printer stores `1D 28 6B … 31 50 30 d…` data: qrcode's automatic
 * mode choice would pick alphanumeric for an upper-case code and draw a smaller version than the
 * one the simulator charges paper for (paper-roll.ts uses the byte-mode capacity table).
 */
export const qrSvg: QrSvgFn = (data, ec) => {
  const { modules } = QRCode.create([{ data: Buffer.from(data, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: ec });
  const n = modules.size;
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (modules.get(r, c)) d += `M${c} ${r}h1v1h-1z`;
  return {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><path d="${d}" fill="#000"/></svg>`,
    modules: n,
  };
};

export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(executablePath = DEFAULT_CHROMIUM): boolean {
  return existsSync(executablePath);
}

export interface PngOptions extends RenderOptions {
  chromiumPath?: string;
}

/** Writes the receipt PNG (576 px wide, as tall as the paper) and returns its size. */
export async function renderReceiptPng(
  doc: DecodedDocument,
  file: string,
  opts: PngOptions = {},
): Promise<{ path: string; width: number; height: number; qrCodes: number }> {
  const html = renderReceiptHtml(doc, opts);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath ?? DEFAULT_CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: DOTS_PER_LINE + 32, height: 800 }, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const el = page.locator('#receipt');
    mkdirSync(path.dirname(file), { recursive: true });
    await el.screenshot({ path: file });
    const box = await el.boundingBox();
    return {
      path: file,
      width: Math.round(box?.width ?? DOTS_PER_LINE),
      height: Math.round(box?.height ?? 0),
      qrCodes: doc.blocks.filter((b) => b.kind === 'qr').length,
    };
  } finally {
    await browser.close();
  }
}
