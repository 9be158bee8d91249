/**
 * The printed statement: 参保缴费证明 (kind 'proof': per-type summaries) or 缴费明细 (kind 'detail':
 * summaries and monthly lines), as a Receipt for the 80 mm printer (48 columns, CJK two wide).
 *
 * Layout choices, all for a small job on the wire (a 24-month × 5-type detail is ~150 lines, and
 * every byte is wire time at 115200 Bd or worse on an old 9600 Bd printer):
 * - plain text lines in the printer's own font; no images, no box drawing;
 * - styles only where they carry meaning (double-size title, bold arrears, bold verification code);
 *   the encoder emits a style command only when it changes;
 * - right-aligned numeric columns, but never trailing spaces: a line ends at its last character;
 * - the QR code is the printer's native symbol (≈ 90 bytes), not a raster.
 *
 * The ID number is masked (first 6 and last 4 kept, drivers/common/mask.ts): a statement is
 * often left in the tray or handed to a landlord, and must not leak the full number. Whoever needs
 * to trust the paper checks it through the verification code / QR code against the agency's record.
 * The holder's name is printed in full: without it the paper proves nothing to the person reading it.
 */
import { maskId } from '../../drivers/common/mask.js';
import { COLUMNS, textWidth, type Receipt, type ReceiptBlock, type TextStyle } from '../../drivers/printer/escpos.js';
import { INSURANCE_TYPES, type ContributionRecord, type Statement, type TypeSummary } from '../backend/interface.js';
import { localTime, month, padEnd, padStart, printable, wrap, yuan } from './format.js';
import { STATEMENT_STRINGS, type PrintLang, type StatementStrings } from './strings.js';

export interface StatementReceiptOptions {
  lang: PrintLang;
  /** The QR code carries `verifyUrlBase + code` when given (a phone opens the check page), else the bare code. */
  verifyUrlBase?: string;
  /** Offset of the printed time from UTC (default China Standard Time, +480). */
  utcOffsetMinutes?: number;
  /** QR module size in dots (default 6: a 46-byte URL is version 4, 198 dots ≈ 25 mm). */
  qrModuleSize?: number;
}

const TITLE: TextStyle = { align: 'center', bold: true, width: 2, height: 2 };
const CENTER: TextStyle = { align: 'center' };
const CENTER_BOLD: TextStyle = { align: 'center', bold: true };
const BOLD: TextStyle = { bold: true };

/** What the QR code encodes; the verification page (or the agency's counter) takes it from there. */
export function statementQrPayload(st: Pick<Statement, 'code'>, verifyUrlBase?: string): string {
  return verifyUrlBase ? `${verifyUrlBase}${st.code}` : st.code;
}

export function statementReceipt(st: Statement, opts: StatementReceiptOptions): Receipt {
  const s = STATEMENT_STRINGS[opts.lang];
  const blocks: ReceiptBlock[] = [];
  const put = (text: string, style?: TextStyle): void => {
    blocks.push(style ? { kind: 'text', text, style } : { kind: 'text', text });
  };
  const putWrapped = (text: string, indent: number, style?: TextStyle): void => {
    for (const l of wrap(text, COLUMNS, indent)) put(l, style);
  };
  const labelled = (label: string, value: string): void => putWrapped(label + printable(value), textWidth(label));

  // Double width: 24 columns per line.
  for (const l of wrap(s.title[st.kind], COLUMNS / 2)) put(l, TITLE);
  blocks.push({ kind: 'rule' });

  putWrapped(`${s.name}${printable(st.holder.name)}    ${s.sexLabel}${s.sex[st.holder.sex]}`, textWidth(s.name));
  put(s.ssn + maskId(st.holder.ssn));
  labelled(s.employer, st.holder.employer ?? s.noEmployer);
  labelled(s.agency, st.issuingAgency);
  blocks.push({ kind: 'rule' });

  put(s.summaryHeading);
  const summaries = [...st.summaries].sort((a, b) => INSURANCE_TYPES.indexOf(a.type) - INSURANCE_TYPES.indexOf(b.type));
  if (summaries.length === 0) put(s.noRecords);
  for (const sum of summaries) summaryLines(sum, s, opts.lang, put);

  if (st.kind === 'detail') {
    blocks.push({ kind: 'rule' });
    detailLines(st.lines, s, put);
  }
  blocks.push({ kind: 'rule' });

  put(s.issuedAt + localTime(st.issuedAt, opts.utcOffsetMinutes));
  if (st.terminalId) labelled(s.terminal, st.terminalId);
  putWrapped(s.masked, 0);
  for (const l of wrap(s.code + st.code, COLUMNS)) put(l, CENTER_BOLD);
  // A blank line above and below the symbol: the quiet zone a phone camera needs (4 modules at
  // size 6 = 24 dots; a line is 30). An empty centered line is one LF, cheaper than a feed command.
  put('', CENTER);
  blocks.push({ kind: 'qr', data: statementQrPayload(st, opts.verifyUrlBase), size: opts.qrModuleSize ?? 6, ec: 'M', align: 'center' });
  put('', CENTER);
  for (const phrase of s.verify(opts.verifyUrlBase)) for (const l of wrap(phrase, COLUMNS)) put(l, CENTER);
  return { blocks };
}

