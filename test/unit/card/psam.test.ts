import { describe, expect, it } from 'vitest';
import { DEMO_KEYS, PSAM_ATR, createSimPsam, cryptogram, deriveCardKey } from '../../../drivers/card-reader/sim/chip/index.js';
import { h, hx } from './helpers.js';

function psam() {
  const p = createSimPsam(DEMO_KEYS);
  const tx = (s: string) => hx(p.transmit(h(s)));
  return { p, tx };
}

const FACTOR = '56 00 00 05 99 11 01 45';
const RANDOM = '00 11 22 33 44 55 66 77';

describe('sim PSAM', () => {
  it('answers reset with its ATR and nothing while powered off', () => {
    const { p, tx } = psam();
    expect(tx('00 A4 04 00 06 D1 56 00 00 05 90')).toBe('6F 00');
    expect(hx(p.powerOn()!)).toBe(hx(PSAM_ATR));
  });
  for (const [alg, id] of [['3des', '01'], ['sm4', '04']] as const) {
    it(`SELECT, 80 1A diversify, 80 FA → 6108, GET RESPONSE (${alg})`, () => {
      const { p, tx } = psam();
      p.powerOn();
      expect(tx('00 A4 04 00 06 D1 56 00 00 05 90')).toBe('90 00');
      expect(tx(`80 1A 01 ${id} 08 ${FACTOR}`)).toBe('90 00');
      expect(tx(`80 FA 00 00 08 ${RANDOM}`)).toBe('61 08');
      const master = alg === 'sm4' ? DEMO_KEYS.sm4.internalAuth : DEMO_KEYS.des3.internalAuth;
      const expected = cryptogram(deriveCardKey(master, h(FACTOR), alg), h(RANDOM), alg);
      expect(tx('00 C0 00 00 08')).toBe(`${hx(expected)} 90 00`);
      expect(tx('00 C0 00 00 08')).toBe('69 85'); // nothing pending any more
    });
  }
  it('external-auth key usage (P1 = 02) uses the other master key', () => {
    const { p, tx } = psam();
    p.powerOn();
    tx('00 A4 04 00 06 D1 56 00 00 05 90');
    tx(`80 1A 02 01 08 ${FACTOR}`);
    tx(`80 FA 00 00 08 ${RANDOM}`);
    const expected = cryptogram(deriveCardKey(DEMO_KEYS.des3.externalAuth, h(FACTOR), '3des'), h(RANDOM), '3des');
    expect(tx('00 C0 00 00 08')).toBe(`${hx(expected)} 90 00`);
  });
  it('refuses out-of-order and malformed commands', () => {
    const { p, tx } = psam();
    p.powerOn();
    expect(tx(`80 1A 01 01 08 ${FACTOR}`)).toBe('69 85'); // not selected
    expect(tx('00 A4 04 00 06 D1 56 00 00 05 91')).toBe('6A 82');
    expect(tx('00 A4 04 00 06 D1 56 00 00 05 90')).toBe('90 00');
    expect(tx(`80 FA 00 00 08 ${RANDOM}`)).toBe('69 85'); // no diversified key
    expect(tx(`80 1A 03 01 08 ${FACTOR}`)).toBe('6A 86');
    expect(tx(`80 1A 01 02 08 ${FACTOR}`)).toBe('6A 86');
    expect(tx('80 1A 01 01 04 56 00 00 05')).toBe('67 00');
    expect(tx(`00 1A 01 01 08 ${FACTOR}`)).toBe('6E 00');
    expect(tx('80 CA 00 00 00')).toBe('6D 00');
    expect(tx('00 C0 00 00 08')).toBe('69 85');
    tx(`80 1A 01 01 08 ${FACTOR}`);
    tx(`80 FA 00 00 08 ${RANDOM}`);
    expect(tx('00 C0 00 00 10')).toBe('6C 08');
    expect(tx('00 C0 00 00 08')).toMatch(/^([0-9A-F]{2} ){8}90 00$/);
  });
  it('power cycle forgets the selection and the key', () => {
    const { p, tx } = psam();
    p.powerOn();
    tx('00 A4 04 00 06 D1 56 00 00 05 90');
    tx(`80 1A 01 01 08 ${FACTOR}`);
    p.powerOff();
    p.powerOn();
    expect(tx(`80 FA 00 00 08 ${RANDOM}`)).toBe('69 85');
  });
});
