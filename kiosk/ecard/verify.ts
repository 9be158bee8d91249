/**
 * Offline verification of an e-card code: structure, trusted key, signature, lifetime. Needs no
 * network, so a transit gate can decide within its time budget and a kiosk can decide while the
 * backend is unreachable (docs/ecard.md: what each caller then does).
 */
import { verify } from 'node:crypto';
import { EcardError } from './errors.js';
import { parseEcardCode, type EcardClaims } from './format.js';
import { ecardPublicKey, type EcardKeyInput } from './keys.js';

/** Tolerated difference between the issuer's clock (the phone's refresh) and the terminal's. */
export const ECARD_DEFAULT_SKEW_MS = 30_000;

export interface EcardVerifyOptions {
  /** Trusted issuer keys by kid (PEM or KeyObject). A kid not listed here is ECARD_FOREIGN. */
  publicKeys: Readonly<Record<string, EcardKeyInput>>;
  /** The terminal's time in ms: `clock.now()` of the injected Clock, so virtual time applies. */
  now: number;
  /** Default ECARD_DEFAULT_SKEW_MS. */
  skewMs?: number;
}

export type EcardVerification =
  | { ok: true; claims: EcardClaims }
  /**
   * `claims` is present when the signature verified (expired, not yet valid): they are genuine and
   * may be logged or shown ("张*, please refresh"); absent when nothing in the code can be trusted.
   */
  | { ok: false; error: EcardError; claims?: EcardClaims };

/** Verifies a scanned text; never throws for a bad code (only for a bad key in `publicKeys`). */
export function verifyEcardCode(text: string, opts: EcardVerifyOptions): EcardVerification {
  let parsed;
  try {
    parsed = parseEcardCode(text);
  } catch (err) {
    if (err instanceof EcardError) return { ok: false, error: err };
    throw err;
  }
  const { claims } = parsed;
  // Own-property lookup: a kid like "constructor" must not find something on Object.prototype.
  const keyInput = Object.hasOwn(opts.publicKeys, claims.kid) ? opts.publicKeys[claims.kid] : undefined;
  if (keyInput === undefined) {
    return { ok: false, error: new EcardError('ECARD_FOREIGN', `key id ${claims.kid} is not trusted by this terminal`) };
  }
  const key = ecardPublicKey(keyInput, `e-card public key ${claims.kid}`);
  if (!verify(null, parsed.signingInput, key, parsed.signature)) {
    return { ok: false, error: new EcardError('ECARD_TAMPERED', `signature does not verify under ${claims.kid}`) };
  }
  const skew = Math.max(0, opts.skewMs ?? ECARD_DEFAULT_SKEW_MS);
  if (opts.now >= claims.exp * 1000 + skew) {
    const ago = Math.round((opts.now - claims.exp * 1000) / 1000);
    return { ok: false, error: new EcardError('ECARD_EXPIRED', `code expired ${ago} s ago`), claims };
  }
  if (claims.iat * 1000 > opts.now + skew) {
    const ahead = Math.round((claims.iat * 1000 - opts.now) / 1000);
    return { ok: false, error: new EcardError('ECARD_NOT_YET_VALID', `code issued ${ahead} s in the future`), claims };
  }
  return { ok: true, claims };
}

/** verifyEcardCode for callers that prefer an exception: returns the claims or throws EcardError. */
export function assertEcardCode(text: string, opts: EcardVerifyOptions): EcardClaims {
  const r = verifyEcardCode(text, opts);
  if (!r.ok) throw r.error;
  return r.claims;
}
