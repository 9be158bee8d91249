import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock, realClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createPrinter } from '../../../drivers/printer/driver.js';
import { PrinterSimulator } from '../../../drivers/printer/sim/printer-sim.js';
import { UsbLpTransport, type LpFile } from '../../../drivers/printer/usblp-transport.js';

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/**
 * A fake /dev/usb/lp0: writes go to a PrinterSimulator, its replies wait in an IN queue that read()
 * drains (EAGAIN when empty, as usblp opened O_NONBLOCK). It can accept partial writes and vanish.
 */
class FakeLp implements LpFile {
  inQueue: Buffer[] = [];
  written: Buffer[] = [];
  maxWrite = Infinity;
  eagainOnce = false;
  gone = false;
  closed = false;
  constructor(readonly sim?: PrinterSimulator) {
    sim?.connect((b) => this.inQueue.push(Buffer.from(b)));
  }
  async read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number }> {
    if (this.gone) throw errno('ENODEV');
    const head = this.inQueue.shift();
    if (!head) throw errno('EAGAIN');
    const n = Math.min(length, head.length);
    head.copy(buffer, offset, 0, n);
    if (n < head.length) this.inQueue.unshift(head.subarray(n));
    return { bytesRead: n };
  }
  async write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }> {
    if (this.gone) throw errno('ENODEV');
    if (this.eagainOnce) {
      this.eagainOnce = false;
      throw errno('EAGAIN');
    }
    const n = Math.min(length, this.maxWrite);
    const part = Buffer.from(buffer.subarray(offset, offset + n));
    this.written.push(part);
    this.sim?.receive(part);
    return { bytesWritten: n };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

async function until(clock: VirtualClock, done: () => boolean, ms = 5000): Promise<void> {
  await clock.runUntil(done, ms);
}

describe('USB printer-class transport (usblp)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes whole buffers through partial writes and EAGAIN, and reads replies', async () => {
    const clock = new VirtualClock();
    const lp = new FakeLp();
    lp.maxWrite = 3;
    lp.eagainOnce = true;
    const t = new UsbLpTransport({ path: '/dev/usb/lp0', clock, logger: silentLogger, pollMs: 5, openFile: async () => lp });
    const got: Buffer[] = [];
    t.on('data', (b: Buffer) => got.push(b));
    await t.open();
    expect(t.isOpen).toBe(true);
    let done = false;
    void t.write(Buffer.from('1B40414243440A', 'hex')).then(() => (done = true));
    await until(clock, () => done);
    expect(Buffer.concat(lp.written).toString('hex')).toBe('1b40414243440a');
    lp.inQueue.push(Buffer.from([0x12, 0x1e]));
    await until(clock, () => got.length > 0);
    expect(Buffer.concat(got)).toEqual(Buffer.from([0x12, 0x1e]));
    await t.close();
    expect(lp.closed).toBe(true);
    expect(t.isOpen).toBe(false);
  });

  it('reports ENODEV as a disconnection', async () => {
    const clock = new VirtualClock();
    const lp = new FakeLp();
    const t = new UsbLpTransport({ path: '/dev/usb/lp0', clock, logger: silentLogger, pollMs: 5, openFile: async () => lp });
    const events: string[] = [];
    t.on('disconnect', (e: Error) => events.push(e.message));
    await t.open();
    lp.gone = true;
    await until(clock, () => events.length > 0);
    expect(events).toEqual(['ENODEV']);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Buffer.from([0x0a]))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
  });

  it('open failure is TRANSPORT_OPEN_FAILED', async () => {
    const t = new UsbLpTransport({ path: '/nonexistent/lp9', clock: new VirtualClock(), logger: silentLogger });
    await expect(t.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });

  it('drives the printer driver end to end over a fake lp node', async () => {
    const clock = new VirtualClock();
    const sim = new PrinterSimulator({ clock });
    const lp = new FakeLp(sim);
    const transport = new UsbLpTransport({ path: '/dev/usb/lp0', clock, logger: silentLogger, pollMs: 2, openFile: async () => lp });
    const printer = createPrinter({ transport, clock, logger: silentLogger });
    let opened = false;
    void printer.open().then(() => (opened = true));
    await until(clock, () => opened);
    expect(printer.status.state).toBe('ok');
    let printed = false;
    void printer.print({ blocks: [{ kind: 'text', text: '缴费明细' }] }).then(() => (printed = true));
    await until(clock, () => printed);
    expect(sim.last?.text).toBe('缴费明细');
    await printer.close();
  });

  it('writes to a real file node (O_RDWR | O_NONBLOCK), reading nothing back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'usblp-'));
    dirs.push(dir);
    const file = path.join(dir, 'lp0');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '');
    const t = new UsbLpTransport({ path: file, clock: realClock, logger: silentLogger, pollMs: 5 });
    const got: Buffer[] = [];
    t.on('data', (b: Buffer) => got.push(b));
    await t.open();
    await t.write(Buffer.from('1B40', 'hex'));
    await t.write(Buffer.from('OK\n'));
    await new Promise((r) => setTimeout(r, 30));
    await t.close();
    expect(readFileSync(file).toString('hex')).toBe('1b404f4b0a');
    expect(got).toEqual([]);
  });
});
