/**
 * Card identification codes (卡识别码, EF05 record 01) as 16-byte keys: the code is `cn` on the
 * chip (BCD nibbles, right-padded with F), so 32 hex digits fit 16 bytes whatever their content,
 * and `110100D15600000512345678` and `110100D15600000512345678FFFFFFFF` are the same card.
 */

export const KEY_WORDS = 4;
export const KEY_BYTES = 16;

const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) NIBBLE[48 + c] = c;
for (let c = 0; c < 6; c++) NIBBLE[65 + c] = NIBBLE[97 + c] = 10 + c;

/**
 * Packs `id` into `out[at .. at+3]`. Word w holds bytes 4w..4w+3 of the chip's encoding read
 * little-endian, so on a little-endian host the key array's bytes are the chip's bytes and the
 * snapshot on disk is portable. Returns false (out partly written) when `id` is not 1–32 hex digits.
 */
export function packCardId(id: string, out: Uint32Array, at: number): boolean {
  const len = id.length;
  if (len === 0 || len > 32) return false;
  let bad = 0;
  for (let w = 0, i = 0; w < KEY_WORDS; w++) {
    let word = 0;
    for (let j = 0; j < 8; j++, i++) {
      // Byte j>>1 of the word; within a byte the first digit is the high nibble.
      const shift = ((j >> 1) << 3) | ((~j & 1) << 2);
      let v = 15;
      if (i < len) {
        const c = id.charCodeAt(i);
        v = c < 128 ? NIBBLE[c]! : -1;
        bad |= v;
      }
      word |= (v & 15) << shift;
    }
    out[at + w] = word;
  }
  return bad >= 0;
}

/** The canonical text of a packed key: 32 upper-case hex digits, padding included. */
export function unpackCardId(keys: Uint32Array, at: number): string {
  let s = '';
  for (let w = 0; w < KEY_WORDS; w++) {
    const word = keys[at + w]!;
    for (let b = 0; b < 4; b++) s += ((word >>> (b * 8)) & 0xff).toString(16).padStart(2, '0');
  }
  return s.toUpperCase();
}

/** A 32-bit hash of a packed key. `id` is persisted with the snapshot: another hash means a rebuild. */
export interface KeyHash {
  readonly id: number;
  of(w0: number, w1: number, w2: number, w3: number): number;
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * MurmurHash3 (x86, 32-bit) over the four words. The codes are very regular (region, the fixed
 * `D156000005`, a serial), so a weak mix would pile them into a few buckets.
 */
export const murmurKeyHash: KeyHash = {
  id: 1,
  of(w0, w1, w2, w3) {
    let h = mix(mix(mix(mix(0x5eed1234, w0), w1), w2), w3) ^ KEY_BYTES;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  },
};
