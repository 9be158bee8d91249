/**
 * Gate events uploaded by turnstiles (passages, denials, alarms), kept by event id: a terminal
 * sends at least once, so a repeated id is acknowledged and not stored twice.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { applySchema } from '../../journal/sqlite.js';
import type { GateEventUpload, GateEventUploadResult } from '../interface.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS gate_events (
  id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, ts INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL);`;

export class GateEventLog {
  constructor(private readonly db: BetterSqlite3.Database) {
    applySchema(db, SCHEMA);
  }

  accept(u: GateEventUpload): GateEventUploadResult {
    const ins = this.db.prepare('INSERT OR IGNORE INTO gate_events (id, terminal_id, ts, status, data) VALUES (?, ?, ?, ?, ?)');
    let accepted = 0;
    this.db.transaction(() => {
      for (const e of u.events) accepted += ins.run(e.id, u.terminalId, e.ts, e.status, JSON.stringify(e.data)).changes;
    })();
    return { accepted, duplicates: u.events.length - accepted };
  }

  count(terminalId?: string): number {
    const row = (
      terminalId
        ? this.db.prepare('SELECT COUNT(*) AS n FROM gate_events WHERE terminal_id = ?').get(terminalId)
        : this.db.prepare('SELECT COUNT(*) AS n FROM gate_events').get()
    ) as { n: number };
    return row.n;
  }
}
