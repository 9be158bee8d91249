import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../drivers/common/clock.js';
import { createLogger, silentLogger, type Logger } from '../../drivers/common/log.js';
import type { CardProfile } from '../../drivers/card-reader/sim/card-profile.js';
import { visibleText, type HostSnapshot } from '../../flows/view/protocol.js';
import { mergeConfig } from '../config/load.js';
import { startTerminal, type Terminal } from '../terminal.js';
import { SimWorld } from '../sim/world.js';
import type { Scenario, Step } from './schema.js';

/** How long the host may take to react to a physical step before the runner moves on. */
const REACT_MS = 2_000;
/** Upper bound for finishing what a step started (a card read at 9600 baud takes ~1.5 s). */
const SETTLE_MS = 60_000;
/** Least time without a card on the antenna before a tap (a hand takes longer). */
const TAP_GAP_MS = 300;
/** Longest real wait for one backend call before virtual time moves on regardless. */
const REAL_IO_MS = 15_000;

export interface StepFailure {
  step: number;
  message: string;
  expected?: unknown;
  seen?: unknown;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  failure?: StepFailure;
  virtualMs: number;
}

export type TranscriptLine = Record<string, unknown>;

class StepError extends Error {
  constructor(
    message: string,
    readonly expected?: unknown,
    readonly seen?: unknown,
  ) {
    super(message);
  }
}

/**
 * Plays one scenario against the real host on simulated devices and a virtual clock.
 * Each line of the transcript goes to `emit`; key presses are never echoed.
 */
