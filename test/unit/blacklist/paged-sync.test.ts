import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { syntheticCardIdCode as synth } from '../../../kiosk/backend/embedded/blacklist-feed.js';
import type { BlacklistPage, BlacklistPageQuery } from '../../../kiosk/backend/interface.js';
import { BlacklistResponse } from '../../../kiosk/backend/wire.js';
import { Blacklist } from '../../../kiosk/blacklist/blacklist.js';
import { syncBlacklist, type BlacklistSync } from '../../../kiosk/session/blacklist-sync.js';
import { backendError, fakeServer, startRig, SUN, type Rig } from '../backend/helpers.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';

/** 孙强's card, blacklisted in the seed. */
const SUN_CARD = '110106D15600000501109411';
const N = 20_000;

let rig: Rig | undefined;
let bl: Blacklist | undefined;
let sync: BlacklistSync | undefined;
afterEach(async () => {
  sync?.();
  bl?.close();
  await rig?.close();
  [rig, bl, sync] = [undefined, undefined, undefined];
});

/** The kiosk side: a blacklist file and a sync through the real client, recording each page asked for. */
function kiosk(r: Rig, file = join(mkdtempSync(join(tmpdir(), 'ykt-blp-')), 'bl.sqlite'), onPage?: (q: BlacklistPageQuery, n: number) => void) {
  const asked: { q: BlacklistPageQuery; full: boolean; version: number; entries: number }[] = [];
  const backend = {
    blacklistPage: async (q: BlacklistPageQuery): Promise<BlacklistPage> => {
      onPage?.(q, asked.length);
      const p = await r.client.blacklistPage(q);
      asked.push({ q, full: p.full, version: p.version, entries: p.add.length + p.remove.length });
      return p;
    },
  };
  bl?.close();
  bl = new Blacklist(file);
  sync?.();
  sync = syncBlacklist({ blacklist: bl, backend, clock: new VirtualClock(), logger: silentLogger, everyMs: 3_600_000, pageLimit: 3000 });
  return { asked, file, bl, sync };
}

