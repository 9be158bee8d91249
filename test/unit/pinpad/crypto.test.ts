import { describe, expect, it } from 'vitest';
import {
  accountDigits,
  accountField,
  changePinApdu,
  clearPinBlock,
  ecbDecrypt,
  ecbEncrypt,
  encryptPinBlock,
  kcv,
  mac,
  pinBcd,
  pinField,
  pinFromClearBlock,
  verifyApdu,
} from '../../../drivers/pinpad/crypto.js';
import { decryptPinBlock, verifyPinBlock } from '../../../drivers/pinpad/sim/bank-side.js';

const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('block ciphers and KCV', () => {
  it('SM4: GB/T 32907 standard vector', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(hex(ecbEncrypt(k, 'sm4', k))).toBe('681EDF34D206965E86B3E94F536E4246');
    expect(hex(ecbDecrypt(k, 'sm4', h('681EDF34D206965E86B3E94F536E4246')))).toBe(hex(k));
  });

  it('3DES: K1 = K2 degenerates to single DES (classic DES vector 0123456789ABCDEF / zeros → D5D44FF720683D0D)', () => {
    const k = h('0123456789ABCDEF0123456789ABCDEF');
    expect(hex(ecbEncrypt(k, '3des', new Uint8Array(8)))).toBe('D5D44FF720683D0D');
    expect(hex(kcv(k, '3des'))).toBe('D5D44F');
  });

  it('3DES KCV of the two-key test key 0123456789ABCDEF FEDCBA9876543210 is 08D7B4', () => {
    expect(hex(kcv(h('0123456789ABCDEFFEDCBA9876543210'), '3des'))).toBe('08D7B4');
  });

  it('KCV is the first 3 bytes of E(key, zeros) for SM4 as well', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(hex(kcv(k, 'sm4'))).toBe(hex(ecbEncrypt(k, 'sm4', new Uint8Array(16)).subarray(0, 3)));
  });

  it('refuses wrong key and data lengths', () => {
    expect(() => ecbEncrypt(new Uint8Array(8), '3des', new Uint8Array(8))).toThrow(/16 bytes/);
    expect(() => ecbEncrypt(new Uint8Array(16), 'sm4', new Uint8Array(8))).toThrow(/multiple of 16/);
  });
});

describe('ISO 9564 format 0', () => {
  it('account digits: 12 rightmost excluding the check digit', () => {
    expect(accountDigits('4111111111111111')).toBe('111111111111');
    expect(accountDigits('6222021234567890123')).toBe('123456789012'); // 19-digit UnionPay PAN
    expect(() => accountDigits('123456789012')).toThrow();
  });

  it('classic example: PIN 1234, PAN 4111111111111111', () => {
    expect(hex(pinField('1234', '3des'))).toBe('041234FFFFFFFFFF');
    expect(hex(accountField('111111111111', '3des'))).toBe('0000111111111111');
    expect(hex(clearPinBlock('1234', '111111111111', '3des'))).toBe('041225EEEEEEEEEE');
  });

  it('SM4 extension: both fields padded to 16 bytes, first half = the 3DES clear block', () => {
    expect(hex(pinField('123456', 'sm4'))).toBe('06123456' + 'F'.repeat(24));
    expect(hex(accountField('111111111111', 'sm4'))).toBe('0000111111111111' + '0'.repeat(16));
    const clear = clearPinBlock('1234', '111111111111', 'sm4');
    expect(hex(clear)).toBe('041225EEEEEEEEEE' + 'FFFFFFFFFFFFFFFF');
    expect(pinFromClearBlock(clear, '111111111111', 'sm4')).toBe('1234');
  });

  it('encrypted blocks decrypt back (bank side) with the same key; a wrong PAN does not', () => {
    const k3 = h('0123456789ABCDEFFEDCBA9876543210');
    const b3 = encryptPinBlock(k3, '3des', '123456', accountDigits('6222021234567890123'));
    expect(b3).toHaveLength(8);
    expect(hex(ecbDecrypt(k3, '3des', b3))).toBe(hex(clearPinBlock('123456', '123456789012', '3des')));
    expect(decryptPinBlock(k3, '3des', b3, '6222021234567890123')).toBe('123456');
    expect(verifyPinBlock(k3, '3des', b3, '6222021234567890123', '123456')).toBe(true);
    expect(verifyPinBlock(k3, '3des', b3, '6222021234567890123', '654321')).toBe(false);
    expect(decryptPinBlock(k3, '3des', b3, '6222029999999990123')).toBeUndefined();

    const bs = encryptPinBlock(k3, 'sm4', '123456', '123456789012');
    expect(bs).toHaveLength(16);
    expect(decryptPinBlock(k3, 'sm4', bs, '6222021234567890123')).toBe('123456');
  });

  it('classic example encrypted under a known 3DES key is reproducible', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    expect(hex(encryptPinBlock(k, '3des', '1234', '111111111111'))).toBe(hex(ecbEncrypt(k, '3des', h('041225EEEEEEEEEE'))));
  });
});

describe('VERIFY APDU and MAC', () => {
  it('VERIFY 00 20 00 00 03 <BCD> for 6 digits; F-padded BCD, Lc = ceil(n/2) otherwise', () => {
    expect(hex(verifyApdu('123456'))).toBe('0020000003123456');
    expect(hex(verifyApdu('1234'))).toBe('00200000021234');
    expect(hex(verifyApdu('12345'))).toBe('0020000003' + '12345F');
    expect(hex(pinBcd('123456789012'))).toBe('123456789012');
    expect(() => verifyApdu('123')).toThrow();
  });

  it('3DES retail MAC (X9.19) with padding method 2, SM4 CBC-MAC', () => {
    const k = h('0123456789ABCDEFFEDCBA9876543210');
    const data = new Uint8Array(Buffer.from('yikatong'));
    const m3 = mac(k, '3des', data);
    expect(m3).toHaveLength(8);
    // Two blocks: "yikatong" and the padding block 80 00..; single DES K1 then 3DES.
    const k1 = h('0123456789ABCDEF0123456789ABCDEF');
    const first = ecbEncrypt(k1, '3des', data);
    const second = h('8000000000000000').map((b, i) => b ^ first[i]);
    expect(hex(m3)).toBe(hex(ecbEncrypt(k, '3des', second)));
    const ms = mac(k, 'sm4', data);
    expect(hex(ms)).toBe(hex(ecbEncrypt(k, 'sm4', h(Buffer.from('yikatong').toString('hex') + '8000000000000000'))));
  });
});

describe('CHANGE PIN APDU (ssc-card.md: 80 5E 01 00 Lc <old BCD> FF <new BCD>)', () => {
  it('two 6-digit PINs: Lc 07', () => {
    expect(hex(changePinApdu('123456', '246813'))).toBe('805E010007123456FF246813');
  });

  it('other lengths are F-padded like VERIFY', () => {
    expect(hex(changePinApdu('12345', '9876'))).toBe('805E01000612345FFF9876');
    expect(hex(changePinApdu('1234', '9876543'))).toBe('805E0100071234FF9876543F');
    expect(() => changePinApdu('123', '123456')).toThrow();
  });
});
