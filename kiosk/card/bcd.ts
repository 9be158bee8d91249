/** `cn` (packed BCD, right-padded with F) as the SSC stores numbers, dates and its id code. */

/** Packs digits (hex digits allowed: the card id code carries a `D`), right-padding with F. */
export function packBcd(digits: string, length = Math.ceil(digits.length / 2)): Uint8Array {
  if (!/^[0-9A-Fa-f]*$/.test(digits)) throw new RangeError('packBcd: not digits');
  if (digits.length > length * 2) throw new RangeError(`packBcd: ${digits.length} digits exceed ${length} bytes`);
  return new Uint8Array(Buffer.from(digits.padEnd(length * 2, 'F'), 'hex'));
}

/** Unpacks to upper-case hex digits with the F padding removed. */
export function unpackBcd(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase().replace(/F+$/, '');
}

/** YYYYMMDD → YYYY-MM-DD, or null when the value is not a calendar date. */
export function bcdDate(bytes: Uint8Array): string | null {
  const d = unpackBcd(bytes);
  if (!/^\d{8}$/.test(d)) return null;
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : null;
}
