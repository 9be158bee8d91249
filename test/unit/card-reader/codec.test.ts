import { describe, expect, it } from 'vitest';
import {
  READER_COMMANDS,
  bcc,
  decodeContactless,
  decodeFrame,
  encodeCommand,
  encodeContactless,
  encodeResponse,
  parseSensors,
  traceHeadFor,
} from '../../../drivers/card-reader/codec.js';
import { READER_ERROR_TABLE, ReaderError, e1e0For, readerErrorFromE1E0 } from '../../../drivers/card-reader/errors.js';
import { SELECT_SSSE } from './fake-chip.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const h = (u: Uint8Array) => Buffer.from(u).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

/** Every worked example of devices.md, verbatim. */
const EXAMPLES = {
  readerStatus: 'F2 00 00 03 43 31 30 03 B0',
  readerStatusAnswerGate: 'F2 00 00 06 50 31 30 31 30 30 03 97',
  readerEject: 'F2 00 00 03 43 32 39 03 BA',
  readerSelect: 'F2 00 00 17 43 51 33 00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF 03 35',
  readerSelectAnswer: 'F2 00 00 08 50 51 33 32 30 30 90 00 03 69',
  readerEjectJammed: 'F2 00 00 05 4E 32 39 30 34 03 B5',
  pinpadStartEntry: '02 00 05 34 06 06 01 1E 03 2F',
  pinpadDigit: '02 00 02 B0 2A 03 99',
  gateOpenIn: '02 4F 31 03 7F',
  gatePassage: '02 50 03 51',
};

describe('BCC rule (XOR from STX through ETX) against every worked example', () => {
  for (const [name, text] of Object.entries(EXAMPLES)) {
    it(`${name}: computed BCC equals the stated one`, () => {
      const bytes = b(text);
      expect(bcc(bytes, 0, bytes.length - 1)).toBe(bytes[bytes.length - 1]);
    });
  }
});

