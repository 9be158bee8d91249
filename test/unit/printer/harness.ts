import { VirtualClock } from '../../../drivers/common/clock.js';
import type { DeviceStatus } from '../../../drivers/common/device-status.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createPrinter, type PrinterDriver, type PrinterOptions } from '../../../drivers/printer/driver.js';
import { PrinterSimulator, type PrinterSimOptions } from '../../../drivers/printer/sim/printer-sim.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { SimPortRegistry } from '../../../drivers/serial/sim-binding.js';
import { WireTap } from '../card-reader/harness.js';
import { virtualSettle, type Settled as SettledAs } from '../../helpers/virtual-settle.js';

export { hex } from '../card-reader/harness.js';
export const PATH = 'sim:printer';

type PrintFailure = Error & { code?: string; phase?: string; bytesSent?: number };
export type Settled<T> = SettledAs<T, PrintFailure>;

export interface Harness {
  clock: VirtualClock;
  registry: SimPortRegistry;
  sim: PrinterSimulator;
  tap: WireTap;
  printer: PrinterDriver;
  statuses: DeviceStatus[];
  run<T>(p: Promise<T>, maxMs?: number): Promise<Settled<T>>;
  ok<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

export async function setup(
  opts: { baudRate?: number; sim?: Partial<PrinterSimOptions>; printer?: Partial<PrinterOptions>; open?: boolean } = {},
): Promise<Harness> {
  const baudRate = opts.baudRate ?? 115200;
  const clock = new VirtualClock();
  const registry = new SimPortRegistry(clock);
  const sim = new PrinterSimulator({ clock, ...opts.sim });
  const tap = new WireTap(sim);
  registry.register(PATH, tap, { baudRate });
  const transport = openTransport({ kind: 'sim', path: PATH, baudRate }, { clock, logger: silentLogger, simRegistry: registry });
  const printer = createPrinter({ transport, clock, logger: silentLogger, baudRate, ...opts.printer });
  const statuses: DeviceStatus[] = [];
  printer.on('status', (s: DeviceStatus) => statuses.push(s));

  const { run, ok } = virtualSettle<PrintFailure>(clock);
  const h: Harness = { clock, registry, sim, tap, printer, statuses, run, ok };
  if (opts.open !== false) await ok(printer.open());
  return h;
}
