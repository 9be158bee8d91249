import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import { errorCode } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import type { BlacklistPage, SocialSecurityBackend } from '../backend/interface.js';
import { BlacklistError, type Blacklist } from '../blacklist/blacklist.js';

export interface BlacklistSyncStatus {
  version: number;
  size: number;
  /** Clock times (ms) of the last sync attempt and the last successful one. */
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  /** Why the last attempt failed; cleared by a success. */
  lastError?: string;
}

/** Calling it stops the sync (as before); it also reports and can sync on demand. */
export interface BlacklistSync {
  (): void;
  status(): BlacklistSyncStatus;
  /** One sync now, after any running one; never rejects (a failure lands in `status().lastError`). */
  syncNow(): Promise<void>;
  /** Resolves when the running sync (the start-up one, say) is over, without starting another. */
  settled(): Promise<void>;
}

export interface BlacklistSyncDeps {
  blacklist: Blacklist;
  backend: Pick<SocialSecurityBackend, 'blacklistPage'>;
  clock: Clock;
  logger: Logger;
  everyMs: number;
  /** Entries asked per page of a full list (the backend may send fewer). Default 50,000. */
  pageLimit?: number;
}

/** Full downloads started over because the list moved under them, before giving up until next time. */
const FULL_TRIES = 3;

/**
 * Keeps the local blacklist current (docs/blacklist.md): at start-up and then every `everyMs`, asks
 * for the changes since the local version. A delta that follows the local version is applied; a
 * repeated or old one is ignored; one from another version (a gap) triggers a full reload. A full
 * list is staged page by page and committed only whole, all pages of one version. A failure keeps
 * the local list, which keeps answering throughout: `has()` never waits for a sync.
 */
export function syncBlacklist(d: BlacklistSyncDeps): BlacklistSync {
  const bl = d.blacklist;
  const log = d.logger;
  const limit = d.pageLimit ?? 50_000;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const st: Omit<BlacklistSyncStatus, 'version' | 'size'> = {};

  const page = (since: number, cursor?: string) => d.backend.blacklistPage({ since, ...(cursor ? { cursor } : {}), limit });

  async function once(): Promise<void> {
    const local = bl.version;
    const first = await page(local);
    if (first.full) return full(local, first);
    if (first.version <= local) return;
    const from = first.from ?? local;
    if (from !== local) {
      log.warn({ local, from, version: first.version }, 'blacklist delta does not follow the local version; reloading in full');
      return full(0);
    }
    if (stopped) return;
    bl.apply({ version: first.version, full: false, from, add: first.add, remove: first.remove });
    log.info({ version: bl.version, size: bl.size, full: false, added: first.add.length, removed: first.remove.length }, 'blacklist updated');
  }

  async function full(since: number, first?: BlacklistPage): Promise<void> {
    for (let attempt = 1; attempt <= FULL_TRIES; attempt++) {
      let p = first ?? (await page(since));
      first = undefined;
      if (!p.full) throw new BlacklistError('BLACKLIST_NOT_FULL', `asked for the full list (since ${since}), got a delta`);
      const version = p.version;
      const stage = bl.stageFull(p.total);
      stage.add(p.add);
      let pages = 1;
      let consistent = true;
      while (consistent && p.next !== undefined && !stopped) {
        p = await page(since, p.next);
        consistent = p.full && p.version === version;
        if (consistent) {
          stage.add(p.add);
          pages++;
        }
      }
      if (stopped) return;
      if (!consistent) {
        log.info({ version, now: p.version, attempt }, 'blacklist changed during a full download; starting over');
        continue;
      }
      if (p.total !== undefined && p.total !== stage.size) {
        throw new BlacklistError('BLACKLIST_INCOMPLETE', `full list ${version}: ${stage.size} entries received, ${p.total} announced`);
      }
      // Build the index, then let waiting card reads through before the write: no decision waits for both.
      stage.seal();
      await new Promise((r) => setImmediate(r));
      if (stopped) return;
      bl.commitFull(stage, version);
      log.info({ version: bl.version, size: bl.size, full: true, pages }, 'blacklist updated');
      return;
    }
    throw new BlacklistError('BLACKLIST_UNSTABLE', `blacklist changed during ${FULL_TRIES} full downloads in a row`);
  }

  async function attempt(): Promise<void> {
    if (stopped) return;
    st.lastAttemptAt = d.clock.now();
    try {
      await once();
      st.lastSuccessAt = d.clock.now();
      delete st.lastError;
    } catch (e) {
      st.lastError = (e as Error).message;
      log.warn({ code: errorCode(e), err: st.lastError, version: bl.version }, 'blacklist sync failed; keeping the local list');
    }
  }

  // One sync at a time: the timer and syncNow() queue on the same chain.
  const exclusive = (): Promise<void> => (chain = chain.then(attempt));

  const loop = async (): Promise<void> => {
    await exclusive();
    if (!stopped) timer = d.clock.setTimeout(() => void loop(), d.everyMs);
  };
  void loop();

  const stop = (() => {
    stopped = true;
    d.clock.clearTimeout(timer);
  }) as BlacklistSync;
  stop.status = () => ({ version: bl.version, size: bl.size, ...st });
  stop.syncNow = exclusive;
  stop.settled = () => chain;
  return stop;
}
