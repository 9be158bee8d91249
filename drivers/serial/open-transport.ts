import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import { TransportError } from './errors.js';
import { HidTransport, type HidDeviceFactory } from './hid-transport.js';
import { SerialPortTransport } from './serialport-transport.js';
import type { SimPortRegistry } from './sim-binding.js';
import type { ByteTransport, TransportConfig } from './transport.js';

export interface TransportDeps {
  clock: Clock;
  logger: Logger;
  /** Required for `kind: 'sim'`. */
  simRegistry?: SimPortRegistry;
  /** Overrides node-hid (tests). */
  hidFactory?: HidDeviceFactory;
  /** Device name for errors and logs. */
  device?: string;
}

/**
 * Builds the transport a config names. Nothing is opened yet (the frame link opens it and reopens it
 * after a disconnection); native modules load at that first open.
 */
export function openTransport(cfg: TransportConfig, deps: TransportDeps): ByteTransport {
  const logger = deps.logger;
  switch (cfg.kind) {
    case 'serial':
      return new SerialPortTransport({ path: cfg.path, baudRate: cfg.baudRate, rtscts: cfg.rtscts, logger, device: deps.device });
    case 'sim':
      if (!deps.simRegistry) {
        throw new TransportError(deps.device ?? 'sim', 'SIM_REGISTRY_MISSING', `transport ${cfg.path} is 'sim' but no simulator registry was given`);
      }
      return new SerialPortTransport({ path: cfg.path, baudRate: cfg.baudRate, binding: deps.simRegistry.binding, logger, device: deps.device });
    case 'hid':
      return new HidTransport({ vendorId: cfg.vendorId, productId: cfg.productId, path: cfg.path, logger, factory: deps.hidFactory, device: deps.device });
  }
}
