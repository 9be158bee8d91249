import { DeviceError } from '../common/errors.js';

/**
 * Codes raised or reported by the scanner driver. Transport-level failures (the port or HID device
 * cannot be opened, node-hid / libusb missing) keep the transport's codes: TRANSPORT_OPEN_FAILED,
 * HID_UNAVAILABLE, HID_OPEN_FAILED (drivers/serial/errors.ts).
 */
export type ScannerErrorCode =
  /** The code's bytes are not valid UTF-8 (line noise, a garbled scan). */
  | 'SCANNER_INVALID_UTF8'
  /** A code grew past `maxLength` without its terminator: dropped. */
  | 'SCANNER_TOO_LONG'
  /** Keyboard wedge: a key with no character in the US layout table (or with Ctrl/Alt/GUI held). */
  | 'SCANNER_UNMAPPED_KEY'
  /** HID POS: an input report that does not fit the layout (docs/scanner.md). */
  | 'SCANNER_BAD_REPORT'
  /** The port or HID device went away (status `unplugged`; the driver reconnects). */
  | 'SCANNER_DISCONNECTED'
  | 'SCANNER_PARAMETER';

const MESSAGES: Readonly<Record<ScannerErrorCode, string>> = {
  SCANNER_INVALID_UTF8: 'scanned code is not valid UTF-8',
  SCANNER_TOO_LONG: 'scanned code is longer than the configured maximum',
  SCANNER_UNMAPPED_KEY: 'scanner sent a key the keyboard-wedge table does not map',
  SCANNER_BAD_REPORT: 'scanner sent a malformed HID POS report',
  SCANNER_DISCONNECTED: 'scanner disconnected',
  SCANNER_PARAMETER: 'invalid scanner option',
};

export class ScannerError extends DeviceError {
  declare readonly code: ScannerErrorCode;
  constructor(code: ScannerErrorCode, detail?: { message?: string; cause?: unknown }) {
    super('scanner', code, detail?.message ?? MESSAGES[code], { cause: detail?.cause });
  }
}

export function scannerMessage(code: ScannerErrorCode): string {
  return MESSAGES[code];
}
