import { describe, expect, it } from 'vitest';
import {
  chunkAtBoundaries,
  columns,
  encodeReceipt,
  encodeReceiptJob,
  escpos,
  textWidth,
} from '../../../drivers/printer/escpos.js';
import { decodeEscPos } from '../../../drivers/printer/decoder.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

describe('ESC/POS encoder: every command of the spec table, byte-exact', () => {
  const cases: [string, () => Buffer, string][] = [
    ['initialize', () => escpos().init().build(), '1B 40'],
    ['Chinese on', () => escpos().chinese(true).build(), '1C 26'],
    ['Chinese off', () => escpos().chinese(false).build(), '1C 2E'],
    ['align left', () => escpos().align('left').build(), '1B 61 00'],
    ['align center', () => escpos().align('center').build(), '1B 61 01'],
    ['align right', () => escpos().align('right').build(), '1B 61 02'],
    ['bold on', () => escpos().bold(true).build(), '1B 45 01'],
    ['bold off', () => escpos().bold(false).build(), '1B 45 00'],
    ['size normal', () => escpos().size(1, 1).build(), '1D 21 00'],
    ['size double', () => escpos().size(2, 2).build(), '1D 21 11'],
    ['size double width only', () => escpos().size(2, 1).build(), '1D 21 10'],
    ['size double height only', () => escpos().size(1, 2).build(), '1D 21 01'],
    ['size 8×8', () => escpos().size(8, 8).build(), '1D 21 77'],
    ['line spacing 30', () => escpos().lineSpacing(30).build(), '1B 33 1E'],
    ['print and line feed', () => escpos().newline().build(), '0A'],
    ['print and feed 3 lines', () => escpos().feed(3).build(), '1B 64 03'],
    ['feed and partial cut', () => escpos().cut(48).build(), '1D 56 42 30'],
    ['cut without feed', () => escpos().cut().build(), '1D 56 42 00'],
    ['ASCII text', () => escpos().text('No.1').build(), '4E 6F 2E 31'],
    ['GB18030 text', () => escpos().text('参保缴费证明').build(), 'B2 CE B1 A3 BD C9 B7 D1 D6 A4 C3 F7'],
    ['GB18030 four-byte sequence (¥, U+00A5)', () => escpos().text('¥').build(), '81 30 84 36'],
  ];
  for (const [name, make, bytes] of cases) it(name, () => expect(hex(make())).toBe(bytes));

  it('QR: model 2, size, EC, store (pL pH = len + 3), print', () => {
    const b = escpos().qr('ABC', { size: 6, ec: 'M' }).build();
    expect(hex(b)).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 06',
        '1D 28 6B 03 00 31 45 31',
        '1D 28 6B 06 00 31 50 30 41 42 43',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
  });

  it('QR EC levels map to 48..51', () => {
    for (const [ec, byte] of [['L', '30'], ['M', '31'], ['Q', '32'], ['H', '33']] as const) {
      expect(hex(escpos().qr('x', { ec }).build())).toContain(`1D 28 6B 03 00 31 45 ${byte}`);
    }
  });

  it('QR store length is little-endian over 255 bytes', () => {
    const data = 'x'.repeat(300);
    const b = escpos().qr(data).build();
    const i = b.indexOf(Buffer.from([0x1d, 0x28, 0x6b, 0x2f, 0x01, 0x31, 0x50, 0x30]));
    expect(i).toBeGreaterThan(0); // 303 = 0x012F
  });

  it('refuses out-of-range parameters and control characters in text', () => {
    expect(() => escpos().size(0, 1)).toThrow(/PRINTER_PARAMETER|width/);
    expect(() => escpos().size(9, 1)).toThrow();
    expect(() => escpos().feed(256)).toThrow();
    expect(() => escpos().qr('x', { size: 17 })).toThrow();
    expect(() => escpos().qr('')).toThrow();
    expect(() => escpos().text('a\nb')).toThrow(/control/);
    expect(() => escpos().text('a\x10\x04\x01')).toThrow();
  });
});

describe('Receipt model', () => {
  it('encodes a receipt with styles only where they change, and a cut', () => {
    const bytes = encodeReceipt({
      blocks: [
        { kind: 'text', text: '参保缴费证明', style: { align: 'center', bold: true, width: 2, height: 2 } },
        { kind: 'text', text: 'A' },
        { kind: 'text', text: 'B' },
      ],
    });
    expect(hex(bytes)).toBe(
      [
        '1B 40 1C 26',
        '1B 61 01 1B 45 01 1D 21 11 B2 CE B1 A3 BD C9 B7 D1 D6 A4 C3 F7 0A',
        '1B 61 00 1B 45 00 1D 21 00 41 0A',
        '42 0A',
        '1D 56 42 30',
      ].join(' '),
    );
  });

  it('rule, feed, QR (centered by default), no cut when asked, line spacing', () => {
    const bytes = encodeReceipt({
      lineSpacing: 32,
      cut: false,
      blocks: [{ kind: 'rule' }, { kind: 'feed', lines: 2 }, { kind: 'qr', data: 'V1', size: 4, ec: 'Q' }],
    });
    const expected = Buffer.concat([
      Buffer.from('1B401C26' + '1B3320', 'hex'),
      Buffer.from('-'.repeat(48)),
      Buffer.from('0A' + '1B6402' + '1B6101', 'hex'),
      escpos().qr('V1', { size: 4, ec: 'Q' }).build(),
    ]);
    expect(hex(bytes)).toBe(hex(expected));
  });

  it('textWidth counts CJK as two columns; columns() pads to 48', () => {
    expect(textWidth('养老保险 12')).toBe(11);
    const line = columns('养老', '1,234.00');
    expect(textWidth(line)).toBe(48);
    expect(line.startsWith('养老 ')).toBe(true);
    expect(line.endsWith('1,234.00')).toBe(true);
  });
});

describe('chunking at command boundaries', () => {
  const receipt = {
    blocks: [
      ...Array.from({ length: 40 }, (_, i) => ({ kind: 'text' as const, text: `第${i + 1}行 养老保险 2025-${(i % 12) + 1} 900.00` })),
      { kind: 'qr' as const, data: 'https://verify.example/ABCDEF0123456789' },
    ],
  };

  it('never splits a command and reassembles to the same bytes', () => {
    const job = encodeReceiptJob(receipt);
    for (const max of [16, 33, 64, 100, 512]) {
      const chunks = chunkAtBoundaries(job, max);
      expect(Buffer.concat(chunks).equals(job.bytes)).toBe(true);
      let offset = 0;
      for (const c of chunks) {
        offset += c.length;
        expect(job.boundaries).toContain(offset);
        // A status request inserted here would be parsed as a status request, not as data.
        const withStatus = Buffer.concat([job.bytes.subarray(0, offset), Buffer.from([0x10, 0x04, 0x04]), job.bytes.subarray(offset)]);
        expect(decodeEscPos(withStatus).statusRequests).toEqual([4]);
      }
    }
  });

  it('keeps a command longer than the chunk size whole', () => {
    const job = escpos().qr('x'.repeat(100)).job();
    const chunks = chunkAtBoundaries(job, 20);
    expect(chunks.some((c) => c.length === 108)).toBe(true);
    expect(Buffer.concat(chunks).equals(job.bytes)).toBe(true);
  });
});
