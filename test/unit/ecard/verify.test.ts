import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEMO_ECARD_KID,
  DEMO_ECARD_PUBLIC_KEY_PEM,
  FOREIGN_ECARD_KID,
  FOREIGN_ECARD_PRIVATE_KEY_PEM,
  FOREIGN_ECARD_PUBLIC_KEY_PEM,
} from '../../../kiosk/ecard/demo-keys.js';
import { ECARD_ERROR_CODES, ECARD_REASONS, EcardError } from '../../../kiosk/ecard/errors.js';
import { encodeEcardPayload } from '../../../kiosk/ecard/format.js';
import { loadEcardPublicKeys } from '../../../kiosk/ecard/keys.js';
import { signEcardCode } from '../../../kiosk/ecard/sign.js';
import { ECARD_DEFAULT_SKEW_MS, assertEcardCode, verifyEcardCode } from '../../../kiosk/ecard/verify.js';
import { claims, demoSigned, NOW, NOW_SEC, TRUSTED, withPayload } from './helpers.js';

const verifyAt = (code: string, now = NOW, skewMs?: number) => verifyEcardCode(code, { publicKeys: TRUSTED, now, skewMs });
const codeOf = (r: ReturnType<typeof verifyAt>) => (r.ok ? 'OK' : r.error.code);

describe('offline verification', () => {
  it('accepts a fresh code signed with the demo key', () => {
    const c = claims();
    const r = verifyAt(demoSigned(c));
    expect(r).toEqual({ ok: true, claims: c });
    expect(assertEcardCode(demoSigned(c), { publicKeys: TRUSTED, now: NOW })).toEqual(c);
  });

  it('takes the trusted key as PEM or KeyObject, and refuses a key that is not Ed25519', () => {
    const code = demoSigned();
    expect(verifyEcardCode(code, { publicKeys: loadEcardPublicKeys(TRUSTED), now: NOW }).ok).toBe(true);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => verifyEcardCode(code, { publicKeys: { [DEMO_ECARD_KID]: rsa }, now: NOW })).toThrow(/Ed25519/);
    expect(() => loadEcardPublicKeys({ broken: 'not a pem' })).toThrow(/broken/);
  });

  it('ECARD_TAMPERED: a changed claim, a changed signature, or the wrong key under a trusted kid', () => {
    const code = demoSigned();
    const forged = withPayload(code, encodeEcardPayload({ ...claims(), cid: '110100D15600000599110146' }));
    expect(codeOf(verifyAt(forged))).toBe('ECARD_TAMPERED');
    const sig = Buffer.from(code.split('.')[2]!, 'base64url');
    sig[10] ^= 0x01;
    expect(codeOf(verifyAt(`${code.slice(0, code.lastIndexOf('.'))}.${sig.toString('base64url')}`))).toBe('ECARD_TAMPERED');
    // The foreign issuer's key claiming to be demo-1.
    expect(codeOf(verifyAt(signEcardCode(claims(), FOREIGN_ECARD_PRIVATE_KEY_PEM)))).toBe('ECARD_TAMPERED');
    // Nothing in a tampered code can be trusted, so no claims come back with the refusal.
    const r = verifyAt(forged);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.claims).toBeUndefined();
  });

  it('ECARD_FOREIGN: a kid this terminal does not trust (even one Object.prototype has)', () => {
    expect(codeOf(verifyAt(signEcardCode(claims({ kid: FOREIGN_ECARD_KID }), FOREIGN_ECARD_PRIVATE_KEY_PEM)))).toBe('ECARD_FOREIGN');
    expect(codeOf(verifyAt(signEcardCode(claims({ kid: 'constructor' }), FOREIGN_ECARD_PRIVATE_KEY_PEM)))).toBe('ECARD_FOREIGN');
    // Trusting both keys makes the foreign one verify: trust is the terminal's config, nothing else.
    const both = { ...TRUSTED, [FOREIGN_ECARD_KID]: FOREIGN_ECARD_PUBLIC_KEY_PEM };
    const foreign = signEcardCode(claims({ kid: FOREIGN_ECARD_KID }), FOREIGN_ECARD_PRIVATE_KEY_PEM);
    expect(verifyEcardCode(foreign, { publicKeys: both, now: NOW }).ok).toBe(true);
  });

  it('ECARD_EXPIRED past exp + skew, with the genuine claims attached', () => {
    const c = claims({ iat: NOW_SEC - 120, exp: NOW_SEC - 60 });
    const code = demoSigned(c);
    const r = verifyAt(code);
    expect(codeOf(r)).toBe('ECARD_EXPIRED');
    expect(r.ok === false && r.claims).toEqual(c);
    expect(() => assertEcardCode(code, { publicKeys: TRUSTED, now: NOW })).toThrow(EcardError);
  });

  it('ECARD_NOT_YET_VALID when iat is ahead beyond skew', () => {
    const code = demoSigned(claims({ iat: NOW_SEC + 120, exp: NOW_SEC + 180 }));
    expect(codeOf(verifyAt(code))).toBe('ECARD_NOT_YET_VALID');
    expect(codeOf(verifyAt(code, NOW, 120_000))).toBe('OK');
  });

  it('applies the skew at both ends, exactly', () => {
    expect(ECARD_DEFAULT_SKEW_MS).toBe(30_000);
    const exp = demoSigned(claims({ iat: NOW_SEC - 60, exp: NOW_SEC }));
    expect(codeOf(verifyAt(exp, NOW + 29_999))).toBe('OK');
    expect(codeOf(verifyAt(exp, NOW + 30_000))).toBe('ECARD_EXPIRED');
    expect(codeOf(verifyAt(exp, NOW - 1, 0))).toBe('OK');
    expect(codeOf(verifyAt(exp, NOW, 0))).toBe('ECARD_EXPIRED');
    const iat = demoSigned(claims({ iat: NOW_SEC, exp: NOW_SEC + 60 }));
    expect(codeOf(verifyAt(iat, NOW - 30_000))).toBe('OK');
    expect(codeOf(verifyAt(iat, NOW - 30_001))).toBe('ECARD_NOT_YET_VALID');
  });

  it('checks the signature before the lifetime: an expired forgery is TAMPERED', () => {
    const code = demoSigned(claims({ iat: NOW_SEC - 120, exp: NOW_SEC - 60 }));
    const forged = withPayload(code, encodeEcardPayload(claims({ iat: NOW_SEC - 120, exp: NOW_SEC - 60, cno: 'Z99999999' })));
    expect(codeOf(verifyAt(forged))).toBe('ECARD_TAMPERED');
  });

  it('gives every error code a short screen reason in both languages', () => {
    for (const code of ECARD_ERROR_CODES) {
      const e = new EcardError(code, 'x');
      expect(e.reason('zh-CN')).toBe(ECARD_REASONS[code]['zh-CN']);
      expect(e.reason('en').length).toBeGreaterThan(5);
      expect(e.reason().length).toBeLessThanOrEqual(24);
      expect(e.reason('en').length).toBeLessThanOrEqual(60);
    }
    expect(new EcardError('ECARD_EXPIRED', 'x').reason()).toBe('二维码已过期，请在手机上刷新');
    expect(DEMO_ECARD_PUBLIC_KEY_PEM).toContain('BEGIN PUBLIC KEY');
  });
});
