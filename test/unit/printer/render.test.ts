import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/printer/decoder.js';
import { encodeReceipt, type Receipt } from '../../../drivers/printer/escpos.js';
import { blockDots } from '../../../drivers/printer/sim/paper-roll.js';
import { chromiumAvailable, qrSvg, renderReceiptHtml, renderReceiptPng } from '../../../drivers/printer/sim/render.js';

const receipt: Receipt = {
  blocks: [
    { kind: 'text', text: '社会保险个人参保缴费证明', style: { align: 'center', bold: true, width: 2, height: 2 } },
    { kind: 'rule' },
    { kind: 'text', text: '姓名: 张*    社会保障号码: 110101********1234' },
    { kind: 'text', text: '养老保险 2025-12 基数 4500.00 个人 360.00' },
    { kind: 'text', text: '宽字 2×1', style: { width: 2, height: 1 } },
    { kind: 'qr', data: 'https://ykt.example/v/7F3A-92C1', size: 6, ec: 'M' },
    { kind: 'text', text: '验证码 <7F3A-92C1>', style: { align: 'center' } },
  ],
};

const doc = decodeEscPos(encodeReceipt(receipt)).documents[0];
const artifacts = path.resolve('test-artifacts');

describe('receipt rendering', () => {
  it('HTML: 576 dots wide, styled lines, escaped text, the QR symbol as SVG, cut mark', () => {
    const html = renderReceiptHtml(doc);
    expect(html).toContain('width: 576px');
    expect(html).toContain('text-align:center;height:48px');
    expect(html).toContain('font-size:48px;font-weight:700');
    expect(html).toContain('验证码 &#60;7F3A-92C1&#62;');
    expect(html).toContain('scaleX(2)');
    expect(html).toContain('data-qr="https://ykt.example/v/7F3A-92C1"');
    expect(html).toContain('<svg');
    // 31 payload bytes at EC M → version 3 (29 modules) in byte mode, 6 dots per module.
    expect(html).toContain('width:174px;height:174px');
    expect(html).toContain('class="cut"');
  });

  it('QR symbols are drawn in byte mode, the version the simulator charges paper for', () => {
    // An upper-case code would be alphanumeric (version 1) if qrcode chose the mode itself.
    expect(qrSvg('ABCD-EFGH-JKMN-PQRS', 'M').modules).toBe(25);
    expect(qrSvg('x', 'H').modules).toBe(21);
  });

  it.skipIf(!chromiumAvailable())('PNG: 576 px wide, as tall as the receipt', async () => {
    mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, 'printer-receipt.png');
    const r = await renderReceiptPng(doc, file);
    expect(existsSync(file)).toBe(true);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16..23.
    expect(png.readUInt32BE(16)).toBe(576);
    expect(png.readUInt32BE(20)).toBe(r.height);
    // As long as the paper: the blocks at their dots, the 16 px padding above and below, the cut mark
    // (2 px border + 4 px margin). Whitespace between blocks once added an empty line box per block.
    expect(r.height).toBe(32 + doc.blocks.reduce((n, b) => n + blockDots(b), 0) + 6);
    expect(r.qrCodes).toBe(1);
  }, 60_000);

  if (!chromiumAvailable()) console.warn('[printer] skipping PNG rendering test: no Chromium (set CHROMIUM_PATH)');
});
