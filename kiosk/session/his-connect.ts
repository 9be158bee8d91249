import { join } from 'node:path';
import { realClock } from '../../drivers/common/clock.js';
import { ConfigError } from '../config/load.js';
import { createHisClient, type HisClient } from '../his/index.js';
import { trackPending, type PendingCounter } from '../pending.js';
import type { TerminalBase } from '../terminal.js';

export interface HisConnection {
  /** The HIS client, counted while a call is unsettled (the host's busy()). */
  his: HisClient;
  /** Calls not settled yet. */
  pending: PendingCounter;
  /** HTTP requests on the wire (the scenario runner holds virtual time while one is). */
  wire: { count: number };
  close(): void;
}

/**
 * The hospital profile's HIS: `his.url` (the hospital's gateway), or in sim mode without one the
 * embedded HIS of the simulated world, on SQLite in the data folder (docs/his.md) — as the embedded
 * backend and bank are started for the kiosk.
 */
export async function connectHis(base: TerminalBase): Promise<HisConnection> {
  const { config, world, clock, logger, dataDir } = base;
  let url = config.his.url;
  if (!url && world) {
    const embedded = await world.startHis({ dbFile: join(dataDir, 'embedded-his.sqlite'), logger: logger.child({ mod: 'embedded-his' }) });
    url = embedded.url;
  }
  if (!url) throw new ConfigError('his.url is required on real devices (no embedded HIS outside sim mode)');
  const wire = { count: 0 };
  const client = createHisClient({
    baseUrl: url,
    timeoutMs: config.his.timeoutMs,
    retries: config.his.retries,
    clock,
    logger: logger.child({ mod: 'his' }),
    inFlight: wire,
    deadlineOnClock: clock !== realClock,
    ...(config.his.tls ? { tls: config.his.tls } : {}),
  });
  const { proxy, pending } = trackPending(client);
  return { his: proxy, pending, wire, close: () => client.close() };
}
