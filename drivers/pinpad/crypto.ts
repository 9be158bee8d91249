/**
 * PIN pad cryptography, pure. In production these run inside the pad's secure processor; the host
 * uses only kcv() (to check what it loaded) and accountDigits(). The simulator and the simulated
 * bank use the rest, so both ends of a PIN block share one implementation.
 *
 *   ECB, no padding:  3DES = 2-key EDE (16-byte keys), SM4 = GB/T 32907 (16-byte keys)
 *   KCV:              first 3 bytes of E(key, zero block)
 *   PIN block 3DES:   ISO 9564-1 format 0 (8 bytes)
 *   PIN block SM4:    format 0 extended to 16 bytes (our convention, docs/pinpad.md):
 *                       PIN field  0L P…P F…F           padded with F to 32 nibbles
 *                       PAN field  0000 A×12 0000000000000000   (format-0 account field, zero-padded)
 *                     so the first 8 bytes equal the 3DES clear block and the last 8 are FF.
 *   MAC 3DES:         ISO 9797-1 algorithm 3 (ANSI X9.19 retail MAC), padding method 2, 8 bytes
 *   MAC SM4:          ISO 9797-1 algorithm 1 (CBC-MAC, zero IV), padding method 2, 16 bytes
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { sm4Ecb } from '../common/sm4.js';
import type { PinAlgorithm } from './codec.js';
import { PinPadError } from './errors.js';

export type { PinAlgorithm };

export const KEY_LENGTH = 16;

export function blockSize(alg: PinAlgorithm): number {
  return alg === 'sm4' ? 16 : 8;
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_LENGTH) throw new PinPadError('PINPAD_PARAMETER', { message: `key must be ${KEY_LENGTH} bytes, got ${key.length}` });
}

function checkBlocks(data: Uint8Array, alg: PinAlgorithm): void {
  if (data.length === 0 || data.length % blockSize(alg) !== 0) {
    throw new PinPadError('PINPAD_PARAMETER', { message: `data must be a multiple of ${blockSize(alg)} bytes, got ${data.length}` });
  }
}

function des(mode: 'enc' | 'dec', key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = mode === 'enc' ? createCipheriv('des-ede-ecb', key, null) : createDecipheriv('des-ede-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

const sm4 = sm4Ecb;

/** ECB encryption, no padding. */
export function ecbEncrypt(key: Uint8Array, alg: PinAlgorithm, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data, alg);
  return alg === 'sm4' ? sm4('enc', key, data) : des('enc', key, data);
}

/** ECB decryption, no padding. */
export function ecbDecrypt(key: Uint8Array, alg: PinAlgorithm, data: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(data, alg);
  return alg === 'sm4' ? sm4('dec', key, data) : des('dec', key, data);
}

/** Key check value: first 3 bytes of the key encrypting a block of zeros. */
export function kcv(key: Uint8Array, alg: PinAlgorithm): Uint8Array {
  return ecbEncrypt(key, alg, new Uint8Array(blockSize(alg))).slice(0, 3);
}

/** Constant-time comparison (KCVs are not secret, but this helper also serves MAC checks). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** ISO 9564 format 0 account digits: the 12 rightmost digits of the PAN excluding the check digit. */
export function accountDigits(pan: string): string {
  if (!/^\d{13,19}$/.test(pan)) throw new PinPadError('PINPAD_PARAMETER', { message: 'account number must be 13 to 19 digits' });
  return pan.slice(-13, -1);
}

export function isValidPin(pin: string): boolean {
  return /^\d{4,12}$/.test(pin);
}

function checkPin(pin: string): void {
  if (!isValidPin(pin)) throw new PinPadError('PINPAD_PIN_LENGTH', { message: 'PIN must be 4 to 12 digits' });
}

function hexBytes(nibbles: string): Uint8Array {
  return new Uint8Array(Buffer.from(nibbles, 'hex'));
}

/** PIN field `0L P…P F…F`, one block of the algorithm. */
export function pinField(pin: string, alg: PinAlgorithm): Uint8Array {
  checkPin(pin);
  const nibbles = ('0' + pin.length.toString(16) + pin).padEnd(blockSize(alg) * 2, 'F');
  return hexBytes(nibbles);
}

