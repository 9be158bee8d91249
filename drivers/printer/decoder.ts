/**
 * ESC/POS bytes → document model: the inverse of escpos.ts, used by the simulator and by tests.
 * Two layers: EscPosStreamDecoder turns an arbitrarily chunked byte stream into operations (it keeps
 * an incomplete command across pushes), and DocumentAssembler folds operations into documents the
 * way the printer's print buffer would. Unknown commands are recorded and skipped, never fatal.
 */
import iconv from 'iconv-lite';
import { DEFAULT_LINE_SPACING, DLE, ESC, FS, GS, LF, type Align, type QrEc } from './escpos.js';

export type EscPosOp =
  | { op: 'text'; bytes: Buffer }
  | { op: 'lf' }
  | { op: 'init' }
  | { op: 'chinese'; on: boolean }
  | { op: 'align'; align: Align }
  | { op: 'bold'; on: boolean }
  | { op: 'size'; width: number; height: number }
  | { op: 'lineSpacing'; dots: number }
  | { op: 'feed'; lines: number }
  | { op: 'feedDots'; dots: number }
  | { op: 'qrModel'; model: number }
  | { op: 'qrSize'; size: number }
  | { op: 'qrEc'; ec: QrEc }
  | { op: 'qrStore'; data: Buffer }
  | { op: 'qrPrint' }
  | { op: 'cut'; feedDots: number; partial: boolean }
  | { op: 'status'; n: number }
  /** Recognised, length known, no effect on the model (e.g. ESC ! n, ESC t n). */
  | { op: 'ignored'; bytes: Buffer }
  | { op: 'unknown'; bytes: Buffer };

const EC_OF: Readonly<Record<number, QrEc>> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };
const ALIGN_OF: readonly Align[] = ['left', 'center', 'right'];

/** ESC x n / GS x n / FS x n commands that we skip but whose length we know. */
const IGNORED_1: ReadonlySet<string> = new Set(['1b21', '1b2d', '1b4d', '1b74', '1b7b', '1b47', '1b56', '1d42', '1d48', '1c21', '1c2d', '1b52']);

type Parse = { op: EscPosOp; len: number } | 'incomplete';

/** Parses one command at `i` (b[i] is a control byte). */
function parseCommand(b: Buffer, i: number): Parse {
  const c = b[i];
  const need = (n: number): boolean => i + n <= b.length;
  if (c === LF) return { op: { op: 'lf' }, len: 1 };
  if (c === DLE) {
    if (!need(2)) return 'incomplete';
    if (b[i + 1] === 0x04) {
      if (!need(3)) return 'incomplete';
      return { op: { op: 'status', n: b[i + 2] }, len: 3 };
    }
    return { op: { op: 'unknown', bytes: b.subarray(i, i + 2) }, len: 2 };
  }
  if (c !== ESC && c !== GS && c !== FS) return { op: { op: 'unknown', bytes: b.subarray(i, i + 1) }, len: 1 };
  if (!need(2)) return 'incomplete';
  const x = b[i + 1];
  const key = `${c.toString(16)}${x.toString(16).padStart(2, '0')}`;
  const arg = (): number => b[i + 2];
  const one = (make: (n: number) => EscPosOp): Parse => (need(3) ? { op: make(arg()), len: 3 } : 'incomplete');
  switch (key) {
    case '1b40':
      return { op: { op: 'init' }, len: 2 };
    case '1b32':
      return { op: { op: 'lineSpacing', dots: DEFAULT_LINE_SPACING }, len: 2 };
    case '1c26':
      return { op: { op: 'chinese', on: true }, len: 2 };
    case '1c2e':
      return { op: { op: 'chinese', on: false }, len: 2 };
    case '1b61':
      return one((n) => ({ op: 'align', align: ALIGN_OF[n % 48] ?? 'left' }));
    case '1b45':
      return one((n) => ({ op: 'bold', on: (n & 1) === 1 }));
    case '1d21':
      return one((n) => ({ op: 'size', width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 }));
    case '1b33':
      return one((n) => ({ op: 'lineSpacing', dots: n }));
    case '1b64':
      return one((n) => ({ op: 'feed', lines: n }));
    case '1b4a':
      return one((n) => ({ op: 'feedDots', dots: n }));
    case '1d56': {
      if (!need(3)) return 'incomplete';
      const m = b[i + 2];
      if (m === 0 || m === 1 || m === 48 || m === 49) return { op: { op: 'cut', feedDots: 0, partial: m % 48 === 1 }, len: 3 };
      if (!need(4)) return 'incomplete';
      return { op: { op: 'cut', feedDots: b[i + 3], partial: m === 66 }, len: 4 };
    }
    case '1d28': {
      // GS ( k pL pH cn fn … — also the generic shape of every GS ( x function.
      if (!need(5)) return 'incomplete';
      const len = b[i + 3] | (b[i + 4] << 8);
      if (!need(5 + len)) return 'incomplete';
      const body = b.subarray(i + 5, i + 5 + len);
      return { op: qrOp(b[i + 2], body) ?? { op: 'unknown', bytes: b.subarray(i, i + 5 + len) }, len: 5 + len };
    }
  }
  if (IGNORED_1.has(key)) return one(() => ({ op: 'ignored', bytes: b.subarray(i, i + 3) }));
  return { op: { op: 'unknown', bytes: b.subarray(i, i + 2) }, len: 2 };
}