function summaryLines(sum: TypeSummary, s: StatementStrings, lang: PrintLang, put: (text: string, style?: TextStyle) => void): void {
  const head =
    lang === 'zh'
      ? `${s.type[sum.type]}（${s.scheme[sum.scheme]}）  ${s.status[sum.status]}`
      : `${s.type[sum.type]} (${s.scheme[sum.scheme]}): ${s.status[sum.status]}`;
  for (const l of wrap(head, COLUMNS, 2)) put(l);
  const parts = [
    sum.firstMonth && sum.lastMonth ? s.span(month(sum.firstMonth), month(sum.lastMonth)) : s.noRecords,
    s.paidMonths(sum.totalMonths),
  ];
  if (sum.arrearsMonths > 0) parts.push(s.arrearsMonths(sum.arrearsMonths));
  // Joined with two spaces, wrapped at part boundaries so that "欠缴 2 个月" never splits.
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.length - 1;
    if (last >= 0 && textWidth(lines[last]!) + 2 + textWidth(p) <= COLUMNS) lines[last] += `  ${p}`;
    else lines.push(`  ${p}`);
  }
  // A type in arrears is bold as a whole: one toggle pair instead of one per part.
  for (const l of lines) put(l, sum.arrearsMonths > 0 ? BOLD : undefined);
}

const order = (r: ContributionRecord): number => INSURANCE_TYPES.indexOf(r.type);

function detailLines(records: readonly ContributionRecord[], s: StatementStrings, put: (text: string, style?: TextStyle) => void): void {
  const recs = [...records].sort((a, b) => a.yearMonth.localeCompare(b.yearMonth) || order(a) - order(b));
  if (recs.length === 0) {
    put(s.noLines);
    return;
  }
  put(s.detailHeading(month(recs[0]!.yearMonth), month(recs[recs.length - 1]!.yearMonth)));
  const rows = recs.map((r) => ({
    cells: [
      month(r.yearMonth),
      s.typeShort[r.type],
      // Resident premiums have grades, not a base: a dash rather than a misleading 0.00.
      r.baseFen === 0 && r.scheme === 'resident' ? '-' : yuan(r.baseFen),
      yuan(r.personalFen),
      yuan(r.employerFen),
    ],
    arrears: r.status === 'arrears',
  }));
  const widths = s.columns.map((label, i) => Math.max(textWidth(label), ...rows.map((r) => textWidth(r.cells[i]!))));
  const marker = textWidth(s.arrears) + 1;
  const tableWidth = (gap: number): number => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const anyArrears = rows.some((r) => r.arrears);
  // Two spaces between columns when the paper has room (easier to read), else one.
  const gap = tableWidth(2) + (anyArrears ? marker : 0) <= COLUMNS ? 2 : 1;
  const markerFits = tableWidth(gap) + marker <= COLUMNS;
  const sep = ' '.repeat(gap);
  // Text columns left-aligned, amounts right-aligned; the last cell is an amount, so no line
  // carries trailing spaces.
  const row = (cells: readonly string[]): string => {
    let out = padEnd(cells[0]!, widths[0]!) + sep + padEnd(cells[1]!, widths[1]!);
    for (let i = 2; i < cells.length; i++) out += sep + padStart(cells[i]!, widths[i]!);
    return out;
  };
  put(row(s.columns));
  for (const r of rows) {
    const text = row(r.cells);
    if (!r.arrears) put(text);
    else if (markerFits) put(`${text} ${s.arrears}`, BOLD);
    else {
      put(text, BOLD);
      put(padStart(s.arrears, tableWidth(gap)), BOLD);
    }
  }
}