describe('reader codec, byte-exact against devices.md', () => {
  it('encodes the status command', () => {
    expect(h(encodeCommand(0x31, 0x30))).toBe(EXAMPLES.readerStatus);
  });

  it('encodes the status answer: card at the gate, bin not full, insertion disabled', () => {
    const out = encodeResponse(0x31, 0x30, { kind: 'positive', sensors: { position: 'gate', binFull: false, insertionEnabled: false } });
    expect(h(out)).toBe(EXAMPLES.readerStatusAnswerGate);
  });

  it('encodes eject to gate', () => {
    const [cm, pm] = READER_COMMANDS.eject;
    expect(h(encodeCommand(cm, pm))).toBe(EXAMPLES.readerEject);
  });

  it('encodes the SELECT of the social security application as a user card APDU', () => {
    const [cm, pm] = READER_COMMANDS.apdu;
    expect(h(encodeCommand(cm, pm, SELECT_SSSE))).toBe(EXAMPLES.readerSelect);
  });

  it('encodes its answer: card inside, SW 9000', () => {
    const out = encodeResponse(0x51, 0x33, {
      kind: 'positive',
      sensors: { position: 'inside', binFull: false, insertionEnabled: false },
      data: Uint8Array.of(0x90, 0x00),
    });
    expect(h(out)).toBe(EXAMPLES.readerSelectAnswer);
  });

  it('encodes eject refused, card jammed', () => {
    expect(h(encodeResponse(0x32, 0x39, { kind: 'negative', e1e0: '04' }))).toBe(EXAMPLES.readerEjectJammed);
  });

  it('decodes each reader example to its fields', () => {
    expect(decodeFrame(b(EXAMPLES.readerStatus))).toEqual({ ok: true, frame: { type: 'C', address: 0, cm: 0x31, pm: 0x30, data: new Uint8Array(0) } });
    const gate = decodeFrame(b(EXAMPLES.readerStatusAnswerGate));
    expect(gate.ok && gate.frame.type === 'P' && parseSensors(gate.frame.st)).toEqual({ position: 'gate', binFull: false, insertionEnabled: false });
    const sel = decodeFrame(b(EXAMPLES.readerSelect));
    expect(sel.ok && sel.frame.type === 'C' && h(sel.frame.data)).toBe(h(SELECT_SSSE));
    const ans = decodeFrame(b(EXAMPLES.readerSelectAnswer));
    expect(ans.ok && ans.frame.type === 'P' && h(ans.frame.data)).toBe('90 00');
    expect(ans.ok && ans.frame.type === 'P' && parseSensors(ans.frame.st).position).toBe('inside');
    expect(decodeFrame(b(EXAMPLES.readerEjectJammed))).toEqual({ ok: true, frame: { type: 'N', address: 0, cm: 0x32, pm: 0x39, e1e0: '04' } });
  });

  it('rejects a frame with a wrong BCC, missing ETX or inconsistent length', () => {
    const bad = b(EXAMPLES.readerStatus);
    bad[8] ^= 1;
    expect(decodeFrame(bad)).toEqual({ ok: false, reason: 'BCC mismatch' });
    const noEtx = b('F2 00 00 03 43 31 30 04 B7');
    expect(decodeFrame(noEtx)).toEqual({ ok: false, reason: 'no ETX' });
    expect(decodeFrame(b('F2 00 00 04 43 31 30 03 B7')).ok).toBe(false);
  });

  it('parses all status digits', () => {
    expect(parseSensors(b('30 31 31'))).toEqual({ position: 'none', binFull: true, insertionEnabled: true });
    expect(parseSensors(b('32 30 31'))).toEqual({ position: 'inside', binFull: false, insertionEnabled: true });
    expect(() => parseSensors(b('33 30 30'))).toThrow(RangeError);
  });

  it('round-trips the contactless activation layout', () => {
    const card = { type: 'B' as const, uid: Uint8Array.of(1, 2, 3, 4), ats: Uint8Array.of(0x78, 0x80) };
    expect(h(encodeContactless(card))).toBe('42 04 01 02 03 04 78 80');
    expect(decodeContactless(encodeContactless(card))).toEqual(card);
    expect(decodeContactless(Uint8Array.of(0x43, 0))).toBeUndefined();
  });

  it('masks APDU payloads in traces but shows whole status frames', () => {
    expect(traceHeadFor(b(EXAMPLES.readerSelect))).toBe(7);
    expect(traceHeadFor(b(EXAMPLES.readerSelectAnswer))).toBe(10);
    expect(traceHeadFor(b(EXAMPLES.readerStatusAnswerGate))).toBe(12);
  });
});

describe('E1E0 error table', () => {
  const expected: Record<string, string> = {
    '00': 'READER_UNDEFINED_COMMAND',
    '01': 'READER_PARAMETER',
    '02': 'READER_WRONG_POSITION',
    '03': 'READER_MOTOR',
    '04': 'READER_JAMMED',
    '05': 'READER_BIN_FULL',
    '10': 'READER_NO_ATR',
    '11': 'READER_CARD_COMM',
    '12': 'READER_CARD_REMOVED',
    '20': 'READER_PSAM_ABSENT',
    '21': 'READER_PSAM_COMM',
    '30': 'READER_NO_CONTACTLESS',
    '31': 'READER_CONTACTLESS_COMM',
  };
  it('maps every code of the spec, both ways', () => {
    expect(READER_ERROR_TABLE).toEqual(expected);
    for (const [digits, code] of Object.entries(expected)) {
      const err = readerErrorFromE1E0(digits, 'eject');
      expect(err).toBeInstanceOf(ReaderError);
      expect(err.code).toBe(code);
      expect(err.e1e0).toBe(digits);
      expect(err.device).toBe('reader');
      expect(e1e0For(err.code)).toBe(digits);
    }
    expect(readerErrorFromE1E0('99').code).toBe('READER_UNKNOWN_ERROR');
  });
});
