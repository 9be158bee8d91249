import { vi, type Mock } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import type { DeviceStatus } from '../../../drivers/common/device-status.js';
import { createLogger } from '../../../drivers/common/log.js';
import { SimPortRegistry } from '../../../drivers/serial/sim-binding.js';
import { scannerBusFromConfig, type ScannerBus } from '../../../drivers/scanner/bus.js';
import { createScanner, type ScannerDriver, type ScannerOptions } from '../../../drivers/scanner/driver.js';
import type { ScanErrorEvent, ScanEvent } from '../../../drivers/scanner/interface.js';
import { HidScannerSim, type HidScannerSimOptions } from '../../../drivers/scanner/sim/hid-scanner-sim.js';
import { SerialScannerSim, SIM_SCANNER_PATH, type SerialScannerSimOptions } from '../../../drivers/scanner/sim/serial-scanner-sim.js';

export interface Recorded {
  clock: VirtualClock;
  scanner: ScannerDriver;
  scans: ScanEvent[];
  errors: ScanErrorEvent[];
  statuses: string[];
  reconnects: number;
  /** Every log line (JSON), at debug level. */
  logs: string[];
  /** The node-hid importer handed to the bus: tests check it is never called for serial scanners. */
  importer: Mock<(name: string) => Promise<unknown>>;
}

type DriverOpts = Partial<Omit<ScannerOptions, 'bus' | 'clock' | 'logger'>>;

function record(clock: VirtualClock, bus: (logs: string[]) => ScannerBus, importer: Recorded['importer'], opts: DriverOpts): Recorded {
  const logs: string[] = [];
  const logger = createLogger('test', 'debug', (l) => logs.push(l));
  const scanner = createScanner({ bus: bus(logs), clock, logger, backoff: { initialMs: 100, maxMs: 400 }, ...opts });
  const r: Recorded = { clock, scanner, scans: [], errors: [], statuses: [], reconnects: 0, logs, importer };
  scanner.on('scan', (s: ScanEvent) => r.scans.push(s));
  scanner.on('scan-error', (e: ScanErrorEvent) => r.errors.push(e));
  scanner.on('status', (s: DeviceStatus) => r.statuses.push(s.state));
  scanner.on('reconnected', () => r.reconnects++);
  return r;
}

export async function settle<T>(clock: VirtualClock, p: Promise<T>, maxMs = 10_000): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await clock.runUntil(() => done, maxMs);
  return p;
}

export function spyImporter(): Recorded['importer'] {
  return vi.fn(async (name: string): Promise<unknown> => {
    throw new Error(`test: ${name} must not be imported here`);
  });
}

export async function serialSetup(opts: { driver?: DriverOpts; sim?: SerialScannerSimOptions; open?: boolean } = {}) {
  const clock = new VirtualClock();
  const registry = new SimPortRegistry(clock);
  const sim = new SerialScannerSim(opts.sim).attach(registry);
  const importer = spyImporter();
  const r = record(
    clock,
    (logs) => scannerBusFromConfig({ kind: 'sim', path: SIM_SCANNER_PATH }, { logger: createLogger('bus', 'debug', (l) => logs.push(l)), simRegistry: registry, importer }),
    importer,
    opts.driver ?? {},
  );
  if (opts.open !== false) await settle(clock, r.scanner.open());
  return Object.assign(r, { registry, sim });
}

export async function hidSetup(mode: 'keyboard' | 'pos', opts: { driver?: DriverOpts; sim?: Partial<HidScannerSimOptions>; open?: boolean } = {}) {
  const clock = new VirtualClock();
  const sim = new HidScannerSim({ clock, mode, ...opts.sim });
  const importer = spyImporter();
  const r = record(clock, () => ({ kind: 'hid', mode, open: sim.open, reportId: opts.sim?.reportId }), importer, opts.driver ?? {});
  if (opts.open !== false) await settle(clock, r.scanner.open());
  return Object.assign(r, { sim });
}
