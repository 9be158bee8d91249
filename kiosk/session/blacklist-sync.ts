import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Blacklist } from '../blacklist/blacklist.js';

/**
 * Keeps the local blacklist current: fetches the changes since the local version at start-up and
 * then periodically. A failed fetch is retried at the next period; the local list keeps serving.
 * Returns a stop function.
 */
export function syncBlacklist(d: { blacklist: Blacklist; backend: SocialSecurityBackend; clock: Clock; logger: Logger; everyMs: number }): () => void {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const u = await d.backend.blacklistSince(d.blacklist.version);
      if (u.full || u.version > d.blacklist.version) {
        d.blacklist.apply(u);
        d.logger.info({ version: u.version, size: d.blacklist.size, full: u.full }, 'blacklist updated');
      }
    } catch (e) {
      d.logger.warn({ err: (e as Error).message }, 'blacklist sync failed; keeping the local list');
    }
    if (!stopped) timer = d.clock.setTimeout(() => void run(), d.everyMs);
  };
  void run();
  return () => {
    stopped = true;
    d.clock.clearTimeout(timer);
  };
}
