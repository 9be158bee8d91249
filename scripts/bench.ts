#!/usr/bin/env node
/**
 * `npm run bench`: host overhead against the wire time of the same bytes, end-to-end card read,
 * cold start and idle memory. Prints figures beside their targets; never fails on them (the
 * machines are shared and noisy: read the figures, don't assert them). docs/performance.md says
 * what each figure measures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { realClock } from '../drivers/common/clock.js';
import { silentLogger } from '../drivers/common/log.js';
import { startHost } from '../kiosk/host.js';
import { repoRoot } from '../kiosk/paths.js';
import { SimWorld, loadCardDir } from '../kiosk/sim/world.js';
import { pct, waitFor } from './bench/util.js';

/** Card reads per line speed for the end-to-end figure (2). */
const READS = Number(process.env.BENCH_READS ?? 40);
/**
 * Card reads per line speed for the per-exchange figure (1): instant wire, so they are cheap, and a
 * p99 over ~5000 exchanges is the 50th worst rather than the 10th — steadier on a noisy machine.
 */
const EXCHANGE_READS = Number(process.env.BENCH_EXCHANGE_READS ?? 200);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 9);
const RSS_RUNS = Number(process.env.BENCH_RSS_RUNS ?? 3);
const PATH = 'sim:reader';

const f = (n: number, d = 2) => n.toFixed(d);


interface Exchange {
  /** Command issued → answer returned, with an instant wire: host + simulator + event-loop hops. */
  roundTripMs: number;
  /** Time the host took between bytes arriving and its next bytes leaving (ACK → ENQ, answer → next command). */
  hostMs: number;
  wireMs: number;
  what: string;
}

interface PortLike {
  read(...a: unknown[]): Promise<unknown>;
  write(buf: Buffer): Promise<void>;
}

/**
 * Marks, at the binding (the OS boundary of a real port), when bytes reach the host and when the
 * host's next bytes leave: the difference is the host's own reaction time, whatever the device
 * or the line cost.
 */
function instrumentBinding(world: SimWorld) {
  const state = { lastRx: 0, rxPending: false, hostMs: 0 };
  const binding = world.registry.binding as unknown as { open: (o: { path: string }) => Promise<PortLike> };
  const open = binding.open.bind(binding);
  binding.open = async (o: { path: string }) => {
    const port = await open(o);
    // Only the reader's port: bytes from the PIN pad or printer arriving during a reader exchange
    // are not what the reader's ENQ answers.
    if (o.path !== PATH) return port;
    const read = port.read.bind(port);
    const write = port.write.bind(port);
    port.read = async (...a: unknown[]) => {
      const r = await read(...a);
      state.lastRx = performance.now();
      state.rxPending = true;
      return r;
    };
    port.write = (buf: Buffer) => {
      if (state.rxPending) {
        state.hostMs += performance.now() - state.lastRx;
        state.rxPending = false;
      }
      return write(buf);
    };
    return port;
  };
  return state;
}

