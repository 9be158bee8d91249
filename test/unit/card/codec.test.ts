import { describe, expect, it } from 'vitest';
import * as apdu from '../../../kiosk/card/apdu.js';
import { atrHistoricalBytes } from '../../../kiosk/card/atr.js';
import { bcdDate, packBcd, unpackBcd } from '../../../kiosk/card/bcd.js';
import { decodeAn, encodeGbk } from '../../../kiosk/card/text.js';
import { findTag, parseSscRecord, parseTlv } from '../../../kiosk/card/tlv.js';
import { encodeAn, encodeCn, splitGbk } from '../../../drivers/card-reader/sim/chip/codec.js';
import { buildAtr } from '../../../drivers/card-reader/sim/chip/atr.js';
import { h, hx } from './helpers.js';

describe('APDU builders', () => {
  it('SELECT SSSE is the exact command of ssc-card.md', () => {
    expect(hx(apdu.selectByName(apdu.SSSE_AID))).toBe('00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF');
    expect(Buffer.from(apdu.SSSE_AID.subarray(7)).equals(Buffer.from(encodeGbk('社会保障')))).toBe(true);
  });
  it('SELECT UnionPay debit with Le 00', () => {
    expect(hx(apdu.selectByName(apdu.UNIONPAY_DEBIT_AID, 0))).toBe('00 A4 04 00 08 A0 00 00 03 33 01 01 01 00');
  });
  it('SELECT EF, READ RECORD, GET RESPONSE, INTERNAL AUTHENTICATE', () => {
    expect(hx(apdu.selectEf(apdu.EF05))).toBe('00 A4 02 00 02 EF 05');
    expect(hx(apdu.readRecord(1))).toBe('00 B2 01 04 00');
    expect(hx(apdu.readRecord(7, 0x0b, 5))).toBe('00 B2 07 2C 0B');
    expect(hx(apdu.getResponse(8))).toBe('00 C0 00 00 08');
    expect(hx(apdu.internalAuthenticate(h('0102030405060708'), h('1112131415161718')))).toBe(
      '00 88 00 00 10 01 02 03 04 05 06 07 08 11 12 13 14 15 16 17 18',
    );
  });
  it('PSAM commands', () => {
    expect(hx(apdu.selectByName(apdu.PSAM_AID))).toBe('00 A4 04 00 06 D1 56 00 00 05 90');
    expect(hx(apdu.psamDiversify(1, 4, h('5600000599110145')))).toBe('80 1A 01 04 08 56 00 00 05 99 11 01 45');
    expect(hx(apdu.psamEncrypt(h('0011223344556677')))).toBe('80 FA 00 00 08 00 11 22 33 44 55 66 77');
  });
  it('splitSw', () => {
    expect(apdu.splitSw(h('01029000'))).toEqual({ data: h('0102'), sw: 0x9000 });
    expect(apdu.splitSw(h('6A82'))).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
    expect(() => apdu.splitSw(h('90'))).toThrow(expect.objectContaining({ code: 'CARD_COMM' }));
  });
});

describe('cn (BCD)', () => {
  it('packs right-padded with F, hex digits allowed', () => {
    expect(hx(packBcd('330300D15600000599110145', 16))).toBe('33 03 00 D1 56 00 00 05 99 11 01 45 FF FF FF FF');
    expect(hx(packBcd('12345'))).toBe('12 34 5F');
    expect(hx(encodeCn('20341231', 4))).toBe('20 34 12 31');
    expect(hx(encodeCn('01', 1))).toBe('01');
    expect(() => packBcd('123', 1)).toThrow(RangeError);
    expect(() => encodeCn('123', 1)).toThrow(expect.objectContaining({ code: 'SIM_BAD_RECORD' }));
  });
  it('unpacks and strips the padding', () => {
    expect(unpackBcd(h('330300D15600000599110145FFFFFFFF'))).toBe('330300D15600000599110145');
    expect(unpackBcd(h('12345F'))).toBe('12345');
  });
  it('dates', () => {
    expect(bcdDate(h('20341231'))).toBe('2034-12-31');
    expect(bcdDate(h('20230229'))).toBeNull();
    expect(bcdDate(h('FFFFFFFF'))).toBeNull();
  });
});

