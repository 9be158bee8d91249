import { VirtualClock } from '../../../drivers/common/clock.js';
import type { DeviceStatus } from '../../../drivers/common/device-status.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createCardReader, type CardReaderDriver, type CardReaderOptions } from '../../../drivers/card-reader/driver.js';
import { ReaderSimulator, type ReaderSimOptions } from '../../../drivers/card-reader/sim/reader-sim.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { SimPortRegistry, type SimDevice } from '../../../drivers/serial/sim-binding.js';
import { virtualSettle, type Settled } from '../../helpers/virtual-settle.js';

export const PATH = 'sim:reader';

/** Records every chunk crossing the wire, in order, as hex strings tagged with the direction. */
export class WireTap implements SimDevice {
  readonly log: string[] = [];
  constructor(private readonly inner: SimDevice) {}
  connect(send: (bytes: Buffer) => void): void {
    this.inner.connect((b) => {
      this.log.push(`<${hex(b)}`);
      send(b);
    });
  }
  receive(bytes: Buffer): void {
    this.log.push(`>${hex(bytes)}`);
    this.inner.receive(bytes);
  }
  clear(): void {
    this.log.length = 0;
  }
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

export type { Settled };

export interface Harness {
  clock: VirtualClock;
  registry: SimPortRegistry;
  sim: ReaderSimulator;
  tap: WireTap;
  reader: CardReaderDriver;
  events: string[];
  statuses: DeviceStatus[];
  /** Runs the virtual clock until the promise settles (or maxMs passes). */
  run<T>(p: Promise<T>, maxMs?: number): Promise<Settled<T>>;
  ok<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

export async function setup(
  opts: { baudRate?: number; sim?: Partial<ReaderSimOptions>; reader?: Partial<CardReaderOptions>; open?: boolean } = {},
): Promise<Harness> {
  const baudRate = opts.baudRate ?? 115200;
  const clock = new VirtualClock();
  const registry = new SimPortRegistry(clock);
  const sim = new ReaderSimulator({ clock, ...opts.sim });
  const tap = new WireTap(sim);
  registry.register(PATH, tap, { baudRate });
  const transport = openTransport({ kind: 'sim', path: PATH, baudRate }, { clock, logger: silentLogger, simRegistry: registry });
  const reader = createCardReader({ transport, clock, logger: silentLogger, baudRate, ...opts.reader });
  const events: string[] = [];
  const statuses: DeviceStatus[] = [];
  for (const e of ['card-inserted', 'card-at-gate', 'card-removed', 'card-retained']) reader.on(e, () => events.push(e));
  reader.on('status', (s: DeviceStatus) => statuses.push(s));

  const { run, ok } = virtualSettle(clock);
  const h: Harness = { clock, registry, sim, tap, reader, events, statuses, run, ok };
  if (opts.open !== false) await ok(reader.open());
  return h;
}