export async function runScenario(
  scenario: Scenario,
  fixtures: Record<string, CardProfile>,
  emit: (line: TranscriptLine) => void,
): Promise<ScenarioResult> {
  const clock = new VirtualClock();
  const t0 = clock.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'ykt-scenario-'));
  const logger: Logger = process.env.LOG_LEVEL ? createLogger('ykt') : silentLogger;
  // A debit held by a bank fault costs real time (HTTP is real): keep the bank's deadline short
  // unless the scenario sets its own.
  const config = mergeConfig(mergeConfig({ bank: { timeoutMs: 2000 } }, scenario.config ?? {}), { mode: 'sim', dataDir, profile: scenario.profile });
  const cards = { ...fixtures, ...scenario.cards };
  const world = new SimWorld({
    clock,
    readerPath: 'sim:reader',
    psamSlot: 1,
    cards,
    readerDelays: (config.sim as { readerDelays?: Record<string, number> } | undefined)?.readerDelays,
    printerRoll: (config.sim as { printerRoll?: { lengthMm?: number; nearEndMm?: number } } | undefined)?.printerRoll,
  });
  world.bankSeed = scenario.bank;
  world.hisSeed = scenario.his;
  // Virtual time stands still while the host waits on a real-time service (the backend over HTTP).
  clock.gate = async () => {
    const until = Date.now() + REAL_IO_MS;
    let waited = false;
    while (host && host.realIoPending() > 0 && Date.now() < until) {
      waited = true;
      await new Promise((r) => setTimeout(r, 1));
    }
    return waited;
  };
  const boot = () => startTerminal({ config, clock, world, headless: true, logger, backendSeed: scenario.backend });
  let host: Terminal | undefined;
  const settle = async () => {
    await clock.runUntil(() => !host!.busy(), SETTLE_MS);
  };
  const seen = () => describe(host!.snapshot(), host!);
  try {
    host = await boot();
    await settle();
    emit({ scenario: scenario.name, event: 'start', ...seen() });
    for (let i = 0; i < scenario.steps.length; i++) {
      const step = scenario.steps[i]!;
      try {
        await play(step);
      } catch (e) {
        const err = e instanceof StepError ? e : new StepError((e as Error).message);
        emit({ step: i, do: echo(step), ok: false, error: err.message, expected: err.expected, seen: err.seen ?? seen() });
        return { name: scenario.name, passed: false, failure: { step: i, message: err.message, expected: err.expected, seen: err.seen }, virtualMs: clock.now() - t0 };
      }
      emit({ step: i, do: echo(step), ok: true, t: clock.now() - t0, ...seen() });
    }
    return { name: scenario.name, passed: true, virtualMs: clock.now() - t0 };
  } finally {
    await host?.stop().catch(() => undefined);
    await world.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function play(step: Step): Promise<void> {
    const h = host!;
    if ('insert' in step) {
      const r = world.insert(step.insert);
      if (!r.ok) throw new StepError(`the reader did not take card '${step.insert}': ${r.message}`);
      await clock.runUntil(() => !h.busy() && h.snapshot().card !== 'none', REACT_MS);
      await settle();
    } else if ('take' in step) {
      // A registration slip comes out of the same printer exit as a receipt.
      if (step.take === 'receipt' || step.take === 'slip') {
        const screen = h.snapshot().view.screen;
        if (!world.printer.takeReceipt()) throw new StepError(`take ${step.take}: nothing is waiting in the printer's presenter`);
        // The host polls the presenter while it waits for the receipt to be taken: give it the
        // time to notice (the screen moves on), or REACT_MS if it was not waiting for it.
        await clock.runUntil(() => !h.busy() && h.snapshot().view.screen !== screen, REACT_MS);
        await settle();
        return;
      }
      const r = world.take();
      if (!r.ok) throw new StepError(`cannot take the card: ${r.message}`);
      await clock.runUntil(() => !h.busy() && h.snapshot().card !== 'at-gate', REACT_MS);
      await settle();
    } else if ('touch' in step) {
      const r = h.touch(step.touch);
      if (!r.ok) throw new StepError(r.message ?? 'touch refused');
      await settle();
    } else if ('wait' in step) {
      await clock.advance(step.wait);
      await settle();
    } else if ('fault' in step) {
      const r = world.fault(step.fault.device, step.fault.kind);
      if (!r.ok) throw new StepError(r.message ?? 'fault refused');
      await settle();
    } else if ('keys' in step) {
      const r = world.keys(step.keys);
      if (!r.ok) throw new StepError(`the PIN pad did not take the keys: ${r.message}`);
      await settle();
    } else if ('tap' in step) {
      const handle = typeof step.tap === 'string' ? step.tap : step.tap.card;
      // A hand moving a card away and back takes a moment: the reader sees the field empty
      // between two taps (otherwise it could not tell a second tap from a card left on it).
      const gap = world.msSinceFieldEmpty();
      if (gap < TAP_GAP_MS) await clock.advance(TAP_GAP_MS - gap);
      const r = world.tap(handle, typeof step.tap === 'string' ? undefined : step.tap.holdMs);
      if (!r.ok) throw new StepError(`tap: ${r.message}`);
      if (r.message) emit({ note: r.message });
      // The card stays on the antenna for the tap's hold, then the host finishes what it started.
      await clock.runUntil(() => !world.cardInField && !h.busy(), SETTLE_MS);
      await settle();
    } else if ('scan' in step) {
      let text: string;
      if (typeof step.scan === 'string') text = step.scan;
      else {
        const r = world.ecardCode(step.scan.ecard, step.scan.variant);
        if (!r.ok) throw new StepError(`scan: ${r.message}`);
        text = r.code;
      }
      world.scanner.scan(text);
      await clock.runUntil(() => !h.busy() && h.snapshot().view.screen !== 'idle', REACT_MS);
      await settle();
    } else if ('pass' in step) {
      const gate = world.gate;
      if (!gate) throw new StepError('pass: this terminal has no gate');
      gate.pass();
      if (step.pass === 'tailgate') gate.pass();
      await clock.runUntil(() => !h.busy() && gate.state.gate === 'closed', REACT_MS);
      await settle();
    } else if ('restart' in step) {
      h.kill();
      host = await boot();
      await settle();
    } else if ('expect' in step) {
      check(step.expect, h, world);
    }
  }
}

