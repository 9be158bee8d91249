import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { YktError } from '../../drivers/common/errors.js';

const require = createRequire(import.meta.url);

/** Opens an SQLite database in WAL mode with full fsync: a committed row survives a power cut. */
export function openDatabase(file: string): BetterSqlite3.Database {
  let Database: typeof BetterSqlite3;
  try {
    Database = require('better-sqlite3') as typeof BetterSqlite3;
  } catch (e) {
    throw new YktError('SQLITE_UNAVAILABLE', `better-sqlite3 could not be loaded (run npm install): ${(e as Error).message}`);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 2000');
  // Small databases read row by row: SQLite's default page cache (up to 2 MB per connection) only
  // adds to the host's idle memory, once for each of its half-dozen files.
  db.pragma('cache_size = -256');
  return db;
}

/**
 * Creates tables in one transaction: with `synchronous = FULL` every autocommitted CREATE costs
 * an fsync, and a first start creates a dozen tables across its databases.
 */
export function applySchema(db: BetterSqlite3.Database, sql: string): void {
  db.transaction(() => db.exec(sql))();
}
