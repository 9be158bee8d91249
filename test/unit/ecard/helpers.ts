import { randomBytes } from 'node:crypto';
import { DEMO_ECARD_KID, DEMO_ECARD_PRIVATE_KEY_PEM, DEMO_ECARD_PUBLIC_KEYS } from '../../../kiosk/ecard/demo-keys.js';
import type { EcardClaims } from '../../../kiosk/ecard/format.js';
import { signEcardCode } from '../../../kiosk/ecard/sign.js';

/** 2026-01-05T01:00:00Z, the VirtualClock's default start. */
export const NOW = Date.UTC(2026, 0, 5, 1, 0, 0);
export const NOW_SEC = NOW / 1000;
export const TRUSTED = DEMO_ECARD_PUBLIC_KEYS;

export function claims(over: Partial<EcardClaims> = {}): EcardClaims {
  return {
    kid: DEMO_ECARD_KID,
    cid: '110100D15600000599110145',
    cno: 'A12345678',
    nm: '张*',
    ce: '20341231',
    iat: NOW_SEC,
    exp: NOW_SEC + 60,
    jti: randomBytes(8).toString('hex'),
    ...over,
  };
}

export const demoSigned = (over: Partial<EcardClaims> = {}) => signEcardCode(claims(over), DEMO_ECARD_PRIVATE_KEY_PEM);

/** Replaces the payload part of a code, keeping prefix and signature. */
export function withPayload(code: string, payload: string): string {
  const [prefix, , sig] = code.split('.');
  return `${prefix}.${payload}.${sig}`;
}

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
