/**
 * The blacklist on disk. The in-memory key array (16-byte keys in hash order) is stored as is,
 * cut into 4096 chunks by the top 12 bits of the hash: start-up reads ~4096 BLOBs and copies
 * them end to end instead of parsing a million rows, and a delta rewrites only the chunks its
 * keys fall in (a few KB each at 1M keys) instead of the whole 16 MB. The keys are exact, so the
 * snapshot is also the store: there is nothing else to rebuild from, and nothing to disagree with.
 *
 * Chunks and the meta row (version, count, format, hash) are written in one transaction. On load
 * the meta must match the code (format, hash id), the bytes must add up to `count` keys, the keys
 * must be in hash order and each chunk must hold exactly its hash range; otherwise the keys are
 * re-sorted and written back. Keys lost in between (count mismatch: a damaged file) cannot be
 * recovered here, so the version drops to 0 and the next sync fetches the full list.
 */
import { endianness } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { applySchema } from '../journal/sqlite.js';
import { KEY_BYTES, KEY_WORDS, packCardId, type KeyHash } from './card-id.js';
import { IdHashSet } from './id-hash-set.js';

/** Layout version of the chunks. 1 was the TEXT-row table of the first firmware (migrated on load). */
export const SNAPSHOT_FORMAT = 2;
export const CHUNK_BITS = 12;
const CHUNKS = 1 << CHUNK_BITS;
const BIG_ENDIAN = endianness() === 'BE';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS blacklist_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blacklist_chunk (c INTEGER PRIMARY KEY, ids BLOB NOT NULL);`;

/**
 * How the index came to be at start-up: `snapshot` (read as stored), `rebuilt` (re-sorted: other
 * format or hash, or out of order), `migrated` (from the TEXT rows of format 1), `reset` (keys were
 * missing: kept what was there, version 0), `empty` (nothing stored yet).
 */
export type LoadSource = 'empty' | 'snapshot' | 'rebuilt' | 'migrated' | 'reset';

export interface Loaded {
  set: IdHashSet;
  version: number;
  source: LoadSource;
}

type Meta = Partial<Record<'version' | 'count' | 'format' | 'hash', number>>;

export class SnapshotStore {
  private readonly put: BetterSqlite3.Statement;
  private readonly drop: BetterSqlite3.Statement;
  private readonly meta: BetterSqlite3.Statement;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly hash: KeyHash,
    /** Test hook: runs inside every write transaction, after the writes, before the commit. */
    private readonly beforeCommit?: () => void,
  ) {
    applySchema(db, SCHEMA);
    this.put = db.prepare('INSERT OR REPLACE INTO blacklist_chunk (c, ids) VALUES (?, ?)');
    this.drop = db.prepare('DELETE FROM blacklist_chunk WHERE c = ?');
    this.meta = db.prepare(
      "INSERT OR REPLACE INTO blacklist_meta (k, v) VALUES ('version', ?), ('count', ?), ('format', ?), ('hash', ?)",
    );
  }

  load(): Loaded {
    const meta = Object.fromEntries(this.db.prepare('SELECT k, v FROM blacklist_meta').raw().all() as [string, number][]) as Meta;
    const version = meta.version ?? 0;
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blacklist'").get()) return this.migrate(version);
    const rows = this.db.prepare('SELECT c, ids FROM blacklist_chunk ORDER BY c').raw().all() as [number, Buffer][];
    if (rows.length === 0 && meta.count === undefined) return { set: IdHashSet.empty(this.hash), version, source: 'empty' };

    let total = 0;
    for (const [, ids] of rows) total += ids.length - (ids.length % KEY_BYTES);
    const keys = new Uint32Array(total / 4);
    const bytes = new Uint8Array(keys.buffer);
    const bounds: [number, number, number][] = [];
    let off = 0;
    for (const [c, ids] of rows) {
      const len = ids.length - (ids.length % KEY_BYTES);
      bytes.set(len === ids.length ? ids : ids.subarray(0, len), off);
      bounds.push([c, off / KEY_BYTES, (off + len) / KEY_BYTES]);
      off += len;
    }
    if (BIG_ENDIAN) Buffer.from(keys.buffer).swap32();
    const n = total / KEY_BYTES;

    if (n !== (meta.count ?? 0) || total !== rows.reduce((s, [, ids]) => s + ids.length, 0)) {
      const set = IdHashSet.build(keys, n, this.hash);
      this.writeAll(set, 0);
      return { set, version: 0, source: 'reset' };
    }
    if (meta.format === SNAPSHOT_FORMAT && meta.hash === this.hash.id) {
      const set = IdHashSet.fromSorted(keys, this.hash);
      if (set && bounds.every(([c, s, e]) => { const [rs, re] = set.rangeOf(c, CHUNK_BITS); return rs === s && re === e; })) {
        return { set, version, source: 'snapshot' };
      }
    }
    const set = IdHashSet.build(keys, n, this.hash);
    this.writeAll(set, version);
    return { set, version, source: 'rebuilt' };
  }

  /** Format 1 kept one TEXT row per id: pack them once, drop the table, keep the version if all were valid. */
  private migrate(version: number): Loaded {
    const ids = this.db.prepare('SELECT id FROM blacklist').pluck().all() as string[];
    const packed = new Uint32Array(ids.length * KEY_WORDS);
    let n = 0;
    for (const id of ids) if (packCardId(id, packed, n * KEY_WORDS)) n++;
    const set = IdHashSet.build(packed, n, this.hash);
    const kept = n === ids.length ? version : 0;
    this.db.transaction(() => {
      this.writeAll(set, kept);
      this.db.exec('DROP TABLE blacklist');
    })();
    return { set, version: kept, source: 'migrated' };
  }

  /** Replaces everything (a full list, a rebuild). */
  writeAll(set: IdHashSet, version: number): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM blacklist_chunk');
      for (let c = 0; c < CHUNKS; c++) {
        const [s, e] = set.rangeOf(c, CHUNK_BITS);
        if (e > s) this.put.run(c, this.blob(set, s, e));
      }
      this.meta.run(version, set.size, SNAPSHOT_FORMAT, this.hash.id);
      this.beforeCommit?.();
    })();
  }

  /** Rewrites the chunks holding these hashes (a delta's keys). */
  writeChanged(set: IdHashSet, version: number, hashes: readonly number[]): void {
    const chunks = new Set(hashes.map((h) => h >>> (32 - CHUNK_BITS)));
    this.db.transaction(() => {
      for (const c of chunks) {
        const [s, e] = set.rangeOf(c, CHUNK_BITS);
        if (e > s) this.put.run(c, this.blob(set, s, e));
        else this.drop.run(c);
      }
      this.meta.run(version, set.size, SNAPSHOT_FORMAT, this.hash.id);
      this.beforeCommit?.();
    })();
  }

  private blob(set: IdHashSet, start: number, end: number): Buffer {
    const b = Buffer.from(set.keys.buffer, set.keys.byteOffset + start * KEY_BYTES, (end - start) * KEY_BYTES);
    return BIG_ENDIAN ? Buffer.from(b).swap32() : b;
  }
}
