/** Chip-side encoders for the SSC record value types (`cn` packed BCD, `an` ASCII/GBK). */
import iconv from 'iconv-lite';
import { YktError } from '../../../common/errors.js';

/** `cn`: hex digits packed two per byte, right-padded with F. The card id code carries a `D`. */
export function encodeCn(digits: string, length: number): Uint8Array {
  if (!/^[0-9A-Fa-f]*$/.test(digits) || digits.length > length * 2) {
    throw new YktError('SIM_BAD_RECORD', `cannot pack ${digits.length} digits into ${length} cn bytes`);
  }
  return new Uint8Array(Buffer.from(digits.padEnd(length * 2, 'F'), 'hex'));
}

/** `an`: GBK (ASCII is a subset), zero-padded to the record length. */
export function encodeAn(text: string, length: number): Uint8Array {
  const [head] = splitGbk(text, length);
  const out = new Uint8Array(length);
  out.set(head, 0);
  return out;
}

/**
 * Splits a GBK encoding at a character boundary so that the head fits `maxBytes`: a name that
 * overflows record 09 continues in record 4E without cutting a two-byte character in half.
 */
export function splitGbk(text: string, maxBytes: number): [Uint8Array, string] {
  const chars = Array.from(text);
  let used = 0;
  let i = 0;
  for (; i < chars.length; i++) {
    const n = iconv.encode(chars[i]!, 'gbk').length;
    if (used + n > maxBytes) break;
    used += n;
  }
  return [new Uint8Array(iconv.encode(chars.slice(0, i).join(''), 'gbk')), chars.slice(i).join('')];
}
