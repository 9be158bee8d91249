/**
 * The embedded backend's blacklist feed (docs/blacklist.md). The list is the card id codes of
 * listed cards (lost, blacklisted, dead-holder) plus `blacklist_synthetic`, a table of ids not tied
 * to any card that tests and the bench fill by the hundred thousand. Every change is a row of
 * `blacklist_log`, whose rowid is the version.
 *
 * A delta is answered when the client's version is one this database issued, not older than the
 * floor (log compacted, or a bulk load that the log does not describe) and the changes fit one page;
 * otherwise the full list, in pages ordered by id, the cursor being the last id of the page before.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { BlacklistPage, CardStatus } from '../interface.js';
import { BLACKLIST_PAGE_MAX } from '../wire.js';
import { ApiError } from './api-error.js';

const LISTED: readonly CardStatus[] = ['lost', 'blacklisted', 'dead-holder'];
/** Entries per page when the client does not say. */
export const BLACKLIST_PAGE_DEFAULT = 50_000;
/** Region of synthetic ids: no real region, so they never meet a seeded card's id. */
export const SYNTHETIC_REGION = '990000';

/** The n-th synthetic id (32 characters, like a fully used chip field). */
export function syntheticCardIdCode(i: number): string {
  return `${SYNTHETIC_REGION}D156000005${String(i).padStart(16, '0')}`;
}

export class BlacklistFeed {
  constructor(private readonly db: BetterSqlite3.Database) {}

  private meta(key: string): number {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  private setMeta(key: string, value: number): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, String(value));
  }

  /** Deltas can be computed from this version on; older clients get the full list. */
  floor(): number {
    return this.meta('blacklist_floor');
  }

  version(): number {
    const v = (this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM blacklist_log').get() as { v: number }).v;
    // After a compaction the log may be empty: the version is never lower than the floor.
    return Math.max(v, this.floor());
  }

  page(since: number, q: { cursor?: string; limit?: number } = {}): BlacklistPage {
    const limit = Math.min(Math.max(1, q.limit ?? BLACKLIST_PAGE_DEFAULT), BLACKLIST_PAGE_MAX);
    const version = this.version();
    if (q.cursor === undefined && since > 0 && since >= this.floor() && since <= version) {
      const delta = this.delta(since, limit);
      if (delta) return { version, full: false, from: since, ...delta };
    }
    if (q.cursor !== undefined && !/^[0-9A-Fa-f]{1,32}$/.test(q.cursor)) {
      throw new ApiError(400, 'BAD_REQUEST', 'query.cursor: not a cursor this backend issued', 'BAD_REQUEST');
    }
    const after = q.cursor ?? '';
    const cards = this.db
      .prepare(
        `SELECT DISTINCT card_id_code FROM cards WHERE status IN (${LISTED.map(() => '?').join(', ')}) AND card_id_code > ?
         ORDER BY card_id_code LIMIT ?`,
      )
      .pluck()
      .all(...LISTED, after, limit + 1) as string[];
    const synthetic = this.db
      .prepare('SELECT card_id_code FROM blacklist_synthetic WHERE card_id_code > ? ORDER BY card_id_code LIMIT ?')
      .pluck()
      .all(after, limit + 1) as string[];
    // Both sources are sorted: the first `limit` of their union are among the first `limit` of each.
    const merged = mergeDistinct(cards, synthetic);
    const more = merged.length > limit;
    const add = more ? merged.slice(0, limit) : merged;
    return { version, full: true, total: this.total(), add, remove: [], ...(more ? { next: add.at(-1)! } : {}) };
  }

  /** Net changes since `since`, or null when they would not fit one page. */
  private delta(since: number, limit: number): { add: string[]; remove: string[] } | null {
    // Rows, not net changes, bound the read: a card listed and unlisted again counts twice.
    const rows = this.db
      .prepare("SELECT card_id_code, op FROM blacklist_log WHERE version > ? AND op IN ('add', 'remove') ORDER BY version LIMIT ?")
      .raw()
      .all(since, 4 * limit + 1) as [string, 'add' | 'remove'][];
    if (rows.length > 4 * limit) return null;
    const last = new Map<string, 'add' | 'remove'>();
    for (const [code, op] of rows) last.set(code, op);
    if (last.size > limit) return null;
    const add = [...last].filter(([, op]) => op === 'add').map(([c]) => c).sort();
    const remove = [...last].filter(([, op]) => op === 'remove').map(([c]) => c).sort();
    return { add, remove };
  }

  private total(): number {
    const cards = this.db
      .prepare(
        `SELECT COUNT(DISTINCT card_id_code) AS n FROM cards WHERE status IN (${LISTED.map(() => '?').join(', ')})
         AND card_id_code NOT IN (SELECT card_id_code FROM blacklist_synthetic)`,
      )
      .get(...LISTED) as { n: number };
    return cards.n + this.meta('blacklist_synthetic_count');
  }

  /**
   * Replaces the synthetic ids with n of them (`syntheticCardIdCode(0 .. n-1)`), generated inside
   * SQLite. A bulk load is not logged id by id: it raises the floor, so every client reloads in full.
   */
  seedSynthetic(n: number): number {
    return this.db.transaction(() => {
      this.db.exec('DELETE FROM blacklist_synthetic');
      if (n > 0) {
        this.db
          .prepare(
            `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
             INSERT INTO blacklist_synthetic (card_id_code) SELECT printf('${SYNTHETIC_REGION}D156000005%016d', i) FROM s`,
          )
          .run(n);
      }
      const v = Number(this.db.prepare("INSERT INTO blacklist_log (card_id_code, op) VALUES ('*', 'reset')").run().lastInsertRowid);
      this.setMeta('blacklist_floor', v);
      this.setMeta('blacklist_synthetic_count', n);
      return v;
    })();
  }

  /** Lists or unlists ids not tied to a card (not a seeded card's id), one logged change each. */
  setListed(codes: readonly string[], listed: boolean): number {
    return this.db.transaction(() => {
      const change = listed
        ? this.db.prepare('INSERT OR IGNORE INTO blacklist_synthetic (card_id_code) VALUES (?)')
        : this.db.prepare('DELETE FROM blacklist_synthetic WHERE card_id_code = ?');
      const log = this.db.prepare('INSERT INTO blacklist_log (card_id_code, op) VALUES (?, ?)');
      let changed = 0;
      for (const c of codes) {
        if (change.run(c).changes === 0) continue;
        log.run(c, listed ? 'add' : 'remove');
        changed++;
      }
      this.setMeta('blacklist_synthetic_count', this.meta('blacklist_synthetic_count') + (listed ? changed : -changed));
      return this.version();
    })();
  }

  /** Forgets the log up to `upTo` (default: all of it); clients older than that reload in full. */
  compact(upTo = this.version()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM blacklist_log WHERE version <= ?').run(upTo);
      this.setMeta('blacklist_floor', Math.max(upTo, this.floor()));
    })();
  }
}

function mergeDistinct(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.at(-1) !== next) out.push(next);
  }
  return out;
}
