import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import { SimPortRegistry } from '../../drivers/serial/sim-binding.js';
import { ReaderSimulator, type ReaderFaultKind } from '../../drivers/card-reader/sim/reader-sim.js';
import { PinPadSimulator, type SimKey } from '../../drivers/pinpad/sim/pinpad-sim.js';
import { PrinterSimulator } from '../../drivers/printer/sim/printer-sim.js';
import type { GateSimulator } from '../../drivers/gate/sim/gate-sim.js';
import { SerialScannerSim } from '../../drivers/scanner/sim/serial-scanner-sim.js';
import { createEmbeddedBank, type BankSeedOverridesInput, type EmbeddedBank } from '../bank/embedded/index.js';
import { CardProfile, resolveCardProfile } from '../../drivers/card-reader/sim/card-profile.js';
import { createSimCard, createSimPsam, DEMO_KEYS } from '../../drivers/card-reader/sim/chip/index.js';
import type { SimChip } from '../../drivers/card-reader/sim/chip-interface.js';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import { createEmbeddedBackend, type EmbeddedBackend } from '../backend/embedded/index.js';
import type { EmbeddedHis } from '../his/embedded/index.js';
import { DEMO_PIN_WORKING_KEY } from './demo-keys.js';
import { lineDeviceFault, serviceFault } from './device-faults.js';

export interface SimWorldOptions {
  clock: Clock;
  readerPath: string;
  pinpadPath?: string;
  psamSlot: number;
  cards: Record<string, CardProfile>;
  readerDelays?: { motor?: number; powerOn?: number; apdu?: number; other?: number };
  printerRoll?: { lengthMm?: number; nearEndMm?: number };
  /** The PIN pad's algorithm, which the bank decrypts PIN blocks with (default sm4). */
  pinAlgorithm?: 'sm4' | '3des';
  /** Deliver bytes without line time (benchmarks of the host's own cost). */
  instantWire?: boolean;
}

export interface SimResult {
  ok: boolean;
  message?: string;
}

/** How long a tap holds a card to the antenna unless told otherwise: a citizen's ordinary tap. */
export const DEFAULT_TAP_HOLD_MS = 800;

/**
 * The simulated physical world on the far side of the wires: serial ports, the reader with its
 * PSAM, and the citizens' cards. It outlives a host restart (a power cut leaves a card inside).
 */
export class SimWorld {
  readonly registry: SimPortRegistry;
  readonly reader: ReaderSimulator;
  readonly pinpad: PinPadSimulator;
  readonly pinpadPath: string;
  readonly printer: PrinterSimulator;
  readonly printerPath = 'sim:printer';
  readonly gatePath = 'sim:gate';
  private gateSim: GateSimulator | undefined;
  /** The QR scanner, on a serial line. */
  readonly scanner: SerialScannerSim;
  readonly scannerPath = 'sim:scanner';
  readonly cards: Map<string, CardProfile>;
  private readonly chips = new Map<string, SimChip>();
  /** The social security backend the host talks to over HTTP (a separate service: it outlives a host restart). */
  backend: EmbeddedBackend | undefined;
  /** The card's bank (payment gateway), also a separate service that outlives a host restart. */
  bank: EmbeddedBank | undefined;
  /** Scenario overrides for the bank (accounts, faults), applied when it starts. */
  bankSeed: BankSeedOverridesInput | undefined;
  /** The hospital information system (hospital profile), a separate service like the backend. */
  his: EmbeddedHis | undefined;
  /** Scenario overrides for the HIS (schedule, faults), applied when it starts. */
  hisSeed: unknown;

  constructor(private readonly opts: SimWorldOptions) {
    this.registry = new SimPortRegistry(opts.clock, { instantWire: opts.instantWire });
    this.reader = new ReaderSimulator({ clock: opts.clock, delays: opts.readerDelays });
    this.reader.setPsam(opts.psamSlot, createSimPsam(DEMO_KEYS));
    this.reader.onFieldEmpty = () => {
      this.opts.clock.clearTimeout(this.tapTimer);
      this.fieldEmptySince = this.opts.clock.now();
    };
    this.registry.register(opts.readerPath, this.reader);
    this.pinpadPath = opts.pinpadPath ?? 'sim:pinpad';
    this.pinpad = new PinPadSimulator({ clock: opts.clock });
    this.registry.register(this.pinpadPath, this.pinpad);
    this.printer = new PrinterSimulator({ clock: opts.clock, ...(opts.printerRoll ? { roll: opts.printerRoll } : {}) });
    this.registry.register(this.printerPath, this.printer);
    this.scanner = new SerialScannerSim().attach(this.registry, this.scannerPath, 9600);
    this.cards = new Map(Object.entries(opts.cards));
  }

