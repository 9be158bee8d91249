import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Blacklist, BlacklistError } from '../../../kiosk/blacklist/blacklist.js';
import type { KeyHash } from '../../../kiosk/blacklist/card-id.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const id = (n: number) => `110100D156000005${String(n).padStart(8, '0')}`;
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => id(from + i));
const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'ykt-bl-')), 'bl.sqlite');
/** has() over 0..n-1 as one string: a single comparison instead of n expects. */
const answers = (bl: Blacklist, n: number) => Array.from({ length: n }, (_, i) => (bl.has(id(i)) ? '1' : '0')).join('');
const pattern = (n: number, listed: (i: number) => boolean) => Array.from({ length: n }, (_, i) => (listed(i) ? '1' : '0')).join('');

function thrown(f: () => unknown): BlacklistError {
  try {
    f();
  } catch (e) {
    if (e instanceof BlacklistError) return e;
    throw e;
  }
  throw new Error('expected a BlacklistError');
}

describe('Blacklist updates', () => {
  it('applies full lists and deltas, ignores old deltas, survives reopening', () => {
    const file = tmpFile();
    const bl = new Blacklist(file);
    expect([bl.version, bl.size, bl.loadedFrom, bl.has(id(1))]).toEqual([0, 0, 'empty', false]);
    expect(bl.apply({ version: 5, full: true, add: [id(1), id(2), id(3)], remove: [] })).toBe(true);
    expect([bl.has(id(1)), bl.has(id(2)), bl.has(id(4))]).toEqual([true, true, false]);
    expect(bl.apply({ version: 6, full: false, from: 5, add: [id(4)], remove: [id(2)] })).toBe(true);
    expect([bl.has(id(2)), bl.has(id(4))]).toEqual([false, true]);
    // A repeat and an old answer: nothing to do, not an error.
    expect(bl.apply({ version: 6, full: false, from: 5, add: [id(9)], remove: [] })).toBe(false);
    expect(bl.apply({ version: 3, full: false, add: [id(9)], remove: [] })).toBe(false);
    expect(bl.has(id(9))).toBe(false);
    bl.close();
    const again = new Blacklist(file);
    expect([again.version, again.size, again.loadedFrom]).toEqual([6, 3, 'snapshot']);
    expect([1, 2, 3, 4].map((n) => again.has(id(n)))).toEqual([true, false, true, true]);
    // A full list replaces everything, whatever its version (a re-created backend starts over).
    again.apply({ version: 2, full: true, add: [id(7)], remove: [] });
    expect([again.version, again.size, again.has(id(1)), again.has(id(7))]).toEqual([2, 1, false, true]);
    again.close();
  });

  it('answers for a code however it is written: F padding, lower case; never throws on garbage', () => {
    const bl = new Blacklist(tmpFile());
    bl.apply({ version: 1, full: true, add: ['330300D15600000599110145'], remove: [] });
    expect(bl.has('330300D15600000599110145FFFFFFFF')).toBe(true);
    expect(bl.has('330300d15600000599110145')).toBe(true);
    expect(bl.has('330300D15600000599110146')).toBe(false);
    for (const junk of ['', 'not a code', '9'.repeat(40), undefined as unknown as string, 42 as unknown as string]) expect(bl.has(junk)).toBe(false);
    bl.close();
  });

  it('refuses an update with one invalid entry, naming it, and changes nothing', () => {
    const file = tmpFile();
    const bl = new Blacklist(file);
    bl.apply({ version: 1, full: true, add: ids(0, 100), remove: [] });
    const full = thrown(() => bl.apply({ version: 2, full: true, add: [...ids(100, 200), '110100D15600000G'], remove: [] }));
    expect(full.code).toBe('BLACKLIST_INVALID_ENTRY');
    expect(full.entry).toEqual({ list: 'add', index: 100, value: '110100D15600000G' });
    expect(full.message).toMatch(/add\[100\] "110100D15600000G"/);
    const delta = thrown(() => bl.apply({ version: 2, full: false, from: 1, add: [id(500)], remove: [id(1), 'x'.repeat(60)] }));
    expect(delta.entry).toEqual({ list: 'remove', index: 1, value: 'x'.repeat(40) });
    expect([bl.version, bl.size, bl.has(id(500)), bl.has(id(1)), bl.has(id(150))]).toEqual([1, 100, false, true, false]);
    expect(thrown(() => bl.apply({ version: -1, full: true, add: [], remove: [] })).code).toBe('BLACKLIST_BAD_VERSION');
    bl.close();
    const again = new Blacklist(file);
    expect([again.version, again.size, answers(again, 200)]).toEqual([1, 100, pattern(200, (i) => i < 100)]);
    again.close();
  });

  it('refuses a delta that does not follow the local version (a gap)', () => {
    const bl = new Blacklist(tmpFile());
    bl.apply({ version: 5, full: true, add: [id(1)], remove: [] });
    const gap = thrown(() => bl.apply({ version: 9, full: false, from: 7, add: [id(2)], remove: [] }));
    expect(gap.code).toBe('BLACKLIST_GAP');
    expect([bl.version, bl.has(id(2))]).toEqual([5, false]);
    bl.close();
  });
});

