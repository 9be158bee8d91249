/**
 * Touch "print" → first byte of the job written to the printer, on the real host with simulated
 * devices and the embedded backend over loopback HTTP. What lies between: the session machine, a
 * real-time status poll of the printer (four `10 04 n` round trips on the line), the statement
 * from the backend (HTTP), the receipt layout and encoding. Printed beside the wire time of the
 * status poll, the one part the line speed alone decides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realClock } from '../../drivers/common/clock.js';
import { silentLogger } from '../../drivers/common/log.js';
import { startHost } from '../../kiosk/host.js';
import { repoRoot } from '../../kiosk/paths.js';
import { SimWorld, loadCardDir } from '../../kiosk/sim/world.js';
import { pct, waitFor } from './util.js';

const PRINTS = Number(process.env.BENCH_PRINTS ?? 20);



export async function benchPrintTouch(baud = 115200): Promise<{ touchToFirstByte: number[]; jobBytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ykt-bench-print-'));
  const world = new SimWorld({
    clock: realClock,
    readerPath: 'sim:reader',
    psamSlot: 1,
    cards: loadCardDir(join(repoRoot(), 'test', 'fixtures', 'cards')),
    readerDelays: { motor: 0, powerOn: 0, apdu: 0, other: 0 },
  });
  // Timed at the binding (the OS boundary of a real port): when the host hands the job's first
  // bytes to the port, not when the simulator has them (it receives a write whole, after its wire
  // time). A job starts with ESC @ (1B 40); status requests start with DLE (10).
  let firstByteAt: number | undefined;
  let jobBytes = 0;
  type PortLike = { write(buf: Buffer): Promise<void> };
  const binding = world.registry.binding as unknown as { open: (o: { path: string }) => Promise<PortLike> };
  const open = binding.open.bind(binding);
  binding.open = async (o: { path: string }) => {
    const port = await open(o);
    if (o.path !== 'sim:printer') return port;
    const write = port.write.bind(port);
    port.write = (buf: Buffer) => {
      if (firstByteAt === undefined && buf[0] === 0x1b) firstByteAt = performance.now();
      if (buf[0] !== 0x10) jobBytes += buf.length;
      return write(buf);
    };
    return port;
  };
  const host = await startHost({
    headless: true,
    world,
    clock: realClock,
    logger: silentLogger,
    config: {
      mode: 'sim',
      dataDir,
      devices: { printer: { transport: { kind: 'sim', path: 'sim:printer', baudRate: baud } } },
      session: { menuIdleMs: 600_000 },
    },
  });
  try {
    await waitFor(host, (s) => s.view.screen === 'idle' && s.devices.printer === 'ok');
    while (!world.reader.sensors.insertionEnabled) await new Promise((r) => setTimeout(r, 1));
    world.insert('valid');
    await waitFor(host, (s) => s.view.screen === 'pin');
    while (host.pinpad.entry.phase !== 'active') await new Promise((r) => setTimeout(r, 1));
    world.keys('123456');
    while (host.pinpad.entry.digits < 6) await new Promise((r) => setTimeout(r, 1));
    world.keys('enter');
    await waitFor(host, (s) => s.view.screen === 'menu');
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < PRINTS; i++) {
      firstByteAt = undefined;
      jobBytes = 0;
      const t = performance.now();
      const r = host.touch('print-statement');
      if (!r.ok) throw new Error(r.message);
      await waitFor(host, (s) => s.view.screen === 'take-receipt' || s.view.screen === 'print-failed', 60_000);
      if (host.snapshot().view.screen !== 'take-receipt') throw new Error(`print failed: ${JSON.stringify(host.snapshot().view.lines)}`);
      if (firstByteAt === undefined) throw new Error('no job byte reached the printer');
      times.push(firstByteAt - t);
      bytes = jobBytes;
      world.printer.takeReceipt();
      await waitFor(host, (s) => s.view.screen === 'menu');
      world.printer.clearDocuments();
    }
    // The first print warms the JIT and the backend's statement cache path.
    return { touchToFirstByte: times.slice(1), jobBytes: bytes };
  } finally {
    await host.stop();
    await world.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function printTouchReport(): Promise<void> {
  console.log('Touch "print-statement" → first byte of the job written to the printer port (real host, sim devices, embedded backend over HTTP)');
  console.log('   baud    prints  p50 ms  p99 ms  status poll wire ms  job bytes  job wire ms');
  for (const baud of [115200, 9600]) {
    const { touchToFirstByte, jobBytes } = await benchPrintTouch(baud);
    // A status poll is 4 requests of 3 bytes and 4 one-byte replies, 10 bits per byte.
    const pollWire = ((4 * 3 + 4) * 10 * 1000) / baud;
    console.log(
      `   ${String(baud).padEnd(7)} ${String(touchToFirstByte.length).padStart(6)}  ${pct(touchToFirstByte, 50).toFixed(1).padStart(6)}  ${pct(touchToFirstByte, 99).toFixed(1).padStart(6)}  ${pollWire.toFixed(2).padStart(19)}  ${String(jobBytes).padStart(9)}  ${((jobBytes * 10 * 1000) / baud).toFixed(0).padStart(11)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTouchReport().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
