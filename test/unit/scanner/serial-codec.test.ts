import { describe, expect, it } from 'vitest';
import { ScanLineSplitter } from '../../../drivers/scanner/serial-codec.js';
import { ascii, brief, codes, h } from './codec-helpers.js';

describe('serial line splitter', () => {
  it('one code ended by CR', () => {
    const s = new ScanLineSplitter();
    expect(brief(s.push(h('48 45 4C 4C 4F 0D'), 0))).toEqual([{ kind: 'code', text: 'HELLO' }]);
    expect(s.nextDeadline()).toBeUndefined();
  });

  it('accepts CR, LF and CRLF, and never emits empty codes', () => {
    const s = new ScanLineSplitter();
    expect(codes(s.push(h('41 0D 42 0A 43 0D 0A 44 0D 0D 0A 0A'), 0))).toEqual(['A', 'B', 'C', 'D']);
  });

  it('joins a code split across chunks, CRLF split between chunks is one terminator', () => {
    const s = new ScanLineSplitter();
    expect(s.push(ascii('AB'), 0)).toEqual([]);
    expect(s.pending).toBe(2);
    expect(s.nextDeadline()).toBe(100);
    expect(codes(s.push(ascii('C\r'), 5))).toEqual(['ABC']);
    expect(codes(s.push(h('0A 44 0D'), 6))).toEqual(['D']);
  });

  it('decodes UTF-8, also with a character split between chunks', () => {
    const s = new ScanLineSplitter();
    // 张三 = E5 BC A0 E4 B8 89
    expect(codes(s.push(h('E5 BC A0 E4 B8 89 0D'), 0))).toEqual(['张三']);
    expect(s.push(h('E5 BC'), 1)).toEqual([]);
    expect(codes(s.push(h('A0 0D'), 2))).toEqual(['张']);
  });

  it('an electronic card payload (base64url, URL and JSON punctuation) passes byte for byte', () => {
    const text = 'YKT1.eyJjIjoiMzMwMTAwIiwiZXhwIjoxNzY3NTc0ODAwfQ.Xy-_9a?x=1&y=%2F#{"k":[1,2]}';
    const s = new ScanLineSplitter();
    expect(codes(s.push(Buffer.from(`${text}\r`, 'utf8'), 0))).toEqual([text]);
  });

  it('invalid UTF-8 is an error naming the length, and the next code is clean', () => {
    const s = new ScanLineSplitter();
    expect(brief(s.push(h('41 FF 42 0D 4F 4B 0D'), 0))).toEqual([
      { kind: 'error', code: 'SCANNER_INVALID_UTF8', length: 3 },
      { kind: 'code', text: 'OK' },
    ]);
    // A truncated multi-byte sequence is invalid too.
    expect(brief(s.push(h('E5 BC 0D'), 1))).toEqual([{ kind: 'error', code: 'SCANNER_INVALID_UTF8', length: 2 }]);
  });

  it('a code longer than maxLength is reported once and dropped up to its terminator', () => {
    const s = new ScanLineSplitter({ maxLength: 8 });
    expect(codes(s.push(ascii('12345678\r'), 0))).toEqual(['12345678']);
    expect(brief(s.push(ascii('123456789'), 1))).toEqual([{ kind: 'error', code: 'SCANNER_TOO_LONG', length: 9 }]);
    expect(s.push(ascii('ABCDEFGHIJKLMNOP'), 2)).toEqual([]);
    expect(s.pending).toBe(0);
    expect(s.push(ascii('XYZ\r'), 3)).toEqual([]);
    expect(codes(s.push(ascii('OK\r'), 4))).toEqual(['OK']);
  });

  it('the default maximum is 4096 bytes', () => {
    const s = new ScanLineSplitter();
    expect(codes(s.push(ascii(`${'A'.repeat(4096)}\r`), 0))).toEqual(['A'.repeat(4096)]);
    expect(brief(s.push(ascii(`${'A'.repeat(4097)}\r`), 1))).toEqual([{ kind: 'error', code: 'SCANNER_TOO_LONG', length: 4097 }]);
  });

  it('the inter-byte timeout ends and discards a partial code', () => {
    const s = new ScanLineSplitter({ interByteMs: 100 });
    s.push(ascii('ABC'), 1000);
    expect(s.expire(1099)).toEqual([]);
    expect(s.expire(1100)).toEqual([{ kind: 'discarded', length: 3 }]);
    expect(s.nextDeadline()).toBeUndefined();
    expect(codes(s.push(ascii('D\r'), 1200))).toEqual(['D']);
  });

  it('a late byte after the timeout starts a new code even if expire() was not called', () => {
    const s = new ScanLineSplitter({ interByteMs: 100 });
    s.push(ascii('ABC'), 0);
    expect(brief(s.push(ascii('XY\r'), 150))).toEqual([
      { kind: 'discarded', length: 3 },
      { kind: 'code', text: 'XY' },
    ]);
  });

  it('the timeout also ends the discarding of a too-long code', () => {
    const s = new ScanLineSplitter({ maxLength: 2, interByteMs: 100 });
    s.push(ascii('ABC'), 0);
    expect(s.nextDeadline()).toBe(100);
    expect(s.expire(100)).toEqual([]);
    expect(codes(s.push(ascii('OK\r'), 200))).toEqual(['OK']);
  });

  it('abandon() drops the code in progress and its rest; reset() forgets everything', () => {
    const s = new ScanLineSplitter();
    s.push(ascii('AB'), 0);
    s.abandon();
    expect(codes(s.push(ascii('C\rD\r'), 1))).toEqual(['D']);
    s.abandon(); // nothing in progress: no effect
    expect(codes(s.push(ascii('E\r'), 2))).toEqual(['E']);
    s.push(ascii('AB'), 3);
    s.reset();
    expect(codes(s.push(ascii('C\r'), 4))).toEqual(['C']);
  });
});
