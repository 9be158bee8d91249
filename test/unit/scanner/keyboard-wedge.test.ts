import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDecoder, keyForChar, usageToChar } from '../../../drivers/scanner/keyboard-wedge.js';
import { encodeKeyboardReports } from '../../../drivers/scanner/sim/hid-scanner-sim.js';
import { brief, codes, h, hex } from './codec-helpers.js';

const UP = '00 00 00 00 00 00 00 00';

/** Feeds hex reports 1 ms apart. */
function feed(d: KeyboardWedgeDecoder, reports: string[], t0 = 0) {
  return reports.flatMap((r, i) => d.push(h(r), t0 + i));
}

describe('keyboard-wedge usage table (US layout)', () => {
  it('letters, digits and shifted digits', () => {
    expect(usageToChar(0x04, 0)).toBe('a');
    expect(usageToChar(0x1d, 0)).toBe('z');
    expect(usageToChar(0x04, 0x02)).toBe('A');
    expect(usageToChar(0x1d, 0x20)).toBe('Z'); // right Shift
    expect([0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27].map((u) => usageToChar(u, 0)).join('')).toBe('1234567890');
    expect([0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27].map((u) => usageToChar(u, 2)).join('')).toBe('!@#$%^&*()');
  });

  it('the punctuation of base64url, URLs and JSON', () => {
    const cases: Array<[number, number, string]> = [
      [0x2d, 0, '-'], [0x2d, 2, '_'], [0x37, 0, '.'], [0x33, 2, ':'], [0x38, 0, '/'], [0x38, 2, '?'],
      [0x2e, 0, '='], [0x24, 2, '&'], [0x2e, 2, '+'], [0x22, 2, '%'], [0x20, 2, '#'], [0x2f, 2, '{'],
      [0x30, 2, '}'], [0x34, 2, '"'], [0x36, 0, ','], [0x2f, 0, '['], [0x30, 0, ']'], [0x34, 0, "'"],
      [0x33, 0, ';'], [0x31, 0, '\\'], [0x31, 2, '|'], [0x35, 0, '`'], [0x35, 2, '~'], [0x36, 2, '<'],
      [0x37, 2, '>'], [0x2c, 0, ' '], [0x2b, 0, '\t'], [0x32, 0, '\\'],
    ];
    for (const [usage, mod, ch] of cases) expect(usageToChar(usage, mod), `usage ${usage.toString(16)} mod ${mod}`).toBe(ch);
  });

  it('keypad keys (Num Lock on) ignore Shift', () => {
    expect([0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63].map((u) => usageToChar(u, 0)).join('')).toBe('1234567890.');
    expect([0x54, 0x55, 0x56, 0x57].map((u) => usageToChar(u, 2)).join('')).toBe('/*-+');
  });

  it('unmapped keys and Ctrl/Alt/GUI give no character', () => {
    expect(usageToChar(0x3a, 0)).toBeUndefined(); // F1
    expect(usageToChar(0x39, 0)).toBeUndefined(); // Caps Lock
    expect(usageToChar(0x29, 0)).toBeUndefined(); // Esc
    expect(usageToChar(0x04, 0x01)).toBeUndefined(); // Ctrl+a
    expect(usageToChar(0x04, 0x40)).toBeUndefined(); // right Alt+a
    expect(usageToChar(0x04, 0x08)).toBeUndefined(); // GUI+a
  });

  it('keyForChar inverts the table, preferring the main block', () => {
    expect(keyForChar('A')).toEqual({ usage: 0x04, shift: true });
    expect(keyForChar('1')).toEqual({ usage: 0x1e, shift: false });
    expect(keyForChar('/')).toEqual({ usage: 0x38, shift: false });
    expect(keyForChar('\\')).toEqual({ usage: 0x31, shift: false });
    expect(keyForChar('"')).toEqual({ usage: 0x34, shift: true });
    expect(keyForChar('张')).toBeUndefined();
    expect(keyForChar('\n')).toBeUndefined();
  });
});

