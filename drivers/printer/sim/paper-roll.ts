/**
 * A finite paper roll measured in dots (203 dpi: 8 dots per mm). Printed blocks are charged by the
 * paper they take; below `nearEndDots` the near-end sensor trips, at zero the paper has ended.
 */
import { DEFAULT_LINE_SPACING, type QrEc } from '../escpos.js';
import type { DecodedBlock } from '../decoder.js';

export const DOTS_PER_MM = 8;
/** Font A glyphs are 24 dots high: a line never takes less, whatever the line spacing. */
const GLYPH_DOTS = 24;

export interface RollOptions {
  /** Roll length (default 50 m). `lengthLines` wins when given. */
  lengthMm?: number;
  /** Roll length in lines at the default 30-dot line spacing (handy for tests). */
  lengthLines?: number;
  /** Near-end sensor threshold (default 1500 mm, about 400 lines). */
  nearEndMm?: number;
  nearEndLines?: number;
}

export function rollDots(o: RollOptions = {}): { length: number; nearEnd: number } {
  const length = o.lengthLines !== undefined ? o.lengthLines * DEFAULT_LINE_SPACING : (o.lengthMm ?? 50_000) * DOTS_PER_MM;
  const nearEnd = o.nearEndLines !== undefined ? o.nearEndLines * DEFAULT_LINE_SPACING : (o.nearEndMm ?? 1500) * DOTS_PER_MM;
  return { length, nearEnd };
}

/** Byte-mode capacities of QR versions 1–10 (ISO/IEC 18004 table 7), by EC level. */
const QR_CAPACITY: Readonly<Record<QrEc, readonly number[]>> = {
  L: [17, 32, 53, 78, 106, 134, 154, 192, 230, 271],
  M: [14, 26, 42, 62, 84, 106, 122, 152, 180, 213],
  Q: [11, 20, 32, 46, 60, 74, 86, 108, 130, 151],
  H: [7, 14, 24, 34, 44, 58, 64, 84, 98, 119],
};

/**
 * Smallest QR version holding `bytes` in byte mode. Beyond version 10 it extrapolates (each version
 * adds about a fifth of version 10's capacity): enough to charge paper, not to build a symbol.
 */
export function qrVersionFor(bytes: number, ec: QrEc): number {
  const caps = QR_CAPACITY[ec];
  for (let v = 1; v <= caps.length; v++) if (bytes <= caps[v - 1]) return v;
  const step = caps[9] / 5;
  return Math.min(40, 10 + Math.ceil((bytes - caps[9]) / step));
}

export function qrModules(bytes: number, ec: QrEc): number {
  return 17 + 4 * qrVersionFor(bytes, ec);
}

/** Paper a block takes, in dots. */
export function blockDots(block: DecodedBlock): number {
  switch (block.kind) {
    case 'line': {
      const h = Math.max(1, ...block.segments.map((s) => s.height));
      return Math.max(block.lineSpacing, GLYPH_DOTS * h);
    }
    case 'feed':
      return block.dots;
    case 'qr':
      return qrModules(Buffer.byteLength(block.data, 'utf8'), block.ec) * block.size;
    case 'cut':
      return block.feedDots;
  }
}

export class PaperRoll {
  private remainingDots: number;
  readonly lengthDots: number;
  readonly nearEndDots: number;

  constructor(opts: RollOptions = {}) {
    const d = rollDots(opts);
    this.lengthDots = d.length;
    this.nearEndDots = d.nearEnd;
    this.remainingDots = d.length;
  }

  get remaining(): number {
    return this.remainingDots;
  }

  get out(): boolean {
    return this.remainingDots <= 0;
  }

  get nearEnd(): boolean {
    return this.remainingDots <= this.nearEndDots;
  }

  /** Charges `dots`; false when the paper ended before the block was through (it is then lost). */
  take(dots: number): boolean {
    if (dots > this.remainingDots) {
      this.remainingDots = 0;
      return false;
    }
    this.remainingDots -= dots;
    return true;
  }

  set(level: 'ok' | 'low' | 'out'): void {
    this.remainingDots = level === 'ok' ? this.lengthDots : level === 'low' ? Math.min(this.nearEndDots, this.lengthDots) : 0;
  }
}
