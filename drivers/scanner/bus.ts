/**
 * How the driver reaches a scanner: a serial ByteTransport, or a HID device opened on demand.
 * node-hid is imported only by a HID opener, and only when it runs (the driver's open()): a kiosk
 * with a serial scanner never loads it, and one without libusb gets HID_UNAVAILABLE naming the fix.
 */
import { EventEmitter } from 'node:events';
import { YktError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { TransportError } from '../serial/errors.js';
import { loadNodeHid, type HidDeviceFactory, type HidDeviceLike, type HidTarget } from '../serial/hid-transport.js';
import { SerialPortTransport } from '../serial/serialport-transport.js';
import type { SimPortRegistry } from '../serial/sim-binding.js';
import type { ByteTransport } from '../serial/transport.js';

export type HidOpener = () => Promise<HidDeviceLike>;
export type HidScannerMode = 'keyboard' | 'pos';
export type ModuleImporter = (name: string) => Promise<unknown>;

export type ScannerBus =
  | { kind: 'serial'; transport: ByteTransport }
  | {
      kind: 'hid';
      mode: HidScannerMode;
      /** Called at open() and at every reconnect attempt. */
      open: HidOpener;
      /** Keyboard: the input report's id on a composite device (none by default). HID POS: default 0x02. */
      reportId?: number;
      description?: string;
    };

/** A scanner as written in the config file. */
export type ScannerConfig =
  | { kind: 'serial'; path: string; baudRate?: number }
  | { kind: 'sim'; path: string; baudRate?: number }
  | { kind: 'hid'; mode: HidScannerMode; vendorId: number; productId: number; path?: string; reportId?: number };

export interface ScannerBusDeps {
  logger: Logger;
  /** Required for `kind: 'sim'`. */
  simRegistry?: SimPortRegistry;
  /** Replaces node-hid (tests, the simulated kiosk's HID scanner). */
  hidFactory?: HidDeviceFactory;
  /** How node-hid is imported (tests spy on it). */
  importer?: ModuleImporter;
}

const DEVICE = 'scanner';
/** devices.md §4: 9600 8N1. */
export const SCANNER_BAUD = 9600;

/** Builds the bus a config names; opens nothing and loads no native module. */
export function scannerBusFromConfig(cfg: ScannerConfig, deps: ScannerBusDeps): ScannerBus {
  const { logger } = deps;
  switch (cfg.kind) {
    case 'serial':
      return { kind: 'serial', transport: new SerialPortTransport({ path: cfg.path, baudRate: cfg.baudRate ?? SCANNER_BAUD, logger, device: DEVICE }) };
    case 'sim': {
      if (!deps.simRegistry) throw new TransportError(DEVICE, 'SIM_REGISTRY_MISSING', `scanner ${cfg.path} is 'sim' but no simulator registry was given`);
      const binding = deps.simRegistry.binding;
      return { kind: 'serial', transport: new SerialPortTransport({ path: cfg.path, baudRate: cfg.baudRate ?? SCANNER_BAUD, binding, logger, device: DEVICE }) };
    }
    case 'hid': {
      const target: HidTarget = { vendorId: cfg.vendorId, productId: cfg.productId, path: cfg.path };
      const factory = deps.hidFactory;
      const open = factory ? () => factory(target) : nodeHidOpener(target, deps.importer);
      return { kind: 'hid', mode: cfg.mode, open, reportId: cfg.reportId, description: `hid ${hidName(target)}` };
    }
  }
}

/** Opens the device with node-hid, importing it on the first call. */
export function nodeHidOpener(target: HidTarget, importer?: ModuleImporter): HidOpener {
  return async () => {
    const hid = await loadNodeHid(importer);
    try {
      return target.path ? await hid.HIDAsync.open(target.path) : await hid.HIDAsync.open(target.vendorId, target.productId);
    } catch (err) {
      throw new TransportError(DEVICE, 'HID_OPEN_FAILED', `cannot open HID scanner ${hidName(target)}: ${String(err)}`, { cause: err });
    }
  };
}

export function hidName(t: HidTarget): string {
  const id = `${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`;
  return t.path ? `${id} (${t.path})` : id;
}

/**
 * What the driver reads from: a ByteTransport fits as it is; HidReportSource gives a HID device the
 * same shape. Events: 'data' (Buffer: a chunk of bytes, or one input report), 'disconnect' (Error).
 */
export interface ScanSource extends EventEmitter {
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
}

export class HidReportSource extends EventEmitter implements ScanSource {
  private dev?: HidDeviceLike;
  private opening?: Promise<void>;

  constructor(
    private readonly opener: HidOpener,
    private readonly logger: Logger,
    readonly description = 'hid scanner',
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.dev !== undefined;
  }

  open(): Promise<void> {
    if (this.dev) return Promise.resolve();
    this.opening ??= this.doOpen().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    let dev: HidDeviceLike;
    try {
      dev = await this.opener();
    } catch (err) {
      if (err instanceof YktError) throw err;
      throw new TransportError(DEVICE, 'HID_OPEN_FAILED', `cannot open ${this.description}: ${String(err)}`, { cause: err });
    }
    dev.on('data', (report: Buffer) => {
      if (this.dev === dev) this.emit('data', report);
    });
    dev.on('error', (err: Error) => this.gone(dev, err));
    this.dev = dev;
    this.logger.info({ dev: DEVICE, hid: this.description }, 'hid scanner open');
    this.emit('open');
  }

  async close(): Promise<void> {
    const dev = this.dev;
    if (!dev) return;
    this.dev = undefined;
    dev.removeAllListeners('data');
    await dev.close();
  }

  /** node-hid reports an unplugged device as a read error. The error listener stays: a second one must not throw. */
  private gone(dev: HidDeviceLike, err: Error): void {
    if (this.dev !== dev) return;
    this.dev = undefined;
    dev.removeAllListeners('data');
    Promise.resolve()
      .then(() => dev.close())
      .catch(() => undefined);
    this.logger.warn({ dev: DEVICE, hid: this.description, err: err.message }, 'hid scanner disconnected');
    this.emit('disconnect', err);
  }
}
