/**
 * Pure ESC/POS encoder for the reference printer's subset (devices.md §3). Flows describe documents
 * (a Receipt); only this module knows bytes. Every builder call appends exactly one command (or one
 * text run), and the builder remembers where each ends: those offsets are the only places a print job
 * may be split, so a real-time status request can never land inside another command's parameters.
 */
import iconv from 'iconv-lite';
import { PrinterError } from './errors.js';

export type Align = 'left' | 'center' | 'right';
export type QrEc = 'L' | 'M' | 'Q' | 'H';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const LF = 0x0a;

/** 80 mm paper: 576 dots, font A is 12 × 24 dots, so 48 half-width columns (24 Chinese characters). */
export const DOTS_PER_LINE = 576;
export const COLUMNS = 48;
/** The printer's power-on line spacing (ESC 2): 30 dots ≈ 3.75 mm at 203 dpi. */
export const DEFAULT_LINE_SPACING = 30;

export const ALIGN_CODE: Readonly<Record<Align, number>> = { left: 0, center: 1, right: 2 };
export const QR_EC_CODE: Readonly<Record<QrEc, number>> = { L: 48, M: 49, Q: 50, H: 51 };

function checkByte(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new PrinterError('PRINTER_PARAMETER', { message: `${what} must be an integer ${min}..${max}, got ${v}` });
  }
  return v;
}

export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}

export interface EncodedJob {
  bytes: Buffer;
  /** Offsets (ascending, last = bytes.length) at which a command or text run ends. */
  boundaries: number[];
}

export class EscPosBuilder {
  private readonly parts: Buffer[] = [];
  private readonly ends: number[] = [];
  private length = 0;

  private push(bytes: Uint8Array | number[]): this {
    const b = Buffer.from(bytes);
    if (b.length === 0) return this;
    this.parts.push(b);
    this.length += b.length;
    this.ends.push(this.length);
    return this;
  }

  /** `1B 40`: clears the print buffer and every mode (a job starts from a known state). */
  init(): this {
    return this.push([ESC, 0x40]);
  }

  /** `1C 26` / `1C 2E`: GB18030 double-byte mode on / off. */
  chinese(on: boolean): this {
    return this.push([FS, on ? 0x26 : 0x2e]);
  }

  /** `1B 61 n`: only takes effect at the beginning of a line. */
  align(a: Align): this {
    return this.push([ESC, 0x61, ALIGN_CODE[a]]);
  }

  bold(on: boolean): this {
    return this.push([ESC, 0x45, on ? 1 : 0]);
  }

  /** `1D 21 n`: width and height multipliers 1..8 (high nibble width-1, low nibble height-1). */
  size(width: number, height: number): this {
    checkByte(width, 1, 8, 'character width');
    checkByte(height, 1, 8, 'character height');
    return this.push([GS, 0x21, ((width - 1) << 4) | (height - 1)]);
  }

  lineSpacing(dots: number): this {
    return this.push([ESC, 0x33, checkByte(dots, 0, 255, 'line spacing')]);
  }

