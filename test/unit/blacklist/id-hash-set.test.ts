import { describe, expect, it } from 'vitest';
import { KEY_WORDS, murmurKeyHash, packCardId, unpackCardId, type KeyHash } from '../../../kiosk/blacklist/card-id.js';
import { IdHashSet } from '../../../kiosk/blacklist/id-hash-set.js';

const id = (n: number) => `110100D156000005${String(n).padStart(8, '0')}`;

function pack(ids: readonly string[]): Uint32Array {
  const out = new Uint32Array(ids.length * KEY_WORDS);
  ids.forEach((s, i) => {
    if (!packCardId(s, out, i * KEY_WORDS)) throw new Error(`cannot pack ${s}`);
  });
  return out;
}

function has(set: IdHashSet, s: string): boolean {
  const k = pack([s]);
  return set.has(k[0]!, k[1]!, k[2]!, k[3]!);
}

describe('card id packing', () => {
  it('packs 32 hex digits into 16 bytes, the chip’s bytes, F-padded', () => {
    const k = pack(['330300D15600000599110145']);
    expect(Buffer.from(k.buffer).toString('hex').toUpperCase()).toBe('330300D15600000599110145FFFFFFFF');
    expect(unpackCardId(k, 0)).toBe('330300D15600000599110145FFFFFFFF');
    // Padding and case do not make another card.
    expect([...pack(['330300d15600000599110145FFFFFFFF'])]).toEqual([...k]);
    expect([...pack(['F'])]).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });

  it.each(['', '1'.repeat(33), '110100D15600000G', '110100 D156', '１１０１', '110100D156000005\n'])('refuses %j', (s) => {
    expect(packCardId(s, new Uint32Array(4), 0)).toBe(false);
  });
});

describe('IdHashSet', () => {
  it('finds exactly what was built, dropping duplicates', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => id(i * 2));
    const set = IdHashSet.build(pack([...ids, ...ids.slice(0, 100)]), 5100, murmurKeyHash);
    expect(set.size).toBe(5000);
    for (let i = 0; i < 10_000; i++) expect(has(set, id(i))).toBe(i % 2 === 0);
    expect(IdHashSet.empty(murmurKeyHash).has(0, 0, 0, 0)).toBe(false);
  });

  it('holds at most 32 bytes per entry (keys and directory)', () => {
    for (const n of [50_000, 65_537, 100_000]) {
      const set = IdHashSet.build(pack(Array.from({ length: n }, (_, i) => id(i))), n, murmurKeyHash);
      expect(set.bytes / set.size).toBeLessThanOrEqual(21);
    }
  });

  it('applies adds then removes into a new set, leaving the old one as it was', () => {
    const base = IdHashSet.build(pack([id(1), id(2), id(3)]), 3, murmurKeyHash);
    const adds = [id(4), id(5), id(1)];
    const removes = [id(2), id(5), id(99)];
    const { set, changed } = base.withChanges(pack(adds), 3, pack(removes), 3);
    expect([1, 2, 3, 4, 5].map((n) => has(set, id(n)))).toEqual([true, false, true, true, false]);
    expect([1, 2, 3, 4].map((n) => has(base, id(n)))).toEqual([true, true, true, false]);
    expect(changed).toHaveLength(2); // id(2) removed, id(4) added; id(5) added and removed is no change
    expect(base.withChanges(pack([id(1)]), 1, pack([id(9)]), 1).set).toBe(base);
  });

  it('keeps a delta-built set identical in answers and order to one built from scratch', () => {
    const n = 20_000;
    const all = Array.from({ length: n }, (_, i) => id(i));
    let set = IdHashSet.build(pack(all.slice(0, n / 2)), n / 2, murmurKeyHash);
    const adds = all.slice(n / 2);
    const removes = all.filter((_, i) => i % 3 === 0);
    set = set.withChanges(pack(adds), adds.length, pack(removes), removes.length).set;
    const expected = all.filter((_, i) => i % 3 !== 0);
    expect(set.size).toBe(expected.length);
    expect(all.map((s) => has(set, s))).toEqual(all.map((_, i) => i % 3 !== 0));
    // Still in hash order: adoptable as a snapshot, with the same directory as one computed afresh.
    const fresh = IdHashSet.fromSorted(set.keys, murmurKeyHash)!;
    const ranges = (x: IdHashSet) => Array.from({ length: 4096 }, (_, c) => x.rangeOf(c, 12).join()).join(';');
    expect(ranges(set)).toBe(ranges(fresh));
    // A small delta keeps the directory size: its offsets are shifted, not recomputed.
    const small = set.withChanges(pack([id(n + 1), id(n + 2)]), 2, pack([id(1), id(2), id(4)]), 3).set;
    expect(small.bytes - set.bytes).toBe(-16);
    expect(ranges(small)).toBe(ranges(IdHashSet.fromSorted(small.keys, murmurKeyHash)!));
    expect([id(1), id(2), id(4), id(n + 1), id(n + 2), id(5)].map((s) => has(small, s))).toEqual([false, false, false, true, true, true]);
  });

  it('resolves hash collisions exactly: every key in one bucket', () => {
    const constant: KeyHash = { id: 90, of: () => 0x5a5a5a5a };
    const ids = Array.from({ length: 300 }, (_, i) => id(i * 2));
    let set = IdHashSet.build(pack(ids), ids.length, constant);
    for (let i = 0; i < 600; i++) expect(has(set, id(i))).toBe(i % 2 === 0);
    set = set.withChanges(pack([id(1)]), 1, pack([id(0)]), 1).set;
    expect([has(set, id(0)), has(set, id(1)), has(set, id(2))]).toEqual([false, true, true]);
  });

  it('refuses to adopt keys that are not in hash order', () => {
    const set = IdHashSet.build(pack([id(1), id(2), id(3), id(4)]), 4, murmurKeyHash);
    const reversed = new Uint32Array(set.keys.length);
    for (let i = 0; i < 4; i++) reversed.set(set.keys.subarray(i * 4, i * 4 + 4), (3 - i) * 4);
    expect(IdHashSet.fromSorted(reversed, murmurKeyHash)).toBeNull();
  });
});
