/**
 * Renders a decoded document as the 80 mm receipt it would be: HTML at one CSS pixel per printer dot
 * (576 wide), then a PNG through headless Chromium (playwright-core). Only on request — never on the
 * print path: launching a browser costs a second or more.
 *
 * QR codes: drawn as SVG by the `qrcode` package when it is installed (loaded lazily); otherwise a
 * clearly marked placeholder box with the payload (see drivers/printer/NEEDS.md).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { COLUMNS, DOTS_PER_LINE, textWidth, type QrEc } from '../escpos.js';
import type { DecodedBlock, DecodedDocument, TextSegment } from '../decoder.js';
import { qrModules } from './paper-roll.js';

/** Returns an SVG string for `data`, or undefined to draw the placeholder. */
export type QrSvgFn = (data: string, ec: QrEc, modulePx: number) => string | undefined;

export interface RenderOptions {
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
      const px = qrModules(Buffer.byteLength(b.data, 'utf8'), b.ec) * b.size;
      const svg = opts.qrSvg?.(b.data, b.ec, b.size);
      const inner = svg
        ? `<div class="qr" data-qr="${esc(b.data)}" style="display:inline-block;width:${px}px;height:${px}px">${svg}</div>`
        : `<div class="qr qr-placeholder" data-qr="${esc(b.data)}" style="display:inline-block;width:${px}px;height:${px}px;` +
          `border:3px dashed #000;box-sizing:border-box;white-space:normal;font-size:16px;line-height:20px;overflow:hidden;word-break:break-all;padding:8px;text-align:left">` +
          `<b>QR PLACEHOLDER</b><br>(install 'qrcode' to draw the symbol)<br>${esc(b.data)}</div>`;
      return `<div class="qr-row" style="text-align:${b.align}">${inner}</div>`;
    }
    case 'cut':
      return `<div class="feed" style="height:${b.feedDots}px"></div><div class="cut" title="${b.partial ? 'partial' : 'full'} cut"></div>`;
  }
}

/** A standalone HTML page whose #receipt element is the 576-dot-wide receipt. */
export function renderReceiptHtml(doc: DecodedDocument, opts: RenderOptions = {}): string {
  const blocks = doc.blocks.map((b) => blockHtml(b, opts)).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>receipt</title>
<style>
  html, body { margin: 0; padding: 0; background: #888; }
  #receipt { width: ${DOTS_PER_LINE}px; background: #fff; color: #000; font-family: ${FONT}; padding: 16px 0;
    white-space: pre; overflow: hidden; }
  .line { overflow: hidden; }
  .qr svg { width: 100%; height: 100%; display: block; }
  .cut { border-top: 2px dashed #999; margin-top: 4px; }
</style></head>
<body><div id="receipt" data-truncated="${'truncated' in doc ? String((doc as { truncated: unknown }).truncated) : 'false'}">
${blocks}
</div></body></html>`;
}

interface QrcodeModule {
  create(data: string, opts: { errorCorrectionLevel: QrEc }): { modules: { size: number; get(r: number, c: number): number | boolean } };
}

/**
 * Loads the optional `qrcode` package and returns a QrSvgFn, or undefined when it is not installed.
 * The specifier is a variable on purpose: the build must not require the package.
 */
export async function loadQrSvg(): Promise<QrSvgFn | undefined> {
  const name = 'qrcode';
  let mod: unknown;
  try {
    mod = await import(name);
  } catch {
    return undefined;
  }
  const lib = ((mod as { default?: unknown }).default ?? mod) as Partial<QrcodeModule>;
  if (typeof lib.create !== 'function') return undefined;
  const create = lib.create.bind(lib);
  return (data, ec) => {
    const { modules } = create(data, { errorCorrectionLevel: ec });
    const n = modules.size;
    let d = '';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (modules.get(r, c)) d += `M${c} ${r}h1v1h-1z`;
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><path d="${d}" fill="#000"/></svg>`;
  };
}

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
): Promise<{ path: string; width: number; height: number; qr: 'svg' | 'placeholder' | 'none' }> {
  const qrSvg = opts.qrSvg ?? (await loadQrSvg());
  const html = renderReceiptHtml(doc, { qrSvg });
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
    const hasQr = doc.blocks.some((b) => b.kind === 'qr');
    return {
      path: file,
      width: Math.round(box?.width ?? DOTS_PER_LINE),
      height: Math.round(box?.height ?? 0),
      qr: hasQr ? (qrSvg ? 'svg' : 'placeholder') : 'none',
    };
  } finally {
    await browser.close();
  }
}
