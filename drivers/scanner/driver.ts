/**
 * QR / barcode scanner driver (devices.md §4). One class for the three buses: the bus gives a
 * source of chunks (serial bytes, HID input reports) and the matching pure decoder; everything after
 * that — enable/disable, timeouts, events, status, reconnecting — is shared.
 *
 * Privacy: a code may identify a citizen (the electronic social security card code), so no log
 * line carries its text, only `codeFingerprint()`: its length and a SHA-256 prefix.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../common/clock.js';
import type { DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { Reconnector, type BackoffOptions } from '../serial/reconnector.js';
import { DeviceStatusTracker, faultOf } from '../serial/status-tracker.js';
import { HidReportSource, type ScanSource, type ScannerBus } from './bus.js';
import { ScannerError, scannerMessage } from './errors.js';
import { HidPosDecoder } from './hid-pos.js';
import type { QrScanner, ScanErrorEvent, ScanEvent, ScannerBusKind } from './interface.js';
import { KeyboardWedgeDecoder } from './keyboard-wedge.js';
import { DEFAULT_INTER_BYTE_MS, DEFAULT_MAX_CODE_BYTES, ScanLineSplitter } from './serial-codec.js';
import { codeFingerprint, type CodecEvent, type ScanCodec } from './text.js';

export interface ScannerOptions {
  bus: ScannerBus;
  clock: Clock;
  logger: Logger;
  /** Longest code, in bytes (serial, HID POS) or keys (keyboard wedge); default 4096. */
  maxLength?: number;
  /** Silence that ends a partial code (between bytes, or between HID reports); default 100 ms. */
  interByteMs?: number;
  /** Deliver codes from open() on (default true); false: until enable(). */
  enabled?: boolean;
  backoff?: BackoffOptions;
}

const DEVICE = 'scanner';

export function createScanner(opts: ScannerOptions): ScannerDriver {
  return new ScannerDriver(opts);
}

export class ScannerDriver extends EventEmitter implements QrScanner {
  readonly bus: ScannerBusKind;
  private readonly source: ScanSource;
  private readonly codec: ScanCodec;
  private readonly tracker: DeviceStatusTracker;
  private readonly reconnector: Reconnector;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private byteTimer?: TimerHandle;
  private opened = false;
  private delivering: boolean;

  constructor(opts: ScannerOptions) {
    super();
    const maxLength = opts.maxLength ?? DEFAULT_MAX_CODE_BYTES;
    const interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new ScannerError('SCANNER_PARAMETER', { message: `maxLength must be a positive integer, got ${maxLength}` });
    if (!(interByteMs > 0)) throw new ScannerError('SCANNER_PARAMETER', { message: `interByteMs must be positive, got ${interByteMs}` });
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.delivering = opts.enabled ?? true;
    const bus = opts.bus;
    if (bus.kind === 'serial') {
      this.bus = 'serial';
      this.source = bus.transport;
      this.codec = new ScanLineSplitter({ maxLength, interByteMs });
    } else if (bus.kind === 'hid' && (bus.mode === 'keyboard' || bus.mode === 'pos')) {
      this.bus = bus.mode === 'pos' ? 'hid-pos' : 'hid-keyboard';
      this.source = new HidReportSource(bus.open, opts.logger, bus.description);
      const codecOpts = { maxLength, interByteMs, reportId: bus.reportId };
      this.codec = bus.mode === 'pos' ? new HidPosDecoder(codecOpts) : new KeyboardWedgeDecoder(codecOpts);
    } else {
      throw new ScannerError('SCANNER_PARAMETER', { message: `unknown scanner bus ${JSON.stringify(bus)}` });
    }
    this.tracker = new DeviceStatusTracker(DEVICE, opts.clock, opts.logger, (s) => this.emit('status', s));
    this.reconnector = new Reconnector(opts.clock, () => this.source.open(), {
      onScheduled: (info) => this.emit('reconnecting', info),
      onSuccess: () => this.reconnected(),
      onFailure: (err) => this.tracker.set('unplugged', faultOf(err)),
      onAbandoned: () => void this.source.close().catch(() => undefined),
    }, opts.backoff);
    this.source.on('data', (chunk: Buffer) => this.onData(chunk));
    this.source.on('disconnect', (err: Error) => this.onDisconnect(err));
  }

  get status(): DeviceStatus {
    return this.tracker.status;
  }

  get enabled(): boolean {
    return this.delivering;
  }

