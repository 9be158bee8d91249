import type BetterSqlite3 from 'better-sqlite3';
import { YktError } from '../../drivers/common/errors.js';
import { openDatabase, applySchema } from '../journal/sqlite.js';
import { IdHashSet } from './id-hash-set.js';

export interface BlacklistUpdate {
  version: number;
  /** A full list replaces everything; a delta adds and removes. */
  full: boolean;
  add: string[];
  remove: string[];
}

export class BlacklistError extends YktError {}

/**
 * The local blacklist: card identification codes (卡识别码) that must not be served, kept in SQLite
 * (survives restarts, updates applied atomically with their version) and mirrored in a compact
 * in-memory set for constant-time checks on every card read, online or not.
 */
export class Blacklist {
  private readonly db: BetterSqlite3.Database;
  private set: IdHashSet;
  private ver = 0;
  readonly loadMs: number;

  constructor(file: string) {
    this.db = openDatabase(file);
    applySchema(this.db, `CREATE TABLE IF NOT EXISTS blacklist (id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blacklist_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);`);
    const t = performance.now();
    this.set = this.load();
    this.loadMs = performance.now() - t;
  }

  get version(): number {
    return this.ver;
  }

  get size(): number {
    return this.set.size;
  }

  /** Bytes of the in-memory index. */
  get indexBytes(): number {
    return this.set.bytes;
  }

  has(cardId: string): boolean {
    if (!this.set.has(cardId)) return false;
    // The hash set can (very rarely) collide: confirm against the exact list.
    return this.db.prepare('SELECT 1 FROM blacklist WHERE id = ?').get(cardId) !== undefined;
  }

  /**
   * Applies a full or delta update in one transaction. A delta must follow the current version
   * (`version > current`); an out-of-order or repeated delta is refused, never half-applied.
   */
  apply(u: BlacklistUpdate): void {
    if (!u.full && u.version <= this.ver) {
      throw new BlacklistError('BLACKLIST_STALE', `blacklist delta version ${u.version} is not newer than ${this.ver}`);
    }
    const ins = this.db.prepare('INSERT OR IGNORE INTO blacklist (id) VALUES (?)');
    const del = this.db.prepare('DELETE FROM blacklist WHERE id = ?');
    this.db.transaction(() => {
      if (u.full) this.db.exec('DELETE FROM blacklist');
      for (const id of u.add) ins.run(id);
      for (const id of u.remove) del.run(id);
      this.db.prepare('INSERT OR REPLACE INTO blacklist_meta (k, v) VALUES (?, ?)').run('version', u.version);
    })();
    this.set = this.load();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private load(): IdHashSet {
    const n = (this.db.prepare('SELECT COUNT(*) AS n FROM blacklist').get() as { n: number }).n;
    const set = new IdHashSet(n);
    for (const row of this.db.prepare('SELECT id FROM blacklist').raw().iterate() as IterableIterator<[string]>) set.add(row[0]);
    const meta = this.db.prepare("SELECT v FROM blacklist_meta WHERE k = 'version'").get() as { v: number } | undefined;
    this.ver = meta?.v ?? 0;
    return set;
  }
}
