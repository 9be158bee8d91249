import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Clock } from '../../drivers/common/clock.js';
import { SimPortRegistry } from '../../drivers/serial/sim-binding.js';
import { ReaderSimulator } from '../../drivers/card-reader/sim/reader-sim.js';
import { CardProfile, resolveCardProfile } from '../../drivers/card-reader/sim/card-profile.js';
import { createSimCard, createSimPsam, DEMO_KEYS } from '../../drivers/card-reader/sim/chip/index.js';
import type { SimChip } from '../../drivers/card-reader/sim/chip-interface.js';
import { YktError } from '../../drivers/common/errors.js';

export interface SimWorldOptions {
  clock: Clock;
  readerPath: string;
  psamSlot: number;
  cards: Record<string, CardProfile>;
  readerDelays?: { motor?: number; powerOn?: number; apdu?: number; other?: number };
  /** Deliver bytes without line time (benchmarks of the host's own cost). */
  instantWire?: boolean;
}

export interface SimResult {
  ok: boolean;
  message?: string;
}

/**
 * The simulated physical world on the far side of the wires: serial ports, the reader with its
 * PSAM, and the citizens' cards. It outlives a host restart (a power cut leaves a card inside).
 */
export class SimWorld {
  readonly registry: SimPortRegistry;
  readonly reader: ReaderSimulator;
  readonly cards: Map<string, CardProfile>;
  private readonly chips = new Map<string, SimChip>();

  constructor(private readonly opts: SimWorldOptions) {
    this.registry = new SimPortRegistry(opts.clock, { instantWire: opts.instantWire });
    this.reader = new ReaderSimulator({ clock: opts.clock, delays: opts.readerDelays });
    this.reader.setPsam(opts.psamSlot, createSimPsam(DEMO_KEYS));
    this.registry.register(opts.readerPath, this.reader);
    this.cards = new Map(Object.entries(opts.cards));
  }

  /** The chip of a card handle; one physical card per handle, so its PIN counter persists. */
  chip(handle: string): SimChip {
    let chip = this.chips.get(handle);
    if (!chip) {
      const profile = this.cards.get(handle);
      if (!profile) throw new YktError('SIM_UNKNOWN_CARD', `no simulated card '${handle}'`);
      chip = createSimCard(resolveCardProfile(profile), DEMO_KEYS);
      this.chips.set(handle, chip);
    }
    return chip;
  }

  insert(handle: string): SimResult {
    if (!this.cards.has(handle)) return { ok: false, message: `no simulated card '${handle}'` };
    const r = this.reader.insert(this.chip(handle));
    return { ok: r.ok, message: r.reason };
  }

  take(): SimResult {
    const r = this.reader.take();
    return { ok: r.ok, message: r.reason };
  }

  fault(device: string, kind: string): SimResult {
    if (device !== 'reader') return { ok: false, message: `device '${device}' is not simulated` };
    switch (kind) {
      case 'unplug':
        this.registry.unplug(this.opts.readerPath);
        return { ok: true };
      case 'replug':
        this.reader.clear();
        this.registry.replug(this.opts.readerPath);
        return { ok: true };
      case 'clear':
        this.reader.clear();
        return { ok: true };
      case 'garble':
      case 'nak':
      case 'silent':
      case 'jam':
      case 'card-pulled':
        this.reader.inject(kind);
        return { ok: true };
      default:
        return { ok: false, message: `fault '${kind}' does not apply to the reader` };
    }
  }

  /** Which handle's card the reader holds now, if any. */
  handleInReader(): string | undefined {
    const chip = this.reader.chip;
    for (const [h, c] of this.chips) if (c === chip) return h;
    return undefined;
  }
}

/** Card profiles from a folder of JSON files, keyed by file name without extension. */
export function loadCardDir(dir: string): Record<string, CardProfile> {
  const out: Record<string, CardProfile> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const raw: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const r = CardProfile.safeParse(raw);
    if (!r.success) throw new YktError('SIM_CARD_INVALID', `card profile ${f}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    out[basename(f, '.json')] = r.data;
  }
  return out;
}
