/**
 * The in-memory blacklist: every packed card id (16 bytes, exact — no fingerprints, so a hit
 * never has to be confirmed elsewhere), ordered by a 32-bit hash, plus a directory of bucket
 * offsets indexed by the hash's top bits, about n/2 buckets. A lookup is one hash, two directory
 * reads and on average two 4-word compares: constant time, no allocation, no per-entry objects
 * for the GC. Memory: 16 B/key + 2–4 B/key of directory (18.1 B/key at 1M).
 *
 * Immutable: an update builds a new set and the caller swaps it in once the update is stored, so
 * a failed update leaves the old set answering. The key array is also the on-disk snapshot.
 */
import { KEY_WORDS, type KeyHash } from './card-id.js';

/**
 * Keys are ordered by the top ORDER_BITS of their hash (ties in any order): enough for any
 * directory up to 2^24 buckets, and two 12-bit radix passes instead of three or four.
 */
const ORDER_SHIFT = 8;
const ORDER_BITS = 32 - ORDER_SHIFT;

/** Directory bits for n keys: about n/2 buckets. */
function dirBits(n: number): number {
  return Math.min(ORDER_BITS, Math.max(4, Math.ceil(Math.log2(Math.max(n, 1))) - 1));
}

function directory(hashes: Uint32Array, n: number, bits: number): Uint32Array {
  const dir = new Uint32Array((1 << bits) + 1);
  const shift = 32 - bits;
  for (let i = 0; i < n; i++) dir[(hashes[i]! >>> shift) + 1]!++;
  for (let b = 1; b < dir.length; b++) dir[b]! += dir[b - 1]!;
  return dir;
}

