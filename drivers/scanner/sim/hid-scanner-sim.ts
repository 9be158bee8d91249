/**
 * Simulated USB HID scanner, keyboard-wedge or HID POS. It hands out node-hid-like device handles
 * (`open` / `factory`) and emits input reports on them through the clock, so the host's real report
 * decoders run: a keyboard wedge presses and releases one key per character (with Shift where the US
 * layout needs it) and ends with Enter; a HID POS scanner sends the layout of hid-pos.ts.
 *
 * Unplug emits 'error' on every open handle, as node-hid does when a read fails, and makes open()
 * fail until replug().
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../common/clock.js';
import type { HidDeviceFactory, HidDeviceLike } from '../../serial/hid-transport.js';
import { encodeHidPosReports } from '../hid-pos.js';
import { MOD_LEFT_SHIFT, USAGE_ENTER, keyForChar } from '../keyboard-wedge.js';
import { garbleBytes, garbleText, type GarbleKind } from './garble.js';

export type HidScannerSimMode = 'keyboard' | 'pos';

/** A key no US-layout table maps to a character (F1): what 'invalid' garble types on a keyboard wedge. */
const USAGE_F1 = 0x3a;

/** Boot keyboard reports typing `text` then Enter: a press and a release per key. */
export function encodeKeyboardReports(text: string, opts: { reportId?: number; insertUsage?: { at: number; usage: number } } = {}): Buffer[] {
  const keys: Array<{ usage: number; shift: boolean }> = [];
  for (const ch of text) {
    const k = keyForChar(ch);
    if (!k) throw new Error(`a US keyboard wedge cannot type U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    keys.push(k);
  }
  if (opts.insertUsage) keys.splice(opts.insertUsage.at, 0, { usage: opts.insertUsage.usage, shift: false });
  keys.push({ usage: USAGE_ENTER, shift: false });
  const report = (mod: number, usage: number): Buffer => {
    const r = Buffer.from([mod, 0, usage, 0, 0, 0, 0, 0]);
    return opts.reportId === undefined ? r : Buffer.concat([Buffer.of(opts.reportId), r]);
  };
  return keys.flatMap((k) => [report(k.shift ? MOD_LEFT_SHIFT : 0, k.usage), report(0, 0)]);
}

export interface HidScannerSimOptions {
  clock: Clock;
  mode: HidScannerSimMode;
  /** Time between input reports (USB polling interval; default 1 ms). */
  reportIntervalMs?: number;
  /** HID POS: AIM symbology identifier sent with each code (default `]Q1`, QR). */
  symbology?: string;
  /** Keyboard: a report id before each report (composite device). HID POS: the report id (default 0x02). */
  reportId?: number;
}

export class FakeHidScannerDevice extends EventEmitter implements HidDeviceLike {
  closed = false;
  readonly written: number[][] = [];

  constructor(private readonly onClose: (d: FakeHidScannerDevice) => void) {
    super();
  }

  write(report: number[]): number {
    this.written.push([...report]);
    return report.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}

export class HidScannerSim {
  readonly mode: HidScannerSimMode;
  /** Every handle ever opened, in order. */
  readonly handles: FakeHidScannerDevice[] = [];
  private readonly openHandles = new Set<FakeHidScannerDevice>();
  private isPlugged = true;
  private nextReportAt = 0;
  private garbleNext?: GarbleKind;
  private readonly clock: Clock;
  private readonly interval: number;
  /** Codes sent since creation. */
  scans = 0;

  constructor(private readonly opts: HidScannerSimOptions) {
    this.mode = opts.mode;
    this.clock = opts.clock;
    this.interval = opts.reportIntervalMs ?? 1;
  }

  /** A HidOpener for the driver's bus. */
  readonly open = async (): Promise<HidDeviceLike> => {
    if (!this.isPlugged) throw new Error('could not open HID device (unplugged)');
    const dev = new FakeHidScannerDevice((d) => this.openHandles.delete(d));
    this.handles.push(dev);
    this.openHandles.add(dev);
    return dev;
  };

  /** The same, as a HidDeviceFactory (scannerBusFromConfig's `hidFactory`). */
  readonly factory: HidDeviceFactory = () => this.open();

  get plugged(): boolean {
    return this.isPlugged;
  }

  /** Reports for `text`, one per interval. Codes scanned while unplugged or unopened are lost. */
  scan(text: string): void {
    const kind = this.garbleNext;
    this.garbleNext = undefined;
    this.scans++;
    if (this.mode === 'keyboard') {
      const typed = kind === 'alter' ? garbleText(text) : text;
      const insertUsage = kind === 'invalid' ? { at: Array.from(text).length >> 1, usage: USAGE_F1 } : undefined;
      this.sendReports(encodeKeyboardReports(typed, { reportId: this.opts.reportId, insertUsage }));
    } else {
      let bytes: Uint8Array = Buffer.from(text, 'utf8');
      if (kind) bytes = garbleBytes(bytes, kind);
      this.sendReports(encodeHidPosReports(bytes, this.opts.symbology ?? ']Q1', this.opts.reportId));
    }
  }

  /** Raw input reports, one per interval. */
  sendReports(reports: Uint8Array[]): void {
    for (const r of reports) {
      const at = Math.max(this.clock.now(), this.nextReportAt) + this.interval;
      this.nextReportAt = at;
      const copy = Buffer.from(r);
      this.clock.setTimeout(() => {
        if (!this.isPlugged) return;
        for (const d of this.openHandles) d.emit('data', copy);
      }, at - this.clock.now());
    }
  }

  /** The next code arrives damaged: 'alter' → other text; 'invalid' → an unmapped key / invalid UTF-8. */
  garble(kind: GarbleKind = 'alter'): void {
    this.garbleNext = kind;
  }

  unplug(): void {
    if (!this.isPlugged) return;
    this.isPlugged = false;
    for (const d of [...this.openHandles]) d.emit('error', new Error('could not read from HID device'));
  }

  replug(): void {
    this.isPlugged = true;
  }
}