function qrOp(k: number, body: Buffer): EscPosOp | undefined {
  if (k !== 0x6b || body.length < 2 || body[0] !== 0x31) return undefined;
  switch (body[1]) {
    case 0x41:
      return body.length >= 3 ? { op: 'qrModel', model: body[2] - 0x30 } : undefined;
    case 0x43:
      return body.length >= 3 ? { op: 'qrSize', size: body[2] } : undefined;
    case 0x45:
      return body.length >= 3 && EC_OF[body[2]] ? { op: 'qrEc', ec: EC_OF[body[2]] } : undefined;
    case 0x50:
      return body.length >= 3 ? { op: 'qrStore', data: Buffer.from(body.subarray(3)) } : undefined;
    case 0x51:
      return { op: 'qrPrint' };
  }
  return undefined;
}

/** Streaming tokenizer: feed it chunks as they come off the wire. */
export class EscPosStreamDecoder {
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EscPosOp[] {
    const b = this.tail.length ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk);
    const ops: EscPosOp[] = [];
    let i = 0;
    while (i < b.length) {
      if (b[i] >= 0x20) {
        // GB18030 never uses a byte below 0x30 after the lead byte, so a control byte always starts a command.
        let j = i;
        while (j < b.length && b[j] >= 0x20) j++;
        ops.push({ op: 'text', bytes: Buffer.from(b.subarray(i, j)) });
        i = j;
        continue;
      }
      const p = parseCommand(b, i);
      if (p === 'incomplete') break;
      ops.push(copyOp(p.op));
      i += p.len;
    }
    this.tail = Buffer.from(b.subarray(i));
    return ops;
  }

  /** Bytes of a command still waiting for the rest of its parameters. */
  get pending(): number {
    return this.tail.length;
  }

  reset(): void {
    this.tail = Buffer.alloc(0);
  }
}

function copyOp(op: EscPosOp): EscPosOp {
  if (op.op === 'unknown' || op.op === 'ignored') return { op: op.op, bytes: Buffer.from(op.bytes) };
  return op;
}

// ---- document model ---------------------------------------------------------------------------

export interface TextSegment {
  text: string;
  bold: boolean;
  width: number;
  height: number;
}

export type DecodedBlock =
  | { kind: 'line'; text: string; align: Align; segments: TextSegment[]; lineSpacing: number }
  | { kind: 'qr'; data: string; size: number; ec: QrEc; model: number; align: Align }
  | { kind: 'feed'; lines: number; dots: number }
  | { kind: 'cut'; feedDots: number; partial: boolean };