  async startBackend(opts: { dbFile: string; seed?: unknown; logger: Logger; deferSeed?: boolean }): Promise<EmbeddedBackend> {
    if (!this.backend) {
      this.backend = await createEmbeddedBackend({
        dbFile: opts.dbFile,
        clock: this.opts.clock,
        logger: opts.logger,
        seed: opts.seed,
        cards: [...this.cards.values()],
        deferSeed: opts.deferSeed,
      });
    }
    return this.backend;
  }

  /**
   * The embedded bank, with an account for every simulated card that has a debit application (its
   * bank PIN is the card's PIN), under the demo PIN pad's working key.
   */
  async startBank(opts: { dbFile: string; logger: Logger }): Promise<EmbeddedBank> {
    if (!this.bank) {
      const accounts = [...this.cards.values()]
        .map((c) => resolveCardProfile(c))
        .filter((c) => c.financial !== false)
        .map((c) => ({ pan: (c.financial as { pan: string }).pan, pin: c.pin }));
      this.bank = await createEmbeddedBank({
        dbFile: opts.dbFile,
        clock: this.opts.clock,
        logger: opts.logger,
        pinKey: { alg: this.opts.pinAlgorithm ?? 'sm4', key: DEMO_PIN_WORKING_KEY },
        accounts,
        ...(this.bankSeed !== undefined ? { seed: this.bankSeed } : {}),
      });
    }
    return this.bank;
  }

  /** The embedded HIS, started once per world (it outlives a host restart, as a hospital's would). */
  async startHis(opts: { dbFile: string; logger: Logger }): Promise<EmbeddedHis> {
    // Loaded only by a hospital terminal: a kiosk's or a gate's memory does not carry it.
    const { createEmbeddedHis } = await import('../his/embedded/index.js');
    this.his ??= await createEmbeddedHis({ dbFile: opts.dbFile, clock: this.opts.clock, logger: opts.logger, seed: this.hisSeed });
    return this.his;
  }

