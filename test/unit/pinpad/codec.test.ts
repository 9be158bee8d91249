import { describe, expect, it } from 'vitest';
import {
  KEY_CODES,
  bcc,
  decodeDeviceInfo,
  decodeEntryParams,
  decodeFrame,
  decodeStoreEntry,
  encodeDeviceInfo,
  encodeEntryParams,
  encodeFrame,
  encodeGetPinBlock,
  encodeKeyEvent,
  encodeReply,
  encodeStoreEntry,
  parseKeyCode,
  parseKeyEvent,
  parseReply,
  traceHeadForCommand,
  traceHeadForReply,
} from '../../../drivers/pinpad/codec.js';
import { PinPadStreamDecoder } from '../../../drivers/pinpad/decoder.js';
import { PinPadError, pinPadErrorFromStatus, statusFor } from '../../../drivers/pinpad/errors.js';

const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('PIN pad codec (devices.md §2 worked examples)', () => {
  it('BCC is the XOR of STX..ETX; both spec examples agree with the rule', () => {
    expect(bcc(h('02 00 05 34 06 06 01 1E 03'))).toBe(0x2f);
    expect(bcc(h('02 00 02 B0 2A 03'))).toBe(0x99);
  });

  it('start secure entry, 6–6 digits, auto-end, 30 s', () => {
    const bytes = encodeFrame(0x34, encodeEntryParams({ minLength: 6, maxLength: 6, autoEnd: true, timeoutSec: 30 }));
    expect(hex(bytes)).toBe('020005340606011E032F');
    const d = decodeFrame(bytes);
    expect(d.ok && d.frame.cmd).toBe(0x34);
    expect(d.ok && decodeEntryParams(d.frame.data)).toEqual({ minLength: 6, maxLength: 6, autoEnd: true, timeoutSec: 30 });
  });

  it('a digit was pressed', () => {
    expect(hex(encodeKeyEvent(KEY_CODES.digit))).toBe('0200' + '02B02A0399');
    const d = decodeFrame(h('02 00 02 B0 2A 03 99'));
    expect(d.ok).toBe(true);
    if (d.ok) expect(parseKeyEvent(d.frame)).toEqual({ kind: 'digit' });
  });

  it('key codes', () => {
    expect(parseKeyCode(0x08)).toEqual({ kind: 'clear' });
    expect(parseKeyCode(0x1b)).toEqual({ kind: 'cancel' });
    expect(parseKeyCode(0x0d)).toEqual({ kind: 'enter' });
    expect(parseKeyCode(0xf3)).toEqual({ kind: 'function', fn: 3 });
    expect(parseKeyCode(0x37)).toEqual({ kind: 'digit', value: '7' }); // plain mode only
    expect(parseKeyCode(0x99)).toBeUndefined();
  });

  it('replies carry CMD, status, data', () => {
    const bytes = encodeReply(0x33, 0x00, h('AABBCC'));
    expect(hex(bytes)).toBe('020005' + '3300AABBCC' + '03' + hex(Uint8Array.of(bcc(h('0200053300AABBCC03')))));
    const d = decodeFrame(bytes);
    expect(d.ok && parseReply(d.frame)).toEqual({ cmd: 0x33, status: 0, data: h('AABBCC') });
    expect(hex(encodeReply(0x35, 0x06))).toBe('020002350603' + '30');
  });

  it('rejects bad frames with a reason', () => {
    expect(decodeFrame(h('02 00 02 B0 2A 03 98'))).toEqual({ ok: false, reason: 'BCC mismatch' });
    expect(decodeFrame(h('02 00 02 B0 2A 04 99'))).toEqual({ ok: false, reason: 'no ETX' });
    expect(decodeFrame(h('02 00 03 B0 2A 03 99')).ok).toBe(false);
  });

  it('payload layouts: device info, PIN block request', () => {
    const info = encodeDeviceInfo({ serial: 'EPP1', firmware: 'V2' });
    expect(hex(info)).toBe('04' + hex(Buffer.from('EPP1')) + '02' + hex(Buffer.from('V2')));
    expect(decodeDeviceInfo(info)).toEqual({ serial: 'EPP1', firmware: 'V2' });
    expect(hex(encodeGetPinBlock(1, '111111111111'))).toBe('0100' + '31'.repeat(12));
    expect(() => encodeGetPinBlock(1, '1111')).toThrow();
  });

  it('traces keep only headers of secret-bearing frames', () => {
    const masterKey = encodeFrame(0x32, new Uint8Array(18));
    expect(traceHeadForCommand(masterKey)).toBe(4);
    expect(traceHeadForCommand(encodeFrame(0x34, new Uint8Array(4)))).toBe(10);
    expect(traceHeadForReply(encodeReply(0x36, 0, h('0020000003123456')))).toBe(5);
    expect(traceHeadForReply(encodeReply(0x35, 0, new Uint8Array(8)))).toBe(5);
    expect(traceHeadForReply(encodeKeyEvent(0x2a))).toBe(7);
    expect(traceHeadForReply(encodeKeyEvent(0x35))).toBe(4); // a plain-mode digit is masked
  });
});

