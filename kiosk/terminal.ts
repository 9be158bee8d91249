/**
 * What every terminal profile shares: config, journal, the simulated world (sim mode), the
 * backend client, the local blacklist, and the UI server. The kiosk host (host.ts) and the gate
 * host (gate/gate-host.ts) are built on it; `startTerminal` picks by profile.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { realClock, type Clock } from '../drivers/common/clock.js';
import { createLogger, type Logger } from '../drivers/common/log.js';
import type { CardProfile } from '../drivers/card-reader/sim/card-profile.js';
import type { HostSnapshot, Intent } from '../flows/view/protocol.js';
import { ConfigError, loadConfig, mergeConfig, parseConfig } from './config/load.js';
import type { KioskConfig } from './config/schema.js';
import { Journal } from './journal/journal.js';
import { createBackendClient, type BackendClient } from './backend/index.js';
import { Blacklist } from './blacklist/blacklist.js';
import { trackPending } from './pending.js';
import { SimWorld, loadCardDir } from './sim/world.js';
import { repoRoot } from './paths.js';

export interface StartHostOptions {
  /** Path of a JSON config file; overrides apply on top. */
  configPath?: string;
  config?: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
  /** A simulated world to reuse (the scenario runner keeps it across a restart). */
  world?: SimWorld;
  /** Extra simulated cards besides the demo cards. */
  cards?: Record<string, CardProfile>;
  /** Scenario overrides of the embedded backend's seed (validated by the backend). */
  backendSeed?: unknown;
  /** No UI server (scenario runner, bench). */
  headless?: boolean;
  /** Shorthands for config overrides used by tests. */
  sim?: boolean;
  port?: number;
  dataDir?: string;
}

/** What the scenario runner, the UI server and `npm start` need of any terminal. */
export interface Terminal {
  readonly config: KioskConfig;
  readonly url: string | undefined;
  readonly world: SimWorld | undefined;
  readonly journal: Journal;
  readonly backend: BackendClient;
  readonly blacklist: Blacklist;
  snapshot(): HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  /** A citizen's touch; refused when the control is not on the current screen. */
  touch(control: string): { ok: boolean; message?: string };
  /** True while the host is doing something a citizen would wait for (I/O in flight). */
  busy(): boolean;
  /** Calls to real-time services (HTTP backends) still in flight. */
  realIoPending(): number;
  /** Clean shutdown. */
  stop(): Promise<void>;
  /** Power cut: drop everything without closing or flushing anything. */
  kill(): void;
}

export interface TerminalBase {
  opts: StartHostOptions;
  config: KioskConfig;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  journal: Journal;
  world: SimWorld | undefined;
  backend: BackendClient;
  backendPending: { count: number };
  backendWire: { count: number };
  blacklist: Blacklist;
}

export async function prepareTerminal(opts: StartHostOptions): Promise<TerminalBase> {
  const overrides: Record<string, unknown> = { ...(opts.config ?? {}) };
  if (opts.sim) overrides.mode = 'sim';
  if (opts.dataDir) overrides.dataDir = opts.dataDir;
  if (opts.port !== undefined) overrides.ui = mergeConfig((overrides.ui as Record<string, unknown>) ?? {}, { port: opts.port });
  const config = opts.configPath ? loadConfig(opts.configPath, overrides) : parseConfig(overrides, 'options');
  const clock = opts.clock ?? realClock;
  const logger = opts.logger ?? createLogger('ykt');
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const journal = new Journal(join(dataDir, 'journal.sqlite'), clock);

  const readerCfg = config.devices.reader;
  let world = opts.world;
  if (config.mode === 'sim' && !world) {
    const cardsDir = config.sim.cardsDir ?? join(repoRoot(), 'test', 'fixtures', 'cards');
    world = new SimWorld({
      clock,
      readerPath: readerCfg.transport.kind === 'sim' ? readerCfg.transport.path : 'sim:reader',
      psamSlot: readerCfg.psamSlot,
      cards: { ...loadCardDir(cardsDir), ...(opts.cards ?? {}) },
      readerDelays: config.sim.readerDelays,
      printerRoll: config.sim.printerRoll,
    });
  } else if (world && opts.cards) {
    for (const [h, p] of Object.entries(opts.cards)) world.cards.set(h, p);
  }
  let backendUrl = config.backend.url;
  if (!backendUrl && world) {
    // `npm start` (a world of its own) seeds a fresh backend just after ready; tests and scenarios,
    // which read the store directly, get it seeded before.
    const embedded = await world.startBackend({
      dbFile: join(dataDir, 'embedded-backend.sqlite'),
      seed: opts.backendSeed,
      logger: logger.child({ mod: 'embedded-backend' }),
      deferSeed: !opts.world,
    });
    backendUrl = embedded.url;
  }
  if (!backendUrl) throw new ConfigError('backend.url is required on real devices (no embedded backend outside sim mode)');
  // Requests on the wire, for the scenario runner's clock (a retry's backoff is virtual time).
  const backendWire = { count: 0 };
  const backendClient = createBackendClient({
    inFlight: backendWire,
    deadlineOnClock: clock !== realClock,
    baseUrl: backendUrl,
    timeoutMs: config.backend.timeoutMs,
    retries: config.backend.retries,
    clock,
    logger: logger.child({ mod: 'backend' }),
    tls: config.backend.tls,
  });
  const { proxy: backend, pending: backendPending } = trackPending(backendClient);
  const blacklist = new Blacklist(join(dataDir, 'blacklist.sqlite'));
  return { opts, config, clock, logger, dataDir, journal, world, backend, backendPending, backendWire, blacklist };
}

export interface UiHub {
  current(): HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  intent(i: Intent): void;
}

/** The UI server (and, in sim mode, the simulator panel at /sim). */
export async function startUi(base: TerminalBase, hub: UiHub): Promise<{ url: string; close(): Promise<void> }> {
  const { createUiServer } = await import('./server/index.js');
  const { simPanelApi } = await import('./sim/panel-api.js');
  const { config, logger, world } = base;
  return createUiServer({
    host: config.ui.host,
    port: config.ui.port,
    staticDir: join(repoRoot(), 'dist', 'ui'),
    logger,
    hub,
    sim: world ? simPanelApi(world, () => hub.current()) : undefined,
  });
}

/** The terminal of the configured profile: a kiosk, or a transit gate. */
export async function startTerminal(opts: StartHostOptions = {}): Promise<Terminal> {
  const base = await prepareTerminal(opts);
  try {
    switch (base.config.profile) {
      case 'gate': {
        const { startGate } = await import('./gate/gate-host.js');
        return await startGate(base);
      }
      case 'hospital': {
        const { startHospital } = await import('./host.js');
        return await startHospital(base);
      }
      default: {
        const { startKiosk } = await import('./host.js');
        return await startKiosk(base);
      }
    }
  } catch (err) {
    base.blacklist.close();
    base.journal.close();
    if (!opts.world) await base.world?.close();
    throw err;
  }
}
