/**
 * ESC/POS printer driver. A job is: status check → chunks, each followed by a status poll → status
 * check. Status is polled on its own (a printer goes offline at paper end and says nothing), each
 * `10 04 n` is written as a whole command between chunks (never inside another command's parameters,
 * which the printer would take as data), and replies are matched to requests by StatusReplyMatcher.
 * The presenter query (`10 04 05`, our extension) goes through the same one-at-a-time chain.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../common/clock.js';
import type { DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { DeviceStatusTracker, faultOf } from '../serial/status-tracker.js';
import { Reconnector, type BackoffOptions } from '../serial/reconnector.js';
import type { ByteTransport } from '../serial/transport.js';
import { commandBoundaries } from './decoder.js';
import { PrinterError } from './errors.js';
import { chunkAtBoundaries, encodeReceiptJob, type EncodedJob, type Receipt } from './escpos.js';
import type { Printer, PrintResult } from './interface.js';
import {
  PRESENTER_QUERY,
  STATUS_QUERIES,
  StatusReplyMatcher,
  canPrint,
  decodePresenter,
  decodeStatus,
  deviceStateOf,
  isStatusByte,
  refusalFor,
  statusRequest,
  type PresenterState,
  type PrinterStatus,
  type RealTimeQuery,
} from './status.js';

export interface PrinterTimeouts {
  /** Reply window per `10 04 n`, on top of the wire time still queued ahead of it (default 500 ms). */
  statusMs?: number;
  /** How long a timed-out request keeps absorbing its late reply (default 2000 ms). */
  lateReplyMs?: number;
}

export interface PrinterOptions {
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  timeouts?: PrinterTimeouts;
  /** Largest chunk written between two status polls (default 512 bytes ≈ 44 ms at 115200). */
  chunkBytes?: number;
  /** Line speed, to add queued wire time to reply windows; omit for USB (no serial line). */
  baudRate?: number;
  /** Whole-poll retries after a missing or garbled reply (default 1). */
  statusRetries?: number;
  /** Poll status every n ms while idle so the operator learns of paper-out without a job (default off). */
  monitorMs?: number;
  backoff?: BackoffOptions;
  /**
   * The printer has a presenter / paper-exit sensor answering `10 04 05` (default true). false:
   * pollPresenter() rejects PRINTER_NO_PRESENTER without writing, as a plain printer ignores the
   * request and every poll would cost a reply timeout.
   */
  presenter?: boolean;
}

const DEVICE = 'printer';

export function createPrinter(opts: PrinterOptions): PrinterDriver {
  return new PrinterDriver(opts);
}

export class PrinterDriver extends EventEmitter implements Printer {
  private readonly tracker: DeviceStatusTracker;
  private readonly matcher: StatusReplyMatcher;
  private readonly statusMs: number;
  private readonly chunkBytes: number;
  private readonly msPerByte: number;
  private lineBusyUntil = 0;
  private last?: PrinterStatus;
  /** Serialises status and presenter polls: one request on the wire at a time. */
  private pollChain: Promise<unknown> = Promise.resolve();
  private polling = 0;
  private printing = false;
  private opened = false;
  private monitorTimer?: TimerHandle;
  private readonly reconnector: Reconnector;

  constructor(private readonly opts: PrinterOptions) {
    super();
    this.tracker = new DeviceStatusTracker(DEVICE, opts.clock, opts.logger, (s) => this.emit('status', s));
    this.statusMs = opts.timeouts?.statusMs ?? 500;
    this.matcher = new StatusReplyMatcher(opts.clock, opts.timeouts?.lateReplyMs ?? 2000);
    this.chunkBytes = Math.max(16, opts.chunkBytes ?? 512);
    this.msPerByte = opts.baudRate ? 10_000 / opts.baudRate : 0;
    this.reconnector = new Reconnector(opts.clock, () => opts.transport.open(), {
      onSuccess: () => void this.probe('reconnected'),
    }, opts.backoff);
    opts.transport.on('data', (chunk: Buffer) => this.onData(chunk));
    opts.transport.on('disconnect', (err: Error) => this.onDisconnect(err));
  }

  get status(): DeviceStatus {
    return this.tracker.status;
  }

