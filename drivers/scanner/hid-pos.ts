/**
 * HID POS scanners (usage page 0x8C, Bar Code Scanner): the scanned bytes arrive in input reports.
 * Pure: reports and time in, codes out.
 *
 * Report layout (ours, after the one common HID POS scanners use; 64 bytes as node-hid hands them
 * over, report id first):
 *
 * | byte   | content                                                                 |
 * |--------|-------------------------------------------------------------------------|
 * | 0      | report id 0x02 (Scanned Data Report); reports with another id are ignored |
 * | 1      | n = data bytes in this report, 0..56                                    |
 * | 2..4   | AIM symbology identifier, e.g. `]Q1` (QR), `]C0` (Code 128); 00 00 00 unknown |
 * | 5..60  | decoded data: the first n bytes count, the rest is padding              |
 * | 61..62 | vendor / reserved, ignored                                              |
 * | 63     | flags: bit 0 = more data follows (Decoded Data Continued)               |
 *
 * A code longer than 56 bytes spans reports, each with bit 0 set but the last; the symbology is the
 * first report's. The concatenated bytes are decoded as strict UTF-8. A report of another size or
 * with n > 56 is SCANNER_BAD_REPORT and ends the code in progress.
 */
import { decodeCode, type CodecEvent, type ScanCodec } from './text.js';
import { DEFAULT_INTER_BYTE_MS, DEFAULT_MAX_CODE_BYTES } from './serial-codec.js';

export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_SIZE = 64;
export const HID_POS_SYMBOLOGY_OFFSET = 2;
export const HID_POS_DATA_OFFSET = 5;
export const HID_POS_DATA_CAPACITY = 56;
export const HID_POS_FLAGS_OFFSET = 63;
export const HID_POS_MORE_DATA = 0x01;

/** AIM identifiers of the symbologies a kiosk meets; anything else is passed on as sent. */
export const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  ']Q1': 'QR Code',
  ']Q0': 'QR Code (model 1)',
  ']d1': 'Data Matrix',
  ']C0': 'Code 128',
  ']E0': 'EAN-13',
  ']A0': 'Code 39',
  ']L2': 'PDF417',
};

/** Builds the input reports a HID POS scanner sends for one code (the simulator and tests). */
export function encodeHidPosReports(data: Uint8Array, symbology = ']Q1', reportId = HID_POS_REPORT_ID): Buffer[] {
  const sym = Buffer.from(symbology, 'latin1').subarray(0, 3);
  const reports: Buffer[] = [];
  let off = 0;
  do {
    const chunk = data.subarray(off, off + HID_POS_DATA_CAPACITY);
    off += chunk.length;
    const r = Buffer.alloc(HID_POS_REPORT_SIZE);
    r[0] = reportId;
    r[1] = chunk.length;
    sym.copy(r, HID_POS_SYMBOLOGY_OFFSET);
    r.set(chunk, HID_POS_DATA_OFFSET);
    r[HID_POS_FLAGS_OFFSET] = off < data.length ? HID_POS_MORE_DATA : 0;
    reports.push(r);
  } while (off < data.length);
  return reports;
}

export interface HidPosOptions {
  /** Longest code accepted, in bytes (default 4096). */
  maxLength?: number;
  /** A multi-report code whose last report is older than this is discarded (default 100 ms). */
  interByteMs?: number;
  /** Report id of the scanned data report (default 0x02). */
  reportId?: number;
}

export class HidPosDecoder implements ScanCodec {
  private parts: Uint8Array[] = [];
  private len = 0;
  /** A code is in progress (a report with "more data" arrived). */
  private open = false;
  private symbology?: string;
  private discarding = false;
  private lastAt = 0;
  private readonly maxLength: number;
  private readonly interByteMs: number;
  private readonly reportId: number;

  constructor(opts: HidPosOptions = {}) {
    this.maxLength = Math.max(1, opts.maxLength ?? DEFAULT_MAX_CODE_BYTES);
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
    this.reportId = opts.reportId ?? HID_POS_REPORT_ID;
  }

  push(report: Uint8Array, now: number): CodecEvent[] {
    if (report.length === 0 || report[0] !== this.reportId) return [];
    const out = this.expire(now);
    this.lastAt = now;
    const n = report[1] ?? 0;
    if (report.length !== HID_POS_REPORT_SIZE || n > HID_POS_DATA_CAPACITY) {
      const length = this.len;
      this.clear();
      this.discarding = false;
      const detail = report.length !== HID_POS_REPORT_SIZE ? `report of ${report.length} bytes, expected ${HID_POS_REPORT_SIZE}` : `data length ${n} > ${HID_POS_DATA_CAPACITY}`;
      out.push({ kind: 'error', code: 'SCANNER_BAD_REPORT', length, detail });
      return out;
    }
    const more = (report[HID_POS_FLAGS_OFFSET] & HID_POS_MORE_DATA) !== 0;
    if (this.discarding) {
      if (!more) this.discarding = false;
      return out;
    }
    if (!this.open) this.symbology = symbologyOf(report);
    this.open = true;
    if (this.len + n > this.maxLength) {
      out.push({ kind: 'error', code: 'SCANNER_TOO_LONG', length: this.len + n, detail: `code longer than ${this.maxLength} bytes` });
      this.clear();
      this.discarding = more;
      return out;
    }
    if (n > 0) {
      this.parts.push(report.slice(HID_POS_DATA_OFFSET, HID_POS_DATA_OFFSET + n));
      this.len += n;
    }
    if (!more) {
      if (this.len > 0) out.push(decodeCode(Buffer.concat(this.parts, this.len), this.symbology));
      this.clear();
    }
    return out;
  }

  expire(now: number): CodecEvent[] {
    if (!this.busy() || now - this.lastAt < this.interByteMs) return [];
    const { len: length, open } = this;
    this.clear();
    this.discarding = false;
    return open ? [{ kind: 'discarded', length }] : [];
  }

  nextDeadline(): number | undefined {
    return this.busy() ? this.lastAt + this.interByteMs : undefined;
  }

  abandon(): void {
    if (!this.open) return;
    this.clear();
    this.discarding = true;
  }

  reset(): void {
    this.clear();
    this.discarding = false;
  }

  private busy(): boolean {
    return this.open || this.discarding;
  }

  private clear(): void {
    this.parts = [];
    this.len = 0;
    this.open = false;
    this.symbology = undefined;
  }
}

/** The AIM identifier in bytes 2..4, if it is one (`]` and two printable characters). */
function symbologyOf(report: Uint8Array): string | undefined {
  const id = report.subarray(HID_POS_SYMBOLOGY_OFFSET, HID_POS_SYMBOLOGY_OFFSET + 3);
  if (id[0] !== 0x5d || id[1] < 0x20 || id[1] > 0x7e || id[2] < 0x20 || id[2] > 0x7e) return undefined;
  return String.fromCharCode(...id);
}
