import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createCardReader } from '../../../drivers/card-reader/driver.js';
import { ReaderSimulator } from '../../../drivers/card-reader/sim/reader-sim.js';
import { decodeHidReport, encodeHidReports } from '../../../drivers/serial/hid-framing.js';
import { HidTransport, loadNodeHid, nodeHidFactory, type HidDeviceLike } from '../../../drivers/serial/hid-transport.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { FakeChip, SELECT_SSSE } from '../card-reader/fake-chip.js';

/** A HID device whose far side is the reader simulator; reports cross with 1 ms latency. */
class FakeHidReader extends EventEmitter implements HidDeviceLike {
  readonly written: number[][] = [];
  readonly received: Buffer[] = [];
  closed = false;
  constructor(
    private readonly clock: VirtualClock,
    sim: ReaderSimulator,
  ) {
    super();
    sim.connect((bytes) => {
      for (let i = 0; i < bytes.length; i += 63) {
        const chunk = bytes.subarray(i, i + 63);
        const report = Buffer.alloc(64);
        report[0] = chunk.length;
        chunk.copy(report, 1);
        this.received.push(report);
        this.clock.setTimeout(() => this.emit('data', report), 1);
      }
    });
    this.sim = sim;
  }
  private readonly sim: ReaderSimulator;
  write(report: number[]): number {
    this.written.push(report);
    const payload = Buffer.from(report.slice(2, 2 + report[1]));
    this.clock.setTimeout(() => this.sim.receive(payload), 1);
    return report.length;
  }
  close(): void {
    this.closed = true;
  }
}

describe('HID report framing', () => {
  it('splits the stream into 64-byte reports prefixed by report id 0x00 and a length byte', () => {
    const bytes = Uint8Array.from({ length: 70 }, (_, i) => i);
    const reports = encodeHidReports(bytes);
    expect(reports).toHaveLength(2);
    expect(reports.map((r) => r.length)).toEqual([65, 65]);
    expect(reports[0].slice(0, 4)).toEqual([0x00, 63, 0, 1]);
    expect(reports[1].slice(0, 10)).toEqual([0x00, 7, 63, 64, 65, 66, 67, 68, 69, 0]);
    expect([...decodeHidReport(Uint8Array.of(3, 0xaa, 0xbb, 0xcc, 0, 0))]).toEqual([0xaa, 0xbb, 0xcc]);
    expect(decodeHidReport(Uint8Array.of(0, 1, 2)).length).toBe(0);
    expect(decodeHidReport(Uint8Array.of(64, ...new Array(63).fill(1))).length).toBe(0);
  });
});

describe('HidTransport', () => {
  it('carries the reader protocol: status, power on, APDU, events', async () => {
    const clock = new VirtualClock();
    const sim = new ReaderSimulator({ clock });
    const devices: FakeHidReader[] = [];
    const transport = openTransport(
      { kind: 'hid', vendorId: 0x23a4, productId: 0x0310 },
      { clock, logger: silentLogger, hidFactory: async () => (devices.push(new FakeHidReader(clock, sim)), devices.at(-1)!) },
    );
    expect(transport).toBeInstanceOf(HidTransport);
    const reader = createCardReader({ transport, clock, logger: silentLogger });
    const events: string[] = [];
    reader.on('card-inserted', () => events.push('card-inserted'));
    const run = async <T>(p: Promise<T>): Promise<T> => {
      let done = false;
      p.then(() => (done = true), () => (done = true));
      await clock.runUntil(() => done, 10_000);
      return p;
    };
    await run(reader.open());
    expect(reader.status.state).toBe('ok');
    // The first report written is the status command, framed as id 00, length 09, frame, zero padding.
    expect(devices[0].written[0].slice(0, 12)).toEqual([0x00, 0x09, 0xf2, 0x00, 0x00, 0x03, 0x43, 0x31, 0x30, 0x03, 0xb0, 0x00]);
    expect(devices[0].written[0]).toHaveLength(65);
    await run(reader.enableInsertion());
    sim.insert(new FakeChip('zhang'));
    await clock.advance(20);
    expect(events).toEqual(['card-inserted']);
    await run(reader.disableInsertion());
    await run(reader.powerOn());
    expect(Buffer.from(await run(reader.transmit(SELECT_SSSE))).toString('hex')).toBe('9000');
    // The SELECT answer came back as one report: length 14, the spec's bytes.
    expect(devices[0].received.at(-1)!.subarray(0, 15).toString('hex').toUpperCase()).toBe('0EF200000850513332303090000369');

    // Unplug: node-hid reports a read error; the link reconnects through the factory.
    devices[0].emit('error', new Error('could not read from HID device'));
    expect(reader.status.state).toBe('unplugged');
    await clock.runUntil(() => reader.status.state === 'ok', 5000);
    expect(devices[0].closed).toBe(true);
    expect(reader.status.state).toBe('ok');
    expect(devices).toHaveLength(2);
  });

  it('rejects writes when closed', async () => {
    const t = new HidTransport({ vendorId: 1, productId: 2, logger: silentLogger, factory: async () => new EventEmitter() as unknown as HidDeviceLike });
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
  });

  it('a missing node-hid / libusb becomes HID_UNAVAILABLE naming libusb-1.0-0', async () => {
    const err = await loadNodeHid(async () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file');
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HID_UNAVAILABLE', device: 'hid' });
    expect((err as Error).message).toContain('libusb-1.0-0');
  });

  it('the real factory fails with a typed error when no such device exists', async () => {
    const err = await nodeHidFactory({ vendorId: 0xfffe, productId: 0xfffd }).catch((e: unknown) => e);
    expect(['HID_OPEN_FAILED', 'HID_UNAVAILABLE']).toContain((err as { code?: string }).code);
  });
});
