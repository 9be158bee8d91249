/**
 * ByteTransport over serialport's SerialPortStream. The binding is injected for the simulator
 * (SimPortRegistry.binding); production loads `serialport` lazily so that hosts without serial
 * devices (and tests) never load the native addon.
 */
import { EventEmitter } from 'node:events';
import type { BindingInterface } from './binding-types.js';
import { SerialPortStream } from '@serialport/stream';
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

export class SerialPortTransport extends EventEmitter implements ByteTransport {
  readonly description: string;
  /** A fresh stream per open: a stream that saw a write error is destroyed and cannot be reopened. */
  private stream?: SerialPortStream;
  private closingByUs = false;
  private readonly device: string;

  constructor(private readonly opts: SerialTransportOptions) {
    super();
    this.device = opts.device ?? 'serial';
    this.description = `serial ${opts.path} @${opts.baudRate}`;
  }

  get isOpen(): boolean {
    return this.stream?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const binding = this.opts.binding ?? (await loadDefaultSerialBinding(this.device));
    const stream = new SerialPortStream({
      binding,
      path: this.opts.path,
      baudRate: this.opts.baudRate,
      rtscts: this.opts.rtscts ?? false,
      autoOpen: false,
    });
    this.attach(stream);
    try {
      await new Promise<void>((resolve, reject) => stream.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.detach(stream);
      throw new TransportError(this.device, 'TRANSPORT_OPEN_FAILED', `cannot open ${this.description}: ${String(err)}`, { cause: err });
    }
    this.stream = stream;
    this.closingByUs = false;
    this.opts.logger.info({ dev: this.device, path: this.opts.path }, 'serial port open');
    this.emit('open');
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.closingByUs = true;
    this.stream = undefined;
    if (stream.isOpen) {
      await new Promise<void>((resolve) => stream.close(() => resolve()));
    }
    this.detach(stream);
  }

  write(bytes: Uint8Array): Promise<void> {
    const stream = this.stream;
    if (!stream?.isOpen) {
      return Promise.reject(new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} is not open`));
    }
    return new Promise((resolve, reject) => {
      stream.write(Buffer.from(bytes), (err) => {
        if (err) reject(new TransportError(this.device, 'TRANSPORT_WRITE_FAILED', `write to ${this.description} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  private attach(stream: SerialPortStream): void {
    stream.on('data', (chunk: Buffer) => {
      if (stream === this.stream) this.emit('data', chunk);
    });
    // SerialPortStream emits 'close' with a DisconnectedError when the port vanished, and a plain
    // 'close' when the stream was destroyed after an I/O error: both are a disconnection unless we
    // asked for the close.
    stream.on('close', (err: Error | null | undefined) => this.onStreamGone(stream, err ?? new Error('port closed')));
    stream.on('error', (err: Error) => {
      this.opts.logger.debug({ dev: this.device, err: err.message }, 'serial stream error');
    });
  }

  private detach(stream: SerialPortStream): void {
    stream.removeAllListeners('data');
    stream.removeAllListeners('close');
    // Keep an error listener: a late error on a dropped stream must not crash the process.
    stream.removeAllListeners('error');
    stream.on('error', () => undefined);
  }

  private onStreamGone(stream: SerialPortStream, err: Error): void {
    if (stream !== this.stream || this.closingByUs) return;
    this.stream = undefined;
    this.detach(stream);
    if (stream.isOpen) stream.close(() => undefined);
    this.opts.logger.warn({ dev: this.device, path: this.opts.path, err: err.message }, 'serial port disconnected');
    this.emit('disconnect', err);
  }
}
