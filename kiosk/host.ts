import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createActor, type Actor } from 'xstate';
import { realClock, type Clock } from '../drivers/common/clock.js';
import { createLogger, type Logger } from '../drivers/common/log.js';
import type { CardReader } from '../drivers/card-reader/interface.js';
import { createCardReader } from '../drivers/card-reader/driver.js';
import { openTransport } from '../drivers/serial/open-transport.js';
import type { CardProfile } from '../drivers/card-reader/sim/card-profile.js';
import { sessionMachine } from '../flows/session/index.js';
import { cardPlace, presentSession } from '../flows/view/present.js';
import type { HostSnapshot, Intent } from '../flows/view/protocol.js';
import { loadConfig, mergeConfig, parseConfig } from './config/load.js';
import type { KioskConfig } from './config/schema.js';
import { Journal } from './journal/journal.js';
import { sessionActors } from './session/actors.js';
import { ReaderWatch } from './session/reader-watch.js';
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
  /** No UI server (scenario runner, bench). */
  headless?: boolean;
  /** Shorthands for config overrides used by tests. */
  sim?: boolean;
  port?: number;
  dataDir?: string;
}

export interface Host {
  readonly config: KioskConfig;
  readonly url: string | undefined;
  readonly world: SimWorld | undefined;
  readonly journal: Journal;
  readonly reader: CardReader;
  snapshot(): HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  /** A citizen's touch; refused when the control is not on the current screen. */
  touch(control: string): { ok: boolean; message?: string };
  /** True while the host is doing something a citizen would wait for (I/O in flight). */
  busy(): boolean;
  /** Clean shutdown. */
  stop(): Promise<void>;
  /** Power cut: drop everything without closing or flushing anything. */
  kill(): void;
}

type SessionActor = Actor<typeof sessionMachine>;