describe('keyboard-wedge decoder', () => {
  it('byte-exact: "Ab1" then Enter, press/release per key', () => {
    const reports = encodeKeyboardReports('Ab1');
    expect(reports.map(hex)).toEqual([
      '0200040000000000', '0000000000000000',
      '0000050000000000', '0000000000000000',
      '00001E0000000000', '0000000000000000',
      '0000280000000000', '0000000000000000',
    ]);
    const d = new KeyboardWedgeDecoder();
    expect(brief(reports.flatMap((r, i) => d.push(r, i)))).toEqual([{ kind: 'code', text: 'Ab1' }]);
  });

  it('round trip of every character the table types', () => {
    const text = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/?=&+%#{}",[]!@$^*()\';\\|`~<>\t';
    const d = new KeyboardWedgeDecoder();
    expect(codes(encodeKeyboardReports(text).flatMap((r, i) => d.push(r, i)))).toEqual([text]);
  });

  it('the same key twice counts twice only with a release in between', () => {
    const d = new KeyboardWedgeDecoder();
    expect(codes(feed(d, ['00 00 04 00 00 00 00 00', UP, '00 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00', UP]))).toEqual(['aa']);
    // Held key: the device repeats the same report; the key is not new.
    expect(codes(feed(d, ['00 00 04 00 00 00 00 00', '00 00 04 00 00 00 00 00', '00 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00'], 10))).toEqual(['a']);
  });

  it('rollover: a key counts when it newly appears, wherever in the array', () => {
    const d = new KeyboardWedgeDecoder();
    const r = ['00 00 04 00 00 00 00 00', '00 00 04 05 00 00 00 00', '00 00 05 00 00 00 00 00', '00 00 05 06 00 00 00 00', '00 00 06 28 00 00 00 00', UP];
    expect(codes(feed(d, r))).toEqual(['abc']);
  });

  it('Shift pressed in its own report applies to the next key; key-up reports are ignored', () => {
    const d = new KeyboardWedgeDecoder();
    const r = ['02 00 00 00 00 00 00 00', '02 00 04 00 00 00 00 00', '02 00 00 00 00 00 00 00', UP, UP, '00 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00', UP];
    expect(codes(feed(d, r))).toEqual(['Aa']);
  });

  it('a modifier change alone does not repeat a held key', () => {
    const d = new KeyboardWedgeDecoder();
    expect(codes(feed(d, ['00 00 04 00 00 00 00 00', '02 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00']))).toEqual(['a']);
  });

  it('ErrorRollOver reports are phantom states and change nothing', () => {
    const d = new KeyboardWedgeDecoder();
    const r = ['00 00 04 00 00 00 00 00', '00 00 01 01 01 01 01 01', '00 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00'];
    expect(codes(feed(d, r))).toEqual(['a']);
  });

  it('keypad digits and Keypad Enter', () => {
    const d = new KeyboardWedgeDecoder();
    expect(codes(feed(d, ['00 00 59 00 00 00 00 00', UP, '00 00 62 00 00 00 00 00', UP, '00 00 58 00 00 00 00 00', UP]))).toEqual(['10']);
  });

  it('an unmapped key makes the whole code an error at Enter; the next code is clean', () => {
    const d = new KeyboardWedgeDecoder();
    const r = ['00 00 04 00 00 00 00 00', UP, '00 00 3A 00 00 00 00 00', UP, '00 00 05 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00', UP];
    const ev = feed(d, r);
    expect(brief(ev)).toEqual([{ kind: 'error', code: 'SCANNER_UNMAPPED_KEY', length: 3 }]);
    expect(ev[0].kind === 'error' && ev[0].detail).toContain('0x3a');
    const ctrl = feed(d, ['01 00 04 00 00 00 00 00', UP, '00 00 28 00 00 00 00 00'], 20);
    expect(brief(ctrl)).toEqual([{ kind: 'error', code: 'SCANNER_UNMAPPED_KEY', length: 1 }]);
    expect(ctrl[0].kind === 'error' && ctrl[0].detail).toContain('Ctrl/Alt/GUI');
    expect(codes(encodeKeyboardReports('ok').flatMap((x, i) => d.push(x, 40 + i)))).toEqual(['ok']);
  });

  it('Enter alone is no code', () => {
    const d = new KeyboardWedgeDecoder();
    expect(feed(d, ['00 00 28 00 00 00 00 00', UP])).toEqual([]);
  });

  it('the inter-report timeout discards a code without Enter', () => {
    const d = new KeyboardWedgeDecoder({ interByteMs: 100 });
    feed(d, ['00 00 04 00 00 00 00 00', UP, '00 00 05 00 00 00 00 00', UP], 0);
    expect(d.nextDeadline()).toBe(103);
    expect(d.expire(102)).toEqual([]);
    expect(d.expire(103)).toEqual([{ kind: 'discarded', length: 2 }]);
    expect(codes(encodeKeyboardReports('c').flatMap((x, i) => d.push(x, 200 + i)))).toEqual(['c']);
  });

  it('too long: reported once, the rest dropped up to Enter', () => {
    const d = new KeyboardWedgeDecoder({ maxLength: 3 });
    expect(brief(encodeKeyboardReports('abcdef').flatMap((x, i) => d.push(x, i)))).toEqual([{ kind: 'error', code: 'SCANNER_TOO_LONG', length: 4 }]);
    expect(codes(encodeKeyboardReports('abc').flatMap((x, i) => d.push(x, 20 + i)))).toEqual(['abc']);
  });

  it('a numbered keyboard report: the id is checked and stripped', () => {
    const d = new KeyboardWedgeDecoder({ reportId: 1 });
    const reports = encodeKeyboardReports('Hi', { reportId: 1 });
    expect(hex(reports[0])).toBe('010200' + '0B0000000000');
    expect(d.push(h('03 00 00 04 00 00 00 00 00'), 0)).toEqual([]); // another report id
    expect(codes(reports.flatMap((x, i) => d.push(x, 1 + i)))).toEqual(['Hi']);
  });

  it('abandon() drops the code in progress up to its Enter', () => {
    const d = new KeyboardWedgeDecoder();
    const r = encodeKeyboardReports('abc');
    r.slice(0, 2).forEach((x, i) => d.push(x, i));
    d.abandon();
    expect(codes(r.slice(2).flatMap((x, i) => d.push(x, 10 + i)))).toEqual([]);
    expect(codes(encodeKeyboardReports('d').flatMap((x, i) => d.push(x, 20 + i)))).toEqual(['d']);
  });

  it('the simulator refuses characters a US keyboard cannot type', () => {
    expect(() => encodeKeyboardReports('张')).toThrow(/U\+5F20/);
  });
});