function describe(s: HostSnapshot, host: Terminal): TranscriptLine {
  return { screen: s.view.screen, card: s.card, devices: s.devices, title: s.view.title, journalEntries: host.journal.count() };
}

/** A step as printed in the transcript: never the keys a citizen typed. */
function echo(step: Step): unknown {
  if ('keys' in step) return { keys: /^\d+$/.test(step.keys) ? `<${step.keys.length} digits>` : `<${step.keys}>` };
  return step;
}

function check(expect: Extract<Step, { expect: unknown }>['expect'], host: Terminal, world: SimWorld): void {
  const s = host.snapshot();
  const fail = (what: string, expected: unknown, seenValue: unknown) => {
    throw new StepError(`expected ${what} ${JSON.stringify(expected)}, saw ${JSON.stringify(seenValue)}`, { [what]: expected }, { [what]: seenValue, screen: s.view.screen, text: visibleText(s.view) });
  };
  if (expect.screen !== undefined && s.view.screen !== expect.screen) fail('screen', expect.screen, s.view.screen);
  if (expect.text !== undefined && !visibleText(s.view).includes(expect.text)) fail('text', expect.text, visibleText(s.view));
  if (expect.card !== undefined && s.card !== expect.card) fail('card', expect.card, s.card);
  if (expect.deviceStatus) {
    for (const [dev, st] of Object.entries(expect.deviceStatus)) {
      if (s.devices[dev] !== st) fail(`deviceStatus.${dev}`, st, s.devices[dev] ?? '(no such device)');
    }
  }
  if (expect.printed !== undefined) {
    const last = world.printer.last;
    if (!last || !last.text.includes(expect.printed)) fail('printed', expect.printed, last ? last.text : '(nothing printed)');
  }
  if (expect.debits !== undefined) {
    const n = world.bank?.standingDebits().length ?? 0;
    if (n !== expect.debits) fail('debits', expect.debits, n);
  }
  if (expect.posted !== undefined) {
    const n = world.backend?.postings().length ?? 0;
    if (n !== expect.posted) fail('posted', expect.posted, n);
  }
  if (expect.ledger !== undefined) {
    const problems = ledgerProblems(world);
    if (problems.length) fail('ledger', expect.ledger, problems);
  }
  const gateNow = world.gate?.state.gate ?? 'closed';
  if (expect.gate !== undefined && gateNow !== expect.gate) fail('gate', expect.gate, gateNow);
  if (expect.uploaded !== undefined) {
    const n = world.backend?.gateEvents(host.config.terminalId) ?? 0;
    if (n !== expect.uploaded) fail('uploaded', expect.uploaded, n);
  }
  if (expect.registered !== undefined) {
    const n = world.his?.registrations().filter((r) => r.status === 'registered').length ?? 0;
    if (n !== expect.registered) fail('registered', expect.registered, n);
  }
  if (expect.journal) {
    const latest = host.journal.latest();
    const flat = latest ? { type: latest.type, status: latest.status, ...latest.data } : undefined;
    if (!flat || !matches(flat, expect.journal)) fail('journal', expect.journal, flat ?? null);
  }
}

/**
 * Exactly once across the two services: per terminal transaction id, the bank's standing debits
 * and the backend's postings agree and neither exceeds one.
 */
function ledgerProblems(world: SimWorld): string[] {
  const debits = new Map<string, number>();
  for (const d of world.bank?.standingDebits() ?? []) debits.set(d.txnId, (debits.get(d.txnId) ?? 0) + 1);
  const posts = new Map<string, number>();
  for (const p of world.backend?.postings() ?? []) posts.set(p.txnId, (posts.get(p.txnId) ?? 0) + 1);
  const problems: string[] = [];
  for (const id of new Set([...debits.keys(), ...posts.keys()])) {
    const d = debits.get(id) ?? 0;
    const p = posts.get(id) ?? 0;
    if (d > 1 || p > 1 || d !== p) problems.push(`${id}: ${d} standing debit(s), ${p} posting(s)`);
  }
  return problems;
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}
