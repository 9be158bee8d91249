/**
 * Formatting for printed documents: money, months, local time and line wrapping in printer columns
 * (48 on 80 mm paper, a Chinese character taking two). Pure functions; nothing here knows bytes.
 */
import { textWidth } from '../../drivers/printer/escpos.js';
import { PrintFormatError } from './errors.js';

/**
 * Integer fen → yuan with two decimals ("4500.00"). Done in integers: the backend keeps fen exactly
 * so that a printed statement adds up, and a float division could print 0.29 as 0.28999….
 * No thousands separators: they cost width and bytes on every line and the tables are right-aligned.
 */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new PrintFormatError('PRINT_BAD_AMOUNT', `amount must be an integer number of fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Checks a `YYYY-MM` month and prints it as is: short, sortable, the same in both languages. */
export function month(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new PrintFormatError('PRINT_BAD_MONTH', `not a YYYY-MM month: ${JSON.stringify(ym)}`);
  return ym;
}

/** China Standard Time. Fixed, not the machine's zone: a kiosk's OS clock zone is often left at UTC. */
export const CST_OFFSET_MINUTES = 480;

/** ISO timestamp → "YYYY-MM-DD HH:mm:ss" at a fixed UTC offset (no DST in China). */
export function localTime(iso: string, utcOffsetMinutes = CST_OFFSET_MINUTES): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new PrintFormatError('PRINT_BAD_TIME', `not an ISO 8601 time: ${JSON.stringify(iso)}`);
  return new Date(t + utcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Text from the backend made printable: the encoder refuses control characters (they would be
 * commands on the wire), so a stray newline in an employer name becomes a space instead of failing
 * the whole print.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - textWidth(s))) + s;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - textWidth(s)));
}

/** Closing punctuation does not start a line (Chinese typesetting); it takes the previous character along. */
const NO_LINE_START = /^[，。、；：！？）》」』】,.;:!?)\]]$/u;

/** Latin words stay whole; every other character (CJK) may break anywhere. */
const TOKEN = /\s+|[\u0021-\u007e\u00a0-\u024f]+|./gsu;

/**
 * Greedy wrap to `width` columns. Continuation lines start with `indent` spaces (a hanging indent
 * under a label); no line carries trailing spaces, which would be bytes on the wire for nothing.
 */
export function wrap(text: string, width: number, indent = 0): string[] {
  if (width < 2 || indent >= width - 1) throw new PrintFormatError('PRINT_BAD_WIDTH', `cannot wrap to ${width} columns with indent ${indent}`);
  const lines: string[] = [];
  let cur: string[] = [];
  let curW = 0;
  const avail = (): number => (lines.length === 0 ? width : width - indent);
  const flush = (): void => {
    while (cur.length && /^\s+$/.test(cur[cur.length - 1]!)) cur.pop();
    lines.push((lines.length === 0 ? '' : ' '.repeat(indent)) + cur.join(''));
    cur = [];
    curW = 0;
  };
  const tokens = text.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const w = textWidth(tok);
    if (/^\s+$/.test(tok)) {
      // Spacing inside a line is kept as written (it may align something); at a break it goes.
      const spaces = ' '.repeat(tok.length);
      if (cur.length && curW + spaces.length < avail()) {
        cur.push(spaces);
        curW += spaces.length;
      } else if (cur.length) flush();
      continue;
    }
    if (curW + w <= avail()) {
      cur.push(tok);
      curW += w;
      continue;
    }
    if (w > width - indent) {
      // A token longer than any line (a URL): fill this line, then break it by characters.
      for (const ch of tok) {
        const cw = textWidth(ch);
        if (curW + cw > avail()) flush();
        cur.push(ch);
        curW += cw;
      }
      continue;
    }
    if (NO_LINE_START.test(tok) && cur.length > 1 && !/^\s+$/.test(cur[cur.length - 1]!)) {
      const carried = cur.pop()!;
      flush();
      cur.push(carried, tok);
      curW = textWidth(carried) + w;
      continue;
    }
    if (cur.length) flush();
    cur.push(tok);
    curW = w;
  }
  if (cur.length || lines.length === 0) flush();
  return lines;
}
