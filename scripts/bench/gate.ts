/**
 * The transit gate: tap event (the antenna's activation answer reaches the host) → gate-open
 * command written to the gate board's port, on the real gate host with a 1,000,000-entry local
 * blacklist, simulated reader, PSAM and gate board. Two runs:
 *  - host only: bytes delivered without line time, so the figure is the host's own work (card
 *    dialogue handling, PSAM check, blacklist, anti-passback, the machine) — the target;
 *  - end to end: the reader at 115200 Bd with each byte's line time, against the 300 ms a fare
 *    gate has to answer a tap.
 * Anti-passback is off (each of a few hundred simulated cards goes through many times); 1 % of the
 * taps are blacklisted cards, refused (their time to the red light is reported apart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realClock } from '../../drivers/common/clock.js';
import { silentLogger } from '../../drivers/common/log.js';
import type { CardProfile } from '../../drivers/card-reader/sim/card-profile.js';
import { Blacklist } from '../../kiosk/blacklist/blacklist.js';
import type { GateTerminal } from '../../kiosk/gate/gate-host.js';
import { startTerminal } from '../../kiosk/terminal.js';
import { SimWorld } from '../../kiosk/sim/world.js';
import { pct } from './util.js';

const CARDS = 200;
const REGION = '330300';

function cardsFor(n: number): Record<string, CardProfile> {
  const out: Record<string, CardProfile> = {};
  for (let i = 0; i < n; i++) {
    const serial = String(10_000_000 + i);
    out[`c${i}`] = { ssn: `33030219800101${String(1000 + i).slice(-4)}`, name: '测试', region: REGION, serial, generation: 3 } as CardProfile;
  }
  return out;
}

const cidOf = (i: number) => `${REGION}D156000005${10_000_000 + i}`;

/** 1M synthetic blacklisted card ids (same shape as real ones), plus the chosen blacklisted cards. */
function syntheticIds(n: number, extra: string[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n - extra.length; i++) ids.push(`${String(110100 + (i % 900)).padStart(6, '0')}D156000005${String(50_000_000 + i).padStart(8, '0')}`);
  return ids.concat(extra);
}

export interface GateBenchResult {
  taps: number;
  openMs: number[];
  deniedMs: number[];
  loadMs: number;
  entries: number;
  bytesPerEntry: number;
}

