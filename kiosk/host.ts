import { lazyLoads } from './pending.js';
import { join } from 'node:path';
import { createActor, type Actor } from 'xstate';
import type { CardReader } from '../drivers/card-reader/interface.js';
import type { PinPad } from '../drivers/pinpad/interface.js';
import type { Printer } from '../drivers/printer/interface.js';
import { sessionMachine } from '../flows/session/index.js';
import { cardPlace, presentSession } from '../flows/view/present.js';
import type { HostSnapshot, Intent } from '../flows/view/protocol.js';
import { sessionActors } from './session/actors.js';
import { cardlessActors } from './session/cardless-actors.js';
import { CardlessInputs } from './session/cardless-inputs.js';
import { pinActors } from './session/pin-actors.js';
import { trustedEcardKeys } from './ecard/config.js';
import { createDevices, type Devices } from './devices/index.js';
import { syncBlacklist } from './session/blacklist-sync.js';
import { ReaderWatch } from './session/reader-watch.js';
import { PeriodicCheck } from './session/periodic-check.js';
import { recordsActors } from './session/records-actors.js';
import { hasReprintableReceipt, payActors } from './session/pay-actors.js';
import { createPayments, type Payments } from './payment/index.js';
import { HOLD_STATES } from '../flows/session/register.js';
import { bankPinStore } from './session/pay-actors.js';
import { connectHis, type HisConnection } from './session/his-connect.js';
import { hospitalFor } from './session/hospital-wiring.js';
import type { HospitalInformationSystem } from './his/interface.js';
import { startReaderApi } from './reader-api/host-link.js';
import { prepareTerminal, startUi, type StartHostOptions, type Terminal, type TerminalBase } from './terminal.js';

export type { StartHostOptions } from './terminal.js';

export interface Host extends Terminal {
  readonly reader: CardReader;
  readonly pinpad: PinPad;
  readonly payments: Payments;
  /** Absent when the terminal has no printer. */
  readonly printer?: Printer;
  /** Hospital profile: the HIS client (absent on a citizen kiosk). */
  readonly his?: HospitalInformationSystem;
  /** The local reader API's URL when `readerApi.enabled` (docs/reader-api.md). */
  readonly readerApiUrl?: string;
}

type SessionActor = Actor<typeof sessionMachine>;

/** Invoked actors that wait for a person (PIN entry), which the host does not count as busy. */
const WAITS_ON_CITIZEN = new Set(['verifyPin', 'capturePin', 'captureOnlinePin']);

/** The kiosk, whatever the config's profile says (tests and benches of the kiosk itself). */
export async function startHost(opts: StartHostOptions = {}): Promise<Host> {
  return startKiosk(await prepareTerminal(opts));
}

/**
 * The hospital registration machine (profile `hospital`, docs/hospital.md): the kiosk host with the
 * HIS client, the registration actors and the hospital menu (挂号 first).
 */
export async function startHospital(base: TerminalBase): Promise<Host> {
  return startKiosk(base, { hospital: true });
}

