/**
 * The electronic social security card code as the embedded backend issues it (docs/ecard.md):
 *
 *   YKTEC1.<payload: base64url of compact JSON claims>.<signature: base64url, Ed25519>
 *
 * The signature covers the ASCII bytes `YKTEC1.<payload>`, prefix included, so a code cannot be
 * relabelled as another version. Pure: no keys, no clock; signing and verifying live next door.
 *
 * Anyone can photograph a QR code on a phone screen, so the claims carry nothing that identifies a
 * person on its own: the card's identification code and number, a masked name for the screen, and
 * a short lifetime. The ID number (社会保障号码) stays with the backend.
 */
import { z } from 'zod';
import { YktError } from '../../drivers/common/errors.js';
import { EcardError } from './errors.js';

export const ECARD_PREFIX = 'YKTEC1';
/** Longer text is refused before decoding: a scanner may deliver anything. A real code is ~300. */
export const ECARD_MAX_LENGTH = 512;
/** Ed25519 signatures are always 64 bytes. */
const SIGNATURE_BYTES = 64;

const B64URL = /^[A-Za-z0-9_-]+$/;
/** Another issuer's prefix still looks like a short label; anything else is not a card code at all. */
const PREFIX_SHAPE = /^[A-Za-z][A-Za-z0-9]{1,15}$/;
/** An ID number (18 chars) or any long digit run has no business in a code's display fields. */
const LONG_DIGITS = /\d{6,}/;

export const EcardKid = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'kid: lowercase letters, digits and dashes');

export const EcardClaimsSchema = z
  .object({
    /** Key id: which issuer key signed (the host trusts keys by kid). */
    kid: EcardKid,
    /** Card identification code (卡识别码) as read from EF05 01, F padding stripped. */
    cid: z.string().regex(/^\d{6}[0-9A-F]{10,26}$/, 'cid: 6-digit region code + hex'),
    /** Card number (卡号), 9 letters/digits. */
    cno: z.string().regex(/^[A-Z0-9]{9}$/, 'cno: 9 letters/digits'),
    /** Holder's name, masked (张*), for the screen only; never used to identify anyone. */
    nm: z.string().min(1).max(16).refine((s) => !LONG_DIGITS.test(s), 'nm must be a masked name'),
    /** Physical card's expiry YYYYMMDD, when the issuer knows it (display only). */
    ce: z.string().regex(/^\d{8}$/, 'ce: YYYYMMDD').optional(),
    /** Issued at, Unix seconds. */
    iat: z.number().int().min(0).max(2 ** 40),
    /** Expires at, Unix seconds. */
    exp: z.number().int().min(0).max(2 ** 40),
    /** The code's id: what the online status check asks about. */
    jti: z.string().regex(/^[0-9a-f]{16}$/, 'jti: 16 lowercase hex'),
  })
  .strict()
  .refine((c) => c.exp > c.iat, { message: 'exp must be after iat', path: ['exp'] });

export type EcardClaims = z.infer<typeof EcardClaimsSchema>;

export interface ParsedEcardCode {
  claims: EcardClaims;
  /** What the signature covers: ASCII `YKTEC1.<payload>`. */
  signingInput: Buffer;
  signature: Buffer;
}

/** Base64url without padding, and only in its canonical spelling (one code, one text). */
function decodeB64url(s: string, what: string): Buffer {
  const bytes = Buffer.from(s, 'base64url');
  if (bytes.length === 0 || bytes.toString('base64url') !== s) throw new EcardError('ECARD_MALFORMED', `${what} is not canonical base64url`);
  return bytes;
}

/** Claims in a fixed key order, so that the same claims always give the same text. */
export function encodeEcardPayload(claims: EcardClaims): string {
  const r = EcardClaimsSchema.safeParse(claims);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new YktError('ECARD_CLAIMS_INVALID', `e-card claims ${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  const c = r.data;
  const ordered = { kid: c.kid, cid: c.cid, cno: c.cno, nm: c.nm, ...(c.ce !== undefined ? { ce: c.ce } : {}), iat: c.iat, exp: c.exp, jti: c.jti };
  return Buffer.from(JSON.stringify(ordered), 'utf8').toString('base64url');
}

export function ecardSigningInput(payloadB64: string): Buffer {
  return Buffer.from(`${ECARD_PREFIX}.${payloadB64}`, 'ascii');
}

export function assembleEcardCode(payloadB64: string, signature: Uint8Array): string {
  return `${ECARD_PREFIX}.${payloadB64}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * Splits and decodes a scanned text; checks structure and claim schema only (no signature, no
 * time). Throws EcardError: ECARD_MALFORMED, or ECARD_FOREIGN for another issuer's prefix.
 */
export function parseEcardCode(text: string): ParsedEcardCode {
  // Scanners in keyboard mode end the text with CR/LF.
  const t = text.trim();
  if (t.length === 0) throw new EcardError('ECARD_MALFORMED', 'empty code');
  if (t.length > ECARD_MAX_LENGTH) throw new EcardError('ECARD_MALFORMED', `code longer than ${ECARD_MAX_LENGTH} characters`);
  const parts = t.split('.');
  if (parts.length !== 3) throw new EcardError('ECARD_MALFORMED', `code has ${parts.length} parts, expected 3`);
  const [prefix, payload, sig] = parts as [string, string, string];
  if (!PREFIX_SHAPE.test(prefix) || !B64URL.test(payload) || !B64URL.test(sig)) {
    throw new EcardError('ECARD_MALFORMED', 'code is not <prefix>.<base64url>.<base64url>');
  }
  if (prefix !== ECARD_PREFIX) throw new EcardError('ECARD_FOREIGN', `code prefix ${prefix} is not ${ECARD_PREFIX}`);

  const payloadBytes = decodeB64url(payload, 'payload');
  const signature = decodeB64url(sig, 'signature');
  if (signature.length !== SIGNATURE_BYTES) throw new EcardError('ECARD_MALFORMED', `signature is ${signature.length} bytes, expected ${SIGNATURE_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch (err) {
    throw new EcardError('ECARD_MALFORMED', 'payload is not UTF-8 JSON', { cause: err });
  }
  const r = EcardClaimsSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new EcardError('ECARD_MALFORMED', `payload ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`);
  }
  return { claims: r.data, signingInput: ecardSigningInput(payload), signature };
}
