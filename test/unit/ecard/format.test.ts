import { describe, expect, it } from 'vitest';
import { isEcardError } from '../../../kiosk/ecard/errors.js';
import {
  ECARD_MAX_LENGTH,
  ECARD_PREFIX,
  assembleEcardCode,
  encodeEcardPayload,
  parseEcardCode,
} from '../../../kiosk/ecard/format.js';
import { b64, claims, demoSigned, withPayload } from './helpers.js';

function parseError(text: string): string {
  try {
    parseEcardCode(text);
  } catch (e) {
    if (isEcardError(e)) return e.code;
    throw e;
  }
  throw new Error('expected the parse to fail');
}

describe('e-card code format', () => {
  it('round-trips claims through the code text', () => {
    const c = claims();
    const code = demoSigned(c);
    expect(code.startsWith(`${ECARD_PREFIX}.`)).toBe(true);
    expect(code.split('.')).toHaveLength(3);
    const parsed = parseEcardCode(code);
    expect(parsed.claims).toEqual(c);
    expect(parsed.signature).toHaveLength(64);
    expect(parsed.signingInput.toString('ascii')).toBe(code.slice(0, code.lastIndexOf('.')));
    // ce is optional: left out, it stays out.
    expect(parseEcardCode(demoSigned({ ce: undefined })).claims).not.toHaveProperty('ce');
  });

  it('encodes the same claims to the same text (fixed key order) and accepts scanner line endings', () => {
    const c = claims();
    const shuffled = Object.fromEntries(Object.entries(c).reverse()) as typeof c;
    expect(encodeEcardPayload(shuffled)).toBe(encodeEcardPayload(c));
    const code = demoSigned(c);
    expect(parseEcardCode(`${code}\r\n`).claims).toEqual(c);
  });

  it('stays small enough for a compact QR code, and never carries the ID number', () => {
    const code = demoSigned(claims({ nm: '欧阳*' }));
    expect(code.length).toBeLessThanOrEqual(310);
    expect(code).not.toMatch(/\d{17}[\dX]/);
    expect(Buffer.from(code.split('.')[1]!, 'base64url').toString('utf8')).not.toMatch(/\d{17}[\dX]/);
  });

  it('refuses to encode invalid claims', () => {
    expect(() => encodeEcardPayload(claims({ exp: claims().iat }))).toThrow(/exp must be after iat/);
    expect(() => encodeEcardPayload(claims({ nm: '张110101' }))).toThrow(/masked name/);
  });

  it('ECARD_MALFORMED: not the format, bad base64url, bad JSON, bad schema', () => {
    const code = demoSigned();
    const sig = code.split('.')[2]!;
    const cases: Record<string, string> = {
      empty: '',
      url: 'https://si.example.gov.cn/ecard?x=1',
      digits: '110101195001011234',
      'two parts': `${ECARD_PREFIX}.${code.split('.')[1]}`,
      'four parts': `${code}.AAAA`,
      'bad chars': `${ECARD_PREFIX}.ab+c/.${sig}`,
      'non-canonical base64url': withPayload(code, code.split('.')[1]! + 'A'),
      'padded base64': withPayload(code, code.split('.')[1]! + '=='),
      'not JSON': withPayload(code, b64('{"kid":"demo-1"')),
      'JSON array': withPayload(code, b64('[1,2]')),
      'missing claim': withPayload(code, b64(JSON.stringify({ ...claims(), jti: undefined }))),
      'extra claim': withPayload(code, b64(JSON.stringify({ ...claims(), ssn: '110101195001011234' }))),
      'wrong type': withPayload(code, b64(JSON.stringify({ ...claims(), exp: '1767574860' }))),
      'short signature': `${code.slice(0, code.lastIndexOf('.'))}.${Buffer.alloc(32).toString('base64url')}`,
      'too long': `${ECARD_PREFIX}.${'A'.repeat(ECARD_MAX_LENGTH)}.${sig}`,
      'invalid UTF-8': withPayload(code, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')),
    };
    for (const [what, text] of Object.entries(cases)) expect(parseError(text), what).toBe('ECARD_MALFORMED');
  });

  it('ECARD_FOREIGN: another issuer’s prefix or a later version of this one', () => {
    const [, payload, sig] = demoSigned().split('.');
    expect(parseError(`YKTEC2.${payload}.${sig}`)).toBe('ECARD_FOREIGN');
    expect(parseError(`HRSSEC.${payload}.${sig}`)).toBe('ECARD_FOREIGN');
    expect(parseEcardCode(assembleEcardCode(payload!, Buffer.from(sig!, 'base64url'))).claims.kid).toBe('demo-1');
  });
});
