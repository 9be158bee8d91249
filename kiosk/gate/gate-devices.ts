import { EventEmitter } from 'node:events';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { DeviceStatus } from '../../drivers/common/device-status.js';
import { createGate } from '../../drivers/gate/driver.js';
import type { GateBoard } from '../../drivers/gate/interface.js';
import type { QrScanner } from '../../drivers/scanner/interface.js';
import { openTransport } from '../../drivers/serial/open-transport.js';
import type { KioskConfig } from '../config/schema.js';
import { createReader, transportFor, type DeviceDeps } from '../devices/index.js';
import { createConfiguredScanner } from '../devices/scanner.js';

export type TransitDeviceName = 'reader' | 'gate' | 'scanner';

export interface TransitDevices extends EventEmitter {
  readonly reader: CardReader & { busy?(): boolean };
  /** Absent on a kiosk (devices.gate.enabled false). */
  readonly gate?: GateBoard;
  /** Absent when devices.scanner.enabled is false. */
  readonly scanner?: QrScanner & { busy?(): boolean };
  statuses(): Record<string, string>;
  readonly ready: Promise<void>;
  busy(): boolean;
  close(): Promise<void>;
}

/**
 * The turnstile's devices: the reader (its antenna and PSAM), the gate board and the QR scanner.
 * Brought up in the background like the kiosk's: a missing device is a status, not a crash.
 */
export function createTransitDevices(config: KioskConfig, deps: DeviceDeps, reader = createReader(config, deps)): TransitDevices {
  const gCfg = config.devices.gate;
  const gTransport = transportFor(config, gCfg.transport, 'sim:gate');
  const gate = createGate({
    transport: openTransport(gTransport, { clock: deps.clock, logger: deps.logger, simRegistry: deps.world?.registry, device: 'gate' }),
    clock: deps.clock,
    logger: deps.logger.child({ device: 'gate' }),
    baudRate: 'baudRate' in gTransport ? gTransport.baudRate : undefined,
    timeouts: { ackMs: gCfg.ackTimeoutMs },
  });
  const scanner = createConfiguredScanner(config, deps);
  const states: Record<string, string> = { reader: 'starting', gate: 'starting', scanner: scanner ? 'starting' : 'not-configured' };
  const emitter = new EventEmitter();
  const track = (name: TransitDeviceName, dev: EventEmitter & { status: DeviceStatus }) =>
    dev.on('status', (st: DeviceStatus) => {
      states[name] = st.state;
      emitter.emit('status', name, st);
    });
  track('reader', reader as unknown as EventEmitter & { status: DeviceStatus });
  track('gate', gate);
  if (scanner) track('scanner', scanner);
  let closing = false;
  const up = (name: TransitDeviceName, dev: { open(): Promise<void>; status: DeviceStatus }) =>
    dev.open().then(
      () => {
        states[name] = dev.status.state;
        emitter.emit('status', name, dev.status);
      },
      (e: unknown) => {
        if (closing) return;
        states[name] = dev.status.state === 'ok' ? 'fault' : dev.status.state;
        emitter.emit('status', name, dev.status);
        deps.logger.error({ err: e, device: name }, 'device could not be opened');
      },
    );
  const ready = Promise.all([up('reader', reader), up('gate', gate), scanner ? up('scanner', scanner) : Promise.resolve()]).then(() => undefined);
  return Object.assign(emitter, {
    reader,
    gate,
    ...(scanner ? { scanner } : {}),
    statuses: () => ({ ...states }),
    ready,
    busy: () => (reader.busy?.() ?? false) || gate.busy() || (scanner?.busy?.() ?? false),
    close: async () => {
      closing = true;
      await Promise.all([reader.close().catch(() => undefined), gate.close().catch(() => undefined), scanner?.close().catch(() => undefined)]);
    },
  });
}
