import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import type { BindingInterface, BindingPortInterface, OpenOptions } from '../../../drivers/serial/binding-types.js';
import { SerialPortTransport } from '../../../drivers/serial/serialport-transport.js';

/** A binding port whose reads and writes the test completes by hand. */
class ManualPort {
  isOpen = true;
  readonly written: string[] = [];
  inFlightWrites = 0;
  maxInFlightWrites = 0;
  private readonly writeDone: (() => void)[] = [];
  private pendingRead?: { buffer: Buffer; offset: number; resolve: (r: { buffer: Buffer; bytesRead: number }) => void; reject: (e: Error) => void };

  read(buffer: Buffer, offset: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return new Promise((resolve, reject) => (this.pendingRead = { buffer, offset, resolve, reject }));
  }

  write(buffer: Buffer): Promise<void> {
    this.written.push(buffer.toString('hex'));
    this.inFlightWrites++;
    this.maxInFlightWrites = Math.max(this.maxInFlightWrites, this.inFlightWrites);
    return new Promise((resolve) =>
      this.writeDone.push(() => {
        this.inFlightWrites--;
        resolve();
      }),
    );
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.pendingRead?.reject(Object.assign(new Error('closed'), { canceled: true }));
  }

  /** Bytes arrive: the pending read resolves with them. */
  deliver(bytes: number[]): void {
    const p = this.pendingRead!;
    this.pendingRead = undefined;
    Buffer.from(bytes).copy(p.buffer, p.offset);
    p.resolve({ buffer: p.buffer, bytesRead: bytes.length });
  }

  failRead(err: Error): void {
    const p = this.pendingRead!;
    this.pendingRead = undefined;
    p.reject(err);
  }

  finishWrite(): void {
    this.writeDone.shift()!();
  }
}

function setup() {
  const ports: ManualPort[] = [];
  let opens = 0;
  const binding = {
    list: async () => [],
    open: async (_o: OpenOptions) => {
      opens++;
      const p = new ManualPort();
      ports.push(p);
      return p as unknown as BindingPortInterface;
    },
  } as unknown as BindingInterface;
  const t = new SerialPortTransport({ path: 'fake', baudRate: 9600, binding, logger: silentLogger, device: 'test' });
  return { t, ports, opens: () => opens };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('SerialPortTransport over a binding port', () => {
  it('concurrent opens share one attempt', async () => {
    const { t, opens } = setup();
    await Promise.all([t.open(), t.open()]);
    expect(opens()).toBe(1);
    expect(t.isOpen).toBe(true);
  });

  it('writes one buffer at a time, in order, without copying a Buffer', async () => {
    const { t, ports } = setup();
    await t.open();
    const port = ports[0]!;
    const done = [t.write(Uint8Array.of(1)), t.write(Uint8Array.of(2)), t.write(Uint8Array.of(3))];
    expect(port.written).toEqual(['01']);
    for (let i = 0; i < 3; i++) {
      port.finishWrite();
      await tick();
    }
    await Promise.all(done);
    expect(port.written).toEqual(['01', '02', '03']);
    expect(port.maxInFlightWrites).toBe(1);
  });

  it('emits each read as a view that later reads do not overwrite', async () => {
    const { t, ports } = setup();
    const chunks: Buffer[] = [];
    t.on('data', (c: Buffer) => chunks.push(c));
    await t.open();
    ports[0]!.deliver([0x06]);
    await tick();
    ports[0]!.deliver([0xf2, 0x00]);
    await tick();
    expect(chunks.map((c) => c.toString('hex'))).toEqual(['06', 'f200']);
  });

  it('a failed read is one disconnect; our own close is none', async () => {
    const { t, ports } = setup();
    const gone: string[] = [];
    t.on('disconnect', (e: Error) => gone.push(e.message));
    await t.open();
    ports[0]!.failRead(new Error('device unplugged'));
    await tick();
    expect(gone).toEqual(['device unplugged']);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });

    await t.open();
    await t.close();
    await tick();
    expect(gone).toHaveLength(1);
  });

  it('a write left in flight on a closed port does not hold up the reopened one', async () => {
    const { t, ports } = setup();
    await t.open();
    const lost = t.write(Uint8Array.of(1)).catch(() => 'ignored');
    await t.close();
    await t.open();
    void t.write(Uint8Array.of(2));
    expect(ports[1]!.written).toEqual(['02']);
    ports[0]!.finishWrite();
    await lost;
  });
});