async function readLoop(baud: number, instantWire: boolean, count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ykt-bench-'));
  const world = new SimWorld({
    clock: realClock,
    readerPath: PATH,
    psamSlot: 1,
    cards: loadCardDir(join(repoRoot(), 'test', 'fixtures', 'cards')),
    readerDelays: { motor: 0, powerOn: 0, apdu: 0, other: 0 },
    instantWire,
  });
  const marks = instrumentBinding(world);
  const host = await startHost({
    headless: true,
    world,
    clock: realClock,
    logger: silentLogger,
    config: { mode: 'sim', dataDir, devices: { reader: { transport: { kind: 'sim', path: PATH, baudRate: baud } } } },
  });
  await waitFor(host, (s) => s.view.screen === 'idle');
  const exchanges: Exchange[] = [];
  const reader = host.reader as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['powerOn', 'transmit', 'psamPowerOn', 'psamTransmit', 'getSensors', 'eject', 'initialize', 'enableInsertion', 'disableInsertion', 'powerOff']) {
    const orig = reader[m]!.bind(host.reader);
    reader[m] = async (...args: unknown[]) => {
      const before = world.registry.wireBytes(PATH);
      marks.hostMs = 0;
      // Count only reactions inside this exchange: the gap before it may hold a backend call or
      // a citizen typing a PIN, which are not the host's per-exchange cost.
      marks.rxPending = false;
      const t = performance.now();
      const r = await orig(...args);
      const roundTripMs = performance.now() - t;
      const after = world.registry.wireBytes(PATH);
      const bytes = after.toDevice - before.toDevice + (after.toHost - before.toHost);
      exchanges.push({ roundTripMs, hostMs: marks.hostMs, wireMs: (bytes * 10 * 1000) / baud, what: m });
      return r;
    };
  }
  const reads: { ms: number; wireMs: number }[] = [];
  for (let i = 0; i < count; i++) {
    const start = exchanges.length;
    const t = performance.now();
    while (!world.reader.sensors.insertionEnabled) await new Promise((r) => setTimeout(r, 1));
    const r = world.insert('valid');
    if (!r.ok) throw new Error(`insert refused: ${r.message}`);
    // Insert → holder on screen: the holder's name is on the PIN screen's greeting path; the
    // figure stops at the PIN prompt (card read, PSAM authentication, status check done).
    await waitFor(host, (s) => s.view.screen === 'pin' || s.view.screen === 'menu');
    const ms = performance.now() - t;
    const wireMs = exchanges.slice(start).reduce((a, e) => a + e.wireMs, 0);
    reads.push({ ms, wireMs });
    while (host.pinpad.entry.phase !== 'active') await new Promise((r) => setTimeout(r, 1));
    world.keys('123456');
    while (host.pinpad.entry.digits < 6) await new Promise((r) => setTimeout(r, 1));
    world.keys('enter');
    await waitFor(host, (s) => s.view.screen === 'menu');
    host.touch('finish');
    await waitFor(host, (s) => s.card === 'at-gate');
    world.take();
    await waitFor(host, (s) => s.view.screen === 'idle');
  }
  await host.stop();
  // The bench owns the world (and its embedded backend's HTTP server): close it, or the bench
  // process never exits.
  await world.close();
  rmSync(dataDir, { recursive: true, force: true });
  // The first read warms the JIT; report steady state.
  return { exchanges: exchanges.slice(Math.floor(exchanges.length / count)), reads: reads.slice(1) };
}

interface StartCommand {
  /** Node/V8 flags before the script (e.g. --max-semi-space-size=…). */
  nodeFlags: string[];
  script: string;
  scriptArgs: string[];
}

/**
 * The node command `npm start` runs the host with, read from package.json's start script (after
 * its build step), so the bench measures exactly what `npm start` starts, V8 flags included.
 */
function startCommand(): StartCommand {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const run = pkg.scripts.start.split('&&').pop()!.trim().split(/\s+/);
  if (run[0] !== 'node') throw new Error(`npm start does not end with a node command: ${pkg.scripts.start}`);
  const at = run.findIndex((a, i) => i > 0 && !a.startsWith('-'));
  if (at < 0) throw new Error(`npm start names no script: ${pkg.scripts.start}`);
  return { nodeFlags: run.slice(1, at), script: join(repoRoot(), run[at]!), scriptArgs: run.slice(at + 1) };
}

function startArgs(): string[] {
  const c = startCommand();
  return [...c.nodeFlags, c.script, ...c.scriptArgs];
}

/**
 * Parts 1 and 2 run the host inside this process, so this process must run under the node flags
 * npm start gives the host (a smaller young generation changes when the GC runs): without them,
 * the bench starts itself again with them.
 */
