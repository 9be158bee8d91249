import { EventEmitter } from 'node:events';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { DeviceStatus } from '../../drivers/common/device-status.js';
import { createCardReader } from '../../drivers/card-reader/driver.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import { createPinPad } from '../../drivers/pinpad/driver.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { openTransport } from '../../drivers/serial/open-transport.js';
import type { TransportConfig } from '../../drivers/serial/transport.js';
import type { KioskConfig } from '../config/schema.js';
import type { SimWorld } from '../sim/world.js';
import { preparePinPad } from './pinpad-setup.js';

export type DeviceName = 'reader' | 'pinpad';

export interface Devices extends EventEmitter {
  readonly reader: CardReader & { busy?(): boolean };
  readonly pinpad: PinPad;
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
export function createDevices(config: KioskConfig, deps: { clock: Clock; logger: Logger; world?: SimWorld }): Devices {
  const sim = config.mode === 'sim';
  const transportOf = (cfg: TransportConfig, simPath: string): TransportConfig =>
    sim && cfg.kind !== 'sim' ? { kind: 'sim', path: simPath, baudRate: 'baudRate' in cfg ? cfg.baudRate : 9600 } : cfg;
  const readerCfg = config.devices.reader;
  const padCfg = config.devices.pinpad;
  const rTransport = transportOf(readerCfg.transport, 'sim:reader');
  const pTransport = transportOf(padCfg.transport, 'sim:pinpad');
  const reader = createCardReader({
    transport: openTransport(rTransport, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'reader' }),
    clock: deps.clock,
    logger: deps.logger.child({ device: 'reader' }),
    baudRate: 'baudRate' in rTransport ? rTransport.baudRate : undefined,
    timeouts: { ackMs: readerCfg.ackTimeoutMs, responseMs: readerCfg.responseTimeoutMs },
  });
  const pinpad = createPinPad({
    transport: openTransport(pTransport, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'pinpad' }),
    clock: deps.clock,
    logger: deps.logger.child({ device: 'pinpad' }),
    baudRate: 'baudRate' in pTransport ? pTransport.baudRate : undefined,
  });

  const states: Record<DeviceName, string> = { reader: 'starting', pinpad: 'starting' };
  const emitter = new EventEmitter() as Devices;
  const track = (name: DeviceName, dev: EventEmitter & { status: DeviceStatus }) => {
    dev.on('status', (st: DeviceStatus) => {
      states[name] = st.state;
      emitter.emit('status', name, st);
    });
  };
  track('reader', reader);
  track('pinpad', pinpad);

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
  const padUp = bringUpPad().catch((e: unknown) => {
    states.pinpad = pinpad.status.state === 'ok' ? 'fault' : pinpad.status.state;
    deps.logger.error({ err: e }, 'PIN pad could not be brought up: PIN services unavailable');
  });
  // After the pad comes back from an unplug it has lost its session keys: load them again.
  pinpad.on('reconnected', () => {
    bringUpPad().catch((e: unknown) => deps.logger.error({ err: e }, 'PIN pad key reload failed'));
  });

  return Object.assign(emitter, {
    reader,
    pinpad,
    statuses: () => ({ ...states }),
    ready: Promise.all([readerUp, padUp]).then(() => undefined),
    busy: () => (reader.busy?.() ?? false) || (pinpad.busy?.() ?? false),
    close: async () => {
      await Promise.all([reader.close().catch(() => undefined), pinpad.close().catch(() => undefined)]);
    },
  });
}
