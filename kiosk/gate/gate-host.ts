/**
 * `npm start -- --profile gate`: a transit turnstile. Tap or scan → identify → local blacklist,
 * validity, anti-passback → open → passage sensed → ready again. Every decision is journaled
 * locally and uploaded when the backend is reachable; nothing on the tap path waits for it.
 */
import { createActor } from 'xstate';
import type { ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { DeviceStatus } from '../../drivers/common/device-status.js';
import { gateMachine, gateScreenOf, type GateSnapshot } from '../../flows/gate/index.js';
import { presentGate } from '../../flows/view/present-gate.js';
import type { HostSnapshot, Intent } from '../../flows/view/protocol.js';
import type { Lang } from '../../flows/view/strings.js';
import { trustedEcardKeys } from '../ecard/config.js';
import { syncBlacklist } from '../session/blacklist-sync.js';
import { startUi, type Terminal, type TerminalBase } from '../terminal.js';
import { gateActors } from './gate-actors.js';
import { createTransitDevices, type TransitDevices } from './gate-devices.js';
import { GateUploader } from './gate-upload.js';
import { Passback } from './passback.js';
import { TapPoller } from './tap-poller.js';

export interface GateTerminal extends Terminal {
  readonly devices: TransitDevices;
}

/** States where the host works for the citizen (the runner waits for them to end). */
const WORKING = ['identifyingCard', 'identifyingCode', 'deciding', 'opening', 'closing'] as const;

export async function startGate(base: TerminalBase): Promise<GateTerminal> {
  const { opts, config, clock, logger, journal, world, backend, backendPending, backendWire, blacklist } = base;
  const gcfg = config.gate;
  await world?.ensureGate();
  const dev = createTransitDevices(config, { clock, logger, world });
  if (!dev.gate) throw new Error('gate profile without a gate board');
  const gate = dev.gate;
  const passback = Passback.fromJournal(journal, gcfg.antiPassbackMs, clock.now());
  let tapped: ContactlessCard | undefined;
  let lang: Lang = config.lang;
  const terminalId = config.terminalId;

  const machine = gateMachine.provide({
    actors: gateActors({
      reader: dev.reader,
      gate,
      clock,
      logger,
      config: gcfg,
      psamSlot: config.devices.reader.psamSlot,
      blacklist,
      passback,
      backend,
      ecardKeys: trustedEcardKeys(config.ecard, config.mode),
      ecardSkewMs: config.ecard.skewMs,
      tapped: () => tapped,
    }),
    actions: {
      signal: (_, p: { lights?: 'green' | 'red' | 'off'; alarm?: boolean }) => {
        if (p.lights) gate.lights(p.lights).catch(() => undefined);
        if (p.alarm !== undefined) gate.alarm(p.alarm).catch(() => undefined);
      },
      record: ({ context }, p: { status: 'passed' | 'denied' | 'not-passed' | 'tailgating' }) => {
        const id = context.identity;
        const now = clock.now();
        if (p.status === 'passed' && id) passback.passed(id.cardIdCode, now);
        journal.append('gate', p.status, {
          terminalId,
          direction: gcfg.direction,
          ...(id ? { via: id.via, cardIdCode: id.cardIdCode, cardNumber: id.cardNumber } : {}),
          ...(p.status === 'denied' ? { reason: context.reason ?? 'unreadable' } : {}),
          ...(context.decision ? { online: context.decision.online } : {}),
        });
        logger.info({ gate: p.status, via: id?.via, reason: p.status === 'denied' ? context.reason : undefined }, 'gate event');
      },
    },
  });
  const actor = createActor(machine, { input: { config: gcfg, devices: dev.statuses() }, clock });

  let seq = 0;
  let current: HostSnapshot | undefined;
  let enteredAt = clock.now();
  let lastKey = '';
  const listeners = new Set<(s: HostSnapshot) => void>();
  const build = (): HostSnapshot => {
    const snap = actor.getSnapshot();
    const key = JSON.stringify(snap.value);
    if (key !== lastKey) {
      lastKey = key;
      enteredAt = clock.now();
    }
    return {
      type: 'snapshot',
      seq: ++seq,
      now: clock.now(),
      view: presentGate(snap, { lang, now: clock.now(), enteredAt }),
      card: 'none',
      devices: dev.statuses(),
      lang,
      sim: config.mode === 'sim',
      terminalId,
      profile: 'gate',
      elderly: false,
    };
  };
  const publish = () => {
    current = build();
    for (const fn of listeners) fn(current);
  };

  const ready = (s: GateSnapshot) => s.matches('idle') || s.matches('denied');
  const poller = new TapPoller({
    reader: dev.reader,
    clock,
    logger,
    pollMs: gcfg.pollMs,
    wanted: () => ready(actor.getSnapshot()) && dev.statuses().reader === 'ok',
    onTap: (card) => {
      tapped = card;
      actor.send({ type: 'TAP' });
    },
  });
  actor.subscribe((s) => {
    // The tap was dealt with: look for the next card.
    if (!s.matches('identifyingCard') && tapped) {
      tapped = undefined;
      poller.resume();
    }
    publish();
  });

  dev.on('status', (name: string, st: DeviceStatus) => {
    actor.send({ type: 'DEVICE_STATUS', device: name, status: st.state });
    publish();
  });
  gate.on('passage', () => actor.send({ type: 'PASSAGE' }));
  gate.on('tailgating', () => actor.send({ type: 'TAILGATING' }));
  dev.scanner?.on('scan', (e: { text: string }) => {
    if (ready(actor.getSnapshot())) actor.send({ type: 'SCAN', text: e.text });
  });

  actor.start();
  poller.start();
  const uploader = new GateUploader({ journal, backend, clock, logger, terminalId, everyMs: gcfg.uploadEveryMs });

  const server = opts.headless
    ? undefined
    : await startUi(base, {
        current: () => current ?? build(),
        subscribe: (fn) => {
          listeners.add(fn);
          return () => listeners.delete(fn);
        },
        intent: (i: Intent) => {
          if (i.type === 'touch') terminal.touch(i.control);
        },
      });
  const stopSync = syncBlacklist({ blacklist, backend, clock, logger, everyMs: config.backend.blacklistSyncMs });
  uploader.start();

  let stopped = false;
  const halt = () => {
    stopped = true;
    poller.stop();
    uploader.stop();
    stopSync();
    actor.stop();
  };
  const terminal: GateTerminal = {
    config,
    url: server?.url,
    world,
    journal,
    backend,
    blacklist,
    devices: dev,
    snapshot: () => current ?? build(),
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    touch(control) {
      const snap = current ?? build();
      if (!snap.view.controls.some((c) => c.id === control)) {
        return { ok: false, message: `control '${control}' is not on screen '${snap.view.screen}' (offered: ${snap.view.controls.map((c) => c.id).join(', ') || 'none'})` };
      }
      if (control === 'language') lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
      publish();
      return { ok: true };
    },
    realIoPending: () => Math.max(0, backendWire.count - (world?.backend?.withheld() ?? 0)),
    busy() {
      if (stopped) return false;
      const s = actor.getSnapshot();
      if (WORKING.some((w) => s.matches(w))) return true;
      if (backendPending.count > 0 || uploader.busy()) return true;
      if (world && world.registry.inFlight() > 0) return true;
      return poller.busy() || dev.busy();
    },
    async stop() {
      if (stopped) return;
      halt();
      await server?.close();
      await dev.close();
      backend.close();
      blacklist.close();
      journal.close();
      if (!opts.world) await world?.close();
    },
    kill() {
      halt();
      listeners.clear();
      void server?.close();
      dev.removeAllListeners();
      gate.removeAllListeners();
      dev.scanner?.removeAllListeners();
      void dev.close();
      backend.close();
      blacklist.close();
      journal.close();
    },
  };
  void dev.ready.then(publish);
  current = build();
  logger.info({ screen: gateScreenOf(actor.getSnapshot()) }, 'gate ready');
  return terminal;
}
