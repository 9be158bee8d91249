import type { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../common/device-status.js';
import type { ScannerErrorCode } from './errors.js';

export type ScannerBusKind = 'serial' | 'hid-pos' | 'hid-keyboard';

/** One decoded code, whatever bus carried it. */
export interface ScanEvent {
  text: string;
  /** AIM symbology identifier (e.g. `]Q1` for QR) when the bus reports one (HID POS). */
  symbology?: string;
  bus: ScannerBusKind;
}

/**
 * A code was scanned but cannot be delivered (undecodable bytes, unmapped key, malformed report,
 * too long). Carries no byte of the code: the UI asks the citizen to scan again.
 */
export interface ScanErrorEvent {
  code: ScannerErrorCode;
  message: string;
  bus: ScannerBusKind;
  /** Bytes (serial, HID POS) or characters (keyboard wedge) received for the lost code. */
  length: number;
}

/**
 * QR / barcode scanner (XFS4IoT Barcode Reader style: commands, events, status). The scanner is
 * passive: it sends a code whenever something is held under it; the host enables it while it can take
 * a code and disables it otherwise.
 *
 * Events:
 *  - 'scan' (ScanEvent)                      a code was read while enabled
 *  - 'scan-error' (ScanErrorEvent)           a code was read while enabled but cannot be delivered
 *  - 'status' (DeviceStatus)                 ok / unplugged / fault, on a change only
 *  - 'reconnecting' ({ attempt, delayMs })   a reopen is scheduled after an unplug
 *  - 'reconnected' ()                        the device is back
 *
 * Logs never carry a code's text (it may identify a citizen): only its length and a hash prefix.
 */
export interface QrScanner extends EventEmitter {
  readonly status: DeviceStatus;
  readonly bus: ScannerBusKind;
  /** Whether codes are delivered. */
  readonly enabled: boolean;
  /**
   * Opens the port / HID device. Rejects when it cannot (status `unplugged`, the driver keeps
   * reopening in the background; `fault` without retries when node-hid / libusb is missing).
   */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Deliver codes from now on. A code already half received is still dropped. */
  enable(): void;
  /** Drop codes (host side: the reference scanners have no disable command on any bus). */
  disable(): void;
}