  /**
   * GB18030 text, one run per call. Control bytes would be commands on the wire, so they are
   * refused: a line break is newline(), never "\n" inside text.
   */
  text(str: string): this {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(str)) {
      throw new PrinterError('PRINTER_PARAMETER', { message: 'text must not contain control characters; use newline()/feed()' });
    }
    return this.push(encodeGb18030(str));
  }

  /** `0A`: print the buffered line and feed one line. */
  newline(): this {
    return this.push([LF]);
  }

  /** `1B 64 n`: print the buffered line and feed n lines. */
  feed(lines: number): this {
    return this.push([ESC, 0x64, checkByte(lines, 0, 255, 'feed lines')]);
  }

  /** Model 2, module size, error correction, store, print: five commands, each a split point. */
  qr(data: string, opts: { size?: number; ec?: QrEc } = {}): this {
    const size = checkByte(opts.size ?? 6, 1, 16, 'QR module size');
    const payload = Buffer.from(data, 'utf8');
    const len = payload.length + 3;
    if (payload.length === 0 || len > 7092) {
      throw new PrinterError('PRINTER_PARAMETER', { message: `QR payload must be 1..7089 bytes, got ${payload.length}` });
    }
    this.push([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    this.push([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size]);
    this.push([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_EC_CODE[opts.ec ?? 'M']]);
    this.push(Buffer.concat([Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30]), payload]));
    return this.push([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
  }

  /** `1D 56 42 n`: feed n dots past the cutter, then partial cut. */
  cut(feedDots = 0): this {
    return this.push([GS, 0x56, 0x42, checkByte(feedDots, 0, 255, 'cut feed')]);
  }

  /** Escape hatch for vendor commands; the caller vouches that `bytes` is whole commands. */
  raw(bytes: Uint8Array): this {
    return this.push(bytes);
  }

  build(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }

  job(): EncodedJob {
    return { bytes: this.build(), boundaries: [...this.ends] };
  }
}

export function escpos(): EscPosBuilder {
  return new EscPosBuilder();
}

/**
 * Splits a job into chunks of at most `maxBytes`, cutting only at the given boundaries. A single
 * command longer than maxBytes (a large QR store) travels as one chunk rather than being split.
 */
export function chunkAtBoundaries(job: EncodedJob, maxBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  let lastFit = 0;
  for (const end of job.boundaries) {
    if (end - start > maxBytes && lastFit > start) {
      chunks.push(job.bytes.subarray(start, lastFit));
      start = lastFit;
    }
    lastFit = end;
  }
  if (lastFit > start) chunks.push(job.bytes.subarray(start, lastFit));
  return chunks;
}

// ---- Receipt model ----------------------------------------------------------------------------

export interface TextStyle {
  align?: Align;
  bold?: boolean;
  /** Width multiplier 1..8 (default 1). */
  width?: number;
  /** Height multiplier 1..8 (default 1). */
  height?: number;
}

export type ReceiptBlock =
  /** One printed line (wrapping is the caller's business: see columns()/textWidth()). */
  | { kind: 'text'; text: string; style?: TextStyle }
  | { kind: 'qr'; data: string; size?: number; ec?: QrEc; align?: Align }
  | { kind: 'feed'; lines: number }
  /** A full-width separator made of `char` (default '-'). */
  | { kind: 'rule'; char?: string };

export interface Receipt {
  blocks: ReceiptBlock[];
  /** Line spacing in dots (default: the printer's own, 30). */
  lineSpacing?: number;
  /** Dots fed before the partial cut (default 48 ≈ 6 mm, so the last line clears the cutter). */
  cutFeed?: number;
  /** Default true. */
  cut?: boolean;
}

/** Printed width in half-width columns: CJK and other wide characters take two. */
export function textWidth(str: string): number {
  let w = 0;
  for (const ch of str) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** "left ……… right" on one line of `width` columns (left is cut if both do not fit). */
export function columns(left: string, right: string, width = COLUMNS): string {
  const rw = textWidth(right);
  let l = '';
  let lw = 0;
  for (const ch of left) {
    const cw = textWidth(ch);
    if (lw + cw + rw + 1 > width) break;
    l += ch;
    lw += cw;
  }
  return l + ' '.repeat(Math.max(1, width - lw - rw)) + right;
}

/** A full-width rule: `char` repeated across the 48 columns. */
function ruleText(char = '-'): string {
  return char.repeat(Math.max(1, Math.floor(COLUMNS / Math.max(1, textWidth(char)))));
}

/** Receipt → one print job: init, Chinese mode, blocks with their styles reset per line, cut. */
export function encodeReceiptJob(r: Receipt): EncodedJob {
  const b = escpos().init().chinese(true);
  if (r.lineSpacing !== undefined) b.lineSpacing(r.lineSpacing);
  let align: Align = 'left';
  let bold = false;
  let size = '1x1';
  const setAlign = (a: Align): void => {
    if (a !== align) b.align(a);
    align = a;
  };
  const setStyle = (s: TextStyle): void => {
    const wantBold = s.bold ?? false;
    if (wantBold !== bold) b.bold(wantBold);
    bold = wantBold;
    const w = s.width ?? 1;
    const h = s.height ?? 1;
    if (`${w}x${h}` !== size) b.size(w, h);
    size = `${w}x${h}`;
  };
  for (const block of r.blocks) {
    switch (block.kind) {
      case 'text':
        setAlign(block.style?.align ?? 'left');
        setStyle(block.style ?? {});
        if (block.text.length > 0) b.text(block.text);
        b.newline();
        break;
      case 'rule':
        setAlign('left');
        setStyle({});
        b.text(ruleText(block.char)).newline();
        break;
      case 'qr':
        setAlign(block.align ?? 'center');
        // The symbol prints at once and leaves the paper at the start of the next line: no LF
        // (it would print an empty line).
        b.qr(block.data, { size: block.size, ec: block.ec });
        break;
      case 'feed':
        b.feed(block.lines);
        break;
    }
  }
  if (r.cut !== false) b.cut(r.cutFeed ?? 48);
  return b.job();
}

export function encodeReceipt(r: Receipt): Buffer {
  return encodeReceiptJob(r).bytes;
}

/** The printed lines of a receipt as plain text (rules expanded, one entry per text line or fed line). */
export function receiptLines(r: Receipt): string[] {
  const out: string[] = [];
  for (const block of r.blocks) {
    if (block.kind === 'text') out.push(block.text);
    else if (block.kind === 'rule') out.push(ruleText(block.char));
    else if (block.kind === 'feed') for (let i = 0; i < block.lines; i++) out.push('');
  }
  return out;
}

/**
 * The plain text-mode floor of a receipt: its printed lines in GB18030 with one LF each, plus the
 * printer's native QR commands — no init, no Chinese mode, no styles, no cut. No encoder of the same
 * content can send meaningfully less; scripts/bench/printer.ts and the statement tests compare the
 * real job against it.
 */
export function plainTextFloorBytes(r: Receipt): number {
  let n = 0;
  for (const line of receiptLines(r)) n += encodeGb18030(line).length + 1;
  for (const block of r.blocks) if (block.kind === 'qr') n += escpos().qr(block.data, { size: block.size, ec: block.ec }).build().length;
  return n;
}
