import type { SimResult } from './world.js';

const OK: SimResult = { ok: true };

/** A serial line of the simulated world: pulled out and put back. */
export interface FaultLine {
  unplug(): void;
  replug(): void;
}

/**
 * A fault on a device behind a serial line (reader, PIN pad, gate board, printer): `unplug` /
 * `replug` the line (a replugged device comes back without its faults), `clear` the device's
 * faults, the kinds in `injectable` handed to the simulator; `special` kinds (checked first) are
 * the device's own (paper out, a motor fault, …).
 */
export function lineDeviceFault(
  name: string,
  line: FaultLine,
  sim: { inject(kind: string): void; clear(): void },
  kind: string,
  injectable: readonly string[],
  special: Readonly<Record<string, () => void>> = {},
): SimResult {
  const own = special[kind];
  if (own) {
    own();
    return OK;
  }
  switch (kind) {
    case 'unplug':
      line.unplug();
      return OK;
    case 'replug':
      sim.clear();
      line.replug();
      return OK;
    case 'clear':
      sim.clear();
      return OK;
  }
  if (injectable.includes(kind)) {
    sim.inject(kind);
    return OK;
  }
  return { ok: false, message: `fault '${kind}' does not apply to the ${name}` };
}

/**
 * A fault on an embedded service (backend, bank, HIS): `silent` / `unplug` / `garble` set the
 * service's own fault, `replug` / `clear` make it healthy again.
 */
export function serviceFault<F>(
  name: string,
  service: { faults: { set(f: F): void; clear(): void } } | undefined,
  kind: string,
  faults: Record<'silent' | 'unplug' | 'garble', F>,
): SimResult {
  if (!service) return { ok: false, message: `the embedded ${name} is not running` };
  if (kind === 'replug' || kind === 'clear') {
    service.faults.clear();
    return OK;
  }
  const f = (faults as Record<string, F | undefined>)[kind];
  if (!f) return { ok: false, message: `fault '${kind}' does not apply to the ${name}` };
  service.faults.set(f);
  return OK;
}