describe('PIN change extension frames (ours, docs/pinpad.md)', () => {
  it('3B store entry: one slot byte; 3C / 3D / 3A carry no data', () => {
    expect(hex(encodeFrame(0x3b, encodeStoreEntry(1)))).toBe('0200023B0103' + '39');
    expect(hex(encodeFrame(0x3b, encodeStoreEntry(2)))).toBe('0200023B0203' + '3A');
    expect(hex(encodeFrame(0x3b, encodeStoreEntry(3)))).toBe('0200023B0303' + '3B');
    expect(hex(encodeFrame(0x3c))).toBe('0200013C03' + '3C');
    expect(hex(encodeFrame(0x3d))).toBe('0200013D03' + '3D');
    expect(hex(encodeFrame(0x3a))).toBe('0200013A03' + '3A');
    const d = decodeFrame(h('02 00 02 3B 02 03 3A'));
    expect(d.ok && d.frame.cmd).toBe(0x3b);
    expect(d.ok && decodeStoreEntry(d.frame.data)).toBe(2);
    expect(decodeStoreEntry(h('04'))).toBeUndefined();
    expect(decodeStoreEntry(h('00'))).toBeUndefined();
    expect(decodeStoreEntry(h('0102'))).toBeUndefined();
    expect(() => encodeStoreEntry(4 as 1)).toThrow(RangeError);
  });

  it('3A reply: 80 5E 01 00 07 <old> FF <new>, masked after CMD ST in traces', () => {
    const reply = encodeReply(0x3a, 0x00, h('805E010007 135790 FF 246802'));
    expect(hex(reply)).toBe('02000E' + '3A00' + '805E010007135790FF246802' + '03' + hex(Uint8Array.of(bcc(h('02000E3A00805E010007135790FF24680203')))));
    const d = decodeFrame(reply);
    expect(d.ok && parseReply(d.frame)).toEqual({ cmd: 0x3a, status: 0, data: h('805E010007135790FF246802') });
    expect(traceHeadForReply(reply)).toBe(5);
    expect(traceHeadForCommand(encodeFrame(0x3b, encodeStoreEntry(1)))).toBe(7); // a slot number is not secret
  });

  it('status bytes 0B..10 and the weak-PIN reasons, both directions', () => {
    expect(hex(encodeReply(0x3c, 0x0b))).toBe('0200023C0B03' + '34');
    const table: [number, string, string | undefined][] = [
      [0x0b, 'PINPAD_PIN_MISMATCH', undefined],
      [0x0c, 'PINPAD_PIN_WEAK', 'repeated'],
      [0x0d, 'PINPAD_PIN_WEAK', 'sequence'],
      [0x0e, 'PINPAD_PIN_WEAK', 'initial'],
      [0x0f, 'PINPAD_PIN_WEAK', 'same-as-old'],
      [0x10, 'PINPAD_SLOT_EMPTY', undefined],
    ];
    for (const [st, code, reason] of table) {
      const e = pinPadErrorFromStatus(st, 'checkNewPin');
      expect(e).toBeInstanceOf(PinPadError);
      expect([e.code, e.reason, e.status]).toEqual([code, reason, st]);
      expect(statusFor(e.code, e.reason)).toBe(st);
    }
    expect(pinPadErrorFromStatus(0x0c).message).toMatch(/weak \(repeated\)/);
  });
});

