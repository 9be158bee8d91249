import { describe, expect, it } from 'vitest';
import { HID_POS_DATA_CAPACITY, HidPosDecoder, encodeHidPosReports } from '../../../drivers/scanner/hid-pos.js';
import { brief, codes, h, hex } from './codec-helpers.js';

/** A 64-byte report: id, n, symbology, data (padded to 56), 2 vendor bytes, flags. */
function report(opts: { id?: number; n?: number; sym?: string; data: string; flags?: number; size?: number }): Uint8Array {
  const data = h(opts.data);
  const r = new Uint8Array(opts.size ?? 64);
  r[0] = opts.id ?? 0x02;
  r[1] = opts.n ?? data.length;
  r.set(h(opts.sym ?? '5D 51 31'), 2);
  r.set(data, 5);
  r[r.length - 1] = opts.flags ?? 0;
  return r;
}

describe('HID POS report decoder', () => {
  it('byte-exact: "ABC" as QR in one report', () => {
    const expected = '02035D5131414243' + '00'.repeat(53) + '0000' + '00';
    const [r] = encodeHidPosReports(Buffer.from('ABC'), ']Q1');
    expect(hex(r)).toBe(expected);
    expect(r).toHaveLength(64);
    const d = new HidPosDecoder();
    expect(d.push(h(expected), 0)).toEqual([{ kind: 'code', text: 'ABC', symbology: ']Q1' }]);
  });

  it('a long code spans reports with the more-data flag; the first report names the symbology', () => {
    const text = 'X'.repeat(56) + 'Y'.repeat(56) + 'ZZZZZZZZ';
    const reports = encodeHidPosReports(Buffer.from(text), ']d1');
    expect(reports.map((r) => [r[0], r[1], r[63]])).toEqual([
      [0x02, 56, 0x01],
      [0x02, 56, 0x01],
      [0x02, 8, 0x00],
    ]);
    const d = new HidPosDecoder();
    expect(d.push(reports[0], 0)).toEqual([]);
    expect(d.nextDeadline()).toBe(100);
    expect(d.push(reports[1], 2)).toEqual([]);
    expect(d.push(reports[2], 4)).toEqual([{ kind: 'code', text, symbology: ']d1' }]);
    expect(d.nextDeadline()).toBeUndefined();
  });

  it('a UTF-8 character split across two reports is decoded whole', () => {
    const text = 'A'.repeat(55) + '张三';
    const reports = encodeHidPosReports(Buffer.from(text, 'utf8'));
    expect(reports).toHaveLength(2);
    expect(hex(reports[0].subarray(59, 61))).toBe('41E5'); // the first byte of 张 ends report 1
    const d = new HidPosDecoder();
    expect(codes(reports.flatMap((r, i) => d.push(r, i)))).toEqual([text]);
  });

  it('a code of exactly 56 bytes is one report; an empty report stream is no code', () => {
    expect(encodeHidPosReports(Buffer.alloc(HID_POS_DATA_CAPACITY, 0x41))).toHaveLength(1);
    const d = new HidPosDecoder();
    expect(d.push(report({ data: '' }), 0)).toEqual([]);
  });

  it('an unknown symbology (00 00 00) is left out', () => {
    const d = new HidPosDecoder();
    expect(d.push(report({ sym: '00 00 00', data: '31 32' }), 0)).toEqual([{ kind: 'code', text: '12' }]);
  });

  it('reports with another id are ignored, a configured id is honoured', () => {
    const d = new HidPosDecoder();
    expect(d.push(report({ id: 0x04, data: '41' }), 0)).toEqual([]);
    const d3 = new HidPosDecoder({ reportId: 0x03 });
    expect(codes(d3.push(report({ id: 0x03, data: '41' }), 0))).toEqual(['A']);
  });

  it('malformed reports: wrong size or length byte past the capacity', () => {
    const d = new HidPosDecoder();
    d.push(report({ data: '41 42', flags: 1 }), 0);
    expect(brief(d.push(report({ n: 57, data: '43' }), 1))).toEqual([{ kind: 'error', code: 'SCANNER_BAD_REPORT', length: 2 }]);
    expect(brief(d.push(report({ data: '43', size: 32 }), 2))).toEqual([{ kind: 'error', code: 'SCANNER_BAD_REPORT', length: 0 }]);
    expect(codes(d.push(report({ data: '4F 4B' }), 3))).toEqual(['OK']);
  });

  it('invalid UTF-8 is an error', () => {
    const d = new HidPosDecoder();
    expect(brief(d.push(report({ data: '41 FF 42' }), 0))).toEqual([{ kind: 'error', code: 'SCANNER_INVALID_UTF8', length: 3 }]);
  });

  it('the inter-report timeout discards a multi-report code that stops', () => {
    const d = new HidPosDecoder({ interByteMs: 100 });
    const reports = encodeHidPosReports(Buffer.alloc(120, 0x41));
    d.push(reports[0], 0);
    d.push(reports[1], 1);
    expect(d.expire(100)).toEqual([]);
    expect(d.expire(101)).toEqual([{ kind: 'discarded', length: 112 }]);
    // The lost last report, arriving late, is a code of its own.
    expect(codes(d.push(reports[2], 300))).toEqual(['AAAAAAAA']);
  });

  it('too long: reported once, the remaining reports dropped, the next code clean', () => {
    const d = new HidPosDecoder({ maxLength: 100 });
    const reports = encodeHidPosReports(Buffer.alloc(150, 0x41));
    expect(brief(reports.flatMap((r, i) => d.push(r, i)))).toEqual([{ kind: 'error', code: 'SCANNER_TOO_LONG', length: 112 }]);
    expect(codes(d.push(encodeHidPosReports(Buffer.from('OK'))[0], 5))).toEqual(['OK']);
  });

  it('abandon() drops a multi-report code up to its last report', () => {
    const d = new HidPosDecoder();
    const reports = encodeHidPosReports(Buffer.alloc(60, 0x41));
    d.push(reports[0], 0);
    d.abandon();
    expect(d.push(reports[1], 1)).toEqual([]);
    expect(codes(d.push(encodeHidPosReports(Buffer.from('B'))[0], 2))).toEqual(['B']);
  });
});
