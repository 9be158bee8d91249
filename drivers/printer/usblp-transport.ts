/**
 * ByteTransport over a USB printer-class device node (`/dev/usb/lp0`, Linux usblp). Writes go to the
 * bulk OUT endpoint; bidirectional printers put their real-time status replies on bulk IN, which
 * usblp exposes through read(). The node is opened non-blocking so that a read with nothing to read
 * returns at once (EAGAIN) instead of parking a libuv thread forever; the read loop then waits
 * `pollMs` on the injected Clock. ENODEV/EIO mean the printer was unplugged.
 */
import { EventEmitter } from 'node:events';
import { constants, promises as fsp } from 'node:fs';
import type { Clock, TimerHandle } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import { TransportError } from '../serial/errors.js';
import type { ByteTransport } from '../serial/transport.js';

/** The part of fs.promises.FileHandle the transport uses (tests inject a fake). */
export interface LpFile {
  read(buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

export interface UsbLpTransportOptions {
  path: string;
  clock: Clock;
  logger: Logger;
  /** Idle read poll interval (default 10 ms). */
  pollMs?: number;
  /** Opens the node (default: fs.promises.open with O_RDWR | O_NONBLOCK). */
  openFile?: (path: string) => Promise<LpFile>;
  device?: string;
}

const GONE = new Set(['ENODEV', 'EIO', 'ENXIO', 'EBADF']);
const AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export class UsbLpTransport extends EventEmitter implements ByteTransport {
  readonly description: string;
  private file?: LpFile;
  private readonly pollMs: number;
  private readonly device: string;
  /** Pending waits (the read loop and a write backing off may both sleep). */
  private readonly sleepers = new Map<TimerHandle, () => void>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: UsbLpTransportOptions) {
    super();
    this.pollMs = opts.pollMs ?? 10;
    this.device = opts.device ?? 'printer';
    this.description = `usblp ${opts.path}`;
  }

  get isOpen(): boolean {
    return this.file !== undefined;
  }

  async open(): Promise<void> {
    if (this.file) return;
    const opener = this.opts.openFile ?? ((p: string) => fsp.open(p, constants.O_RDWR | constants.O_NONBLOCK));
    try {
      this.file = await opener(this.opts.path);
    } catch (err) {
      throw new TransportError(this.device, 'TRANSPORT_OPEN_FAILED', `cannot open ${this.description}: ${String(err)}`, { cause: err });
    }
    this.opts.logger.info({ dev: this.device, path: this.opts.path }, 'usblp open');
    void this.readLoop(this.file);
    this.emit('open');
  }

  async close(): Promise<void> {
    const f = this.file;
    if (!f) return;
    this.file = undefined;
    this.stopWaiting();
    await this.writing.catch(() => undefined);
    await f.close().catch(() => undefined);
  }

  /** Writes are serialised and complete (usblp may accept part of a buffer, or EAGAIN when busy). */
  write(bytes: Uint8Array): Promise<void> {
    const f = this.file;
    if (!f) return Promise.reject(new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} is not open`));
    const run = this.writing.then(() => this.writeAll(f, Buffer.from(bytes)));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writeAll(f: LpFile, buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      if (this.file !== f) throw new TransportError(this.device, 'TRANSPORT_NOT_OPEN', `${this.description} closed during write`);
      try {
        const { bytesWritten } = await f.write(buf, off, buf.length - off, null);
        off += bytesWritten;
        if (bytesWritten === 0) await this.sleep();
      } catch (err) {
        if (AGAIN.has(codeOf(err) ?? '')) {
          await this.sleep();
          continue;
        }
        this.gone(f, err);
        throw new TransportError(this.device, 'TRANSPORT_WRITE_FAILED', `write to ${this.description} failed: ${String(err)}`, { cause: err });
      }
    }
  }

  private async readLoop(f: LpFile): Promise<void> {
    const buf = Buffer.alloc(64);
    while (this.file === f) {
      let n = 0;
      try {
        n = (await f.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        if (!AGAIN.has(codeOf(err) ?? '')) {
          this.gone(f, err);
          return;
        }
      }
      if (this.file !== f) return;
      if (n > 0) this.emit('data', Buffer.from(buf.subarray(0, n)));
      else await this.sleep();
    }
  }

  private gone(f: LpFile, err: unknown): void {
    if (this.file !== f) return;
    const code = codeOf(err);
    this.opts.logger.warn({ dev: this.device, path: this.opts.path, code }, GONE.has(code ?? '') ? 'usblp device gone' : 'usblp I/O error');
    this.file = undefined;
    this.stopWaiting();
    void f.close().catch(() => undefined);
    this.emit('disconnect', err instanceof Error ? err : new Error(String(err)));
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const t = this.opts.clock.setTimeout(() => {
        this.sleepers.delete(t);
        resolve();
      }, this.pollMs);
      this.sleepers.set(t, resolve);
    });
  }

  private stopWaiting(): void {
    for (const [t, resolve] of this.sleepers) {
      this.opts.clock.clearTimeout(t);
      resolve();
    }
    this.sleepers.clear();
  }
}
