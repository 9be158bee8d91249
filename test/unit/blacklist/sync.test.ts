import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger, type Logger } from '../../../drivers/common/log.js';
import type { BlacklistPage, BlacklistPageQuery } from '../../../kiosk/backend/interface.js';
import { BackendError } from '../../../kiosk/backend/interface.js';
import { Blacklist } from '../../../kiosk/blacklist/blacklist.js';
import { syncBlacklist, type BlacklistSync } from '../../../kiosk/session/blacklist-sync.js';

const id = (n: number) => `110100D156000005${String(n).padStart(8, '0')}`;
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => id(from + i));

/** A backend answering from a script: each call gets the next answer (or the function's). */
function scripted(answers: (BlacklistPage | Error | ((q: BlacklistPageQuery) => BlacklistPage))[]) {
  const calls: BlacklistPageQuery[] = [];
  return {
    calls,
    blacklistPage: async (q: BlacklistPageQuery): Promise<BlacklistPage> => {
      calls.push(q);
      const a = answers.shift();
      if (a === undefined) throw new Error('unexpected call');
      if (a instanceof Error) throw a;
      return typeof a === 'function' ? a(q) : a;
    },
  };
}

function recordingLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  const logger = { ...silentLogger, info: at('info'), warn: at('warn') } as unknown as Logger;
  return { lines, logger };
}

let bl: Blacklist;
let sync: BlacklistSync | undefined;
afterEach(() => {
  sync?.();
  sync = undefined;
  bl?.close();
});

function start(backend: ReturnType<typeof scripted>, opts: { version?: number; list?: string[]; logger?: Logger } = {}) {
  bl = new Blacklist(join(mkdtempSync(join(tmpdir(), 'ykt-bls-')), 'bl.sqlite'));
  if (opts.version) bl.apply({ version: opts.version, full: true, add: opts.list ?? [], remove: [] });
  const clock = new VirtualClock();
  sync = syncBlacklist({ blacklist: bl, backend, clock, logger: opts.logger ?? silentLogger, everyMs: 60_000, pageLimit: 2 });
  return { clock, sync };
}

const full = (version: number, add: string[], more: Partial<BlacklistPage> = {}): BlacklistPage => ({ version, full: true, add, remove: [], ...more });

