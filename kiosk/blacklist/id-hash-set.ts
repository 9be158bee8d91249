/**
 * A compact, constant-time set of card ids for the local blacklist: each id is reduced to a 64-bit
 * hash (two independent 32-bit FNV-1a variants) stored in an open-addressing table of Uint32 pairs
 * at most half full — 16 bytes per entry, no per-entry objects for the GC to walk. A hit may be a
 * hash collision (about n / 2^64), so callers confirm hits against the exact store.
 */
const EMPTY_HI = 0;
const EMPTY_LO = 0;

function hashPair(id: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 >>>= 0;
  h2 >>>= 0;
  // (0,0) marks an empty slot.
  if (h1 === EMPTY_HI && h2 === EMPTY_LO) h2 = 1;
  return [h1, h2];
}

export class IdHashSet {
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.table = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table itself. */
  get bytes(): number {
    return this.table.byteLength;
  }

  add(id: string): void {
    const [a, b] = hashPair(id);
    if (this.insert(a, b)) {
      this.count++;
      if (this.count * 2 > this.mask + 1) this.grow();
    }
  }

  has(id: string): boolean {
    const [a, b] = hashPair(id);
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const x = this.table[i * 2]!;
      const y = this.table[i * 2 + 1]!;
      if (x === EMPTY_HI && y === EMPTY_LO) return false;
      if (x === a && y === b) return true;
      i = (i + 1) & this.mask;
    }
  }

  private insert(a: number, b: number): boolean {
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const x = this.table[i * 2]!;
      const y = this.table[i * 2 + 1]!;
      if (x === EMPTY_HI && y === EMPTY_LO) {
        this.table[i * 2] = a;
        this.table[i * 2 + 1] = b;
        return true;
      }
      if (x === a && y === b) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a !== EMPTY_HI || b !== EMPTY_LO) this.insert(a, b);
    }
  }
}