export async function startHost(opts: StartHostOptions = {}): Promise<Host> {
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
    });
  } else if (world && opts.cards) {
    for (const [h, p] of Object.entries(opts.cards)) world.cards.set(h, p);
  }
  const transportCfg =
    config.mode === 'sim' && readerCfg.transport.kind !== 'sim'
      ? { kind: 'sim' as const, path: 'sim:reader', baudRate: 115200 }
      : readerCfg.transport;
  const transport = openTransport(transportCfg, { clock, logger, simRegistry: world?.registry });
  const reader = createCardReader({
    transport,
    clock,
    logger: logger.child({ device: 'reader' }),
    timeouts: { ackMs: readerCfg.ackTimeoutMs, responseMs: readerCfg.responseTimeoutMs },
  });

  const devices: Record<string, string> = { reader: 'starting' };
  let opened: Promise<void> = Promise.resolve();
  let actor: SessionActor | undefined;
  let seq = 0;
  let current: HostSnapshot | undefined;
  const listeners = new Set<(s: HostSnapshot) => void>();

  const build = (): HostSnapshot => {
    const snap = actor!.getSnapshot();
    return {
      type: 'snapshot',
      seq: ++seq,
      now: clock.now(),
      view: presentSession(snap, { terminalId: config.terminalId, now: clock.now() }),
      card: cardPlace(snap),
      devices: { ...devices },
      lang: snap.context.lang,
      sim: config.mode === 'sim',
      terminalId: config.terminalId,
    };
  };
  const publish = () => {
    if (!actor) return;
    current = build();
    for (const l of listeners) l(current);
  };

  const machine = sessionMachine.provide({
    actors: sessionActors({
      reader,
      ready: () => opened,
      journal,
      clock,
      logger,
      terminalId: config.terminalId,
      currentHolder: () => actor?.getSnapshot().context.holder,
    }),
  });
  actor = createActor(machine, { input: { config: config.session, lang: config.lang }, clock });

  const watch = new ReaderWatch(reader, clock, logger, {
    cardAtGateMs: 300,
    idleMs: config.session.healthCheckMs,
  });
  actor.subscribe({
    next: (snap) => {
      const place = cardPlace(snap);
      const screen = presentSession(snap, { terminalId: config.terminalId, now: clock.now() }).screen;
      watch.setMode(place === 'at-gate' ? 'card-at-gate' : screen === 'idle' ? 'idle' : 'off');
      publish();
    },
    error: (err) => logger.error({ err }, 'session machine stopped on an error'),
  });
  reader.on('card-inserted', () => actor?.send({ type: 'CARD_INSERTED' }));
  reader.on('card-at-gate', () => actor?.send({ type: 'CARD_AT_GATE' }));
  reader.on('card-removed', () => actor?.send({ type: 'CARD_REMOVED' }));
  reader.on('status', (st: { state: string; lastFault?: { code: string; message: string } }) => {
    const before = devices.reader;
    devices.reader = st.state;
    if (st.state === 'ok' && before !== 'ok') actor?.send({ type: 'READER_OK' });
    if (st.state !== 'ok' && st.state !== 'starting') {
      actor?.send({ type: 'READER_FAULT', code: st.lastFault?.code ?? st.state, message: st.lastFault?.message ?? st.state });
    }
    publish();
  });

  // Opening probes the device, which takes line time (virtual time under the scenario runner):
  // start the session at once and let its first actor wait for the reader.
  opened = reader.open().then(
    () => {
      devices.reader = reader.status.state;
    },
    (e: unknown) => {
      devices.reader = reader.status.state === 'ok' ? 'fault' : reader.status.state;
      logger.error({ err: e }, 'card reader could not be opened; starting out of service');
    },
  );
  actor.start();

  let server: { url: string; close(): Promise<void> } | undefined;
  if (!opts.headless) {
    const { createUiServer } = await import('./server/index.js');
    const { simPanelApi } = await import('./sim/panel-api.js');
    server = await createUiServer({
      host: config.ui.host,
      port: config.ui.port,
      staticDir: join(repoRoot(), 'dist', 'ui'),
      logger,
      hub: {
        current: () => current ?? build(),
        subscribe: (fn) => {
          listeners.add(fn);
          return () => listeners.delete(fn);
        },
        intent: (i: Intent) => {
          if (i.type === 'touch') host.touch(i.control);
        },
      },
      sim: world ? simPanelApi(world, () => current ?? build()) : undefined,
    });
  }

  let stopped = false;
  const host: Host = {
    config,
    url: server?.url,
    world,
    journal,
    reader,
    snapshot: () => current ?? build(),
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    touch(control) {
      const snap = current ?? build();
      const c = snap.view.controls.find((x) => x.id === control);
      if (!c) {
        return {
          ok: false,
          message: `control '${control}' is not on screen '${snap.view.screen}' (offered: ${snap.view.controls.map((x) => x.id).join(', ') || 'none'})`,
        };
      }
      if (c.disabled) return { ok: false, message: `control '${control}' is disabled${c.note ? `: ${c.note}` : ''}` };
      actor!.send({ type: 'TOUCH', control });
      return { ok: true };
    },
    busy() {
      if (!actor) return false;
      const children = Object.values(actor.getSnapshot().children) as { getSnapshot(): { status: string } }[];
      if (children.some((c) => c.getSnapshot().status === 'active')) return true;
      if (world && world.registry.inFlight() > 0) return true;
      return reader.busy?.() ?? false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      watch.setMode('off');
      actor?.stop();
      await server?.close();
      await reader.close().catch(() => undefined);
      journal.close();
    },
    kill() {
      stopped = true;
      watch.setMode('off');
      actor?.stop();
      listeners.clear();
      void server?.close();
      reader.removeAllListeners();
      void reader.close().catch(() => undefined);
      // The journal's committed rows are already on disk (synchronous=FULL); closing the handle
      // just lets the next host open the same file in this process.
      journal.close();
    },
  };
  current = build();
  return host;
}
