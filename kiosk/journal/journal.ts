import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { maskAccount, maskId, maskName } from '../../drivers/common/mask.js';
import type { Clock } from '../../drivers/common/clock.js';
import { openDatabase, applySchema } from './sqlite.js';

export interface JournalEntry {
  id: number;
  ts: number;
  type: string;
  status: string;
  data: Record<string, unknown>;
}

const MASKERS: Record<string, (v: string) => string> = {
  ssn: maskId,
  idNumber: maskId,
  name: maskName,
  holderName: maskName,
  pan: maskAccount,
  account: maskAccount,
};

/** The journal never stores personal data in clear: known personal fields are masked on write. */
export function maskPersonal(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    const masker = MASKERS[k];
    if (masker && typeof v === 'string') out[k] = masker(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = maskPersonal(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/**
 * Append-only local journal (SQLite, WAL, synchronous=FULL): what happened to cards and money,
 * durable before the host acts on it, so it survives a power cut.
 */
export class Journal {
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;

  constructor(
    file: string,
    private readonly clock: Clock,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openDatabase(file);
    applySchema(this.db, `CREATE TABLE IF NOT EXISTS journal (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      ts INTEGER NOT NULL,
      type TEXT NOT NULL,
      status TEXT NOT NULL,
      data TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS journal_cursor (name TEXT PRIMARY KEY, id INTEGER NOT NULL);`);
    this.insert = this.db.prepare('INSERT INTO journal (ts, type, status, data) VALUES (?, ?, ?, ?)');
  }

  append(type: string, status: string, data: Record<string, unknown> = {}): JournalEntry {
    const ts = this.clock.now();
    const masked = maskPersonal(data);
    const r = this.insert.run(ts, type, status, JSON.stringify(masked));
    return { id: Number(r.lastInsertRowid), ts, type, status, data: masked };
  }

  latest(): JournalEntry | undefined {
    const row = this.db.prepare('SELECT * FROM journal ORDER BY id DESC LIMIT 1').get() as RawRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  list(opts: { limit?: number; type?: string } = {}): JournalEntry[] {
    const limit = opts.limit ?? 100;
    const rows = (
      opts.type
        ? this.db.prepare('SELECT * FROM journal WHERE type = ? ORDER BY id DESC LIMIT ?').all(opts.type, limit)
        : this.db.prepare('SELECT * FROM journal ORDER BY id DESC LIMIT ?').all(limit)
    ) as RawRow[];
    return rows.map(toEntry);
  }

  /** Entries of a type after an id, oldest first (what an uploader has not sent yet). */
  after(id: number, type: string, limit = 100): JournalEntry[] {
    const rows = this.db.prepare('SELECT * FROM journal WHERE id > ? AND type = ? ORDER BY id LIMIT ?').all(id, type, limit) as RawRow[];
    return rows.map(toEntry);
  }

  /** Entries of a type since a time, oldest first. */
  since(ts: number, type: string): JournalEntry[] {
    const rows = this.db.prepare('SELECT * FROM journal WHERE ts >= ? AND type = ? ORDER BY id').all(ts, type) as RawRow[];
    return rows.map(toEntry);
  }

  /** A named position in the journal (e.g. the last entry uploaded), durable with the journal. */
  cursor(name: string): number {
    const row = this.db.prepare('SELECT id FROM journal_cursor WHERE name = ?').get(name) as { id: number } | undefined;
    return row?.id ?? 0;
  }

  setCursor(name: string, id: number): void {
    this.db.prepare('INSERT INTO journal_cursor (name, id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET id = excluded.id').run(name, id);
  }

  count(type?: string): number {
    const row = (
      type
        ? this.db.prepare('SELECT COUNT(*) AS n FROM journal WHERE type = ?').get(type)
        : this.db.prepare('SELECT COUNT(*) AS n FROM journal').get()
    ) as { n: number };
    return row.n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface RawRow {
  id: number;
  ts: number;
  type: string;
  status: string;
  data: string;
}

function toEntry(r: RawRow): JournalEntry {
  return { id: r.id, ts: r.ts, type: r.type, status: r.status, data: JSON.parse(r.data) as Record<string, unknown> };
}
