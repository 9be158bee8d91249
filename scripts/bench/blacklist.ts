/**
 * Blacklist at scale: a list of `entries` card identification codes applied in full to a fresh
 * store, reopened (start-up load), then `lookups` single `has()` calls, half listed cards, half
 * not. Figures, not assertions (docs/blacklist.md gives the targets). `npx tsx scripts/bench/blacklist.ts`
 * prints them; BENCH_BL_ENTRIES / BENCH_BL_LOOKUPS override the defaults (1,000,000 / 200,000),
 * BENCH_BL_HTTP=0 skips the first sync over HTTP from the embedded backend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VirtualClock } from '../../drivers/common/clock.js';
import { silentLogger } from '../../drivers/common/log.js';
import { createEmbeddedBackend } from '../../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../../kiosk/backend/http-client.js';
import { Blacklist } from '../../kiosk/blacklist/blacklist.js';
import { KEY_WORDS, murmurKeyHash, packCardId } from '../../kiosk/blacklist/card-id.js';
import { IdHashSet } from '../../kiosk/blacklist/id-hash-set.js';
import { syncBlacklist } from '../../kiosk/session/blacklist-sync.js';
import { pct } from './util.js';

export interface BlacklistBenchResult {
  entries: number;
  /** In-memory index bytes per listed card. */
  bytesPerEntry: number;
  /** Start-up: open the database, read and check the snapshot, build the directory. */
  loadMs: number;
  /** Building the in-memory index from packed keys (hash, sort, directory), no I/O. */
  buildMs: number;
  /** `apply` of the full list: validate and pack the strings, build, write, commit. */
  applyFullMs: number;
  /** `apply` of a 1,000 + 1,000 delta on the full list. */
  applyDeltaMs: number;
  lookupP50Us: number;
  lookupP99Us: number;
  /** Share of the timed lookups that were hits (by construction about 0.5). */
  hitRate: number;
  /** With `overHttp`: a first sync of the same number of entries from the embedded backend, in pages of 50,000. */
  syncFullMs?: number;
  /** With `overHttp`: longest event-loop stall meanwhile (backend included: it runs in-process here). */
  syncMaxStallMs?: number;
}

/** Realistic shape: 6-digit region, `D156000005`, a 16-digit serial: 32 characters. */
function cardIds(n: number, offset = 0): string[] {
  const regions = Array.from({ length: 64 }, (_, i) => String(110100 + i * 1013).padStart(6, '0'));
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    out[i] = `${regions[k % regions.length]}D156000005${String(k * 7919 + 12345).padStart(16, '0')}`;
  }
  return out;
}

export async function benchBlacklist(opts: { entries: number; lookups: number; overHttp?: boolean }): Promise<BlacklistBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-bench-bl-'));
  try {
    const file = join(dir, 'blacklist.sqlite');
    const ids = cardIds(opts.entries);

    const packed = new Uint32Array(ids.length * KEY_WORDS);
    ids.forEach((id, i) => packCardId(id, packed, i * KEY_WORDS));
    let t = performance.now();
    IdHashSet.build(packed, ids.length, murmurKeyHash);
    const buildMs = performance.now() - t;

    let bl = new Blacklist(file);
    t = performance.now();
    bl.apply({ version: 1, full: true, add: ids, remove: [] });
    const applyFullMs = performance.now() - t;
    const delta = { version: 2, full: false, from: 1, add: cardIds(1000, opts.entries), remove: ids.slice(0, 1000) };
    t = performance.now();
    bl.apply(delta);
    const applyDeltaMs = performance.now() - t;
    bl.close();

    bl = new Blacklist(file);
    const loadMs = bl.loadMs;
    const bytesPerEntry = bl.indexBytes / bl.size;

    // Half listed (past the 1,000 the delta removed), half never listed, shuffled.
    const probes = Array.from({ length: opts.lookups }, (_, i) =>
      i % 2 === 0 ? ids[1000 + ((i * 104729) % (ids.length - 1000))]! : cardIds(1, opts.entries + 1000 + i)[0]!,
    );
    for (let i = probes.length - 1; i > 0; i--) {
      const j = (i * 2654435761) % (i + 1);
      [probes[i], probes[j]] = [probes[j]!, probes[i]!];
    }
    for (let i = 0; i < Math.min(20_000, probes.length); i++) bl.has(probes[i]!);
    const us: number[] = new Array(probes.length);
    let hits = 0;
    for (let i = 0; i < probes.length; i++) {
      const s = process.hrtime.bigint();
      const hit = bl.has(probes[i]!);
      us[i] = Number(process.hrtime.bigint() - s) / 1000;
      if (hit) hits++;
    }
    bl.close();
    const sync = opts.overHttp ? await benchSync(join(dir, 'sync'), opts.entries) : {};
    return {
      ...sync,
      entries: opts.entries,
      bytesPerEntry,
      loadMs,
      buildMs,
      applyFullMs,
      applyDeltaMs,
      lookupP50Us: pct(us, 50),
      lookupP99Us: pct(us, 99),
      hitRate: hits / probes.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The whole path: embedded backend (synthetic list) → HTTP pages → zod → staged list → commit. */
async function benchSync(dir: string, entries: number): Promise<{ syncFullMs: number; syncMaxStallMs: number }> {
  const clock = new VirtualClock();
  const backend = await createEmbeddedBackend({ dbFile: join(dir, 'backend.sqlite'), clock, logger: silentLogger });
  const client = createBackendClient({ baseUrl: backend.url, timeoutMs: 30_000, retries: 0, logger: silentLogger });
  const bl = new Blacklist(join(dir, 'blacklist.sqlite'));
  try {
    backend.store.seedSyntheticBlacklist(entries);
    let stall = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      stall = Math.max(stall, performance.now() - last);
      last = performance.now();
    }, 1);
    const t = performance.now();
    const stop = syncBlacklist({ blacklist: bl, backend: client, clock, logger: silentLogger, everyMs: 3_600_000 });
    await stop.settled();
    const syncFullMs = performance.now() - t;
    clearInterval(probe);
    stop();
    const err = stop.status().lastError;
    if (err) throw new Error(`blacklist sync failed: ${err}`);
    return { syncFullMs, syncMaxStallMs: stall };
  } finally {
    bl.close();
    client.close();
    await backend.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchBlacklist({
    entries: Number(process.env.BENCH_BL_ENTRIES ?? 1_000_000),
    lookups: Number(process.env.BENCH_BL_LOOKUPS ?? 200_000),
    overHttp: process.env.BENCH_BL_HTTP !== '0',
  });
  const f = (n: number, d = 1) => n.toFixed(d);
  console.log(`blacklist, ${r.entries.toLocaleString('en')} entries`);
  console.log(`  memory      ${f(r.bytesPerEntry)} B/entry   (target ≤ 32)`);
  console.log(`  load        ${f(r.loadMs)} ms         (target ≤ 1000)`);
  console.log(`  build       ${f(r.buildMs)} ms         (index only, no I/O)`);
  console.log(`  apply full  ${f(r.applyFullMs)} ms`);
  console.log(`  apply delta ${f(r.applyDeltaMs)} ms         (1,000 adds + 1,000 removes)`);
  console.log(`  lookup      p50 ${f(r.lookupP50Us, 2)} µs, p99 ${f(r.lookupP99Us, 2)} µs (hit rate ${f(r.hitRate * 100, 0)}%)`);
  if (r.syncFullMs !== undefined) {
    console.log(`  first sync  ${f(r.syncFullMs)} ms over HTTP, longest event-loop stall ${f(r.syncMaxStallMs ?? 0)} ms`);
  }
}
