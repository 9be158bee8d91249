/**
 * Key diversification for social security cards, as both sides of the simulation use it: the
 * simulated card stores the diversified key; the simulated PSAM holds the master key and derives
 * the same card key on demand. One scheme on both sides is what makes internal authentication
 * meaningful; docs/card-application.md describes it for whoever replaces the simulator.
 *
 *   factor   = the rightmost 16 hex digits (8 bytes) of the card identification code
 *   3DES     : cardKey = 3DES(master, factor) ‖ 3DES(master, ~factor)      (2-key EDE, ECB)
 *   SM4      : cardKey = SM4(master, factor ‖ ~factor)                       (ECB, one block)
 *   cryptogram (internal authentication, 8 bytes):
 *   3DES     : 3DES(cardKey, random)
 *   SM4      : first 8 bytes of SM4(cardKey, random ‖ 80 00 00 00 00 00 00 00)
 */
import { createCipheriv } from 'node:crypto';
import { YktError } from '../../../common/errors.js';
import { sm4Ecb } from '../../../common/sm4.js';

export type CardAlgorithm = '3des' | 'sm4';

/** The algorithm identifier in the SSSE FCI (`9F0C 03 86 01 XX`) and in the PSAM's P2. */
export const ALGORITHM_ID: Readonly<Record<CardAlgorithm, number>> = { '3des': 0x01, sm4: 0x04 };

export function algorithmForGeneration(generation: 2 | 3): CardAlgorithm {
  return generation === 3 ? 'sm4' : '3des';
}

export interface MasterKeys {
  /** 16 bytes: internal authentication (card genuineness). */
  readonly internalAuth: Uint8Array;
  /** 16 bytes: external authentication (terminal proves itself to the card). */
  readonly externalAuth: Uint8Array;
}

/** The issuer master keys a PSAM holds, one set per algorithm. */
export interface SimKeySet {
  readonly des3: MasterKeys;
  readonly sm4: MasterKeys;
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

/**
 * TEST KEYS ONLY. Readable ASCII on purpose, so nobody mistakes them for real issuer keys; a real
 * PSAM never lets its master keys out, and production code never sees this constant.
 */
export const DEMO_KEYS: SimKeySet = Object.freeze({
  des3: Object.freeze({ internalAuth: ascii('TEST-3DES-IAK-01'), externalAuth: ascii('TEST-3DES-EAK-01') }),
  sm4: Object.freeze({ internalAuth: ascii('TEST-SM4--IAK-01'), externalAuth: ascii('TEST-SM4--EAK-01') }),
});

export function masterKey(keys: SimKeySet, alg: CardAlgorithm, usage: keyof MasterKeys): Uint8Array {
  return (alg === 'sm4' ? keys.sm4 : keys.des3)[usage];
}

/** The 8-byte diversification factor: the rightmost 16 hex digits of the card identification code. */
export function diversificationFactor(cardIdCode: string): Uint8Array {
  if (!/^[0-9A-Fa-f]{16,}$/.test(cardIdCode)) {
    throw new YktError('SIM_BAD_CARD_ID', 'card identification code must be at least 16 hex digits');
  }
  return new Uint8Array(Buffer.from(cardIdCode.slice(-16), 'hex'));
}

function des3(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('des-ede-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

function sm4(key: Uint8Array, block: Uint8Array): Uint8Array {
  return sm4Ecb('enc', key, block);
}

function checkLen(what: string, b: Uint8Array, n: number): void {
  if (b.length !== n) throw new YktError('SIM_BAD_KEY_LENGTH', `${what} must be ${n} bytes, got ${b.length}`);
}

const complement = (b: Uint8Array) => b.map((v) => ~v & 0xff);

export function deriveCardKey(master: Uint8Array, factor: Uint8Array, alg: CardAlgorithm): Uint8Array {
  checkLen('master key', master, 16);
  checkLen('diversification factor', factor, 8);
  const both = new Uint8Array(16);
  both.set(factor, 0);
  both.set(complement(factor), 8);
  if (alg === 'sm4') return sm4(master, both);
  both.set(des3(master, factor), 0);
  both.set(des3(master, complement(factor)), 8);
  return both;
}

/** Encrypts an 8-byte block under a card key and returns 8 bytes (SM4: ISO 9797-1 padding 2, truncated). */
export function cryptogram(cardKey: Uint8Array, data: Uint8Array, alg: CardAlgorithm): Uint8Array {
  checkLen('card key', cardKey, 16);
  checkLen('cryptogram input', data, 8);
  if (alg === '3des') return des3(cardKey, data);
  const block = new Uint8Array(16);
  block.set(data, 0);
  block[8] = 0x80;
  return sm4(cardKey, block).slice(0, 8);
}
