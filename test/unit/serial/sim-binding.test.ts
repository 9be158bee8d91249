import { SerialPortStream } from '@serialport/stream';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { SimPortRegistry, type SimDevice } from '../../../drivers/serial/sim-binding.js';

class Echo implements SimDevice {
  send: (b: Buffer) => void = () => undefined;
  received: { at: number; hex: string }[] = [];
  connects = 0;
  constructor(private readonly clock: VirtualClock) {}
  connect(send: (b: Buffer) => void): void {
    this.send = send;
    this.connects++;
  }
  receive(bytes: Buffer): void {
    this.received.push({ at: this.clock.now(), hex: bytes.toString('hex') });
  }
}

async function openStream(registry: SimPortRegistry, path: string, baudRate: number): Promise<SerialPortStream> {
  const s = new SerialPortStream({ binding: registry.binding, path, baudRate, autoOpen: false });
  await new Promise<void>((res, rej) => s.open((e) => (e ? rej(e) : res())));
  return s;
}

describe('SimPortRegistry', () => {
  it('applies wire time per direction, serialised, one delivery per chunk', async () => {
    const clock = new VirtualClock();
    const reg = new SimPortRegistry(clock);
    const dev = new Echo(clock);
    reg.register('sim:a', dev);
    const s = await openStream(reg, 'sim:a', 9600);
    const t0 = clock.now();
    s.write(Buffer.alloc(10, 0x11));
    s.write(Buffer.alloc(10, 0x22));
    await clock.advance(10);
    expect(dev.received).toEqual([]);
    await clock.advance(1); // 10 bytes × 10 bits / 9600 Bd = 10.42 ms
    expect(dev.received).toEqual([{ at: t0 + 11, hex: '11'.repeat(10) }]);
    await clock.advance(10); // the second chunk waits for the first: through at 20.83 ms
    expect(dev.received.map((r) => r.at - t0)).toEqual([11, 21]);

    const got: { at: number; n: number }[] = [];
    s.on('data', (b: Buffer) => got.push({ at: clock.now(), n: b.length }));
    const t1 = clock.now();
    dev.send(Buffer.alloc(96, 0x33)); // 96 bytes at 9600 Bd = 100 ms
    await clock.advance(99);
    expect(got).toEqual([]);
    await clock.advance(1);
    expect(got).toEqual([{ at: t1 + 100, n: 96 }]);
    expect(reg.wireBytes('sim:a')).toEqual({ toDevice: 20, toHost: 96 });
  });

  it('unplug closes the stream as disconnected; open fails while unplugged; replug reconnects the device', async () => {
    const clock = new VirtualClock();
    const reg = new SimPortRegistry(clock);
    const dev = new Echo(clock);
    reg.register('sim:b', dev);
    const s = await openStream(reg, 'sim:b', 115200);
    s.on('data', () => undefined);
    await clock.advance(1);
    let closeErr: (Error & { disconnected?: boolean }) | null | undefined;
    s.on('close', (e: Error | null) => (closeErr = e));
    reg.unplug('sim:b');
    await clock.advance(1);
    expect(closeErr?.disconnected).toBe(true);
    expect(s.isOpen).toBe(false);
    await expect(openStream(reg, 'sim:b', 115200)).rejects.toThrow(/unplugged/);
    expect(await reg.binding.list()).toEqual([]);
    reg.replug('sim:b');
    expect(dev.connects).toBe(2);
    const s2 = await openStream(reg, 'sim:b', 115200);
    expect(s2.isOpen).toBe(true);
    expect((await reg.binding.list()).map((p) => p.path)).toEqual(['sim:b']);
  });

  it('port read() honours the binding contract: ≥1 byte, canceled on close, locked while open', async () => {
    const clock = new VirtualClock();
    const reg = new SimPortRegistry(clock);
    const dev = new Echo(clock);
    reg.register('sim:c', dev);
    const port = await reg.binding.open({ path: 'sim:c', baudRate: 115200 });
    await expect(reg.binding.open({ path: 'sim:c', baudRate: 115200 })).rejects.toThrow(/lock/);
    const buf = Buffer.alloc(4);
    const r1 = port.read(buf, 0, 4);
    dev.send(Buffer.from('0102030405', 'hex'));
    await clock.advance(5);
    expect(await r1).toEqual({ buffer: buf, bytesRead: 4 });
    expect(buf.toString('hex')).toBe('01020304');
    const r2 = await port.read(buf, 0, 4);
    expect(r2.bytesRead).toBe(1);
    const pending = port.read(buf, 0, 4);
    await port.close();
    await expect(pending).rejects.toMatchObject({ canceled: true });
    await expect(reg.binding.open({ path: 'sim:nope', baudRate: 9600 })).rejects.toThrow(/No such file/);
  });
});
