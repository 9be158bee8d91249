import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ALGORITHM_ID,
  DEMO_KEYS,
  algorithmForGeneration,
  cryptogram,
  deriveCardKey,
  diversificationFactor,
} from '../../../drivers/card-reader/sim/chip/keys.js';
import { diversificationFactor as hostFactor } from '../../../kiosk/card/authenticate.js';
import { h, hx } from './helpers.js';

const ID_CODE = '330300D15600000599110145';

/** 2-key 3DES as 3-key EDE with K3 = K1: an independent path through OpenSSL. */
function ede3(key16: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('des-ede3-ecb', Buffer.concat([key16, key16.subarray(0, 8)]), null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

describe('diversification factor', () => {
  it('is the rightmost 16 hex digits of the card identification code', () => {
    expect(hx(diversificationFactor(ID_CODE))).toBe('56 00 00 05 99 11 01 45');
    expect(hx(hostFactor(ID_CODE))).toBe('56 00 00 05 99 11 01 45');
    expect(() => diversificationFactor('1234')).toThrow(expect.objectContaining({ code: 'SIM_BAD_CARD_ID' }));
    expect(() => hostFactor('1234')).toThrow(expect.objectContaining({ code: 'CARD_BAD_DATA' }));
  });
});

describe('3DES (generation 2)', () => {
  it('card key = 3DES(master, factor) ‖ 3DES(master, ~factor)', () => {
    const master = h('0123456789ABCDEF FEDCBA9876543210');
    const f = h('5600000599110145');
    const key = deriveCardKey(master, f, '3des');
    expect(hx(key.subarray(0, 8))).toBe(hx(ede3(master, f)));
    expect(hx(key.subarray(8))).toBe(hx(ede3(master, f.map((b) => ~b & 0xff))));
  });
  it('degenerates to single DES with K1 = K2 (known answer)', () => {
    const key = deriveCardKey(h('0101010101010101 0101010101010101'), h('0000000000000000'), '3des');
    expect(hx(key.subarray(0, 8))).toBe('8C A6 4D E9 C1 B1 23 A7');
  });
  it('pinned demo-key values (the PSAM and the card must agree on these)', () => {
    const key = deriveCardKey(DEMO_KEYS.des3.internalAuth, diversificationFactor(ID_CODE), '3des');
    expect(hx(key)).toBe(hx(h('821B49507A4C6416A82D45FE2E4A18FA')));
    expect(hx(cryptogram(key, h('0011223344556677'), '3des'))).toBe(hx(h('F7CE45E28B1BCB67')));
  });
});

describe('SM4 (generation 3)', () => {
  it('card key = SM4(master, factor ‖ ~factor): GB/T 32907 known answer', () => {
    // The standard's plaintext 0123…EF FEDC…10 is exactly factor ‖ ~factor for factor 0123…EF.
    const k = h('0123456789ABCDEF FEDCBA9876543210');
    expect(hx(deriveCardKey(k, h('0123456789ABCDEF'), 'sm4'))).toBe(hx(h('681EDF34D206965E86B3E94F536E4246')));
  });
  it('pinned demo-key values', () => {
    const key = deriveCardKey(DEMO_KEYS.sm4.internalAuth, diversificationFactor(ID_CODE), 'sm4');
    expect(hx(key)).toBe(hx(h('FF5AE239A1F74BB0E89C8ED3C4788BFB')));
    expect(hx(cryptogram(key, h('0011223344556677'), 'sm4'))).toBe(hx(h('8ED4DE5E6194FB09')));
  });
});

describe('key set', () => {
  it('demo keys are frozen, 16 bytes, and visibly test keys', () => {
    expect(Object.isFrozen(DEMO_KEYS)).toBe(true);
    for (const set of [DEMO_KEYS.des3, DEMO_KEYS.sm4]) {
      for (const k of [set.internalAuth, set.externalAuth]) {
        expect(k.length).toBe(16);
        expect(Buffer.from(k).toString('ascii')).toMatch(/^TEST-/);
      }
    }
  });
  it('algorithm per generation and its identifiers', () => {
    expect(algorithmForGeneration(2)).toBe('3des');
    expect(algorithmForGeneration(3)).toBe('sm4');
    expect(ALGORITHM_ID).toEqual({ '3des': 1, sm4: 4 });
  });
  it('rejects wrong lengths', () => {
    expect(() => deriveCardKey(new Uint8Array(8), new Uint8Array(8), '3des')).toThrow(
      expect.objectContaining({ code: 'SIM_BAD_KEY_LENGTH' }),
    );
    expect(() => cryptogram(new Uint8Array(16), new Uint8Array(7), 'sm4')).toThrow(
      expect.objectContaining({ code: 'SIM_BAD_KEY_LENGTH' }),
    );
  });
});
