#!/usr/bin/env node
/**
 * `npm run bench`: host overhead against the wire time of the same bytes, end-to-end card read,
 * cold start and idle memory. Prints figures beside their targets; never fails on them (the
 * machines are shared and noisy: read the figures, don't assert them).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realClock } from '../drivers/common/clock.js';
import { silentLogger } from '../drivers/common/log.js';
import type { HostSnapshot } from '../flows/view/protocol.js';
import { startHost, type Host } from '../kiosk/host.js';
import { repoRoot } from '../kiosk/paths.js';
import { SimWorld, loadCardDir } from '../kiosk/sim/world.js';

const READS = Number(process.env.BENCH_READS ?? 40);
const PATH = 'sim:reader';

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const f = (n: number, d = 2) => n.toFixed(d);

function waitFor(host: Host, pred: (s: HostSnapshot) => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred(host.snapshot())) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out on screen ${host.snapshot().view.screen}`));
    }, timeoutMs);
    const off = host.subscribe((s) => {
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

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
  const binding = world.registry.binding as unknown as { open: (o: unknown) => Promise<PortLike> };
  const open = binding.open.bind(binding);
  binding.open = async (o: unknown) => {
    const port = await open(o);
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

async function readLoop(baud: number, instantWire: boolean) {
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
  for (let i = 0; i < READS; i++) {
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
  rmSync(dataDir, { recursive: true, force: true });
  // The first read warms the JIT; report steady state.
  return { exchanges: exchanges.slice(Math.floor(exchanges.length / READS)), reads: reads.slice(1) };
}

async function coldStart(runs = 5) {
  const main = join(repoRoot(), 'dist', 'kiosk', 'main.js');
  const times: number[] = [];
  const selfReported: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ykt-cold-'));
    const t = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [main, '--port', '0', '--data-dir', dataDir, '--exit-when-ready'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('ready in') && times.length === i) times.push(performance.now() - t);
      });
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`host exited ${code}`))));
    });
    const m = /ready in (\d+) ms/.exec(out);
    if (m) selfReported.push(Number(m[1]));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { spawnToReady: times, selfReported };
}

async function idleRss(settleMs = 3000): Promise<number> {
  const main = join(repoRoot(), 'dist', 'kiosk', 'main.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'ykt-rss-'));
  const p = spawn(process.execPath, [main, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve) => p.stdout.on('data', (d: Buffer) => d.toString().includes('ready in') && resolve()));
  await new Promise((r) => setTimeout(r, settleMs));
  const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  p.kill('SIGTERM');
  await new Promise((r) => p.on('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return kb / 1024;
}

async function main() {
  console.log(`yikatong bench — ${READS} card reads per line speed, Node ${process.version}\n`);
  console.log('1. Host overhead per reader exchange, against the wire time the same bytes need at that baud.');
  console.log('   host = bytes in at the port → host\'s next bytes out within the exchange (ACK → ENQ, NAK → resend).');
  console.log('   round trip = command → answer with an instant wire (host + simulator + serialport stream hops).');
  console.log('   Target at 115200: host p99 <= 1% of wire time.');
  console.log('   baud    exchanges  wire p50 µs  host p50 µs  host p99 µs  host/wire p50  host/wire p99  round trip p50 µs  p99 µs');
  for (const baud of [9600, 115200]) {
    const { exchanges } = await readLoop(baud, true);
    const ratios = exchanges.map((e) => e.hostMs / e.wireMs);
    if (process.env.BENCH_DEBUG) console.log([...exchanges].sort((a, b) => b.hostMs - a.hostMs).slice(0, 12).map((e) => `${e.what}:${(e.hostMs * 1000).toFixed(0)}`).join(' '));
    const us = (sel: (e: Exchange) => number, p: number) => f(pct(exchanges.map((e) => sel(e) * 1000), p), 0);
    console.log(
      `   ${String(baud).padEnd(7)} ${String(exchanges.length).padStart(9)}  ${us((e) => e.wireMs, 50).padStart(11)}  ${us((e) => e.hostMs, 50).padStart(11)}  ${us((e) => e.hostMs, 99).padStart(11)}  ${(f(pct(ratios, 50) * 100, 2) + '%').padStart(13)}  ${(f(pct(ratios, 99) * 100, 2) + '%').padStart(13)}  ${us((e) => e.roundTripMs, 50).padStart(17)}  ${us((e) => e.roundTripMs, 99).padStart(6)}`,
    );
  }
  console.log('\n2. Card inserted → read, authenticated, status checked, PIN prompt on screen; real clock, bytes timed at the line speed (reader execution delays 0)');
  console.log('   baud    read p50 ms  read p99 ms  wire ms (same bytes)  ratio p50');
  for (const baud of [9600, 115200]) {
    const { reads } = await readLoop(baud, false);
    console.log(
      `   ${String(baud).padEnd(7)} ${f(pct(reads.map((r) => r.ms), 50), 1).padStart(11)}  ${f(pct(reads.map((r) => r.ms), 99), 1).padStart(11)}  ${f(pct(reads.map((r) => r.wireMs), 50), 1).padStart(20)}  ${f(pct(reads.map((r) => r.ms / r.wireMs), 50), 2).padStart(9)}x`,
    );
  }
  const cold = await coldStart();
  console.log('\n3. Cold start → ready (node dist/kiosk/main.js, simulated devices, UI server listening). Target <= 500 ms.');
  console.log(`   spawn → ready line: p50 ${f(pct(cold.spawnToReady, 50), 0)} ms, max ${f(Math.max(...cold.spawnToReady), 0)} ms; host-reported (process start → ready): p50 ${f(pct(cold.selfReported, 50), 0)} ms`);
  const rss = await idleRss();
  console.log(`\n4. Idle RSS after 3 s: ${f(rss, 1)} MB. Target <= 80 MB.`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