describe('paged blacklist sync through the embedded backend and the HTTP client', () => {
  it('downloads a large full list in pages, then deltas; a restart resumes from the stored version', async () => {
    rig = await startRig();
    const v1 = rig.backend.store.seedSyntheticBlacklist(N);
    const k = kiosk(rig);
    await k.sync.settled();
    expect(k.sync.status().lastError).toBeUndefined();
    expect(k.asked).toHaveLength(7); // 20,001 entries in pages of 3000
    expect(k.asked.every((a) => a.full && a.version === v1)).toBe(true);
    // Ordered by id: 孙强's 110106… comes first, so each cursor is the synthetic id before a multiple of 3000.
    expect(k.asked.map((a) => a.q.cursor)).toEqual([undefined, ...[1, 2, 3, 4, 5, 6].map((p) => synth(p * 3000 - 2))]);
    expect([k.bl.version, k.bl.size, k.bl.has(SUN_CARD), k.bl.has(synth(0)), k.bl.has(synth(N - 1)), k.bl.has(synth(N))]).toEqual([
      v1, N + 1, true, true, true, false,
    ]);

    const added = Array.from({ length: 500 }, (_, i) => synth(N + i));
    const removed = Array.from({ length: 300 }, (_, i) => synth(i * 7));
    rig.backend.store.setBlacklisted(added, true);
    rig.backend.store.setCardStatus(SUN.ssn, SUN.cardNumber, 'normal');
    const v2 = rig.backend.store.setBlacklisted(removed, false);
    await k.sync.syncNow();
    expect(k.asked.slice(7)).toEqual([{ q: { since: v1, limit: 3000 }, full: false, version: v2, entries: 801 }]);
    expect([k.bl.version, k.bl.size, k.bl.has(SUN_CARD), k.bl.has(synth(N + 499)), k.bl.has(synth(7)), k.bl.has(synth(8))]).toEqual([
      v2, N + 1 + 500 - 1 - 300, false, true, false, true,
    ]);

    const again = kiosk(rig, k.file);
    expect(again.bl.loadedFrom).toBe('snapshot');
    await again.sync.settled();
    expect(again.asked).toEqual([{ q: { since: v2, limit: 3000 }, full: false, version: v2, entries: 0 }]);
    expect([again.bl.version, again.bl.size]).toEqual([v2, N + 200]);
  });

  it('starts the download over when the list changes mid-way, and commits one consistent version', async () => {
    rig = await startRig();
    rig.backend.store.seedSyntheticBlacklist(10_000);
    let v2 = 0;
    const k = kiosk(rig, undefined, (_q, n) => {
      // Between the second and third page, a card is reported lost.
      if (n === 2) v2 = rig!.backend.store.setBlacklisted([synth(50_000)], true);
    });
    await k.sync.settled();
    const versions = k.asked.map((a) => a.version);
    expect(versions.slice(0, 3)).toEqual([v2 - 1, v2 - 1, v2]);
    expect(k.asked.slice(3).every((a) => a.version === v2)).toBe(true);
    expect(k.asked[3]!.q.cursor).toBeUndefined(); // started over
    expect([k.bl.version, k.bl.size, k.bl.has(synth(50_000))]).toEqual([v2, 10_002, true]);
  });

  it('answers the full list to a version too old for the compacted log, or unknown', async () => {
    rig = await startRig();
    rig.backend.store.seedSyntheticBlacklist(100);
    const k = kiosk(rig);
    await k.sync.settled();
    const v1 = k.bl.version;
    rig.backend.store.setBlacklisted([synth(100)], true);
    rig.backend.store.compactBlacklistLog();
    const v2 = rig.backend.store.setBlacklisted([synth(101)], true);
    await k.sync.syncNow();
    expect(k.asked.at(-1)).toMatchObject({ q: { since: v1 }, full: true, version: v2 });
    expect([k.bl.version, k.bl.size]).toEqual([v2, 103]);
    expect(await rig.client.blacklistPage({ since: v2 })).toMatchObject({ full: false, from: v2, add: [] });
    expect(await rig.client.blacklistPage({ since: v2 + 1000, limit: 2 })).toMatchObject({ full: true, total: 103, next: expect.any(String) });
  });

  it('answers the full list when the delta would not fit one page', async () => {
    rig = await startRig();
    const v1 = rig.backend.store.seedSyntheticBlacklist(10);
    rig.backend.store.setBlacklisted(Array.from({ length: 30 }, (_, i) => synth(1000 + i)), true);
    expect(await rig.client.blacklistPage({ since: v1, limit: 40 })).toMatchObject({ full: false, from: v1 });
    const p = await rig.client.blacklistPage({ since: v1, limit: 20 });
    expect([p.full, p.add.length, p.total, p.next]).toEqual([true, 20, 41, p.add[19]]);
    // The convenience call assembles every page.
    expect((await rig.client.blacklistSince(0)).add).toHaveLength(41);
  });

  it('validates at both edges: bad queries are refused by the server, bad entries by the client', async () => {
    rig = await startRig();
    for (const q of [{ since: 0, limit: 0 }, { since: 0, limit: 100_001 }, { since: 0, cursor: 'not/a/cursor' }]) {
      expect((await backendError(rig.client.blacklistPage(q))).code).toBe('BACKEND_REJECTED');
    }
    const bad = BlacklistResponse.safeParse({ version: 3, full: true, add: ['110100D156000005', '110100 D156'], remove: [] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['add', 1]);

    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ version: 3, full: true, add: ['110100D156000005', 'DROP TABLE'], remove: [] }));
    });
    const client = createBackendClient({ baseUrl: server.url, timeoutMs: 2000, retries: 0, logger: silentLogger });
    try {
      const e = await backendError(client.blacklistPage({ since: 0 }));
      expect([e.code, e.message]).toEqual(['BACKEND_BAD_RESPONSE', expect.stringMatching(/add\.1/)]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('keeps the local list through a backend outage and a download cut short, then completes', async () => {
    rig = await startRig();
    rig.backend.store.seedSyntheticBlacklist(9000);
    let cut = false;
    const k = kiosk(rig, undefined, (_q, n) => {
      if (n === 1 && !cut) rig!.backend.faults.set({ failOn: 'blacklistSince' });
      cut = n === 1;
    });
    await k.sync.settled();
    expect([k.bl.version, k.bl.size]).toEqual([0, 0]);
    expect(k.sync.status().lastError).toMatch(/503|unavailable/i);
    rig.backend.faults.clear();
    await k.sync.syncNow();
    expect([k.bl.size, k.bl.has(synth(8999))]).toEqual([9001, true]);
    expect(k.sync.status().lastError).toBeUndefined();
  });
});