export interface UnknownCommand {
  /** Hex of the bytes skipped. */
  hex: string;
  /** Index of the block it preceded in its document. */
  beforeBlock: number;
}

export interface DecodedDocument {
  blocks: DecodedBlock[];
  /** Printed text lines joined with "\n" (QR codes as "[QR:payload]"): what expect.printed matches. */
  text: string;
  cut: boolean;
  unknown: UnknownCommand[];
}

interface Style {
  align: Align;
  bold: boolean;
  width: number;
  height: number;
  chinese: boolean;
  lineSpacing: number;
}

const INITIAL: Style = { align: 'left', bold: false, width: 1, height: 1, chinese: false, lineSpacing: DEFAULT_LINE_SPACING };

/**
 * Printer state and print buffer. `apply` returns the block an op printed (if any) so a caller
 * (the simulator) can charge paper for it before accepting it into the document.
 */
export class DocumentAssembler {
  private style: Style = { ...INITIAL };
  private qr: { model: number; size: number; ec: QrEc; data: Buffer } = { model: 2, size: 3, ec: 'L', data: Buffer.alloc(0) };
  private line: { bytes: Buffer; style: Style }[] = [];
  private lineAlign?: Align;
  private doc: DecodedDocument = emptyDoc();
  private textLines = 0;

  /** The document being printed (blocks since the last cut). */
  get current(): DecodedDocument {
    return this.doc;
  }

  /** Block(s) the op would print, without changing anything yet. */
  preview(op: EscPosOp): DecodedBlock[] {
    switch (op.op) {
      case 'lf':
        return [this.pendingLine()];
      case 'feed':
        return this.line.length ? [this.pendingLine(), this.feedBlock(op.lines)] : [this.feedBlock(op.lines)];
      case 'feedDots':
        return [{ kind: 'feed', lines: 0, dots: op.dots }];
      case 'qrPrint':
        return this.qr.data.length ? [this.qrBlock()] : [];
      case 'cut':
        return this.line.length
          ? [this.pendingLine(), { kind: 'cut', feedDots: op.feedDots, partial: op.partial }]
          : [{ kind: 'cut', feedDots: op.feedDots, partial: op.partial }];
      default:
        return [];
    }
  }

  /** Applies an op; returns the blocks it printed and, for a cut, the finished document. */
  apply(op: EscPosOp): { printed: DecodedBlock[]; finished?: DecodedDocument } {
    const printed = this.preview(op);
    switch (op.op) {
      case 'text':
        if (this.line.length === 0) this.lineAlign = this.style.align;
        this.line.push({ bytes: op.bytes, style: { ...this.style } });
        return { printed };
      case 'init':
        this.style = { ...INITIAL };
        this.line = [];
        this.qr = { model: 2, size: 3, ec: 'L', data: Buffer.alloc(0) };
        return { printed };
      case 'chinese':
        this.style.chinese = op.on;
        return { printed };
      case 'align':
        this.style.align = op.align;
        return { printed };
      case 'bold':
        this.style.bold = op.on;
        return { printed };
      case 'size':
        this.style.width = op.width;
        this.style.height = op.height;
        return { printed };
      case 'lineSpacing':
        this.style.lineSpacing = op.dots;
        return { printed };
      case 'qrModel':
        this.qr.model = op.model;
        return { printed };
      case 'qrSize':
        this.qr.size = op.size;
        return { printed };
      case 'qrEc':
        this.qr.ec = op.ec;
        return { printed };
      case 'qrStore':
        this.qr.data = op.data;
        return { printed };
      case 'unknown':
        this.doc.unknown.push({ hex: op.bytes.toString('hex').toUpperCase(), beforeBlock: this.doc.blocks.length });
        return { printed };
      case 'status':
      case 'ignored':
        return { printed };
      default:
        break;
    }
    this.line = [];
    for (const block of printed) this.accept(block);
    if (op.op !== 'cut') return { printed };
    return { printed, finished: this.abandon() };
  }

