import { DeviceError } from '../common/errors.js';

export type PrinterErrorCode =
  | 'PRINTER_PARAMETER'
  | 'PRINTER_NOT_OPEN'
  | 'PRINTER_BUSY'
  | 'PRINTER_PAPER_OUT'
  | 'PRINTER_PAPER_OUT_MID_JOB'
  | 'PRINTER_COVER_OPEN'
  | 'PRINTER_COVER_OPEN_MID_JOB'
  | 'PRINTER_CUTTER_ERROR'
  | 'PRINTER_ERROR'
  | 'PRINTER_OFFLINE'
  | 'PRINTER_NO_REPLY'
  | 'PRINTER_BAD_REPLY'
  | 'PRINTER_NO_PRESENTER'
  | 'PRINTER_WRITE_FAILED'
  | 'PRINTER_DISCONNECTED'
  | 'PRINTER_CLOSED';

/** When, relative to the job, the printer refused or failed. */
export type PrintPhase = 'before' | 'during' | 'after';

const MESSAGES: Readonly<Record<PrinterErrorCode, string>> = {
  PRINTER_PARAMETER: 'invalid printer command parameter',
  PRINTER_NOT_OPEN: 'printer is not open',
  PRINTER_BUSY: 'a print job is in progress',
  PRINTER_PAPER_OUT: 'printer is out of paper',
  PRINTER_PAPER_OUT_MID_JOB: 'paper ran out during the print job',
  PRINTER_COVER_OPEN: 'printer cover is open',
  PRINTER_COVER_OPEN_MID_JOB: 'printer cover was opened during the print job',
  PRINTER_CUTTER_ERROR: 'cutter error (paper jam at the cutter)',
  PRINTER_ERROR: 'printer reports an error',
  PRINTER_OFFLINE: 'printer is offline',
  PRINTER_NO_REPLY: 'printer did not answer a status request',
  PRINTER_BAD_REPLY: 'printer status reply could not be interpreted',
  PRINTER_NO_PRESENTER: 'printer is configured without a presenter sensor',
  PRINTER_WRITE_FAILED: 'writing to the printer failed',
  PRINTER_DISCONNECTED: 'printer disconnected',
  PRINTER_CLOSED: 'printer was closed',
};

export class PrinterError extends DeviceError {
  declare readonly code: PrinterErrorCode;
  readonly phase?: PrintPhase;
  /** Bytes of the job handed to the transport before the failure (mid-job failures). */
  readonly bytesSent?: number;
  constructor(code: PrinterErrorCode, detail?: { message?: string; phase?: PrintPhase; bytesSent?: number; cause?: unknown }) {
    const where = detail?.phase ? ` (${detail.phase} printing)` : '';
    super('printer', code, `${detail?.message ?? MESSAGES[code]}${where}`, { cause: detail?.cause });
    if (detail?.phase) this.phase = detail.phase;
    if (detail?.bytesSent !== undefined) this.bytesSent = detail.bytesSent;
  }
}
