/**
 * The embedded HIS: the hospital's registration system as a separate service on loopback (SQLite
 * schedule + HTTP), so demo and scenario runs register through the same client, validation and
 * network stack as production. Several terminals may share one (each with its own client).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../../drivers/common/clock.js';
import { YktError } from '../../../drivers/common/errors.js';
import type { Logger } from '../../../drivers/common/log.js';
import type { Registration } from '../interface.js';
import { parseHisSeed } from './overrides.js';
import { startHisServer, type HisFaults } from './server.js';
import { HisStore } from './store.js';

export { HIS_OPERATIONS, HisFaultTarget, HisSeedError, HisSeedOverrides, parseHisSeed, parseSlotId, type HisOperation } from './overrides.js';
export type { HisFaults } from './server.js';
export { DEFAULT_HOLD_TTL_MS, HisApiError, HisStore } from './store.js';
export { CAPACITY, DEPARTMENTS, DOCTORS, FEES, SLOT_STARTS } from './seed-data.js';
export { slotIdOf, WINDOW_DAYS } from './schedule.js';
export { localDate } from './calendar.js';

export interface EmbeddedHisOptions {
  /** SQLite file, or ':memory:'. A file used before keeps its schedule, holds and registrations. */
  dbFile: string;
  /** "Today", slot windows and hold expiry; scenario runs pass the virtual clock. */
  clock: Clock;
  logger: Logger;
  /** Scenario `his` overrides (validated here, HisSeedError): schedule changes, hold lifetime, faults. */
  seed?: unknown;
  host?: string;
  /** 0 (default) = ephemeral. */
  port?: number;
}

export interface EmbeddedHis {
  url: string;
  close(): Promise<void>;
  faults: {
    /** Merges into the active faults. */
    set(f: HisFaults): void;
    clear(): void;
    current(): HisFaults;
  };
  /** Requests the server holds unanswered on purpose (timeout faults). */
  withheld(): number;
  /** Direct store access for tests and the scenario runner's expectations. */
  store: HisStore;
  /** Every registration made (cancelled ones too), in order, read synchronously from SQLite. */
  registrations(): Registration[];
}

export async function createEmbeddedHis(opts: EmbeddedHisOptions): Promise<EmbeddedHis> {
  const overrides = parseHisSeed(opts.seed);
  if (opts.dbFile !== ':memory:') mkdirSync(dirname(opts.dbFile), { recursive: true });
  const store = new HisStore(opts.dbFile, opts.clock, overrides);
  try {
    store.seed();
  } catch (err) {
    store.close();
    throw err;
  }
  const faults: HisFaults = {};
  const setFaults = (f: HisFaults) => {
    for (const k of ['timeoutOn', 'failOn', 'badResponseOn'] as const) if (f[k] !== undefined) faults[k] = f[k];
  };
  setFaults(overrides);
  let server;
  try {
    server = await startHisServer({ store, logger: opts.logger, faults, host: opts.host, port: opts.port });
  } catch (err) {
    store.close();
    throw new YktError('HIS_LISTEN_FAILED', `embedded HIS cannot listen: ${(err as Error).message}`, { cause: err });
  }
  const srv = server;
  return {
    url: srv.url,
    close: async () => {
      await srv.close();
      store.close();
    },
    faults: {
      set: setFaults,
      clear: () => {
        delete faults.timeoutOn;
        delete faults.failOn;
        delete faults.badResponseOn;
      },
      current: () => ({ ...faults }),
    },
    withheld: () => srv.withheld(),
    store,
    registrations: () => store.registrations(),
  };
}
