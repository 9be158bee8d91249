/**
 * A serialport binding whose ports are wired to in-process device simulators. The host's
 * SerialPortTransport drives it as it drives the native binding (and tests run the real
 * SerialPortStream on it), so every byte the host writes crosses a "wire" with the baud
 * rate's timing applied on the injected Clock, reaches the simulator, and the simulator's answers come
 * back through the binding's read() exactly as from a UART.
 */
import type {
  BindingInterface,
  BindingPortInterface,
  BindingsErrorInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  UpdateOptions,
} from './binding-types.js';
import type { Clock } from '../common/clock.js';

export interface SimDevice {
  /** Called at register() and again at every replug(): a (re)connected device starts afresh. */
  connect(send: (bytes: Buffer) => void): void;
  receive(bytes: Buffer): void;
}

/** 8N1: start bit + 8 data bits + stop bit. */
const BITS_PER_BYTE = 10;
const DEFAULT_BAUD = 9600;

/** One direction of the line: busy until its previous bytes are through. */
class WireDirection {
  private busyUntil = 0;
  /** Chunks on the wire, not yet delivered. */
  inFlight = 0;
  constructor(
    private readonly clock: Clock,
    /** No line time at all: benchmarks measure what the host itself costs per exchange. */
    private readonly instant = false,
  ) {}

  /** Schedules `deliver` when the last byte of an n-byte chunk has arrived; one timer per chunk. */
  send(n: number, baudRate: number, deliver: () => void): void {
    if (this.instant) {
      this.inFlight++;
      setImmediate(() => {
        this.inFlight--;
        deliver();
      });
      return;
    }
    const now = this.clock.now();
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + (n * BITS_PER_BYTE * 1000) / baudRate;
    this.inFlight++;
    this.clock.setTimeout(() => {
      this.inFlight--;
      deliver();
    }, Math.ceil(this.busyUntil - now));
  }

  /** Milliseconds until the line is idle. */
  remaining(): number {
    return Math.max(0, Math.ceil(this.busyUntil - this.clock.now()));
  }
}

interface Line {
  path: string;
  device: SimDevice;
  plugged: boolean;
  baudRate: number;
  port?: SimBindingPort;
  toDevice: WireDirection;
  toHost: WireDirection;
  counters: { toDevice: number; toHost: number };
}

function canceledError(message: string): BindingsErrorInterface {
  return Object.assign(new Error(message), { canceled: true });
}

interface PendingRead {
  buffer: Buffer;
  offset: number;
  length: number;
  resolve: (r: { buffer: Buffer; bytesRead: number }) => void;
  reject: (err: Error) => void;
}

class SimBindingPort implements BindingPortInterface {
  isOpen = true;
  private rx: Buffer[] = [];
  private pending?: PendingRead;
  /** Set when the device is unplugged: every later read/write fails as on a vanished tty. */
  private broken?: Error;

  constructor(
    readonly openOptions: Required<OpenOptions>,
    private readonly line: Line,
    private readonly clock: Clock,
    private readonly hostWrite: (line: Line, bytes: Buffer) => void,
  ) {}

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.isOpen = false;
    if (this.line.port === this) this.line.port = undefined;
    this.rx = [];
    const p = this.pending;
    this.pending = undefined;
    p?.reject(canceledError('Port closed'));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) return Promise.reject(canceledError('Port is not open'));
    if (this.broken) return Promise.reject(this.broken);
    if (this.pending) return Promise.reject(new Error('a read is already pending'));
    return new Promise((resolve, reject) => {
      this.pending = { buffer, offset, length, resolve, reject };
      this.fill();
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceledError('Port is not open');
    if (this.broken) throw this.broken;
    // The stream may reuse its buffer once write() resolves.
    this.hostWrite(this.line, Buffer.from(buffer));
  }

  async update(options: UpdateOptions): Promise<void> {
    this.openOptions.baudRate = options.baudRate;
  }

  async set(): Promise<void> {}

  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }

  async flush(): Promise<void> {
    this.rx = [];
  }

  drain(): Promise<void> {
    const ms = this.line.toDevice.remaining();
    if (ms === 0) return Promise.resolve();
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  /** Bytes whose wire time is over. */
  deliver(bytes: Buffer): void {
    if (!this.isOpen || this.broken) return;
    this.rx.push(bytes);
    this.fill();
  }

  unplug(): void {
    this.broken = Object.assign(new Error(`${this.line.path}: device unplugged`), { disconnected: true });
    const p = this.pending;
    this.pending = undefined;
    // Non-canceled, so the transport (as SerialPortStream would) takes it for a disconnection.
    p?.reject(this.broken);
  }

  private fill(): void {
    const p = this.pending;
    if (!p || this.rx.length === 0) return;
    let n = 0;
    while (n < p.length && this.rx.length > 0) {
      const head = this.rx[0];
      const take = Math.min(head.length, p.length - n);
      head.copy(p.buffer, p.offset + n, 0, take);
      n += take;
      if (take === head.length) this.rx.shift();
      else this.rx[0] = head.subarray(take);
    }
    this.pending = undefined;
    p.resolve({ buffer: p.buffer, bytesRead: n });
  }
}