  get hasPresenter(): boolean {
    return this.opts.presenter ?? true;
  }

  get printerStatus(): PrinterStatus | undefined {
    return this.last ? { ...this.last, raw: [...this.last.raw] } : undefined;
  }

  busy(): boolean {
    return this.printing || this.polling > 0;
  }

  /**
   * Rejects (TRANSPORT_OPEN_FAILED, status `unplugged`) when the port cannot be opened; the driver
   * then keeps reopening it in the background and reads the status when it comes.
   */
  async open(): Promise<void> {
    this.opened = true;
    this.armMonitor();
    try {
      await this.opts.transport.open();
    } catch (err) {
      this.tracker.set('unplugged', faultOf(err));
      this.reconnector.start();
      throw err;
    }
    await this.probe('open');
  }

  async close(): Promise<void> {
    this.opened = false;
    this.reconnector.stop();
    this.opts.clock.clearTimeout(this.monitorTimer);
    this.matcher.failAll(new PrinterError('PRINTER_CLOSED'));
    await this.opts.transport.close();
  }

  pollStatus(): Promise<PrinterStatus> {
    return this.serialised(() => this.pollWithRetries());
  }

  /**
   * The presenter sensor: 'present' while a cut receipt waits in the exit. Leaves `status` alone:
   * a sensor that does not answer says nothing about whether the printer can print (the status
   * polls and the monitor judge that).
   */
  pollPresenter(): Promise<PresenterState> {
    if (!this.hasPresenter) return Promise.reject(new PrinterError('PRINTER_NO_PRESENTER'));
    return this.serialised(() => this.presenterWithRetries());
  }

  async print(doc: Receipt | Uint8Array): Promise<PrintResult> {
    if (!this.opened || !this.opts.transport.isOpen) throw new PrinterError('PRINTER_NOT_OPEN');
    if (this.printing) throw new PrinterError('PRINTER_BUSY');
    this.printing = true;
    try {
      return await this.runJob(doc instanceof Uint8Array ? rawJob(doc) : encodeReceiptJob(doc));
    } finally {
      this.printing = false;
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private async runJob(job: EncodedJob): Promise<PrintResult> {
    const before = await this.pollStatus();
    if (!canPrint(before)) throw refusalFor(before, 'before');
    const chunks = chunkAtBoundaries(job, this.chunkBytes);
    let sent = 0;
    let after = before;
    for (const [i, chunk] of chunks.entries()) {
      await this.write(chunk, sent);
      sent += chunk.length;
      // The poll after the last chunk is the after-job check.
      after = await this.pollStatus();
      if (!canPrint(after)) {
        const err = refusalFor(after, i === chunks.length - 1 ? 'after' : 'during', sent);
        this.opts.logger.warn({ dev: DEVICE, code: err.code, sent, total: job.bytes.length }, 'print job failed');
        throw err;
      }
    }
    this.opts.logger.info({ dev: DEVICE, bytes: sent, chunks: chunks.length }, 'printed');
    return { bytes: sent, chunks: chunks.length, status: after };
  }

  /** Queues a poll behind the ones in progress, counted by busy(). */
  private serialised<T>(poll: () => Promise<T>): Promise<T> {
    this.polling++;
    const run = this.pollChain.then(poll);
    this.pollChain = run.catch(() => undefined);
    return run.finally(() => this.polling--);
  }

  private async pollWithRetries(): Promise<PrinterStatus> {
    if (!this.opts.transport.isOpen) throw new PrinterError('PRINTER_NOT_OPEN');
    try {
      const s = await this.retrying('status poll', () => this.pollOnce());
      this.last = s;
      const state = deviceStateOf(s);
      this.tracker.set(state, state === 'ok' || state === 'paper-low' ? undefined : faultOf(refusalFor(s, 'before')));
      return s;
    } catch (err) {
      if (isRetryable(err)) this.tracker.set('fault', faultOf(err));
      throw err;
    }
  }

  private async presenterWithRetries(): Promise<PresenterState> {
    if (!this.opts.transport.isOpen) throw new PrinterError('PRINTER_NOT_OPEN');
    try {
      return await this.retrying('presenter poll', async () => decodePresenter(await this.request(PRESENTER_QUERY)));
    } catch (err) {
      if (errorCode(err) === 'PRINTER_NO_REPLY') {
        // The usual cause is configuration, not a fault: a printer without the sensor ignores 10 04 05.
        this.opts.logger.warn({ dev: DEVICE, code: 'PRINTER_NO_REPLY' }, 'no reply to the presenter request (10 04 05): a printer without a presenter sensor needs presenter: false');
      }
      throw err;
    }
  }

  /** Runs `once`, again up to `statusRetries` (1) times after a missing or garbled reply. */
  private async retrying<T>(what: string, once: () => Promise<T>): Promise<T> {
    const retries = this.opts.statusRetries ?? 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await once();
      } catch (err) {
        if (!isRetryable(err) || attempt >= retries) throw err;
        this.opts.logger.debug({ dev: DEVICE, code: errorCode(err), attempt }, `${what} retry`);
      }
    }
  }