  /** Drops the print buffer and ends the current document as it stands (paper out, cover open). */
  abandon(): DecodedDocument {
    this.line = [];
    const d = this.doc;
    this.doc = emptyDoc();
    this.textLines = 0;
    return d;
  }

  private accept(block: DecodedBlock): void {
    this.doc.blocks.push(block);
    if (block.kind === 'cut') this.doc.cut = true;
    const t = block.kind === 'line' ? block.text : block.kind === 'qr' ? `[QR:${block.data}]` : undefined;
    if (t === undefined) return;
    this.doc.text += (this.textLines > 0 ? '\n' : '') + t;
    this.textLines++;
  }

  private pendingLine(): DecodedBlock {
    const segments: TextSegment[] = [];
    for (const part of this.line) {
      const text = part.style.chinese ? iconv.decode(part.bytes, 'gb18030') : part.bytes.toString('latin1');
      const prev = segments[segments.length - 1];
      if (prev && prev.bold === part.style.bold && prev.width === part.style.width && prev.height === part.style.height) prev.text += text;
      else segments.push({ text, bold: part.style.bold, width: part.style.width, height: part.style.height });
    }
    const align = this.line.length ? (this.lineAlign ?? 'left') : this.style.align;
    return { kind: 'line', text: segments.map((s) => s.text).join(''), align, segments, lineSpacing: this.style.lineSpacing };
  }

  private feedBlock(lines: number): DecodedBlock {
    return { kind: 'feed', lines, dots: lines * this.style.lineSpacing };
  }

  private qrBlock(): DecodedBlock {
    return { kind: 'qr', data: this.qr.data.toString('utf8'), size: this.qr.size, ec: this.qr.ec, model: this.qr.model, align: this.style.align };
  }
}

function emptyDoc(): DecodedDocument {
  return { blocks: [], text: '', cut: false, unknown: [] };
}

export interface DecodedJob {
  /** One per cut; a trailing document without a cut is included if anything was printed. */
  documents: DecodedDocument[];
  /** `n` of every real-time status request found between commands. */
  statusRequests: number[];
  /** Bytes at the end that do not form a whole command. */
  incomplete: number;
}

/** Whole-buffer decode (tests, tools). */
export function decodeEscPos(bytes: Uint8Array): DecodedJob {
  const dec = new EscPosStreamDecoder();
  const asm = new DocumentAssembler();
  const documents: DecodedDocument[] = [];
  const statusRequests: number[] = [];
  for (const op of dec.push(bytes)) {
    if (op.op === 'status') statusRequests.push(op.n);
    const r = asm.apply(op);
    if (r.finished) documents.push(r.finished);
  }
  const rest = asm.current;
  if (rest.blocks.length || rest.unknown.length) documents.push(rest);
  return { documents, statusRequests, incomplete: dec.pending };
}

/**
 * Offsets at which `bytes` may be split without cutting a command: after each whole command or
 * text run. Used to chunk a raw Buffer job (a Receipt brings its own boundaries from the builder).
 */
export function commandBoundaries(bytes: Uint8Array): number[] {
  const b = Buffer.from(bytes);
  const ends: number[] = [];
  let i = 0;
  while (i < b.length) {
    if (b[i] >= 0x20) {
      while (i < b.length && b[i] >= 0x20) i++;
    } else {
      const p = parseCommand(b, i);
      if (p === 'incomplete') {
        i = b.length;
      } else {
        // After an unknown command its parameters (if any) look like text: no split right after it.
        i += p.len;
        if (p.op.op === 'unknown') continue;
      }
    }
    ends.push(i);
  }
  if (ends[ends.length - 1] !== b.length && b.length > 0) ends.push(b.length);
  return ends;
}