export async function benchGate(opts: { taps: number; entries: number; instantWire: boolean; baud?: number; dataDir?: string }): Promise<GateBenchResult> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ykt-bench-gate-'));
  const own = !opts.dataDir;
  const blocked = [3, 103]; // two of the cards are on the list: 1 % of the taps
  if (own) {
    const bl = new Blacklist(join(dataDir, 'blacklist.sqlite'));
    bl.apply({ version: 1, full: true, add: syntheticIds(opts.entries, blocked.map(cidOf)), remove: [] });
    bl.close();
  }
  const world = new SimWorld({
    clock: realClock,
    readerPath: 'sim:reader',
    psamSlot: 1,
    cards: cardsFor(CARDS),
    readerDelays: { motor: 0, powerOn: 0, apdu: 0, other: 0 },
    instantWire: opts.instantWire,
  });
  let tapAt = 0;
  let openAt = 0;
  // The gate-open command, timed where the host hands it to the port (the OS boundary).
  type PortLike = { write(buf: Buffer): Promise<void> };
  const binding = world.registry.binding as unknown as { open: (o: { path: string }) => Promise<PortLike> };
  const open = binding.open.bind(binding);
  binding.open = async (o: { path: string }) => {
    const port = await open(o);
    if (o.path !== 'sim:gate') return port;
    const write = port.write.bind(port);
    port.write = (buf: Buffer) => {
      if (buf[0] === 0x02 && buf[1] === 0x4f && !openAt) openAt = performance.now();
      return write(buf);
    };
    return port;
  };
  const terminal = (await startTerminal({
    headless: true,
    world,
    clock: realClock,
    logger: silentLogger,
    config: {
      mode: 'sim',
      profile: 'gate',
      dataDir,
      // Offline: the local list is the one being measured (a sync would replace it with the demo list).
      backend: { url: 'http://127.0.0.1:9/', timeoutMs: 200, retries: 0 },
      gate: { antiPassbackMs: 0, pollMs: 5, deniedMs: 1 },
      devices: { reader: { transport: { kind: 'sim', path: 'sim:reader', baudRate: opts.baud ?? 115200 } } },
    },
  })) as GateTerminal;
  const reader = terminal.devices.reader;
  const activate = reader.contactlessActivate.bind(reader);
  // Polls that found the field empty: the poller hands the same card on again only after one.
  let emptyPolls = 0;
  reader.contactlessActivate = async () => {
    try {
      const card = await activate();
      tapAt = performance.now();
      return card;
    } catch (e) {
      emptyPolls++;
      throw e;
    }
  };
  const loadMs = terminal.blacklist.loadMs;
  const entries = terminal.blacklist.size;
  const bytesPerEntry = terminal.blacklist.indexBytes / Math.max(1, entries);
  const until = async (pred: () => boolean, ms = 5000) => {
    const t = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > t) throw new Error(`gate bench: timed out on screen ${terminal.snapshot().view.screen} (${JSON.stringify(terminal.snapshot().devices)}, field ${world.cardInField})`);
      await new Promise((r) => setImmediate(r));
    }
  };
  const openMs: number[] = [];
  const deniedMs: number[] = [];
  try {
    await until(() => terminal.snapshot().view.screen === 'idle', 10_000);
    for (let i = 0; i < opts.taps; i++) {
      // Every 100th tap is a blacklisted card; the others cycle through the good ones.
      let card = i % 100 === 50 ? blocked[(i / 100) % 2 | 0]! : i % CARDS;
      if (i % 100 !== 50 && blocked.includes(card)) card++;
      tapAt = 0;
      openAt = 0;
      world.tap(`c${card}`, 60_000);
      const denied = blocked.includes(card);
      await until(() => (denied ? terminal.snapshot().view.screen === 'gate-denied' : openAt > 0));
      if (denied) deniedMs.push(performance.now() - tapAt);
      else {
        openMs.push(openAt - tapAt);
        await until(() => terminal.snapshot().view.screen === 'gate-open' && world.gate!.state.gate === 'open');
        world.gate!.pass();
      }
      world.reader.setFieldCard(null);
      const polls = emptyPolls;
      await until(() => terminal.snapshot().view.screen === 'idle' && !terminal.busy() && emptyPolls > polls);
    }
  } finally {
    await terminal.stop();
    await world.close();
    if (own) rmSync(dataDir, { recursive: true, force: true });
  }
  return { taps: opts.taps, openMs, deniedMs, loadMs, entries, bytesPerEntry };
}

const f = (n: number, d = 2) => n.toFixed(d);

export async function gateReport(): Promise<void> {
  const taps = Number(process.env.BENCH_GATE_TAPS ?? 10_000);
  const entries = Number(process.env.BENCH_BLACKLIST ?? 1_000_000);
  const host = await benchGate({ taps, entries, instantWire: true });
  console.log(
    `   blacklist: ${host.entries.toLocaleString('en')} entries, ${f(host.bytesPerEntry, 1)} bytes/entry in memory (target ≤ 32), ` +
      `load at start-up ${f(host.loadMs, 0)} ms (target ≤ 1000)`,
  );
  console.log(
    `   host only (no line time), ${host.openMs.length} opens: tap event → gate-open command p50 ${f(pct(host.openMs, 50))} ms, ` +
      `p99 ${f(pct(host.openMs, 99))} ms, max ${f(Math.max(...host.openMs))} ms (target p99 ≤ 10 ms); ` +
      `${host.deniedMs.length} blacklisted taps → denial p50 ${f(pct(host.deniedMs, 50))} ms`,
  );
  const e2eTaps = Math.min(taps, Number(process.env.BENCH_GATE_E2E_TAPS ?? 1_000));
  for (const baud of [115200, 9600]) {
    // At 9600 Bd a tap's dialogue takes about half a second of line time: fewer taps.
    const e2e = await benchGate({ taps: baud < 100_000 ? Math.min(e2eTaps, 200) : e2eTaps, entries, instantWire: false, baud });
    console.log(
      `   end to end, reader at ${baud} Bd with line time, ${e2e.openMs.length} opens: tap event → gate-open command ` +
        `p50 ${f(pct(e2e.openMs, 50), 1)} ms, p99 ${f(pct(e2e.openMs, 99), 1)} ms of the 300 ms a fare gate has ` +
        `(${f((pct(e2e.openMs, 99) / 300) * 100, 1)} % at p99)`,
    );
  }
}