function reexecWithStartFlags(): void {
  const flags = startCommand().nodeFlags;
  if (flags.every((f) => process.execArgv.includes(f))) return;
  const r = spawnSync(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

function spawnHost(dataDir: string, extra: string[] = []) {
  return spawn(process.execPath, [...startArgs(), '--port', '0', '--data-dir', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function coldStart(runs: number) {
  const times: number[] = [];
  const selfReported: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ykt-cold-'));
    // A fresh data directory: the first start, journal and embedded backend created and seeded.
    // Then a second start on the same directory: a kiosk switched on again.
    for (const first of [true, false]) {
      const t = performance.now();
      const out = await new Promise<string>((resolve, reject) => {
        const p = spawnHost(dataDir, ['--exit-when-ready']);
        let text = '';
        let seen = false;
        p.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (!seen && text.includes('ready in')) {
            seen = true;
            (first ? times : restart).push(performance.now() - t);
          }
        });
        p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`host exited ${code}`))));
      });
      const m = /ready in (\d+) ms/.exec(out);
      if (m && first) selfReported.push(Number(m[1]));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { spawnToReady: times, selfReported, restart };
}

interface RssSample {
  rssMb: number;
  anonMb: number;
  fileMb: number;
  /** With one UI client connected over the WebSocket (what a kiosk with its browser runs). */
  withUiMb: number;
}

function memOf(pid: number): { rssMb: number; anonMb: number; fileMb: number } {
  const kb = (text: string, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN) / 1024;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: kb(status, 'VmRSS'), anonMb: kb(status, 'RssAnon'), fileMb: kb(status, 'RssFile') };
}

