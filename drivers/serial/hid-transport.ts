/**
 * ByteTransport over USB HID reports (framing in hid-framing.ts). node-hid is an optional native
 * dependency: it is imported only when a HID transport is opened, and a missing module or libusb
 * becomes a typed HID_UNAVAILABLE error instead of a crash at start-up.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../common/log.js';
import { TransportError } from './errors.js';
import { decodeHidReport, encodeHidReports } from './hid-framing.js';
import type { ByteTransport } from './transport.js';

/** The part of node-hid's HIDAsync the transport uses; tests provide a fake. */
export interface HidDeviceLike {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  write(report: number[]): Promise<number> | number;
  close(): Promise<void> | void;
}

export interface HidTarget {
  vendorId: number;
  productId: number;
  path?: string;
}

export type HidDeviceFactory = (target: HidTarget) => Promise<HidDeviceLike>;

interface NodeHidModule {
  HIDAsync: {
    open(path: string): Promise<HidDeviceLike>;
    open(vid: number, pid: number): Promise<HidDeviceLike>;
  };
}

const LIBUSB_HINT =
  'USB HID is unavailable: the optional native module node-hid could not be loaded. ' +
  'Install the system library libusb-1.0-0 (apt-get install libusb-1.0-0) and reinstall node-hid.';

/** Imports node-hid on first use. The specifier is a variable so the optional dependency stays out of the type graph. */
export async function loadNodeHid(importer: (name: string) => Promise<unknown> = (n) => import(n)): Promise<NodeHidModule> {
  const name = 'node-hid';
  let mod: unknown;
  try {
    mod = await importer(name);
  } catch (err) {
    throw new TransportError('hid', 'HID_UNAVAILABLE', `${LIBUSB_HINT} (${String(err)})`, { cause: err });
  }
  const m = mod as Partial<NodeHidModule> & { default?: Partial<NodeHidModule> };
  const HIDAsync = m.HIDAsync ?? m.default?.HIDAsync;
  if (!HIDAsync) throw new TransportError('hid', 'HID_UNAVAILABLE', `${LIBUSB_HINT} (node-hid has no HIDAsync)`);
  return { HIDAsync };
}

export const nodeHidFactory: HidDeviceFactory = async (target) => {
  const hid = await loadNodeHid();
  try {
    return target.path ? await hid.HIDAsync.open(target.path) : await hid.HIDAsync.open(target.vendorId, target.productId);
  } catch (err) {
    throw new TransportError('hid', 'HID_OPEN_FAILED', `cannot open HID device ${hidName(target)}: ${String(err)}`, { cause: err });
  }
};

function hidName(t: HidTarget): string {
  const id = `${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`;
  return t.path ? `${id} (${t.path})` : id;
}

export interface HidTransportOptions extends HidTarget {
  logger: Logger;
  factory?: HidDeviceFactory;
  device?: string;
}

export class HidTransport extends EventEmitter implements ByteTransport {
  readonly description: string;
  private dev?: HidDeviceLike;
  private readonly factory: HidDeviceFactory;
  private readonly device: string;
  /** Writes go out report by report, in order, even when callers do not await each other. */
  private writeChain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: HidTransportOptions) {
    super();
    this.factory = opts.factory ?? nodeHidFactory;
    this.device = opts.device ?? 'hid';
    this.description = `hid ${hidName(opts)}`;
  }

  get isOpen(): boolean {
    return this.dev !== undefined;
  }

  async open(): Promise<void> {
    if (this.dev) return;
    const dev = await this.factory({ vendorId: this.opts.vendorId, productId: this.opts.productId, path: this.opts.path });
    dev.on('data', (report: Buffer) => {
      if (this.dev !== dev) return;
      const payload = decodeHidReport(report);
      if (payload.length > 0) this.emit('data', Buffer.from(payload));
    });
    dev.on('error', (err: Error) => this.gone(dev, err));
    this.dev = dev;
    this.opts.logger.info({ dev: this.device, hid: this.description }, 'hid device open');
    this.emit('open');
  }

  async close(): Promise<void> {
    const dev = this.dev;
    if (!dev) return;
    this.dev = undefined;
    dev.removeAllListeners('data');
    await dev.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    const dev = this.dev;
    if (!dev) return Promise.reject(new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} is not open`));
    const run = async (): Promise<void> => {
      for (const report of encodeHidReports(bytes)) {
        try {
          await dev.write(report);
        } catch (err) {
          this.gone(dev, err instanceof Error ? err : new Error(String(err)));
          throw new TransportError(this.device, 'TRANSPORT_WRITE_FAILED', `HID write failed: ${String(err)}`, { cause: err });
        }
      }
    };
    const p = this.writeChain.then(run);
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  /** node-hid reports an unplugged device as a read error. */
  private gone(dev: HidDeviceLike, err: Error): void {
    if (this.dev !== dev) return;
    this.dev = undefined;
    dev.removeAllListeners('data');
    Promise.resolve()
      .then(() => dev.close())
      .catch(() => undefined);
    this.opts.logger.warn({ dev: this.device, err: err.message }, 'hid device disconnected');
    this.emit('disconnect', err);
  }
}
