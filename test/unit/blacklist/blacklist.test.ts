import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Blacklist } from '../../../kiosk/blacklist/blacklist.js';
import { IdHashSet } from '../../../kiosk/blacklist/id-hash-set.js';

const id = (n: number) => `110100D156000005${String(n).padStart(8, '0')}`;

describe('IdHashSet', () => {
  it('finds what was added and nothing else, across growth', () => {
    const s = new IdHashSet(4);
    for (let i = 0; i < 5000; i += 2) s.add(id(i));
    expect(s.size).toBe(2500);
    for (let i = 0; i < 5000; i++) expect(s.has(id(i))).toBe(i % 2 === 0);
    s.add(id(0));
    expect(s.size).toBe(2500);
  });

  it('holds at most 32 bytes per entry', () => {
    const s = new IdHashSet(100_000);
    for (let i = 0; i < 100_000; i++) s.add(id(i));
    expect(s.bytes / s.size).toBeLessThanOrEqual(32);
  });
});

describe('Blacklist', () => {
  it('applies full and delta updates atomically, refuses stale deltas, survives reopening', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ykt-bl-')), 'bl.sqlite');
    const bl = new Blacklist(file);
    expect(bl.has(id(1))).toBe(false);
    bl.apply({ version: 5, full: true, add: [id(1), id(2), id(3)], remove: [] });
    expect([bl.has(id(1)), bl.has(id(2)), bl.has(id(4))]).toEqual([true, true, false]);
    bl.apply({ version: 6, full: false, add: [id(4)], remove: [id(2)] });
    expect([bl.has(id(2)), bl.has(id(4))]).toEqual([false, true]);
    expect(() => bl.apply({ version: 6, full: false, add: [id(9)], remove: [] })).toThrow(/not newer/);
    expect(bl.has(id(9))).toBe(false);
    bl.close();
    const again = new Blacklist(file);
    expect(again.version).toBe(6);
    expect(again.size).toBe(3);
    expect([again.has(id(1)), again.has(id(2)), again.has(id(3)), again.has(id(4))]).toEqual([true, false, true, true]);
    again.apply({ version: 7, full: true, add: [id(7)], remove: [] });
    expect([again.has(id(1)), again.has(id(7))]).toEqual([false, true]);
    again.close();
  });
});
