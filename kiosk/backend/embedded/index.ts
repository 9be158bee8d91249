/**
 * The embedded backend: SQLite store + HTTP server on loopback, started by the host in demo and
 * scenario runs so that the kiosk talks to it through the same HTTP client it uses in production.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import type { Clock } from '../../../drivers/common/clock.js';
import { YktError } from '../../../drivers/common/errors.js';
import type { Logger } from '../../../drivers/common/log.js';
import type { PremiumPosting } from '../interface.js';
import { GateEventLog } from './gate-events.js';
import { EcardIssuer, type IssuedEcardCode, type IssueEcardOptions } from './ecard-issuer.js';
import { applyOverrides, BackendSeedOverrides, overridesForCards, type ParsedBackendSeed } from './overrides.js';
import { demoHolders } from './seed-data.js';
import { startBackendServer, type BackendFaults } from './server.js';
import { BackendStore } from './store.js';

export { BACKEND_OPERATIONS, BackendSeedOverrides, overridesForCards, type BackendOperation, type ParsedBackendSeed } from './overrides.js';
export type { BackendFaults } from './server.js';
export { BackendStore, type LossReportRow } from './store.js';
export type { HolderPremiumPlan, PremiumConfig } from './premiums.js';
export { SEED_THROUGH, SEED_AS_OF } from './seed-data.js';
export { ECARD_DEFAULT_TTL_SEC, EcardIssuer, issueEcardCode, tamperEcardCode, type IssuedEcardCode, type IssueEcardOptions } from './ecard-issuer.js';

/** Demo-only HMAC key for statement codes; a deployment of the embedded backend should set its own. */
export const DEMO_STATEMENT_SECRET = 'yikatong-embedded-backend-demo-secret';

export interface EmbeddedBackendOptions {
  /** SQLite file, or ':memory:'. A file that was seeded before keeps its data (restart semantics). */
  dbFile: string;
  clock: Clock;
  logger: Logger;
  /** Scenario `backend` overrides (validated here; faults in it are applied at start). */
  seed?: unknown;
  /** Simulated cards the backend should know (their holders, card numbers, id codes, statuses). */
  cards?: readonly CardProfile[];
  statementSecret?: string;
  host?: string;
  /** 0 (default) = ephemeral. */
  port?: number;
  /**
   * Seed a fresh database just after the server listens instead of before (requests wait for it):
   * `npm start` is ready for a citizen without waiting for the demo data to be written.
   */
  deferSeed?: boolean;
  /** Lifetime of an issued e-card code (s); default 60 (docs/ecard.md). */
  ecardTtlSec?: number;
}

export interface EmbeddedBackend {
  url: string;
  /** Writes a deferred seed now (see `deferSeed`); resolves at once when it is written. */
  seedNow(): Promise<void>;
  /** Requests the server holds unanswered on purpose (timeout faults). */
  withheld(): number;
  /** Gate events received from terminals (scenario `expect.uploaded`). */
  gateEvents(terminalId?: string): number;
  close(): Promise<void>;
  faults: {
    /** Merges into the active faults. */
    set(f: BackendFaults): void;
    clear(): void;
    current(): BackendFaults;
  };
  /** Direct store access for tests and the scenario runner's expectations. */
  store: BackendStore;
  /**
   * Every premium posting, in posting order, read straight from SQLite (synchronous): the scenario
   * runner's `expect.posted` and ledger check. Throws once the backend is closed.
   */
  postings(): PremiumPosting[];
  /**
   * Issues an electronic card code for a demo holder, as the citizen's app would (scenario runner,
   * /sim panel, tests); `variant` makes one that fails verification on purpose. Synchronous; writes
   * a deferred seed first. Throws (ApiError) for an unknown holder or card.
   */
  issueEcardCode(ssn: string, o?: IssueEcardOptions): IssuedEcardCode;
}

export class BackendSeedError extends YktError {
  constructor(message: string) {
    super('BACKEND_SEED_INVALID', message);
  }
}

/** Validates scenario overrides; throws BackendSeedError naming the bad field (`backend.holders.…`). */
export function parseBackendSeed(raw: unknown): ParsedBackendSeed {
  const r = BackendSeedOverrides.safeParse(raw ?? {});
  if (!r.success) {
    const describe = (i: (typeof r.error.issues)[number]): string =>
      i.code === 'invalid_key' ? `${i.message}: ${i.issues.map((k) => k.message).join(', ')}` : i.message;
    throw new BackendSeedError(r.error.issues.map((i) => `${['backend', ...i.path].join('.')}: ${describe(i)}`).join('; '));
  }
  return r.data;
}

export async function createEmbeddedBackend(opts: EmbeddedBackendOptions): Promise<EmbeddedBackend> {
  const overrides = parseBackendSeed(opts.seed);
  if (opts.dbFile !== ':memory:') mkdirSync(dirname(opts.dbFile), { recursive: true });
  const store = new BackendStore(opts.dbFile, opts.clock, opts.statementSecret ?? DEMO_STATEMENT_SECRET);
  const gateLog = new GateEventLog(store.db);
  const ecard = new EcardIssuer(store, opts.clock, { cards: opts.cards, ttlSec: opts.ecardTtlSec });
  const seed = () => {
    if (store.isSeeded()) return;
    const holders = demoHolders();
    if (opts.cards?.length) applyOverrides(holders, overridesForCards(opts.cards));
    applyOverrides(holders, overrides);
    store.seed(holders, overrides.premiums);
  };
  // Deferred: the first request (or `seedNow`) writes the seed, and every request waits for it.
  let seeded: Promise<void> | undefined;
  const seedOnce = (): Promise<void> => {
    seeded ??= new Promise<void>((resolve) => {
      seed();
      resolve();
    });
    return seeded;
  };
  if (!opts.deferSeed) await seedOnce();
  const faults: BackendFaults = {};
  const setFaults = (f: BackendFaults) => {
    for (const k of ['timeoutOn', 'failOn', 'badResponseOn'] as const) if (f[k] !== undefined) faults[k] = f[k];
  };
  setFaults(overrides);
  let server;
  try {
    server = await startBackendServer({ store, logger: opts.logger, host: opts.host, port: opts.port, faults, seeded: seedOnce, ecard });
  } catch (err) {
    store.close();
    throw new YktError('BACKEND_LISTEN_FAILED', `embedded backend cannot listen: ${(err as Error).message}`, { cause: err });
  }
  const srv = server;
  return {
    url: srv.url,
    seedNow: seedOnce,
    gateEvents: (terminalId) => gateLog.count(terminalId),
    withheld: () => srv.withheld(),
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
    store,
    postings: () => store.postings(),
    issueEcardCode: (ssn, o) => {
      // seedOnce runs the (synchronous) seed inside its promise executor: written by the time it returns.
      void seedOnce();
      return ecard.issue(ssn, o);
    },
  };
}