  private async pollOnce(): Promise<PrinterStatus> {
    const raw: number[] = [];
    for (const n of STATUS_QUERIES) raw.push(await this.request(n));
    return decodeStatus([raw[0], raw[1], raw[2], raw[3]]);
  }

  /** One real-time request and its reply byte, checked for the status framing. */
  private async request(n: RealTimeQuery): Promise<number> {
    // After an unanswered presenter request, wait for its late reply or window first: otherwise
    // that entry would take this request's reply (StatusReplyMatcher.settled).
    await this.matcher.settled();
    const req = statusRequest(n);
    const timeoutMs = this.statusMs + this.wireMsAhead() + Math.ceil(req.length * this.msPerByte);
    const { reply } = this.matcher.expect(n, timeoutMs, { optional: n === PRESENTER_QUERY });
    // A failed write leaves the request in the FIFO, where it times out: its rejection is the answer.
    this.write(req).catch(() => undefined);
    const b = await reply;
    if (!isStatusByte(b)) {
      throw new PrinterError('PRINTER_BAD_REPLY', { message: `reply to 10 04 0${n} is not a status byte: ${b.toString(16).padStart(2, '0')}` });
    }
    return b;
  }

  private async write(bytes: Uint8Array, sentBefore?: number): Promise<void> {
    const now = this.opts.clock.now();
    this.lineBusyUntil = Math.max(now, this.lineBusyUntil) + bytes.length * this.msPerByte;
    try {
      await this.opts.transport.write(bytes);
    } catch (err) {
      const code = errorCode(err) === 'TRANSPORT_NOT_OPEN' ? 'PRINTER_NOT_OPEN' : 'PRINTER_WRITE_FAILED';
      throw new PrinterError(code, { message: `${String((err as Error).message ?? err)}`, bytesSent: sentBefore, cause: err });
    }
  }

  private wireMsAhead(): number {
    return Math.max(0, Math.ceil(this.lineBusyUntil - this.opts.clock.now()));
  }

  private onData(chunk: Buffer): void {
    const late = this.matcher.receive(chunk);
    if (late) this.opts.logger.info({ dev: DEVICE, late }, 'dropped late status reply');
  }

  private onDisconnect(err: Error): void {
    this.matcher.failAll(new PrinterError('PRINTER_DISCONNECTED', { message: err.message }));
    this.tracker.set('unplugged', { code: 'PRINTER_DISCONNECTED', message: err.message });
    if (this.opened) this.reconnector.start();
  }

  private async probe(why: string): Promise<void> {
    try {
      await this.pollStatus();
    } catch (err) {
      this.opts.logger.warn({ dev: DEVICE, why, code: errorCode(err) }, 'printer probe failed');
    }
  }

  private armMonitor(): void {
    const every = this.opts.monitorMs;
    this.opts.clock.clearTimeout(this.monitorTimer);
    if (!every || !this.opened) return;
    this.monitorTimer = this.opts.clock.setTimeout(() => {
      const next = (): void => this.armMonitor();
      if (this.busy() || !this.opts.transport.isOpen) next();
      else void this.probe('monitor').finally(next);
    }, every);
  }
}

function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'PRINTER_NO_REPLY' || code === 'PRINTER_BAD_REPLY';
}

function rawJob(bytes: Uint8Array): EncodedJob {
  return { bytes: Buffer.from(bytes), boundaries: commandBoundaries(bytes) };
}