describe('Blacklist atomicity', () => {
  it('a write that fails before commit leaves the old version and index, in memory and on disk', () => {
    const file = tmpFile();
    let crash = false;
    const bl = new Blacklist(file, {
      beforeCommit: () => {
        if (crash) throw new Error('power cut');
      },
    });
    bl.apply({ version: 1, full: true, add: ids(0, 1000), remove: [] });
    crash = true;
    expect(() => bl.apply({ version: 2, full: true, add: ids(500, 1500), remove: [] })).toThrow('power cut');
    expect(() => bl.apply({ version: 2, full: false, from: 1, add: ids(2000, 2100), remove: ids(0, 10) })).toThrow('power cut');
    expect([bl.version, bl.size, answers(bl, 2100)]).toEqual([1, 1000, pattern(2100, (i) => i < 1000)]);
    bl.close();
    const again = new Blacklist(file);
    expect([again.version, again.size, again.loadedFrom, answers(again, 2100)]).toEqual([1, 1000, 'snapshot', pattern(2100, (i) => i < 1000)]);
    again.close();
  });

  it('a staged full list closed before its last page changes nothing', () => {
    const file = tmpFile();
    const bl = new Blacklist(file);
    bl.apply({ version: 3, full: true, add: ids(0, 50), remove: [] });
    const stage = bl.stageFull();
    stage.add(ids(1000, 2000));
    stage.add(ids(2000, 3000));
    expect(stage.size).toBe(2000);
    expect(bl.has(id(1500))).toBe(false);
    bl.close(); // the process dies mid-download
    const again = new Blacklist(file);
    expect([again.version, again.size, again.has(id(10)), again.has(id(1500))]).toEqual([3, 50, true, false]);
    const spoiled = again.stageFull();
    expect(() => spoiled.add([id(1), 'zz'])).toThrow(BlacklistError);
    expect(() => again.commitFull(spoiled, 4)).toThrow(/add\[1\] "zz"/);
    expect(again.version).toBe(3);
    again.close();
  });

  it('a process killed inside the write transaction restarts on the old version', () => {
    const file = tmpFile();
    const script = join(mkdtempSync(join(tmpdir(), 'ykt-bl-crash-')), 'crash.mts');
    const blacklistModule = resolve('kiosk/blacklist/blacklist.ts');
    writeFileSync(
      script,
      `import { Blacklist } from ${JSON.stringify(blacklistModule)};
       const id = (n) => '110100D156000005' + String(n).padStart(8, '0');
       let armed = false;
       const bl = new Blacklist(process.argv[2], { beforeCommit: () => { if (armed) process.exit(9); } });
       bl.apply({ version: 1, full: true, add: Array.from({ length: 20000 }, (_, i) => id(i)), remove: [] });
       armed = true;
       bl.apply({ version: 2, full: true, add: Array.from({ length: 20000 }, (_, i) => id(i + 20000)), remove: [] });`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, file], { cwd: process.cwd(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(9);
    const bl = new Blacklist(file);
    expect([bl.version, bl.size, bl.loadedFrom, bl.has(id(19_999)), bl.has(id(20_000))]).toEqual([1, 20_000, 'snapshot', true, false]);
    bl.close();
  });
});

describe('Blacklist snapshot at start-up', () => {
  const N = 30_000;
  const listed = (i: number) => i % 3 !== 1;
  function seeded(file: string, opts?: { hash?: KeyHash }): Blacklist {
    const bl = new Blacklist(file, opts);
    const all = ids(0, N);
    bl.apply({ version: 10, full: true, add: all, remove: [] });
    bl.apply({ version: 11, full: false, from: 10, add: ids(N, N + 10), remove: all.filter((_, i) => i % 3 === 1) });
    return bl;
  }
  const db = (file: string) => new Database(file);

  it('reloads the stored index and gives the same answers, without rebuilding it', () => {
    const file = tmpFile();
    const bl = seeded(file);
    const before = answers(bl, N + 20);
    const bytes = bl.indexBytes;
    bl.close();
    const again = new Blacklist(file);
    expect([again.loadedFrom, again.version, again.size, again.indexBytes]).toEqual(['snapshot', 11, 20_010, bytes]);
    expect(answers(again, N + 20)).toBe(before);
    expect(before).toBe(pattern(N + 20, (i) => i >= N + 10 ? false : i >= N || listed(i)));
    expect(again.indexBytes / again.size).toBeLessThanOrEqual(32);
    again.close();
  });

  it('rebuilds a snapshot written with another hash (or format), keeping the version, then reuses it', () => {
    const file = tmpFile();
    const bl = seeded(file);
    const before = answers(bl, N + 20);
    bl.close();
    const other: KeyHash = { id: 77, of: (a, b, c, d) => Math.imul(a ^ b ^ c ^ d, 0x9e3779b1) >>> 0 };
    for (const [hash, source] of [[other, 'rebuilt'], [other, 'snapshot'], [undefined, 'rebuilt'], [undefined, 'snapshot']] as const) {
      const again = new Blacklist(file, hash ? { hash } : {});
      expect([again.loadedFrom, again.version, answers(again, N + 20)]).toEqual([source, 11, before]);
      again.close();
    }
    const d = db(file);
    d.prepare("UPDATE blacklist_meta SET v = 1 WHERE k = 'format'").run();
    d.close();
    const again = new Blacklist(file);
    expect([again.loadedFrom, again.version, answers(again, N + 20)]).toEqual(['rebuilt', 11, before]);
    again.close();
  });

  it('rebuilds chunks that are out of order, and drops to version 0 when keys are missing', () => {
    const file = tmpFile();
    seeded(file).close();
    let d = db(file);
    const [a, b] = d.prepare('SELECT c, ids FROM blacklist_chunk ORDER BY c LIMIT 2').raw().all() as [number, Buffer][];
    d.prepare('UPDATE blacklist_chunk SET ids = ? WHERE c = ?').run(b![1], a![0]);
    d.prepare('UPDATE blacklist_chunk SET ids = ? WHERE c = ?').run(a![1], b![0]);
    d.close();
    let bl = new Blacklist(file);
    expect([bl.loadedFrom, bl.version, bl.size]).toEqual(['rebuilt', 11, 20_010]);
    expect(answers(bl, N)).toBe(pattern(N, listed));
    bl.close();

    d = db(file);
    const lost = d.prepare('SELECT length(ids) / 16 AS n FROM blacklist_chunk ORDER BY c LIMIT 1').get() as { n: number };
    d.prepare('DELETE FROM blacklist_chunk WHERE c = (SELECT MIN(c) FROM blacklist_chunk)').run();
    d.close();
    bl = new Blacklist(file);
    // What is left still answers exactly (no false positives); version 0 makes the next sync fetch the full list.
    expect([bl.loadedFrom, bl.version, bl.size]).toEqual(['reset', 0, 20_010 - lost.n]);
    const now = answers(bl, N);
    expect([...now].every((c, i) => c === '0' || listed(i))).toBe(true);
    bl.close();
  });

  it('migrates the TEXT rows of the first firmware, keeping their version', () => {
    const file = tmpFile();
    const d = db(file);
    d.exec(`CREATE TABLE blacklist (id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE blacklist_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
      INSERT INTO blacklist_meta VALUES ('version', 42);`);
    const ins = d.prepare('INSERT INTO blacklist VALUES (?)');
    for (const s of ids(0, 500)) ins.run(s);
    d.close();
    let bl = new Blacklist(file);
    expect([bl.loadedFrom, bl.version, bl.size, answers(bl, 600)]).toEqual(['migrated', 42, 500, pattern(600, (i) => i < 500)]);
    bl.close();
    bl = new Blacklist(file);
    expect([bl.loadedFrom, bl.version, bl.size]).toEqual(['snapshot', 42, 500]);
    bl.close();
  });

  it('confirms hits exactly even when every key has the same hash, across restarts', () => {
    const file = tmpFile();
    const constant: KeyHash = { id: 99, of: () => 0xdeadbeef };
    let bl = new Blacklist(file, { hash: constant });
    bl.apply({ version: 1, full: true, add: ids(0, 400).filter((_, i) => i % 2 === 0), remove: [] });
    bl.apply({ version: 2, full: false, from: 1, add: [id(1)], remove: [id(0)] });
    const expected = pattern(400, (i) => i === 1 || (i > 0 && i % 2 === 0));
    expect(answers(bl, 400)).toBe(expected);
    bl.close();
    bl = new Blacklist(file, { hash: constant });
    expect([bl.loadedFrom, answers(bl, 400)]).toEqual(['snapshot', expected]);
    bl.close();
  });
});