function offsets(count: Uint32Array): void {
  let sum = 0;
  for (let b = 0; b < count.length; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
}

/**
 * One stable radix pass on 12 bits of the hash, moving the keys with their hashes: sequential
 * reads and 4096 write streams, which caches take far better than gathering by index.
 */
function scatter(fromK: Uint32Array, fromH: Uint32Array, n: number, toK: Uint32Array, toH: Uint32Array, at: Uint32Array, shift: number): void {
  for (let i = 0, o = 0; i < n; i++, o += KEY_WORDS) {
    const h = fromH[i]!;
    const d = at[(h >>> shift) & 0xfff]!++;
    const p = d * KEY_WORDS;
    toH[d] = h;
    toK[p] = fromK[o]!;
    toK[p + 1] = fromK[o + 1]!;
    toK[p + 2] = fromK[o + 2]!;
    toK[p + 3] = fromK[o + 3]!;
  }
}

function sameKey(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
  return a[i] === b[j] && a[i + 1] === b[j + 1] && a[i + 2] === b[j + 2] && a[i + 3] === b[j + 3];
}

export interface SetChanges {
  set: IdHashSet;
  /** Hashes of the keys actually added or removed (the snapshot chunks to rewrite). */
  changed: number[];
}

export class IdHashSet {
  private readonly shift: number;

  private constructor(
    /** size × 4 words, in order of their hashes' top ORDER_BITS. */
    readonly keys: Uint32Array,
    readonly size: number,
    private readonly dir: Uint32Array,
    private readonly bits: number,
    readonly hash: KeyHash,
  ) {
    this.shift = 32 - bits;
  }

  static empty(hash: KeyHash): IdHashSet {
    return IdHashSet.build(new Uint32Array(0), 0, hash);
  }

  /** From n packed keys in any order; duplicates are dropped. */
  static build(packed: Uint32Array, n: number, hash: KeyHash): IdHashSet {
    const h0 = new Uint32Array(n);
    const lo = new Uint32Array(4096);
    const hi = new Uint32Array(4096);
    for (let i = 0, o = 0; i < n; i++, o += KEY_WORDS) {
      const h = hash.of(packed[o]!, packed[o + 1]!, packed[o + 2]!, packed[o + 3]!);
      h0[i] = h;
      lo[(h >>> ORDER_SHIFT) & 0xfff]!++;
      hi[h >>> 20]!++;
    }
    offsets(lo);
    offsets(hi);
    const tmpK = new Uint32Array(n * KEY_WORDS);
    const tmpH = new Uint32Array(n);
    scatter(packed, h0, n, tmpK, tmpH, lo, ORDER_SHIFT);
    const keys = new Uint32Array(n * KEY_WORDS);
    const hs = h0;
    scatter(tmpK, tmpH, n, keys, hs, hi, 20);
    // Drop duplicates in place. Equal keys have equal hashes, so they share a run of equal order bits.
    let m = 0;
    let runStart = 0;
    for (let i = 0, o = 0; i < n; i++, o += KEY_WORDS) {
      if (i > 0 && hs[i]! >>> ORDER_SHIFT !== hs[i - 1]! >>> ORDER_SHIFT) runStart = m;
      let dup = false;
      for (let j = runStart; j < m && !dup; j++) dup = sameKey(keys, j * KEY_WORDS, keys, o);
      if (dup) continue;
      if (m !== i) {
        keys.copyWithin(m * KEY_WORDS, o, o + KEY_WORDS);
        hs[m] = hs[i]!;
      }
      m++;
    }
    const bits = dirBits(m);
    return new IdHashSet(m === n ? keys : keys.slice(0, m * KEY_WORDS), m, directory(hs, m, bits), bits, hash);
  }

  /**
   * Adopts keys that should already be in hash order (a snapshot); null when they are not (written
   * with another hash, or damaged), and the caller rebuilds.
   */
  static fromSorted(keys: Uint32Array, hash: KeyHash): IdHashSet | null {
    const n = keys.length / KEY_WORDS;
    const hashes = new Uint32Array(n);
    let prev = 0;
    for (let i = 0, o = 0; i < n; i++, o += KEY_WORDS) {
      const h = hash.of(keys[o]!, keys[o + 1]!, keys[o + 2]!, keys[o + 3]!);
      if (h >>> ORDER_SHIFT < prev) return null;
      hashes[i] = h;
      prev = h >>> ORDER_SHIFT;
    }
    const bits = dirBits(n);
    return new IdHashSet(keys, n, directory(hashes, n, bits), bits, hash);
  }

  /** Bytes held in memory: keys and directory. */
  get bytes(): number {
    return this.keys.byteLength + this.dir.byteLength;
  }

  has(w0: number, w1: number, w2: number, w3: number): boolean {
    return this.indexOf(w0, w1, w2, w3) >= 0;
  }

  indexOf(w0: number, w1: number, w2: number, w3: number): number {
    const keys = this.keys;
    const b = this.hash.of(w0, w1, w2, w3) >>> this.shift;
    for (let i = this.dir[b]!, end = this.dir[b + 1]!, o = i * KEY_WORDS; i < end; i++, o += KEY_WORDS) {
      if (keys[o] === w0 && keys[o + 1] === w1 && keys[o + 2] === w2 && keys[o + 3] === w3) return i;
    }
    return -1;
  }

  private hashAt(i: number): number {
    const o = i * KEY_WORDS;
    return this.hash.of(this.keys[o]!, this.keys[o + 1]!, this.keys[o + 2]!, this.keys[o + 3]!);
  }

  /** The keys whose hash starts with `prefix` (its top `prefixBits` bits): [start, end). */
  rangeOf(prefix: number, prefixBits: number): [number, number] {
    if (this.bits >= prefixBits) {
      const s = this.bits - prefixBits;
      return [this.dir[prefix << s]!, this.dir[(prefix + 1) << s]!];
    }
    const b = prefix >>> (prefixBits - this.bits);
    const shift = 32 - prefixBits;
    let start = this.dir[b]!;
    const end0 = this.dir[b + 1]!;
    while (start < end0 && this.hashAt(start) >>> shift < prefix) start++;
    let end = start;
    while (end < end0 && this.hashAt(end) >>> shift === prefix) end++;
    return [start, end];
  }

  /** Position at which a key of hash h goes: after every key of smaller order bits. */
  private lowerBound(h: number): number {
    const b = h >>> this.shift;
    let i = this.dir[b]!;
    const end = this.dir[b + 1]!;
    while (i < end && this.hashAt(i) >>> ORDER_SHIFT < h >>> ORDER_SHIFT) i++;
    return i;
  }

  /**
   * A new set with `adds` then `removes` applied (a key in both ends up absent). O(n) copying, in
   * segments: the keys between two changes move with one `set`.
   */
  withChanges(adds: Uint32Array, nAdds: number, removes: Uint32Array, nRemoves: number): SetChanges {
    const gone = new Set<number>();
    const removed: number[] = [];
    const added: number[] = [];
    const rm = IdHashSet.build(removes, nRemoves, this.hash);
    for (let i = 0, o = 0; i < rm.size; i++, o += KEY_WORDS) {
      const at = this.indexOf(rm.keys[o]!, rm.keys[o + 1]!, rm.keys[o + 2]!, rm.keys[o + 3]!);
      if (at >= 0) {
        gone.add(at);
        removed.push(this.hashAt(at));
      }
    }
    // New keys in hash order, each with the position in this set it goes before.
    const add = IdHashSet.build(adds, nAdds, this.hash);
    const ins: { at: number; o: number }[] = [];
    for (let i = 0, o = 0; i < add.size; i++, o += KEY_WORDS) {
      const [w0, w1, w2, w3] = [add.keys[o]!, add.keys[o + 1]!, add.keys[o + 2]!, add.keys[o + 3]!];
      if (this.has(w0, w1, w2, w3) || rm.has(w0, w1, w2, w3)) continue;
      const h = add.hashAt(i);
      ins.push({ at: this.lowerBound(h), o });
      added.push(h);
    }
    const changed = removed.concat(added);
    if (changed.length === 0) return { set: this, changed };
    // `ins` is in hash order, hence in position order too: lowerBound is monotonic in the hash.
    const drop = [...gone].sort((a, b) => a - b);
    const m = this.size - drop.length + ins.length;
    const keys = new Uint32Array(m * KEY_WORDS);
    let src = 0;
    let dst = 0;
    const copyTo = (end: number) => {
      keys.set(this.keys.subarray(src * KEY_WORDS, end * KEY_WORDS), dst * KEY_WORDS);
      dst += end - src;
      src = end;
    };
    let d = 0;
    for (let k = 0; k <= ins.length; k++) {
      const at = k < ins.length ? ins[k]!.at : this.size;
      while (d < drop.length && drop[d]! < at) {
        copyTo(drop[d++]!);
        src++;
      }
      copyTo(at);
      if (k < ins.length) {
        keys.set(add.keys.subarray(ins[k]!.o, ins[k]!.o + KEY_WORDS), dst * KEY_WORDS);
        dst++;
      }
    }
    const bits = dirBits(m);
    if (bits !== this.bits) {
      const set = IdHashSet.fromSorted(keys, this.hash);
      if (!set) throw new Error('blacklist index out of order after a delta');
      return { set, changed };
    }
    // Same directory size: shift its offsets by the changes before each bucket instead of rehashing every key.
    const diff = new Int32Array(this.dir.length);
    for (const h of added) diff[(h >>> this.shift) + 1]!++;
    for (const h of removed) diff[(h >>> this.shift) + 1]!--;
    const dir = new Uint32Array(this.dir.length);
    for (let b = 0, run = 0; b < dir.length; b++) dir[b] = this.dir[b]! + (run += diff[b]!);
    return { set: new IdHashSet(keys, m, dir, bits, this.hash), changed };
  }
}
