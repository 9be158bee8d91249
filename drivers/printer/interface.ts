import type { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../common/device-status.js';
import type { Receipt } from './escpos.js';
import type { PresenterState, PrinterStatus } from './status.js';

export type { PresenterState, PrinterStatus, Receipt };

export interface PrintResult {
  /** Bytes of the job written (status requests excluded). */
  bytes: number;
  chunks: number;
  /** The status read after the job. */
  status: PrinterStatus;
}

/**
 * Thermal receipt printer (ESC/POS).
 *
 * Events:
 *  - 'status' (DeviceStatus)   ok / paper-low / paper-out / cover-open / jam / fault / unplugged
 *
 * print() rejects with a PrinterError: before the job when the printer cannot print
 * (PRINTER_PAPER_OUT, PRINTER_COVER_OPEN, PRINTER_CUTTER_ERROR, PRINTER_OFFLINE, PRINTER_ERROR),
 * during or after it (PRINTER_PAPER_OUT_MID_JOB, PRINTER_COVER_OPEN_MID_JOB, …: the job is not
 * printed), and PRINTER_NO_REPLY / PRINTER_BAD_REPLY when status cannot be read (status `fault`).
 */
export interface Printer extends EventEmitter {
  readonly status: DeviceStatus;
  /** The last status read from the printer, if any. */
  readonly printerStatus?: PrinterStatus;
  /** Opens the transport and reads the status once (a printer that does not answer leaves status `fault`). */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Reads the four real-time status bytes (one request at a time) and updates `status`. */
  pollStatus(): Promise<PrinterStatus>;
  /** Whether the printer is configured with a presenter / paper-exit sensor (option `presenter`, default true). */
  readonly hasPresenter: boolean;
  /**
   * Reads the presenter / paper-exit sensor (`10 04 05`, an extension: docs/printer.md): 'present'
   * while a cut receipt waits to be taken, 'empty' once it is gone. Queued with status polls, one
   * request at a time; does not change `status`. Rejects PRINTER_NO_PRESENTER at once, writing
   * nothing, when configured without the sensor; PRINTER_NO_REPLY when the printer ignores the
   * request (after the usual retry); PRINTER_BAD_REPLY, PRINTER_NOT_OPEN.
   */
  pollPresenter(): Promise<PresenterState>;
  print(doc: Receipt | Uint8Array): Promise<PrintResult>;
  /** Whether a job or a status poll is in progress (lets a runner wait for quiescence). */
  busy(): boolean;
}