describe('an (ASCII / GBK)', () => {
  it('encodes names in GBK, zero-padded', () => {
    expect(hx(encodeAn('张三', 6))).toBe('D5 C5 C8 FD 00 00');
    expect(hx(encodeAn('A12345678', 9))).toBe('41 31 32 33 34 35 36 37 38');
  });
  it('decodes and trims zero padding', () => {
    expect(decodeAn(h('D5C5C8FD000000000000'))).toBe('张三');
    expect(decodeAn(h('C0EED0E3D3A2FFFF'))).toBe('李秀英');
    expect(decodeAn(h('32'))).toBe('2');
    expect(decodeAn(new Uint8Array(4))).toBe('');
  });
  it('splits at a character boundary', () => {
    const [head, rest] = splitGbk('阿卜杜A热', 7);
    expect(hx(head)).toBe(hx(encodeGbk('阿卜杜A')));
    expect(rest).toBe('热');
    expect(splitGbk('张三', 3)[1]).toBe('三');
  });
});

describe('TLV', () => {
  it('parses nested BER-TLV and finds 9F0C', () => {
    const fci = h('6F19840F7378312E73682E C9E7BBE1B1A3D5CF A5069F0C03860101');
    expect(parseTlv(fci)).toHaveLength(1);
    expect(hx(findTag(fci, 0x9f0c)!)).toBe('86 01 01');
    expect(hx(findTag(fci, 0x84)!)).toBe(hx(apdu.SSSE_AID));
    expect(findTag(fci, 0x50)).toBeUndefined();
  });
  it('long lengths and malformed input', () => {
    const v = new Uint8Array(200).fill(7);
    const t = parseTlv(Uint8Array.from([0x5a, 0x81, 200, ...v]));
    expect(t[0]!.value.length).toBe(200);
    expect(() => parseTlv(h('5A05010203'))).toThrow(expect.objectContaining({ code: 'CARD_BAD_DATA' }));
  });
  it('SSC records: tag and length must match', () => {
    expect(hx(parseSscRecord(h('0A0131'), 0x0a))).toBe('31');
    expect(() => parseSscRecord(h('0B0131'), 0x0a)).toThrow(expect.objectContaining({ code: 'CARD_BAD_DATA' }));
    expect(() => parseSscRecord(h('0A0231'), 0x0a)).toThrow(expect.objectContaining({ code: 'CARD_BAD_DATA' }));
  });
});

describe('ATR', () => {
  it('gen 2 and gen 3 ATRs, byte-exact, with a valid TCK', () => {
    expect(hx(buildAtr(2))).toBe('3B E9 00 00 81 31 FE 45 59 4B 54 2D 53 53 43 2D 32 D5');
    expect(hx(buildAtr(3))).toBe('3B F9 95 00 00 81 31 FE 45 59 4B 54 2D 53 53 43 2D 33 51');
    for (const g of [2, 3] as const) expect(buildAtr(g).subarray(1).reduce((x, b) => x ^ b, 0)).toBe(0);
  });
  it('historical bytes are found behind the interface bytes', () => {
    expect(Buffer.from(atrHistoricalBytes(buildAtr(2))!).toString()).toBe('YKT-SSC-2');
    expect(Buffer.from(atrHistoricalBytes(buildAtr(3))!).toString()).toBe('YKT-SSC-3');
    expect(hx(atrHistoricalBytes(h('3B680000594B542D5053414D'))!)).toBe('59 4B 54 2D 50 53 41 4D');
    expect(atrHistoricalBytes(h('3BE90000'))).toBeNull();
  });
});
