import { VirtualClock } from '../../../drivers/common/clock.js';
import type { DeviceStatus } from '../../../drivers/common/device-status.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createGate, type GateDriver, type GateOptions } from '../../../drivers/gate/driver.js';
import type { GateFaultEvent, PassageEvent, TailgatingEvent } from '../../../drivers/gate/interface.js';
import { GateSimulator, type GateSimOptions } from '../../../drivers/gate/sim/gate-sim.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { SimPortRegistry, type SimDevice } from '../../../drivers/serial/sim-binding.js';
import { virtualSettle, type Settled } from '../../helpers/virtual-settle.js';

export const PATH = 'sim:gate';

export const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** Records every chunk crossing the line: `>` host → board, `<` board → host. */
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
  sent(): string[] {
    return this.log.filter((l) => l.startsWith('>')).map((l) => l.slice(1));
  }
  received(): string[] {
    return this.log.filter((l) => l.startsWith('<')).map((l) => l.slice(1));
  }
}

export type { Settled };

export interface Harness {
  clock: VirtualClock;
  registry: SimPortRegistry;
  sim: GateSimulator;
  tap: WireTap;
  gate: GateDriver;
  events: string[];
  passages: PassageEvent[];
  tailgates: TailgatingEvent[];
  faults: GateFaultEvent[];
  statuses: DeviceStatus[];
  run<T>(p: Promise<T>, maxMs?: number): Promise<Settled<T>>;
  ok<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

export async function setup(opts: { sim?: Partial<GateSimOptions>; gate?: Partial<GateOptions>; open?: boolean } = {}): Promise<Harness> {
  const baudRate = 9600;
  const clock = new VirtualClock();
  const registry = new SimPortRegistry(clock);
  const sim = new GateSimulator({ clock, ...opts.sim });
  const tap = new WireTap(sim);
  registry.register(PATH, tap, { baudRate });
  const transport = openTransport({ kind: 'sim', path: PATH, baudRate }, { clock, logger: silentLogger, simRegistry: registry, device: 'gate' });
  const gate = createGate({ transport, clock, logger: silentLogger, baudRate, ...opts.gate });
  const events: string[] = [];
  const passages: PassageEvent[] = [];
  const tailgates: TailgatingEvent[] = [];
  const faults: GateFaultEvent[] = [];
  const statuses: DeviceStatus[] = [];
  gate.on('passage', (e: PassageEvent) => (passages.push(e), events.push('passage')));
  gate.on('tailgating', (e: TailgatingEvent) => (tailgates.push(e), events.push('tailgating')));
  gate.on('fault', (e: GateFaultEvent) => (faults.push(e), events.push('fault')));
  gate.on('reconnected', () => events.push('reconnected'));
  gate.on('status', (s: DeviceStatus) => statuses.push(s));

  const { run, ok } = virtualSettle(clock);
  const hs: Harness = { clock, registry, sim, tap, gate, events, passages, tailgates, faults, statuses, run, ok };
  if (opts.open !== false) await ok(gate.open());
  return hs;
}
