import { EventEmitter } from 'node:events';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { DeviceStatus } from '../../drivers/common/device-status.js';
import { createCardReader } from '../../drivers/card-reader/driver.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import { createPinPad } from '../../drivers/pinpad/driver.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { createPrinter } from '../../drivers/printer/driver.js';
import type { Printer } from '../../drivers/printer/interface.js';
import { UsbLpTransport } from '../../drivers/printer/usblp-transport.js';
import { openTransport } from '../../drivers/serial/open-transport.js';
import type { TransportConfig } from '../../drivers/serial/transport.js';
import type { KioskConfig } from '../config/schema.js';
import type { SimWorld } from '../sim/world.js';
import { preparePinPad } from './pinpad-setup.js';

export type DeviceName = 'reader' | 'pinpad' | 'printer';

export interface Devices extends EventEmitter {
  readonly reader: CardReader & { busy?(): boolean };
  readonly pinpad: PinPad;
  /** Absent when the terminal has no printer (devices.printer.enabled false): status `not-configured`. */
  readonly printer?: Printer;
  /** Status word per device, as scenarios and the operator see it. */
  statuses(): Record<DeviceName, string>;
  /** Resolves once every device had its first chance to open (never rejects). */
  readonly ready: Promise<void>;
  busy(): boolean;
  close(): Promise<void>;
}

/**
 * Builds every configured device driver over its transport (serial, HID, or the simulator's port)
 * and brings them up in the background: the host must be ready in well under a second even when a
 * device is missing, and a missing device is a status, not a crash.
 * Emits 'status' (name, DeviceStatus) on every change.
 */
export interface DeviceDeps {
  clock: Clock;
  logger: Logger;
  world?: SimWorld;
}

/** In sim mode every device is on its simulator's port, whatever the config names. */
export function transportFor(config: KioskConfig, cfg: TransportConfig, simPath: string): TransportConfig {
  return config.mode === 'sim' && cfg.kind !== 'sim' ? { kind: 'sim', path: simPath, baudRate: 'baudRate' in cfg ? cfg.baudRate : 9600 } : cfg;
}

/** The motorized reader (with its PSAM slots and contactless antenna), as every profile has one. */
export function createReader(config: KioskConfig, deps: DeviceDeps): CardReader & { busy?(): boolean } {
  const readerCfg = config.devices.reader;
  const rTransport = transportFor(config, readerCfg.transport, 'sim:reader');
  return createCardReader({
    transport: openTransport(rTransport, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'reader' }),
    clock: deps.clock,
    logger: deps.logger.child({ device: 'reader' }),
    baudRate: 'baudRate' in rTransport ? rTransport.baudRate : undefined,
    timeouts: { ackMs: readerCfg.ackTimeoutMs, responseMs: readerCfg.responseTimeoutMs },
  });
}

export function createDevices(config: KioskConfig, deps: DeviceDeps): Devices {
  const sim = config.mode === 'sim';
  const transportOf = (cfg: TransportConfig, simPath: string): TransportConfig => transportFor(config, cfg, simPath);
  const padCfg = config.devices.pinpad;
  const pTransport = transportOf(padCfg.transport, 'sim:pinpad');
  const reader = createReader(config, deps);
  const pinpad = createPinPad({
    transport: openTransport(pTransport, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'pinpad' }),
    clock: deps.clock,
    logger: deps.logger.child({ device: 'pinpad' }),
    baudRate: 'baudRate' in pTransport ? pTransport.baudRate : undefined,
  });

  const prCfg = config.devices.printer;
  let printer: Printer | undefined;
  if (prCfg.enabled) {
    const t = prCfg.transport;
    const prTransport =
      t.kind === 'usblp'
        ? sim
          ? undefined
          : new UsbLpTransport({ path: t.path, clock: deps.clock, logger: deps.logger, device: 'printer' })
        : undefined;
    const serialCfg = t.kind === 'usblp' ? ({ kind: 'sim', path: 'sim:printer', baudRate: 115200 } as const) : transportOf(t, 'sim:printer');
    printer = createPrinter({
      transport:
        prTransport ??
        openTransport(serialCfg, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'printer' }),
      clock: deps.clock,
      logger: deps.logger.child({ device: 'printer' }),
      // USB has no serial line to wait for.
      baudRate: prTransport ? undefined : 'baudRate' in serialCfg ? serialCfg.baudRate : undefined,
      timeouts: { statusMs: prCfg.statusTimeoutMs },
      chunkBytes: prCfg.chunkBytes,
      presenter: prCfg.presenter,
      // A printer goes offline at paper end without a word: poll it so the operator and the menu know.
      monitorMs: config.session.healthCheckMs,
    });
  }

  const states: Record<DeviceName, string> = { reader: 'starting', pinpad: 'starting', printer: printer ? 'starting' : 'not-configured' };
  const emitter = new EventEmitter() as Devices;
  const track = (name: DeviceName, dev: EventEmitter & { status: DeviceStatus }) => {
    dev.on('status', (st: DeviceStatus) => {
      states[name] = st.state;
      emitter.emit('status', name, st);
    });
  };
  track('reader', reader);
  track('pinpad', pinpad);
  if (printer) track('printer', printer);

  const readerUp = reader.open().then(
    () => {
      states.reader = reader.status.state;
    },
    (e: unknown) => {
      states.reader = reader.status.state === 'ok' ? 'fault' : reader.status.state;
      deps.logger.error({ err: e }, 'card reader could not be opened');
    },
  );
  const bringUpPad = async () => {
    await pinpad.open();
    await preparePinPad(pinpad, padCfg, sim, deps.logger);
    states.pinpad = pinpad.status.state;
  };
  // A host stopped while its devices still come up (`--exit-when-ready`) is no device fault.
  let closing = false;
  const padUp = bringUpPad().catch((e: unknown) => {
    if (closing) return;
    states.pinpad = pinpad.status.state === 'ok' ? 'fault' : pinpad.status.state;
    deps.logger.error({ err: e }, 'PIN pad could not be brought up: PIN services unavailable');
  });
  // After the pad comes back from an unplug it has lost its session keys: load them again.
  pinpad.on('reconnected', () => {
    bringUpPad().catch((e: unknown) => deps.logger.error({ err: e }, 'PIN pad key reload failed'));
  });

  const printerUp = printer
    ? printer.open().then(
        () => {
          states.printer = printer.status.state;
        },
        (e: unknown) => {
          states.printer = printer.status.state === 'ok' ? 'fault' : printer.status.state;
          deps.logger.error({ err: e }, 'printer could not be opened: printing unavailable');
        },
      )
    : Promise.resolve();

  return Object.assign(emitter, {
    reader,
    pinpad,
    ...(printer ? { printer } : {}),
    statuses: () => ({ ...states }),
    ready: Promise.all([readerUp, padUp, printerUp]).then(() => undefined),
    busy: () => (reader.busy?.() ?? false) || (pinpad.busy?.() ?? false) || (printer?.busy() ?? false),
    close: async () => {
      closing = true;
      await Promise.all([
        reader.close().catch(() => undefined),
        pinpad.close().catch(() => undefined),
        printer?.close().catch(() => undefined),
      ]);
    },
  });
}
