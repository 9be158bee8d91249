import { VirtualClock } from '../../../drivers/common/clock.js';
import type { DeviceStatus } from '../../../drivers/common/device-status.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createPinPad, type PinPadDriver, type PinPadOptions } from '../../../drivers/pinpad/driver.js';
import type { PinEntryState, PinPadKeyEvent } from '../../../drivers/pinpad/interface.js';
import { PinPadSimulator, type PinPadSimOptions } from '../../../drivers/pinpad/sim/pinpad-sim.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { SimPortRegistry } from '../../../drivers/serial/sim-binding.js';
import { WireTap } from '../card-reader/harness.js';
import { virtualSettle, type Settled } from '../../helpers/virtual-settle.js';

export { hex } from '../card-reader/harness.js';
export const PATH = 'sim:pinpad';

export const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

export type { Settled };

export interface Harness {
  clock: VirtualClock;
  registry: SimPortRegistry;
  sim: PinPadSimulator;
  tap: WireTap;
  pad: PinPadDriver;
  keys: PinPadKeyEvent[];
  entries: PinEntryState[];
  statuses: DeviceStatus[];
  run<T>(p: Promise<T>, maxMs?: number): Promise<Settled<T>>;
  ok<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

export async function setup(opts: { sim?: Partial<PinPadSimOptions>; pad?: Partial<PinPadOptions>; open?: boolean } = {}): Promise<Harness> {
  const baudRate = 9600;
  const clock = new VirtualClock();
  const registry = new SimPortRegistry(clock);
  const sim = new PinPadSimulator({ clock, ...opts.sim });
  const tap = new WireTap(sim);
  registry.register(PATH, tap, { baudRate });
  const transport = openTransport({ kind: 'sim', path: PATH, baudRate }, { clock, logger: silentLogger, simRegistry: registry });
  const pad = createPinPad({ transport, clock, logger: silentLogger, baudRate, ...opts.pad });
  const keys: PinPadKeyEvent[] = [];
  const entries: PinEntryState[] = [];
  const statuses: DeviceStatus[] = [];
  pad.on('key', (k: PinPadKeyEvent) => keys.push(k));
  pad.on('entry', (e: PinEntryState) => entries.push(e));
  pad.on('status', (s: DeviceStatus) => statuses.push(s));

  const { run, ok } = virtualSettle(clock);
  const hs: Harness = { clock, registry, sim, tap, pad, keys, entries, statuses, run, ok };
  if (opts.open !== false) await ok(pad.open());
  return hs;
}