export async function startKiosk(base: TerminalBase, mode: { hospital?: boolean } = {}): Promise<Host> {
  const { opts } = base;
  const { config, clock, logger, dataDir, journal, world, backend, backendPending, backendWire, blacklist } = base;
  const hisLink: HisConnection | undefined = mode.hospital ? await connectHis(base) : undefined;
  const payments = await createPayments({ config, dataDir, world, clock, logger, journal, backend, ...(hisLink ? { his: hisLink.his } : {}) });
  const dev: Devices = createDevices(config, { clock, logger, world });
  const reader = dev.reader;

  const devices: Record<string, string> = dev.statuses();
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
      view: presentSession(snap, { terminalId: config.terminalId, now: clock.now(), ...venue }),
      card: cardPlace(snap),
      devices: { ...devices },
      lang: snap.context.lang,
      sim: config.mode === 'sim',
      terminalId: config.terminalId,
      profile: config.profile === 'hospital' ? 'hospital' : 'kiosk',
      elderly: false,
    };
  };
  const publish = () => {
    if (!actor) return;
    current = build();
    for (const l of listeners) l(current);
  };

  // Taps on the antenna and scanned e-card codes start visits too (session.acceptTap / acceptCode).
  const cardless = new CardlessInputs({
    config,
    devices: { clock, logger, world },
    reader,
    clock,
    logger,
    // While the hospital's software holds the reader, the antenna is its, not the kiosk's.
    ready: () => !!actor?.getSnapshot().matches('idle') && devices.reader === 'ok' && !readerApi?.apiHolding(),
    onTap: () => actor?.send({ type: 'TAP' }),
    onScan: (text) => actor?.send({ type: 'SCAN', text }),
    onStatus: (state) => {
      devices.scanner = state;
      publish();
    },
  });
  devices.scanner = cardless.scannerState();

  // The card's bank account and online PIN block, shared by premiums and registration fees.
  const bank = bankPinStore();
  const hospital = hisLink
    ? hospitalFor({
        his: hisLink.his,
        payments,
        bank,
        ...(dev.printer ? { printer: dev.printer } : {}),
        journal,
        logger,
        config,
        clock,
        session: () => actor?.getSnapshot(),
      })
    : undefined;
  const venue = hisLink ? { venue: config.hospital.name } : {};

  // The national reader interface for the hospital's software (off unless configured).
  const readerApi = config.readerApi.enabled ? await startReaderApi({ config, reader, pinpad: dev.pinpad, clock, logger }) : undefined;
  const beforeCardUse = readerApi ? { beforeCardUse: () => readerApi.holdForVisit() } : {};

  const machine = sessionMachine.provide({
    actors: {
      ...sessionActors({
        reader,
        ready: () => dev.ready,
        journal,
        clock,
        logger,
        terminalId: config.terminalId,
        psamSlot: config.devices.reader.psamSlot,
        backend,
        blacklist,
        ...beforeCardUse,
        currentHolder: () => actor?.getSnapshot().context.holder,
        reprintable: (ssn) => hasReprintableReceipt(payments.store, ssn, clock.now()),
        ...(hospital ? { slipReprintable: (ssn: string) => hospital.slipReprintable(ssn) } : {}),
      }),
      ...payActors({
        reader,
        pinpad: dev.pinpad,
        entry: {
          minLength: config.devices.pinpad.minLength,
          maxLength: config.devices.pinpad.maxLength,
          timeoutSec: config.devices.pinpad.entryTimeoutSec,
        },
        backend,
        engine: payments.engine,
        store: payments.store,
        ...(dev.printer ? { printer: dev.printer } : {}),
        journal,
        logger,
        terminalId: config.terminalId,
        pinKeyIndex: config.devices.pinpad.workingKeyIndex,
        currentHolder: () => actor?.getSnapshot().context.holder,
        lang: () => actor?.getSnapshot().context.lang ?? config.lang,
        clockNow: () => clock.now(),
      }, bank),
      ...(hospital?.actors ?? {}),
      ...recordsActors({
        backend,
        printer: dev.printer,
        journal,
        logger,
        terminalId: config.terminalId,
        currentHolder: () => actor?.getSnapshot().context.holder,
        lang: () => actor?.getSnapshot().context.lang ?? config.lang,
        print: config.print,
      }),
      ...pinActors({
        reader,
        pinpad: dev.pinpad,
        entry: {
          minLength: config.devices.pinpad.minLength,
          maxLength: config.devices.pinpad.maxLength,
          timeoutSec: config.devices.pinpad.entryTimeoutSec,
        },
        tap: {
          clock,
          logger,
          waitMs: config.session.tapPinWaitMs,
          cardIdCode: () => actor?.getSnapshot().context.holder?.cardIdCode,
        },
      }),
      ...cardlessActors({
        ...beforeCardUse,
        reader,
        clock,
        logger,
        journal,
        terminalId: config.terminalId,
        psamSlot: config.devices.reader.psamSlot,
        backend,
        ecard: {
          enabled: config.ecard.enabled,
          publicKeys: trustedEcardKeys(config.ecard, config.mode),
          skewMs: config.ecard.skewMs,
          onlineBudgetMs: config.ecard.onlineBudgetMs,
        },
        tapped: () => cardless.tapped(),
      }),
    },
  });
  // Codes are offered (idle screen, SCAN) only when there is a scanner to read them.
  const sessionConfig = {
    ...config.session,
    acceptCode: config.session.acceptCode && cardless.scanner !== undefined,
    services: hisLink ? ('hospital' as const) : ('kiosk' as const),
  };
  actor = createActor(machine, { input: { config: sessionConfig, lang: config.lang }, clock });

  const watch = new ReaderWatch(reader, clock, logger, {
    cardAtGateMs: 300,
    idleMs: config.session.healthCheckMs,
  });
  // Between visits nothing else talks to the PIN pad: a harmless stop-entry tells a mute pad
  // (fault) from a healthy one before a citizen's card is in.
  const padCheck = new PeriodicCheck('pinpad', clock, logger, config.session.healthCheckMs, async () => {
    if (!dev.pinpad.busy?.()) await dev.pinpad.stopEntry();
  });
  // A receipt waits in the presenter: the citizen taking it ends take-receipt.
  const presenterCheck = new PeriodicCheck('presenter', clock, logger, 300, async () => {
    if (dev.printer && (await dev.printer.pollPresenter()) === 'empty') actor?.send({ type: 'RECEIPT_TAKEN' });
  });
  actor.subscribe({
    next: (snap) => {
      const place = cardPlace(snap);
      const screen = presentSession(snap, { terminalId: config.terminalId, now: clock.now(), ...venue }).screen;
      // A place held at the HIS and not paid for goes back as soon as the journey is left.
      if (hospital && !HOLD_STATES.some((s) => snap.matches(s))) hospital.releaseUnused();
      watch.setMode(place === 'at-gate' ? 'card-at-gate' : screen === 'idle' ? 'idle' : 'off');
      padCheck.setActive(screen === 'idle');
      cardless.setIdle(snap.matches('idle'));
      if (snap.matches('idle')) readerApi?.releaseVisit();
      const slipWaits = snap.matches('takeReceipt') || snap.matches('takeSlip') || snap.matches({ payDone: 'printed' });
      presenterCheck.setActive(slipWaits && config.devices.printer.presenter);
      publish();
    },
    error: (err) => logger.error({ err }, 'session machine stopped on an error'),
  });
  reader.on('card-inserted', () => actor?.send({ type: 'CARD_INSERTED' }));
  reader.on('card-at-gate', () => actor?.send({ type: 'CARD_AT_GATE' }));
  reader.on('card-removed', () => actor?.send({ type: 'CARD_REMOVED' }));
  dev.on('status', (name: string, st: { state: string; lastFault?: { code: string; message: string } }) => {
    const before = devices[name];
    devices[name] = st.state;
    if (name === 'reader') {
      if (st.state === 'ok' && before !== 'ok') actor?.send({ type: 'READER_OK' });
      if (st.state !== 'ok' && st.state !== 'starting') {
        actor?.send({ type: 'READER_FAULT', code: st.lastFault?.code ?? st.state, message: st.lastFault?.message ?? st.state });
      }
    } else if (st.state !== before) {
      actor?.send({ type: 'DEVICE_STATUS', device: name, status: st.state });
    }
    publish();
  });
  // The machine learns how many digits are in the pad, never which.
  dev.pinpad.on('entry', (e: { digits: number }) => actor?.send({ type: 'PIN_KEYS', count: e.digits }));
  void dev.ready.then(() => {
    Object.assign(devices, dev.statuses());
    actor?.send({ type: 'DEVICE_STATUS', device: 'printer', status: devices.printer ?? 'not-configured' });
    publish();
  });

  actor.start();
  // Whatever a power cut left unfinished (a debit in doubt, a premium not posted) is finished now.
  payments.engine.start();
  actor.send({ type: 'DEVICE_STATUS', device: 'printer', status: devices.printer ?? 'not-configured' });

  const server = opts.headless
    ? undefined
    : await startUi(base, {
        current: () => current ?? build(),
        subscribe: (fn) => {
          listeners.add(fn);
          return () => listeners.delete(fn);
        },
        intent: (i: Intent) => {
          if (i.type === 'touch') host.touch(i.control);
        },
      });

  // After the UI listens: the local list is already loaded, and a first start's embedded backend
  // writes its seed on this first request rather than before ready.
  const stopSync = syncBlacklist({ blacklist, backend, clock, logger, everyMs: config.backend.blacklistSyncMs });

  let stopped = false;
  const host: Host = {
    config,
    url: server?.url,
    world,
    journal,
    reader,
    pinpad: dev.pinpad,
    ...(dev.printer ? { printer: dev.printer } : {}),
    ...(readerApi ? { readerApiUrl: readerApi.url } : {}),
    backend,
    blacklist,
    payments,
    ...(hisLink ? { his: hisLink.his } : {}),
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
    // A request the embedded bank holds on purpose (a fault) is not real I/O to wait for: virtual
    // time must run on so the client's deadline can fire.
    realIoPending: () =>
      lazyLoads.count +
      Math.max(0, backendWire.count - (world?.backend?.withheld() ?? 0)) +
      Math.max(0, payments.pending.count - (world?.bank?.withheld() ?? 0)) +
      Math.max(0, (hisLink?.wire.count ?? 0) - (world?.his?.withheld() ?? 0)),
    busy() {
      if (!actor) return false;
      if (backendPending.count > 0 || payments.pending.count > 0 || (hisLink?.pending.count ?? 0) > 0) return true;
      const children = Object.entries(actor.getSnapshot().children) as [string, { getSnapshot(): { status: string } } | undefined][];
      // An entry on the PIN pad waits for the citizen, not for the host.
      if (children.some(([id, c]) => !WAITS_ON_CITIZEN.has(id) && c?.getSnapshot().status === 'active')) return true;
      if (world && world.registry.inFlight() > 0) return true;
      return dev.busy() || cardless.busy();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      watch.setMode('off');
      padCheck.stop();
      presenterCheck.stop();
      payments.engine.stop();
      stopSync();
      actor?.stop();
      await server?.close();
      await cardless.stop();
      await readerApi?.close();
      await dev.close();
      backend.close();
      payments.close();
      hisLink?.close();
      blacklist.close();
      journal.close();
      if (!opts.world) await world?.close();
    },
    kill() {
      stopped = true;
      watch.setMode('off');
      padCheck.stop();
      presenterCheck.stop();
      payments.engine.stop();
      stopSync();
      cardless.kill();
      void readerApi?.close();
      actor?.stop();
      listeners.clear();
      void server?.close();
      dev.removeAllListeners();
      reader.removeAllListeners();
      dev.pinpad.removeAllListeners();
      dev.printer?.removeAllListeners();
      void dev.close();
      backend.close();
      payments.close();
      hisLink?.close();
      blacklist.close();
      // The journal's committed rows are already on disk (synchronous=FULL); closing the handle
      // just lets the next host open the same file in this process.
      journal.close();
    },
  };
  current = build();
  return host;
}