  async open(): Promise<void> {
    if (this.opened && this.source.isOpen) return;
    this.opened = true;
    try {
      await this.source.open();
    } catch (err) {
      if (errorCode(err) === 'HID_UNAVAILABLE') {
        // No native module or libusb: retrying cannot help, the installation must be fixed.
        this.opened = false;
        this.logger.error({ dev: DEVICE, bus: this.bus, err: (err as Error).message }, 'scanner unavailable');
        this.tracker.set('fault', faultOf(err));
      } else {
        this.logger.warn({ dev: DEVICE, bus: this.bus, code: errorCode(err) }, 'scanner cannot be opened; reconnecting');
        this.tracker.set('unplugged', faultOf(err));
        this.reconnector.start();
      }
      throw err;
    }
    this.reconnector.stop();
    this.codec.reset();
    this.tracker.set('ok');
    this.logger.info({ dev: DEVICE, bus: this.bus, source: this.source.description, enabled: this.delivering }, 'scanner open');
  }

  async close(): Promise<void> {
    this.opened = false;
    this.reconnector.stop();
    this.stopTimer();
    this.codec.reset();
    await this.source.close();
  }

  enable(): void {
    if (this.delivering) return;
    this.delivering = true;
    // A code half scanned while disabled would arrive truncated: drop the rest of it too.
    this.codec.abandon();
    this.logger.debug({ dev: DEVICE }, 'scanner enabled');
  }

  disable(): void {
    if (!this.delivering) return;
    this.delivering = false;
    this.logger.debug({ dev: DEVICE }, 'scanner disabled');
  }

  /** Whether a code is partly received (lets a runner wait for quiescence). */
  busy(): boolean {
    return this.codec.nextDeadline() !== undefined;
  }

  // ---- internals ----------------------------------------------------------------------------

  private onData(chunk: Uint8Array): void {
    if (!this.opened) return;
    this.handle(this.codec.push(chunk, this.clock.now()));
    this.armTimer();
  }

  private handle(events: CodecEvent[]): void {
    for (const ev of events) {
      switch (ev.kind) {
        case 'code': {
          const fp = codeFingerprint(ev.text);
          if (!this.delivering) {
            this.logger.info({ dev: DEVICE, bus: this.bus, ...fp }, 'code dropped: scanner disabled');
            break;
          }
          this.logger.info({ dev: DEVICE, bus: this.bus, ...fp, symbology: ev.symbology }, 'code scanned');
          const scan: ScanEvent = { text: ev.text, bus: this.bus };
          if (ev.symbology) scan.symbology = ev.symbology;
          this.emit('scan', scan);
          break;
        }
        case 'error': {
          const log = { dev: DEVICE, bus: this.bus, code: ev.code, len: ev.length, detail: ev.detail, enabled: this.delivering };
          if (ev.code === 'SCANNER_TOO_LONG') this.logger.warn(log, 'code dropped');
          else this.logger.error(log, 'code rejected');
          if (!this.delivering) break;
          const err: ScanErrorEvent = { code: ev.code, message: `${scannerMessage(ev.code)}: ${ev.detail}`, bus: this.bus, length: ev.length };
          this.emit('scan-error', err);
          break;
        }
        case 'discarded':
          this.logger.warn({ dev: DEVICE, bus: this.bus, len: ev.length }, 'partial code discarded after inter-byte timeout');
          break;
      }
    }
  }

  private armTimer(): void {
    const deadline = this.codec.nextDeadline();
    if (deadline === undefined && this.byteTimer === undefined) return;
    this.stopTimer();
    if (deadline === undefined) return;
    this.byteTimer = this.clock.setTimeout(() => {
      this.byteTimer = undefined;
      this.handle(this.codec.expire(this.clock.now()));
      this.armTimer();
    }, Math.max(0, deadline - this.clock.now()));
  }

  private stopTimer(): void {
    this.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
  }

  private onDisconnect(err: Error): void {
    if (!this.opened) return;
    this.stopTimer();
    const partial = this.codec.nextDeadline() !== undefined;
    this.codec.reset();
    this.logger.warn({ dev: DEVICE, bus: this.bus, err: err.message, partial }, 'scanner disconnected');
    this.tracker.set('unplugged', { code: 'SCANNER_DISCONNECTED', message: `${scannerMessage('SCANNER_DISCONNECTED')}: ${err.message}` });
    this.reconnector.start();
  }

  private reconnected(): void {
    this.codec.reset();
    this.tracker.set('ok');
    this.logger.info({ dev: DEVICE, bus: this.bus }, 'scanner reconnected');
    this.emit('reconnected');
  }
}
