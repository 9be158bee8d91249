/**
 * The printer bench's byte target as a test (bytes are deterministic; timings are not, and stay in
 * the bench): our encoding of the benched statement beats both libraries and stays ≤ 1.1× the floor.
 */
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/printer/decoder.js';
import { encodeGb18030, encodeReceipt } from '../../../drivers/printer/escpos.js';
import {
  FLOOR_TARGET,
  benchReceipt,
  encodeWithNodeThermalPrinter,
  encodeWithReceiptline,
  measureBytes,
  toReceiptline,
  wireMs,
} from '../../../scripts/bench/printer.js';

describe('printer bench: bytes on the wire', () => {
  it('ours: fewer bytes than receiptline and node-thermal-printer, within 1.1× the floor', () => {
    const m = measureBytes();
    expect(m.ours).toBeLessThan(m.receiptline);
    expect(m.ours).toBeLessThan(m.nodeThermalPrinter);
    expect(m.ours / m.floor).toBeLessThanOrEqual(FLOOR_TARGET);
  });

  it('the comparison is of the same content: node-thermal-printer decodes to our lines and QR', () => {
    const r = benchReceipt();
    const lines = (b: Buffer): string[] =>
      decodeEscPos(b).documents[0]!.blocks.flatMap((x) => (x.kind === 'line' ? [x.text] : x.kind === 'qr' ? [x.data] : []));
    expect(lines(encodeWithNodeThermalPrinter(r))).toEqual(lines(encodeReceipt(r)));
    // receiptline's output is outside the spec subset (it rasterises the QR), so only spot checks:
    // Chinese mode on and the holder's name in GB18030.
    const rl = encodeWithReceiptline(r);
    expect(rl.includes(Buffer.from([0x1c, 0x26]))).toBe(true);
    expect(rl.includes(encodeGb18030('欧阳明轩'))).toBe(true);
  });

  it('receiptline markup: escaped specials, spaces kept as ~, alignment by pipes, QR property', () => {
    const doc = toReceiptline({
      blocks: [
        { kind: 'text', text: 'A-B | {x}', style: { align: 'center', bold: true, width: 2, height: 2 } },
        { kind: 'text', text: '  2024-01  养老' },
        { kind: 'rule' },
        { kind: 'qr', data: 'https://x.example/v/AB;C', size: 6, ec: 'M' },
      ],
    });
    expect(doc.split('\n')).toEqual(['"^^^A\\-B~\\|~\\{x\\}', '|~~2024\\-01~~养老', '---', '{code:https://x.example/v/AB\\;C; option:qrcode,6,m}']);
  });

  it('wire time is 10 bits per byte', () => {
    expect(wireMs(11_520, 115_200)).toBe(1000);
    expect(wireMs(960, 9600)).toBe(1000);
  });
});