describe('PIN pad stream decoder', () => {
  const KEY = h('02 00 02 B0 2A 03 99');
  const START = h('02 00 05 34 06 06 01 1E 03 2F');

  it('splits a stream into frames across chunk boundaries', () => {
    const d = new PinPadStreamDecoder();
    const all = new Uint8Array([...KEY, ...START, ...KEY]);
    const out = [...d.push(all.subarray(0, 5), 0), ...d.push(all.subarray(5, 12), 1), ...d.push(all.subarray(12), 2)];
    expect(out.map((t) => t.kind)).toEqual(['frame', 'frame', 'frame']);
    expect(out.map((t) => (t.kind === 'frame' ? t.frame.cmd : -1))).toEqual([0xb0, 0x34, 0xb0]);
    expect(d.nextDeadline()).toBeUndefined();
  });

  it('resynchronises after noise and a corrupted frame, reporting each once', () => {
    const d = new PinPadStreamDecoder();
    const bad = START.slice();
    bad[5] ^= 0xff; // BCC no longer matches
    const out = d.push(new Uint8Array([0xff, 0x00, ...bad, ...KEY]), 0);
    expect(out.map((t) => t.kind)).toEqual(['garbled', 'garbled', 'frame']);
    expect(out[1].kind === 'garbled' && out[1].reason).toBe('BCC mismatch');
    const last = out[2];
    expect(last.kind === 'frame' && hex(last.raw)).toBe(hex(KEY));
  });

  it('a garbled frame is reported by its length only: a corrupted VERIFY reply leaves no PIN in the token', () => {
    const d = new PinPadStreamDecoder({ interByteMs: 100 });
    const reply = encodeReply(0x36, 0x00, Uint8Array.of(0x00, 0x20, 0x00, 0x00, 0x03, 0x12, 0x34, 0x56));
    const bad = reply.slice();
    bad[bad.length - 1] ^= 0xff; // BCC no longer matches
    const [g] = d.push(bad, 0);
    expect(g.kind === 'garbled' && g.reason).toBe('BCC mismatch');
    expect(g.raw).toHaveLength(reply.length);
    expect([...g.raw].every((b) => b === 0)).toBe(true);
    // Cut short: the inter-byte timeout reports the stale tail, also as zeros of its length.
    d.reset();
    expect(d.push(reply.subarray(0, 10), 1000)).toEqual([]);
    const [t] = d.expire(1100);
    expect(t.kind === 'garbled' && t.reason).toBe('inter-byte timeout');
    expect(t.raw).toHaveLength(10);
    expect([...t.raw].every((b) => b === 0)).toBe(true);
  });

  it('wipeInput (the driver’s setting) zeroes each received chunk once copied: the serial read pool keeps no VERIFY reply', () => {
    const reply = encodeReply(0x36, 0x00, Uint8Array.of(0x00, 0x20, 0x00, 0x00, 0x03, 0x12, 0x34, 0x56));
    const chunks = [reply.slice(0, 7), reply.slice(7)];
    const d = new PinPadStreamDecoder({ wipeInput: true });
    const out = [...d.push(chunks[0], 0), ...d.push(chunks[1], 1)];
    expect(out.map((t) => t.kind)).toEqual(['frame']);
    expect(out[0].kind === 'frame' && hex(out[0].frame.data)).toBe('000020000003123456');
    for (const c of chunks) expect([...c].every((b) => b === 0)).toBe(true);
    // Without the option the caller's bytes are left alone (the simulator's side, the other tests).
    const keep = reply.slice();
    new PinPadStreamDecoder().push(keep, 0);
    expect(hex(keep)).toBe(hex(reply));
  });

  it('an absurd length is corruption, not a wait', () => {
    const d = new PinPadStreamDecoder({ maxLength: 64 });
    const out = d.push(new Uint8Array([0x02, 0xff, 0xff, ...KEY]), 0);
    expect(out.map((t) => t.kind)).toEqual(['garbled', 'frame']);
  });

  it('an inter-byte timeout ends a partial frame, then a later frame decodes', () => {
    const d = new PinPadStreamDecoder({ interByteMs: 100 });
    expect(d.push(START.subarray(0, 6), 1000)).toEqual([]);
    expect(d.nextDeadline()).toBe(1100);
    expect(d.expire(1050)).toEqual([]);
    const out = d.expire(1100);
    expect(out).toHaveLength(1);
    expect(out[0].kind === 'garbled' && out[0].reason).toBe('inter-byte timeout');
    expect(d.nextDeadline()).toBeUndefined();
    expect(d.push(KEY, 1200).map((t) => t.kind)).toEqual(['frame']);
  });

  it('reset drops a partial frame', () => {
    const d = new PinPadStreamDecoder();
    d.push(START.subarray(0, 4), 0);
    d.reset();
    expect(d.push(KEY, 1).map((t) => t.kind)).toEqual(['frame']);
  });
});