/** Account field `0000 A×12`, zero-padded to the algorithm's block. */
export function accountField(account12: string, alg: PinAlgorithm): Uint8Array {
  if (!/^\d{12}$/.test(account12)) throw new PinPadError('PINPAD_PARAMETER', { message: 'account field must be 12 digits' });
  return hexBytes(('0000' + account12).padEnd(blockSize(alg) * 2, '0'));
}

function xorInto(a: Uint8Array, b: Uint8Array): Uint8Array {
  for (let i = 0; i < a.length; i++) a[i] ^= b[i];
  return a;
}

/** Clear (unencrypted) format-0 PIN block. Callers zero it after encrypting. */
export function clearPinBlock(pin: string, account12: string, alg: PinAlgorithm): Uint8Array {
  return xorInto(pinField(pin, alg), accountField(account12, alg));
}

/** Encrypted format-0 PIN block: 8 bytes (3DES) or 16 bytes (SM4). */
export function encryptPinBlock(key: Uint8Array, alg: PinAlgorithm, pin: string, account12: string): Uint8Array {
  const clear = clearPinBlock(pin, account12, alg);
  try {
    return ecbEncrypt(key, alg, clear);
  } finally {
    clear.fill(0);
  }
}

/** Reads the PIN back from a clear block; undefined when the block is not a well-formed format 0 block. */
export function pinFromClearBlock(clear: Uint8Array, account12: string, alg: PinAlgorithm): string | undefined {
  if (clear.length !== blockSize(alg)) return undefined;
  const field = xorInto(clear.slice(), accountField(account12, alg));
  const nibbles = Buffer.from(field).toString('hex').toUpperCase();
  field.fill(0);
  if (nibbles[0] !== '0') return undefined;
  const n = parseInt(nibbles[1], 16);
  const pin = nibbles.slice(2, 2 + n);
  const pad = nibbles.slice(2 + n);
  if (n < 4 || n > 12 || !/^\d+$/.test(pin) || !/^F*$/.test(pad)) return undefined;
  return pin;
}

/** Packed BCD right-padded with F: the card's PIN convention (ssc-card.md, VERIFY). */
export function pinBcd(pin: string): Uint8Array {
  checkPin(pin);
  return hexBytes(pin.length % 2 ? pin + 'F' : pin);
}

/** VERIFY `00 20 00 00 Lc <BCD>`, Lc = ceil(n/2): `00 20 00 00 03 12 34 56` for a 6-digit PIN. */
export function verifyApdu(pin: string): Uint8Array {
  const bcd = pinBcd(pin);
  const apdu = Uint8Array.of(0x00, 0x20, 0x00, 0x00, bcd.length, ...bcd);
  bcd.fill(0);
  return apdu;
}

/**
 * CHANGE PIN `80 5E 01 00 Lc <old BCD> FF <new BCD>` (ssc-card.md), each PIN packed BCD F-padded
 * like VERIFY: `80 5E 01 00 07 12 34 56 FF 65 43 21` for two 6-digit PINs.
 */
export function changePinApdu(oldPin: string, newPin: string): Uint8Array {
  const o = pinBcd(oldPin);
  const n = pinBcd(newPin);
  const apdu = Uint8Array.of(0x80, 0x5e, 0x01, 0x00, o.length + 1 + n.length, ...o, 0xff, ...n);
  o.fill(0);
  n.fill(0);
  return apdu;
}

/** ISO 9797-1 padding method 2: 80 then zeros to the block boundary (always at least one byte). */
export function padMethod2(data: Uint8Array, block: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / block) + 1) * block);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** MAC over data with a working key (see the header for the two schemes). */
export function mac(key: Uint8Array, alg: PinAlgorithm, data: Uint8Array): Uint8Array {
  checkKey(key);
  const n = blockSize(alg);
  const padded = padMethod2(data, n);
  let chain: Uint8Array = new Uint8Array(n);
  if (alg === 'sm4') {
    for (let i = 0; i < padded.length; i += n) chain = sm4('enc', key, xorInto(chain, padded.subarray(i, i + n)));
    return chain;
  }
  // Retail MAC: single DES under K1 for every block (EDE with K1‖K1 is single DES), 3DES on the last.
  const k1k1 = new Uint8Array(16);
  k1k1.set(key.subarray(0, 8), 0);
  k1k1.set(key.subarray(0, 8), 8);
  for (let i = 0; i < padded.length; i += n) {
    const last = i + n === padded.length;
    chain = des('enc', last ? key : k1k1, xorInto(chain, padded.subarray(i, i + n)));
  }
  k1k1.fill(0);
  return chain;
}
