/**
 * ByteTransport straight over a serialport binding port (`BindingPortInterface`): the simulator's
 * (SimPortRegistry.binding) or, in production, serialport's native binding, loaded lazily so that
 * hosts without serial devices (and tests) never load the addon.
 *
 * Why not SerialPortStream: the host only ever needs "bytes in, bytes out". The Duplex stream in
 * between cost a Readable push, a Writable queue with its nextTick callbacks and a copy of every
 * written buffer per byte burst, on the path where the host answers the reader's ACK with ENQ —
 * the reaction time the bench holds to 1% of the wire time. The parts of the stream we relied on
 * are reproduced here: a read loop into a pool, one write at a time (bindings do not allow
 * overlapping writes), and "a failed read or write that was not a close is a disconnection".
 */
import { EventEmitter } from 'node:events';
import type { BindingInterface, BindingPortInterface } from './binding-types.js';
import type { Logger } from '../common/log.js';
import { TransportError } from './errors.js';
import type { ByteTransport } from './transport.js';

export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  rtscts?: boolean;
  /** Omitted: serialport's default (native) binding, loaded on first open. */
  binding?: BindingInterface;
  logger: Logger;
  /** Device name for errors ("reader"). */
  device?: string;
}

/**
 * Received chunks are views of a pool, as SerialPortStream's were: consecutive reads get disjoint
 * slices, so a listener may keep a chunk, and the PIN pad's decoder can zero the only copy of a
 * PIN-bearing reply in place. A new pool is started when fewer than MIN_READ bytes are left.
 */
const POOL_BYTES = 16 * 1024;
const MIN_READ = 128;

export async function loadDefaultSerialBinding(device = 'serial'): Promise<BindingInterface> {
  try {
    const mod = await import('serialport');
    return mod.SerialPort.binding as unknown as BindingInterface;
  } catch (err) {
    throw new TransportError(device, 'TRANSPORT_OPEN_FAILED', `the serialport native binding could not be loaded: ${String(err)}`, {
      cause: err,
    });
  }
}

interface PendingWrite {
  buf: Buffer;
  resolve: () => void;
  reject: (e: Error) => void;
}

function isCanceled(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { canceled?: unknown }).canceled === true;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class SerialPortTransport extends EventEmitter implements ByteTransport {
  readonly description: string;
  private port?: BindingPortInterface;
  private opening?: Promise<void>;
  private closing = false;
  private pool = Buffer.allocUnsafe(0);
  private poolUsed = 0;
  /** The port a write is in flight on: a port closed mid-write must not hold up the next port's. */
  private writingOn?: BindingPortInterface;
  private readonly writes: PendingWrite[] = [];
  private readonly device: string;

  constructor(private readonly opts: SerialTransportOptions) {
    super();
    this.device = opts.device ?? 'serial';
    this.description = `serial ${opts.path} @${opts.baudRate}`;
  }

  get isOpen(): boolean {
    return !this.closing && (this.port?.isOpen ?? false);
  }

  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    // The link's open and its reconnector may overlap: both wait for the same attempt.
    this.opening ??= this.doOpen().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    let port: BindingPortInterface;
    try {
      const binding = this.opts.binding ?? (await loadDefaultSerialBinding(this.device));
      // What SerialPortStream passed: the binding fills in 8N1, lock, hupcl.
      port = await binding.open({ path: this.opts.path, baudRate: this.opts.baudRate, rtscts: this.opts.rtscts ?? false });
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw new TransportError(this.device, 'TRANSPORT_OPEN_FAILED', `cannot open ${this.description}: ${String(err)}`, { cause: err });
    }
    this.port = port;
    this.closing = false;
    this.opts.logger.info({ dev: this.device, path: this.opts.path }, 'serial port open');
    this.read(port);
    this.emit('open');
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    this.port = undefined;
    this.failWrites(new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} closed`));
    // A pending read rejects with `canceled`, which the read loop takes as the end, not a fault.
    if (port.isOpen) await port.close().catch(() => undefined);
    this.closing = false;
  }

  /**
   * The caller keeps ownership of `bytes` but must not change them until the promise settles:
   * they are handed to the binding as they are, not copied (a copy would be one more allocation
   * per frame, and one more unwiped copy of a VERIFY APDU).
   */
  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port || !this.isOpen) {
      return Promise.reject(new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} is not open`));
    }
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Promise((resolve, reject) => {
      const w: PendingWrite = { buf, resolve, reject };
      // An idle line (the usual case: one frame or control byte at a time) writes at once.
      if (this.writingOn === port) this.writes.push(w);
      else this.startWrite(port, w);
    });
  }

  private nextWrite(): void {
    const port = this.port;
    if (!port || this.writingOn === port) return;
    const w = this.writes.shift();
    if (w) this.startWrite(port, w);
  }

  private startWrite(port: BindingPortInterface, w: PendingWrite): void {
    this.writingOn = port;
    port.write(w.buf).then(
      () => {
        if (this.writingOn === port) this.writingOn = undefined;
        w.resolve();
        this.nextWrite();
      },
      (err: unknown) => {
        if (this.writingOn === port) this.writingOn = undefined;
        w.reject(new TransportError(this.device, 'TRANSPORT_WRITE_FAILED', `write to ${this.description} failed: ${messageOf(err)}`, { cause: err }));
        if (port === this.port) this.gone(port, err instanceof Error ? err : new Error(String(err)));
        else this.nextWrite();
      },
    );
  }

  private failWrites(err: Error): void {
    const pending = this.writes.splice(0);
    for (const w of pending) w.reject(err);
  }

  /** One read in flight per open port; the next one is issued after the chunk was handled. */
  private read(port: BindingPortInterface): void {
    if (this.pool.length - this.poolUsed < MIN_READ) {
      this.pool = Buffer.allocUnsafe(POOL_BYTES);
      this.poolUsed = 0;
    }
    const pool = this.pool;
    const start = this.poolUsed;
    port.read(pool, start, pool.length - start).then(
      ({ bytesRead }) => {
        if (port !== this.port) return;
        if (bytesRead === 0) {
          this.gone(port, new Error(`${this.description}: end of stream`));
          return;
        }
        if (pool === this.pool) this.poolUsed = start + bytesRead;
        // Handle the bytes before asking for more: the answer to them goes out first.
        this.emit('data', pool.subarray(start, start + bytesRead));
        if (port === this.port && port.isOpen) this.read(port);
      },
      (err: unknown) => {
        // A close (ours, or the port's own) cancels the read: not a disconnection.
        if (port !== this.port || isCanceled(err)) return;
        this.gone(port, err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private gone(port: BindingPortInterface, err: Error): void {
    if (port !== this.port || this.closing) return;
    this.port = undefined;
    this.failWrites(new TransportError(this.device, 'TRANSPORT_WRITE_FAILED', `${this.description} disconnected: ${err.message}`, { cause: err }));
    if (port.isOpen) port.close().catch(() => undefined);
    this.opts.logger.warn({ dev: this.device, path: this.opts.path, err: err.message }, 'serial port disconnected');
    this.emit('disconnect', err);
  }
}