  async close(): Promise<void> {
    await this.his?.close();
    this.his = undefined;
    await this.backend?.close();
    this.backend = undefined;
    await this.bank?.close();
    this.bank = undefined;
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

  /**
   * The turnstile's I/O board (gate profile), on its port from the first use: a kiosk's world has
   * no gate and does not load its simulator's code.
   */
  get gate(): GateSimulator | undefined {
    return this.gateSim;
  }

  /** Puts the gate board on its port (the gate host calls this before it opens its devices). */
  async ensureGate(): Promise<GateSimulator> {
    if (!this.gateSim) {
      const { GateSimulator } = await import('../../drivers/gate/sim/gate-sim.js');
      this.gateSim ??= new GateSimulator({ clock: this.opts.clock });
      this.registry.register(this.gatePath, this.gateSim, { baudRate: 9600 });
    }
    return this.gateSim;
  }

  private tapTimer: TimerHandle | undefined;
  /** When the antenna's field last became empty (virtual clock). */
  private fieldEmptySince = -Infinity;

  /** How long the antenna has been without a card (0 while a card is on it). */
  msSinceFieldEmpty(): number {
    return this.reader.fieldCard ? 0 : this.opts.clock.now() - this.fieldEmptySince;
  }

  /**
   * Card H held to the contactless antenna for `holdMs` (virtual clock), then taken away. Only
   * third-generation cards have an antenna: a second-generation card is simply not seen.
   */
  tap(handle: string, holdMs = DEFAULT_TAP_HOLD_MS): SimResult & { contactless?: boolean } {
    const profile = this.cards.get(handle);
    if (!profile) return { ok: false, message: `no simulated card '${handle}'` };
    const contactless = resolveCardProfile(profile).generation === 3;
    this.opts.clock.clearTimeout(this.tapTimer);
    if (!contactless) return { ok: true, contactless, message: `card '${handle}' is generation 2: it has no contactless interface, the reader does not see it` };
    // One UID per physical card, stable across taps (readers report it on every activation).
    const uid = Uint8Array.from(createHash('sha256').update(`uid:${handle}`).digest().subarray(0, 4));
    this.reader.setFieldCard({ chip: this.chip(handle), uid, type: 'A' });
    this.tapTimer = this.opts.clock.setTimeout(() => {
      this.tapTimer = undefined;
      this.reader.setFieldCard(null);
      this.fieldEmptySince = this.opts.clock.now();
    }, holdMs);
    return { ok: true, contactless };
  }

  /**
   * The electronic card code of card H's holder, issued now by the embedded backend (as the
   * citizen's phone would show it); `expired`, `tampered` and `foreign` make the bad ones.
   */
  ecardCode(handle: string, variant: 'valid' | 'expired' | 'tampered' | 'foreign' = 'valid'): { ok: true; code: string } | { ok: false; message: string } {
    const profile = this.cards.get(handle);
    if (!profile) return { ok: false, message: `no simulated card '${handle}'` };
    if (!this.backend) return { ok: false, message: 'the embedded backend is not running' };
    const card = resolveCardProfile(profile);
    try {
      return { ok: true, code: this.backend.issueEcardCode(card.ssn, { cardNumber: card.cardNumber, variant }).code };
    } catch (e) {
      return { ok: false, message: `the backend did not issue a code for '${handle}': ${(e as Error).message}` };
    }
  }

  /** Whether a card is held to the antenna now. */
  get cardInField(): boolean {
    return this.reader.fieldCard !== null;
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

  /** PIN pad keys: digits typed in one go, or one of enter / cancel / clear / F1..F4. */
  keys(keys: string): SimResult {
    if (/^\d+$/.test(keys)) {
      const r = this.pinpad.type(keys);
      return { ok: r.ok, message: r.reason };
    }
    const named: Record<string, SimKey> = { enter: 'enter', cancel: 'cancel', clear: 'clear', F1: 'F1', F2: 'F2', F3: 'F3', F4: 'F4' };
    const key = named[keys];
    if (!key) return { ok: false, message: `unknown key '${keys}' (digits, enter, cancel, clear, F1..F4)` };
    const r = this.pinpad.press(key);
    return { ok: r.ok, message: r.reason };
  }

  fault(device: string, kind: string): SimResult {
    const line = (path: string) => ({ unplug: () => this.registry.unplug(path), replug: () => this.registry.replug(path) });
    const service = { silent: { timeoutOn: '*' as const }, unplug: { failOn: '*' as const }, garble: { badResponseOn: '*' as const } };
    switch (device) {
      case 'pinpad':
        return lineDeviceFault('PIN pad', line(this.pinpadPath), this.pinpad, kind, ['garble', 'silent']);
      // silent → every call times out, unplug → unreachable, garble → malformed answers.
      case 'backend':
        return serviceFault('backend', this.backend, kind, service);
      case 'his':
        return serviceFault('HIS', this.his, kind, service);
      // The bank's garble: processed, the answer lost.
      case 'bank':
        return serviceFault('bank', this.bank, kind, { ...service, garble: { lostResponseOn: '*' } });
      case 'printer': {
        // clear is what an operator does at the machine: a full roll, the cover shut, faults cleared.
        const p = this.printer;
        return lineDeviceFault('printer', line(this.printerPath), p, kind, ['jam', 'garble', 'silent'], {
          'paper-low': () => p.setPaper('low'),
          'paper-out': () => p.setPaper('out'),
          'cover-open': () => p.openCover(),
          replug: () => this.registry.replug(this.printerPath),
          clear: () => {
            p.replaceRoll();
            p.closeCover();
            p.clear();
          },
        });
      }
      case 'gate': {
        const gate = this.gateSim;
        if (!gate) return { ok: false, message: 'this terminal has no gate board' };
        // jam: the board reports a motor fault and keeps its arms shut.
        return lineDeviceFault('gate', line(this.gatePath), gate, kind, ['garble', 'nak', 'silent'], { jam: () => gate.faultCode('01') });
      }
      case 'scanner': {
        // garble: the next code is misread by one character (its signature then fails).
        const s = this.scanner;
        const plug = { unplug: () => s.unplug(), replug: () => (s.plugged ? undefined : s.replug()) };
        return lineDeviceFault('scanner', plug, { inject: () => s.garble('alter'), clear: () => plug.replug() }, kind, ['garble']);
      }
      case 'contactless':
      case 'reader': {
        // The antenna is the reader's: its link faults are the reader's; a tap too short is its own.
        const r = this.reader;
        const sim = { inject: (k: string) => r.inject(k as ReaderFaultKind), clear: () => r.clear() };
        if (device === 'contactless' && kind === 'card-pulled') return lineDeviceFault('antenna', line(this.opts.readerPath), sim, 'contactless-pulled', ['contactless-pulled']);
        return lineDeviceFault('reader', line(this.opts.readerPath), sim, kind, ['garble', 'nak', 'silent', 'jam', 'card-pulled']);
      }
      default:
        return { ok: false, message: `device '${device}' is not simulated` };
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