export class SimPortRegistry {
  private readonly lines = new Map<string, Line>();
  readonly binding: BindingInterface;

  constructor(
    private readonly clock: Clock,
    private readonly opts: { instantWire?: boolean } = {},
  ) {
    this.binding = {
      list: async (): Promise<PortInfo[]> =>
        [...this.lines.values()]
          .filter((l) => l.plugged)
          .map((l) => ({
            path: l.path,
            manufacturer: 'yikatong simulator',
            serialNumber: undefined,
            pnpId: undefined,
            locationId: undefined,
            productId: undefined,
            vendorId: undefined,
          })),
      open: (options: OpenOptions) => this.open(options),
    };
  }

  register(path: string, device: SimDevice, opts: { baudRate?: number } = {}): void {
    if (this.lines.has(path)) throw new Error(`sim port ${path} is already registered`);
    const line: Line = {
      path,
      device,
      plugged: true,
      baudRate: opts.baudRate ?? DEFAULT_BAUD,
      toDevice: new WireDirection(this.clock, this.opts.instantWire),
      toHost: new WireDirection(this.clock, this.opts.instantWire),
      counters: { toDevice: 0, toHost: 0 },
    };
    this.lines.set(path, line);
    device.connect((bytes) => this.deviceSend(line, bytes));
  }

  unplug(path: string): void {
    const line = this.line(path);
    if (!line.plugged) return;
    line.plugged = false;
    line.port?.unplug();
  }

  replug(path: string): void {
    const line = this.line(path);
    if (line.plugged) return;
    line.plugged = true;
    line.device.connect((bytes) => this.deviceSend(line, bytes));
  }

  isPlugged(path: string): boolean {
    return this.line(path).plugged;
  }

  /** Chunks still crossing any wire (either direction): lets a runner wait until the lines are quiet. */
  inFlight(): number {
    let n = 0;
    for (const l of this.lines.values()) n += l.toDevice.inFlight + l.toHost.inFlight;
    return n;
  }

  wireBytes(path: string): { toDevice: number; toHost: number } {
    return { ...this.line(path).counters };
  }

  private line(path: string): Line {
    const line = this.lines.get(path);
    if (!line) throw new Error(`no sim port registered at ${path}`);
    return line;
  }

  private async open(options: OpenOptions): Promise<SimBindingPort> {
    const line = this.lines.get(options.path);
    if (!line) throw new Error(`Error: No such file or directory, cannot open ${options.path}`);
    if (!line.plugged) throw new Error(`Error: No such file or directory, cannot open ${options.path} (unplugged)`);
    if (line.port?.isOpen) throw new Error(`Error Resource temporarily unavailable Cannot lock port ${options.path}`);
    const full: Required<OpenOptions> = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
    line.baudRate = full.baudRate;
    const port = new SimBindingPort(full, line, this.clock, (l, bytes) => this.hostWrite(l, bytes));
    line.port = port;
    return port;
  }

  private hostWrite(line: Line, bytes: Buffer): void {
    line.counters.toDevice += bytes.length;
    line.toDevice.send(bytes.length, line.baudRate, () => {
      // Bytes in flight when the cable is pulled are lost.
      if (line.plugged) line.device.receive(bytes);
    });
  }

  private deviceSend(line: Line, bytes: Buffer): void {
    if (!line.plugged || bytes.length === 0) return;
    const copy = Buffer.from(bytes);
    line.counters.toHost += copy.length;
    line.toHost.send(copy.length, line.baudRate, () => {
      // Nobody listening (port closed): a UART drops what it receives.
      if (line.plugged) line.port?.deliver(copy);
    });
  }
}
