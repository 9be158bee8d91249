import { describe, expect, it } from 'vitest';
import { type CardProfile, resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { DEMO_KEYS, buildAtr, createSimCard, cryptogram, deriveCardKey, diversificationFactor } from '../../../drivers/card-reader/sim/chip/index.js';
import { encodeGbk } from '../../../kiosk/card/text.js';
import { h, hx } from './helpers.js';

const SELECT_SSSE = '00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF';
const SELECT_UNIONPAY = '00 A4 04 00 08 A0 00 00 03 33 01 01 01 00';

function card(p: CardProfile = {}, options = {}) {
  const c = createSimCard(resolveCardProfile({ region: '330300', serial: '99110145', ...p }), DEMO_KEYS, options);
  c.powerOn();
  const tx = (s: string) => hx(c.transmit(h(s)));
  return { c, tx };
}

function inEf(p: CardProfile, ef: string) {
  const k = card(p);
  expect(k.tx(SELECT_SSSE)).toMatch(/90 00$/);
  expect(k.tx(`00 A4 02 00 02 ${ef}`)).toBe('90 00');
  return k;
}

describe('sim card: selection', () => {
  it('SELECT SSSE answers the FCI with 9F0C 03 86 01 01 (gen 2)', () => {
    expect(card().tx(SELECT_SSSE)).toBe(
      '6F 19 84 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF A5 06 9F 0C 03 86 01 01 90 00',
    );
  });
  it('gen 3 announces SM4 (algorithm id 04)', () => {
    expect(card({ generation: 3 }).tx(SELECT_SSSE)).toMatch(/9F 0C 03 86 01 04 90 00$/);
  });
  it('EFs by id with P1 = 02 or 00; unknown EF 6A82; EF outside SSSE 6A82', () => {
    const { tx } = card();
    expect(tx('00 A4 02 00 02 EF 05')).toBe('6A 82');
    tx(SELECT_SSSE);
    expect(tx('00 A4 02 00 02 EF 05')).toBe('90 00');
    expect(tx('00 A4 00 00 02 EF 06')).toBe('90 00');
    expect(tx('00 A4 02 00 02 EF 0D')).toBe('90 00');
    expect(tx('00 A4 02 00 02 EF 07')).toBe('6A 82');
    expect(tx('00 A4 00 00 02 3F 00')).toBe('90 00');
    expect(tx('00 A4 02 00 02 EF 05')).toBe('6A 82');
    expect(tx('00 A4 04 00 05 01 02 03 04 05')).toBe('6A 82');
    expect(tx('00 A4 08 00 02 EF 05')).toBe('6A 86');
  });
  it('a bank-only card has no SSSE (6A82) but its UnionPay application answers', () => {
    const { tx } = card({ ssc: false });
    expect(tx(SELECT_SSSE)).toBe('6A 82');
    expect(tx(SELECT_UNIONPAY)).toMatch(/^6F .* 90 00$/);
  });
});

describe('sim card: READ RECORD', () => {
  it('the example of ssc-card.md, byte-exact', () => {
    const { tx } = inEf({}, 'EF 05');
    expect(tx('00 B2 01 04 00')).toBe('01 10 33 03 00 D1 56 00 00 05 99 11 01 45 FF FF FF FF 90 00');
  });
  it('EF05 records', () => {
    const { tx } = inEf({ issueDate: '20241231', expiry: '20341231', cardNumber: 'A12345678' }, 'EF 05');
    expect(tx('00 B2 02 04 00')).toBe('02 01 31 90 00');
    expect(tx('00 B2 03 04 00')).toBe('03 04 32 2E 30 30 90 00');
    expect(tx('00 B2 04 04 00')).toBe('04 0C 33 03 00 00 00 00 FF FF FF FF FF FF 90 00');
    expect(tx('00 B2 05 04 00')).toBe('05 04 20 24 12 31 90 00');
    expect(tx('00 B2 06 04 00')).toBe('06 04 20 34 12 31 90 00');
    expect(tx('00 B2 07 04 00')).toBe('07 09 41 31 32 33 34 35 36 37 38 90 00');
  });
  it('EF06 records: ssn, GBK name zero-padded to 30, sex, ethnicity, birthplace, birth date', () => {
    const { tx } = inEf({ ssn: '110101195001011234', name: '张三' }, 'EF 06');
    expect(tx('00 B2 08 04 00')).toBe(`08 12 ${hx(Buffer.from('110101195001011234'))} 90 00`);
    expect(tx('00 B2 09 04 00')).toBe(`09 1E D5 C5 C8 FD${' 00'.repeat(26)} 90 00`);
    expect(tx('00 B2 0A 04 00')).toBe('0A 01 31 90 00');
    expect(tx('00 B2 0B 04 00')).toBe('0B 01 01 90 00');
    expect(tx('00 B2 0C 04 00')).toBe('0C 03 11 01 01 90 00');
    expect(tx('00 B2 0D 04 00')).toBe('0D 04 19 50 01 01 90 00');
    expect(tx('00 B2 4E 04 00')).toBe('6A 83'); // generation 2: no name extension
  });
  it('EF0D records EA / EB', () => {
    const { tx } = inEf({}, 'EF 0D');
    expect(tx('00 B2 EA 04 00')).toBe(`EA 0C ${hx(Buffer.from('330300110145'))} 90 00`);
    expect(tx('00 B2 EB 04 00')).toBe('EB 03 33 03 00 90 00');
  });
  it('a name longer than 15 characters continues in 4E on gen 3', () => {
    const name = '阿卜杜热西提·阿卜杜热合曼·买买提明';
    const { tx } = inEf({ name, generation: 3 }, 'EF 06');
    const gbk = encodeGbk(name);
    expect(tx('00 B2 09 04 00')).toBe(`09 1E ${hx(gbk.subarray(0, 30))} 90 00`);
    expect(tx('00 B2 4E 04 00')).toBe(`4E 14 ${hx(gbk.subarray(30))}${' 00'.repeat(20 - (gbk.length - 30))} 90 00`);
  });
  it('gen 3 answers spec version 3.00 and a different ATR', () => {
    const { c, tx } = inEf({ generation: 3 }, 'EF 05');
    expect(tx('00 B2 03 04 00')).toBe('03 04 33 2E 30 30 90 00');
    expect(hx(c.powerOn()!)).toBe(hx(buildAtr(3)));
    expect(hx(buildAtr(3))).not.toBe(hx(buildAtr(2)));
  });
  it('Le: exact length accepted, wrong length 6Cxx, absent Le taken as 00', () => {
    const { tx } = inEf({}, 'EF 05');
    expect(tx('00 B2 01 04 12')).toMatch(/^01 10 .* 90 00$/);
    expect(tx('00 B2 01 04 10')).toBe('6C 12');
    expect(tx('00 B2 02 04')).toBe('02 01 31 90 00');
  });
  it('unknown record 6A83, no current EF 6986, bad P2 6A86', () => {
    const { tx } = card();
    tx(SELECT_SSSE);
    expect(tx('00 B2 01 04 00')).toBe('69 86');
    tx('00 A4 02 00 02 EF 05');
    expect(tx('00 B2 08 04 00')).toBe('6A 83');
    expect(tx('00 B2 01 05 00')).toBe('6A 86');
  });
  it('reads by SFI in P2 (00 B2 07 2C 0B), which also makes that EF current', () => {
    const { tx } = card();
    tx(SELECT_SSSE);
    expect(tx('00 B2 07 2C 0B')).toBe('07 09 41 31 32 33 34 35 36 37 38 90 00');
    expect(tx('00 B2 01 04 00')).toMatch(/^01 10/);
    expect(tx('00 B2 01 3C 00')).toBe('6A 82'); // SFI 7: no such EF
  });
  it('protected reads (3.00 option): 6982 until external authentication', () => {
    const { c, tx } = card({ generation: 3 }, { protectedReads: true, random: () => h('0102030405060708') });
    tx(SELECT_SSSE);
    tx('00 A4 02 00 02 EF 05');
    expect(tx('00 B2 01 04 00')).toMatch(/90 00$/);
    expect(tx('00 B2 06 04 00')).toBe('69 82');
    expect(tx('00 84 00 00 08')).toBe('01 02 03 04 05 06 07 08 90 00');
    const key = deriveCardKey(DEMO_KEYS.sm4.externalAuth, diversificationFactor(c.cardIdCode), 'sm4');
    expect(tx(`00 82 00 04 10 00 00 00 00 00 00 00 00 01 02 03 04 05 06 07 08`)).toBe('63 00');
    tx('00 84 00 00 08');
    const crypt = hx(cryptogram(key, h('0102030405060708'), 'sm4'));
    expect(tx(`00 82 00 04 10 ${crypt} 01 02 03 04 05 06 07 08`)).toBe('90 00');
    expect(tx('00 B2 06 04 00')).toMatch(/^06 04 .* 90 00$/);
    // a challenge is good for one attempt
    expect(tx(`00 82 00 04 10 ${crypt} 01 02 03 04 05 06 07 08`)).toBe('69 85');
  });
});

describe('sim card: instruction and class checks', () => {
  it('wrong instruction 6D00, wrong class 6E00, malformed 6700, powered off 6F00', () => {
    const { c, tx } = card();
    expect(tx('00 CA 00 00 00')).toBe('6D 00');
    expect(tx('90 A4 04 00 02 3F 00')).toBe('6E 00');
    expect(tx('80 A4 00 00 02 3F 00')).toBe('6E 00');
    expect(tx('00 5E 01 00 07 12 34 56 FF 65 43 21')).toBe('6E 00');
    expect(tx('00 A4 04')).toBe('67 00');
    expect(tx('00 A4 04 00 05 01 02')).toBe('67 00');
    c.powerOff();
    expect(tx('00 A4 00 00 02 3F 00')).toBe('6F 00');
  });
  it('a damaged card does not answer reset', () => {
    const c = createSimCard(resolveCardProfile({ damaged: true }), DEMO_KEYS);
    expect(c.powerOn()).toBeNull();
  });
  it('powerOn resets the selection', () => {
    const { c, tx } = inEf({}, 'EF 05');
    c.powerOn();
    expect(tx('00 B2 01 04 00')).toBe('69 86');
  });
  it('label masks the ssn', () => {
    expect(card({ ssn: '110101195001011234' }).c.label).toBe('ssc-g2:110101********1234');
  });
});

describe('sim card: PIN', () => {
  it('VERIFY: success, 63Cx countdown, 63C0 on the last try, then 6983 even for the right PIN', () => {
    const { c, tx } = card({ pin: '123456' });
    expect(tx('00 20 00 00 03 12 34 56')).toBe('90 00');
    expect(tx('00 20 00 00 03 11 11 11')).toBe('63 C2');
    expect(tx('00 20 00 00 03 11 11 11')).toBe('63 C1');
    expect(tx('00 20 00 00 03 11 11 11')).toBe('63 C0');
    expect(c.pinTriesLeft).toBe(0);
    expect(tx('00 20 00 00 03 12 34 56')).toBe('69 83');
  });
  it('success resets the counter; the counter survives a power cycle', () => {
    const { c, tx } = card({ pin: '123456' });
    tx('00 20 00 00 03 11 11 11');
    c.powerOff();
    c.powerOn();
    expect(c.pinTriesLeft).toBe(2);
    expect(tx('00 20 00 00 03 12 34 56')).toBe('90 00');
    expect(c.pinTriesLeft).toBe(3);
  });
  it('a locked card (pinTriesLeft 0) answers 6983', () => {
    expect(card({ pinTriesLeft: 0 }).tx('00 20 00 00 03 12 34 56')).toBe('69 83');
  });
  it('VERIFY checks P1/P2, length and digits', () => {
    const { tx } = card();
    expect(tx('00 20 00 01 03 12 34 56')).toBe('6A 86');
    expect(tx('00 20 00 00 01 12')).toBe('67 00');
    expect(tx('00 20 00 00 03 12 3A 56')).toBe('6A 80');
  });
  it('CHANGE PIN 80 5E 01 00: wrong old PIN counts, right old PIN sets the new one', () => {
    const { tx } = card({ pin: '123456' });
    expect(tx('80 5E 01 00 07 11 11 11 FF 65 43 21')).toBe('63 C2');
    expect(tx('80 5E 01 00 07 12 34 56 FF 65 43 21')).toBe('90 00');
    expect(tx('00 20 00 00 03 12 34 56')).toBe('63 C2');
    expect(tx('00 20 00 00 03 65 43 21')).toBe('90 00');
    expect(tx('80 5E 01 00 06 12 34 56 65 43 21')).toBe('6A 80');
  });
});

describe('sim card: authentication', () => {
  it('GET CHALLENGE answers 8 random bytes', () => {
    const { tx } = card();
    expect(tx('00 84 00 00 08')).toMatch(/^([0-9A-F]{2} ){8}90 00$/);
    expect(tx('00 84 00 00 05')).toBe('67 00');
  });
  for (const generation of [2, 3] as const) {
    const alg = generation === 3 ? 'sm4' : '3des';
    it(`INTERNAL AUTHENTICATE, gen ${generation} (${alg}): cryptogram under the diversified key`, () => {
      const { c, tx } = card({ generation });
      expect(tx('00 88 00 00 10 56 00 00 05 99 11 01 45 00 11 22 33 44 55 66 77')).toBe('69 85'); // SSSE not selected
      tx(SELECT_SSSE);
      const factor = diversificationFactor(c.cardIdCode);
      const master = generation === 3 ? DEMO_KEYS.sm4.internalAuth : DEMO_KEYS.des3.internalAuth;
      const expected = cryptogram(deriveCardKey(master, factor, alg), h('0011223344556677'), alg);
      expect(tx(`00 88 00 00 10 ${hx(factor)} 00 11 22 33 44 55 66 77`)).toBe(`${hx(expected)} 90 00`);
      expect(tx(`00 88 00 00 10 ${hx(factor)} 00 11 22 33 44 55 66 77 08`)).toBe(`${hx(expected)} 90 00`);
      expect(tx('00 88 00 00 08 00 11 22 33 44 55 66 77')).toBe('67 00');
    });
    it(`a counterfeit gen ${generation} card answers a different cryptogram`, () => {
      const apdu = `00 88 00 00 10 56 00 00 05 99 11 01 45 00 11 22 33 44 55 66 77`;
      const genuine = card({ generation });
      const fake = card({ generation, genuine: false });
      genuine.tx(SELECT_SSSE);
      fake.tx(SELECT_SSSE);
      const a = genuine.tx(apdu);
      const b = fake.tx(apdu);
      expect(b).toMatch(/^([0-9A-F]{2} ){8}90 00$/);
      expect(b).not.toBe(a);
    });
  }
});

describe('sim card: UnionPay debit', () => {
  it('SELECT FCI, GPO, READ RECORD SFI 1 rec 1 with 5A and 5F24', () => {
    const { tx } = card({ financial: { pan: '6217000010012345678', expiry: '3012' } });
    expect(tx(SELECT_UNIONPAY)).toBe(
      `6F 1F 84 08 A0 00 00 03 33 01 01 01 A5 13 50 0E ${hx(Buffer.from('UnionPay Debit'))} 87 01 01 90 00`,
    );
    expect(tx('80 A8 00 00 02 83 00 00')).toBe('80 06 18 00 08 01 01 00 90 00');
    expect(tx('00 B2 01 0C 00')).toBe('70 12 5A 0A 62 17 00 00 10 01 23 45 67 8F 5F 24 03 30 12 31 90 00');
    expect(tx('00 B2 02 0C 00')).toBe('6A 83');
    expect(tx('00 B2 01 0C 10')).toBe('6C 14');
  });
  it('even-length PAN and a 30-day month', () => {
    const { tx } = card({ financial: { pan: '6217000010012345', expiry: '2906' } });
    tx(SELECT_UNIONPAY);
    expect(tx('00 B2 01 0C 00')).toBe('70 10 5A 08 62 17 00 00 10 01 23 45 5F 24 03 29 06 30 90 00');
  });
  it('no financial application: 6A82; GPO outside UnionPay: 6D00', () => {
    const { tx } = card({ financial: false });
    expect(tx(SELECT_UNIONPAY)).toBe('6A 82');
    expect(tx('80 A8 00 00 02 83 00 00')).toBe('6D 00');
  });
});
