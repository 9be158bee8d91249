/**
 * The 'garble' faults the scanner simulators share: the next code arrives damaged.
 *  - 'alter'   one byte replaced so the text differs but is still valid UTF-8 (a misread the host's
 *              signature check must refuse later)
 *  - 'invalid' one byte replaced by FF, never valid in UTF-8 (the driver reports SCANNER_INVALID_UTF8)
 */
export type GarbleKind = 'alter' | 'invalid';

/** A copy of `bytes` with one byte changed, from the middle on. */
export function garbleBytes(bytes: Uint8Array, kind: GarbleKind): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return out;
  const mid = out.length >> 1;
  if (kind === 'invalid') {
    out[mid] = 0xff;
    return out;
  }
  for (let k = 0; k < out.length; k++) {
    const i = (mid + k) % out.length;
    const b = out[i];
    if (b >= 0x21 && b <= 0x7e) {
      // Another printable ASCII character: '!'..'~' rotated by one.
      out[i] = b === 0x7e ? 0x21 : b + 1;
      return out;
    }
    const last = i + 1 === out.length || (out[i + 1] & 0xc0) !== 0x80;
    if ((b & 0xc0) === 0x80 && last) {
      // The last continuation byte of a multi-byte character: another character of the same block.
      out[i] = b ^ 0x01;
      return out;
    }
  }
  return out;
}

/** Character-level 'alter' for the keyboard wedge (which can only type what the layout has). */
export function garbleText(text: string): string {
  const chars = Array.from(text);
  if (chars.length === 0) return text;
  const mid = chars.length >> 1;
  const c = chars[mid];
  chars[mid] = c === 'A' ? 'B' : /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'A';
  return chars.join('');
}