describe('blacklist sync', () => {
  it('assembles a paged full list and commits it only with its last page; logs {version,size,full}', async () => {
    const { lines, logger } = recordingLogger();
    const backend = scripted([
      full(7, ids(0, 2), { total: 5, next: 'c1' }),
      (q) => {
        // Mid-download the local list still answers, unchanged.
        expect([bl.version, bl.has(id(0))]).toEqual([3, false]);
        return full(7, ids(2, 4), { total: 5, next: 'c2' });
      },
      full(7, ids(4, 5), { total: 5 }),
    ]);
    const { sync } = start(backend, { version: 3, list: [id(99)], logger });
    await sync.settled();
    expect(backend.calls).toEqual([{ since: 3, limit: 2 }, { since: 3, cursor: 'c1', limit: 2 }, { since: 3, cursor: 'c2', limit: 2 }]);
    expect([bl.version, bl.size, bl.has(id(4)), bl.has(id(99))]).toEqual([7, 5, true, false]);
    expect(lines.find((l) => l.msg === 'blacklist updated')?.obj).toMatchObject({ version: 7, size: 5, full: true, pages: 3 });
    expect(sync.status()).toMatchObject({ version: 7, size: 5, lastSuccessAt: expect.any(Number) });
    expect(sync.status().lastError).toBeUndefined();
  });

  it('starts a full download over when the version changes between pages', async () => {
    const backend = scripted([full(7, ids(0, 2), { next: 'c1' }), full(8, ids(2, 4), { next: 'c2' }), full(8, ids(0, 2), { next: 'c1' }), full(8, ids(2, 3))]);
    const { sync } = start(backend);
    await sync.settled();
    expect(backend.calls.map((c) => c.cursor ?? '-')).toEqual(['-', 'c1', '-', 'c1']);
    expect([bl.version, bl.size]).toEqual([8, 3]);
  });

  it('gives up (keeping the local list) when the list never holds still, and says why', async () => {
    const moving = (v: number) => [full(v, ids(0, 2), { next: 'c' }), full(v + 1, ids(2, 3))];
    const backend = scripted([...moving(10), ...moving(20), ...moving(30)]);
    const { sync } = start(backend, { version: 2, list: [id(1)] });
    await sync.settled();
    expect([bl.version, bl.has(id(1))]).toEqual([2, true]);
    expect(sync.status().lastError).toMatch(/changed during 3 full downloads/);
  });

  it('refuses a full list whose pages do not add up to the announced total', async () => {
    const backend = scripted([full(7, ids(0, 2), { total: 6, next: 'c1' }), full(7, ids(2, 4), { total: 6 })]);
    const { sync } = start(backend, { version: 2, list: [id(1)] });
    await sync.settled();
    expect([bl.version, bl.size]).toEqual([2, 1]);
    expect(sync.status().lastError).toMatch(/4 entries received, 6 announced/);
  });

  it('applies a delta that follows, ignores a repeated or old one, reloads in full after a gap', async () => {
    const { lines, logger } = recordingLogger();
    const backend = scripted([
      { version: 6, full: false, from: 5, add: [id(2)], remove: [id(1)] },
      { version: 6, full: false, from: 6, add: [], remove: [] },
      { version: 4, full: false, from: 2, add: [id(9)], remove: [] },
      { version: 9, full: false, from: 8, add: [id(3)], remove: [] },
      full(9, [id(3), id(4)]),
    ]);
    const { sync } = start(backend, { version: 5, list: [id(1)], logger });
    await sync.settled();
    expect([bl.version, bl.has(id(1)), bl.has(id(2))]).toEqual([6, false, true]);
    await sync.syncNow();
    await sync.syncNow();
    expect([bl.version, bl.has(id(9))]).toEqual([6, false]);
    expect(sync.status().lastError).toBeUndefined();
    await sync.syncNow();
    expect(backend.calls.map((c) => c.since)).toEqual([5, 6, 6, 6, 0]);
    expect([bl.version, bl.size, bl.has(id(2)), bl.has(id(4))]).toEqual([9, 2, false, true]);
    expect(lines.some((l) => l.level === 'warn' && /does not follow/.test(l.msg))).toBe(true);
  });

  it('keeps the local list when the backend fails or sends an invalid entry, and says why', async () => {
    const backend = scripted([
      new BackendError('BACKEND_UNAVAILABLE', 'blacklistSince', 'backend answered HTTP 503'),
      full(7, ids(0, 2), { next: 'c1' }),
      full(7, [id(2), 'XYZ-not-a-code']),
      { version: 8, full: false, from: 5, add: [id(50)], remove: ['bad!'] },
    ]);
    const { sync } = start(backend, { version: 5, list: [id(1)] });
    let first = true;
    for (const why of [/HTTP 503/, /add\[3\] "XYZ-not-a-code"/, /remove\[0\] "bad!"/]) {
      await (first ? sync.settled() : sync.syncNow());
      first = false;
      expect(sync.status().lastError).toMatch(why);
      expect([bl.version, bl.size, bl.has(id(1)), bl.has(id(0)), bl.has(id(50))]).toEqual([5, 1, true, false, false]);
    }
  });

  it('runs at start-up and then every everyMs; stops when told', async () => {
    const backend = scripted([full(1, [id(1)]), { version: 2, full: false, from: 1, add: [id(2)], remove: [] }]);
    const { clock, sync } = start(backend);
    await clock.advance(0);
    expect([bl.version, backend.calls.length]).toEqual([1, 1]);
    await clock.advance(59_000);
    expect(backend.calls.length).toBe(1);
    await clock.advance(1_000);
    expect([bl.version, bl.has(id(2))]).toEqual([2, true]);
    sync();
    await clock.advance(600_000);
    expect(backend.calls.length).toBe(2);
  });
});
