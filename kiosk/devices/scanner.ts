import { scannerBusFromConfig } from '../../drivers/scanner/bus.js';
import { createScanner } from '../../drivers/scanner/driver.js';
import type { QrScanner } from '../../drivers/scanner/interface.js';
import type { KioskConfig } from '../config/schema.js';
import type { DeviceDeps } from './index.js';

/** The QR scanner over its configured bus (serial, sim, or HID through node-hid, loaded only then). */
export function createConfiguredScanner(config: KioskConfig, deps: DeviceDeps): (QrScanner & { busy?(): boolean }) | undefined {
  const cfg = config.devices.scanner;
  if (!cfg.enabled) return undefined;
  const t = config.mode === 'sim' ? { kind: 'sim' as const, path: 'sim:scanner', baudRate: 9600 } : cfg.transport;
  const bus = scannerBusFromConfig(t, { logger: deps.logger, simRegistry: deps.world?.registry });
  return createScanner({ bus, clock: deps.clock, logger: deps.logger.child({ device: 'scanner' }) });
}