async function idleRss(settleMs = 3000): Promise<RssSample> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ykt-rss-'));
  const p = spawnHost(dataDir);
  const url = await new Promise<string>((resolve) => {
    let text = '';
    p.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /UI:\s+(\S+)\//.exec(text);
      if (text.includes('ready in') && m) resolve(m[1]!);
    });
  });
  await new Promise((r) => setTimeout(r, settleMs));
  const idle = memOf(p.pid!);
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  await new Promise((r) => setTimeout(r, settleMs));
  const withUi = memOf(p.pid!);
  ws.close();
  p.kill('SIGTERM');
  await new Promise((r) => p.on('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return { ...idle, withUiMb: withUi.rssMb };
}

/**
 * `BENCH_PARTS=13` runs parts 1 and 3 only (all by default; 5 = the printing and payment benches,
 * 5–7; 6 = the transit gate and its blacklist, 8).
 */
const PARTS = process.env.BENCH_PARTS ?? '123456';

async function partExchanges() {
  console.log('1. Host overhead per reader exchange, against the wire time the same bytes need at that baud.');
  console.log('   host = bytes in at the reader\'s port → host\'s next bytes out on it within the exchange (ACK → ENQ, NAK → resend).');
  console.log('   round trip = command → answer with an instant wire (host + simulator + transport hops).');
  console.log(`   ${EXCHANGE_READS} card reads per line speed, the first one dropped (JIT warm-up). Target at 115200: host p99 <= 1% of wire time.`);
  console.log('   baud    exchanges  wire p50 µs  host p50 µs  host p99 µs  host/wire p50  host/wire p99  round trip p50 µs  p99 µs  GCs');
  for (const baud of [9600, 115200]) {
    let gcs = 0;
    const obs = new PerformanceObserver((l) => void (gcs += l.getEntries().length));
    obs.observe({ entryTypes: ['gc'] });
    const { exchanges } = await readLoop(baud, true, EXCHANGE_READS);
    obs.disconnect();
    const ratios = exchanges.map((e) => e.hostMs / e.wireMs);
    if (process.env.BENCH_DEBUG) console.log([...exchanges].sort((a, b) => b.hostMs - a.hostMs).slice(0, 12).map((e) => `${e.what}:${(e.hostMs * 1000).toFixed(0)}`).join(' '));
    const us = (sel: (e: Exchange) => number, p: number) => f(pct(exchanges.map((e) => sel(e) * 1000), p), 0);
    console.log(
      `   ${String(baud).padEnd(7)} ${String(exchanges.length).padStart(9)}  ${us((e) => e.wireMs, 50).padStart(11)}  ${us((e) => e.hostMs, 50).padStart(11)}  ${us((e) => e.hostMs, 99).padStart(11)}  ${(f(pct(ratios, 50) * 100, 2) + '%').padStart(13)}  ${(f(pct(ratios, 99) * 100, 2) + '%').padStart(13)}  ${us((e) => e.roundTripMs, 50).padStart(17)}  ${us((e) => e.roundTripMs, 99).padStart(6)}  ${String(gcs).padStart(3)}`,
    );
  }
}

async function partReads() {
  console.log(`2. Card inserted → read, authenticated, status checked, PIN prompt on screen; real clock, bytes timed at the line speed (reader execution delays 0); ${READS} reads`);
  console.log('   baud    read p50 ms  read p99 ms  wire ms (same bytes)  ratio p50');
  for (const baud of [9600, 115200]) {
    const { reads } = await readLoop(baud, false, READS);
    console.log(
      `   ${String(baud).padEnd(7)} ${f(pct(reads.map((r) => r.ms), 50), 1).padStart(11)}  ${f(pct(reads.map((r) => r.ms), 99), 1).padStart(11)}  ${f(pct(reads.map((r) => r.wireMs), 50), 1).padStart(20)}  ${f(pct(reads.map((r) => r.ms / r.wireMs), 50), 2).padStart(9)}x`,
    );
  }
}

async function partColdStart() {
  const cold = await coldStart(COLD_RUNS);
  console.log(`3. Cold start → ready (node ${startArgs().map((a) => a.replace(repoRoot() + '/', '')).join(' ')}, as npm start; simulated devices, UI server listening). Target <= 500 ms.`);
  console.log(`   first start (fresh data dir), ${cold.spawnToReady.length} runs: spawn → ready line p50 ${f(pct(cold.spawnToReady, 50), 0)} ms, max ${f(Math.max(...cold.spawnToReady), 0)} ms; host-reported (process start → ready) p50 ${f(pct(cold.selfReported, 50), 0)} ms`);
  console.log(`   restart (same data dir): spawn → ready line p50 ${f(pct(cold.restart, 50), 0)} ms`);
}

async function partRss() {
  const rss: RssSample[] = [];
  for (let i = 0; i < RSS_RUNS; i++) rss.push(await idleRss());
  const med = (sel: (r: RssSample) => number) => f(pct(rss.map(sel), 50), 1);
  console.log(`4. Idle RSS 3 s after ready (median of ${rss.length} hosts): ${med((r) => r.rssMb)} MB (anonymous ${med((r) => r.anonMb)}, file-backed ${med((r) => r.fileMb)}). Target <= 80 MB.`);
  console.log(`   with one UI client connected for 3 s: ${med((r) => r.withUiMb)} MB`);
}

async function main() {
  reexecWithStartFlags();
  console.log(`yikatong bench — Node ${process.version}, node flags ${process.execArgv.join(' ') || '(none)'}\n`);
  const parts: [string, () => Promise<void>][] = [['1', partExchanges], ['2', partReads], ['3', partColdStart], ['4', partRss]];
  let first = true;
  for (const [id, run] of parts) {
    if (!PARTS.includes(id)) continue;
    if (!first) console.log('');
    first = false;
    await run();
  }
  // Their owners' figures (printing, payment journal), numbered 5–7 by scripts/bench/extra.ts;
  // imported only now, so that their libraries are not in the heap parts 1 and 2 measure.
  if (PARTS.includes('5')) await (await import('./bench/extra.js')).extraBenches();
  if (PARTS.includes('6')) {
    console.log('\n8. Transit gate: tap → gate open with a large local blacklist (BENCH_GATE_TAPS, BENCH_BLACKLIST).');
    await (await import('./bench/gate.js')).gateReport();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
