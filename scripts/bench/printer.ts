#!/usr/bin/env node
/**
 * Printer bench: the same statement (24 months × 5 types, QR code) encoded by our driver, by
 * receiptline and by node-thermal-printer, against the plain text-mode floor. Bytes are what matter
 * on a kiosk: every byte is wire time (10 bits at 8N1), and an old printer on 9600 Bd takes a
 * second per kilobyte. Prints figures beside the target; never fails on timings (shared, noisy
 * machines), but says plainly whether the byte target is met.
 *
 * Run alone with `npx tsx scripts/bench/printer.ts`, or call benchPrinter() from the main bench.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import ntp from 'node-thermal-printer';
import { transform } from 'receiptline';
import { decodeEscPos } from '../../drivers/printer/decoder.js';
import { encodeReceipt, plainTextFloorBytes, receiptLines, type Receipt, type TextStyle } from '../../drivers/printer/escpos.js';
import { SAMPLE_VERIFY_URL_BASE, sampleStatement, statementReceipt } from '../../kiosk/print/index.js';

export const BAUD_RATES = [115_200, 9_600] as const;
/** The byte target: ours at most this multiple of the plain text-mode floor. */
export const FLOOR_TARGET = 1.1;

/** The benched document: the zh detail statement with a verification URL in its QR code. */
export function benchReceipt(): Receipt {
  return statementReceipt(sampleStatement('detail'), { lang: 'zh', verifyUrlBase: SAMPLE_VERIFY_URL_BASE });
}

/** Wire time in ms at 8N1: a start bit, 8 data bits, a stop bit. */
export function wireMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

// ---- receiptline ------------------------------------------------------------------------------

/** Escapes receiptline's special characters; spaces become `~` so alignment padding survives. */
function rlText(s: string): string {
  return s.replace(/[\\|{}\-=~_"`^]/g, (c) => `\\${c}`).replace(/ /g, '~');
}

function rlStyle(style: TextStyle | undefined): string {
  const size = Math.max(style?.width ?? 1, style?.height ?? 1);
  // `^` double width, `^^` double height, `^^^` 2× both (receiptline's grammar).
  const scale = size >= 2 ? '^^^' : '';
  return (style?.bold ? '"' : '') + scale;
}

/**
 * The receipt in receiptline markup, line for line: a lone column is centered, `|text` left,
 * `text|` right; `---` a rule; the QR code a `{code:…; option:qrcode,size,ec}` property.
 */
export function toReceiptline(r: Receipt): string {
  const out: string[] = [];
  for (const b of r.blocks) {
    switch (b.kind) {
      case 'text': {
        const t = rlStyle(b.style) + rlText(b.text);
        const align = b.style?.align ?? 'left';
        out.push(b.text === '' ? '' : align === 'center' ? t : align === 'right' ? `${t}|` : `|${t}`);
        break;
      }
      case 'rule':
        out.push('---');
        break;
      case 'feed':
        for (let i = 0; i < b.lines; i++) out.push('');
        break;
      case 'qr': {
        const data = b.data.replace(/[\\|{};]/g, (c) => `\\${c}`);
        out.push(`{code:${data}; option:qrcode,${b.size ?? 6},${(b.ec ?? 'M').toLowerCase()}}`);
        break;
      }
    }
  }
  return out.join('\n');
}

/** receiptline's ESC/POS command set with GB18030 (its `multilingual` covers no Chinese at all). */
export function encodeWithReceiptline(r: Receipt): Buffer {
  const cmd = transform(toReceiptline(r), { cpl: 48, encoding: 'gb18030', command: 'escpos', spacing: false, cutting: true });
  return Buffer.from(cmd, 'binary');
}

// ---- node-thermal-printer ---------------------------------------------------------------------

/**
 * The receipt through node-thermal-printer's EPSON type, styles set only when they change (a careful
 * caller). The interface is never opened: getBuffer() only reads what the calls appended. The
 * library does not switch the printer to Chinese mode, so `1C 26` is added by hand, as its user
 * would have to for this printer (otherwise GB2312 bytes print as Latin-1 garbage).
 */
export function encodeWithNodeThermalPrinter(r: Receipt): Buffer {
  const p = new ntp.ThermalPrinter({
    type: ntp.PrinterTypes.EPSON,
    interface: '/dev/null',
    width: 48,
    characterSet: ntp.CharacterSet.CHINA,
    breakLine: ntp.BreakLine.NONE,
  });
  p.add(Buffer.from([0x1c, 0x26]));
  let align = 'left';
  let bold = false;
  let size = 1;
  const setAlign = (a: string): void => {
    if (a === align) return;
    if (a === 'center') p.alignCenter();
    else if (a === 'right') p.alignRight();
    else p.alignLeft();
    align = a;
  };
  const setStyle = (s: TextStyle | undefined): void => {
    if ((s?.bold ?? false) !== bold) p.bold((bold = s?.bold ?? false));
    const want = Math.max(s?.width ?? 1, s?.height ?? 1);
    if (want !== size) p.setTextSize(want - 1, want - 1);
    size = want;
  };
  for (const b of r.blocks) {
    if (b.kind === 'text') {
      setAlign(b.style?.align ?? 'left');
      setStyle(b.style);
      p.println(b.text);
    } else if (b.kind === 'rule') {
      setAlign('left');
      setStyle(undefined);
      p.drawLine();
    } else if (b.kind === 'feed') {
      for (let i = 0; i < b.lines; i++) p.newLine();
    } else {
      setAlign(b.align ?? 'center');
      p.printQR(b.data, { cellSize: b.size ?? 6, correction: b.ec ?? 'M', model: 2 });
    }
  }
  p.partialCut();
  return p.getBuffer();
}

// ---- measuring --------------------------------------------------------------------------------

/** Median wall time of `fn` in ms: a few warm-up runs, then at least `minRuns` or `budgetMs` worth. */
export function medianMs(fn: () => unknown, opts: { minRuns?: number; maxRuns?: number; budgetMs?: number } = {}): { ms: number; runs: number } {
  const { minRuns = 30, maxRuns = 2000, budgetMs = 1500 } = opts;
  for (let i = 0; i < 5; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, runs: times.length };
}

export interface BenchRow {
  name: string;
  bytes: number;
  /** Median encode time; undefined for the floor (nothing to run). */
  encodeMs?: number;
  runs?: number;
}

/** The byte figures (deterministic; no timing). Tests use these to keep the target honest. */
export function measureBytes(r: Receipt = benchReceipt()): { floor: number; ours: number; receiptline: number; nodeThermalPrinter: number } {
  return {
    floor: plainTextFloorBytes(r),
    ours: encodeReceipt(r).length,
    receiptline: encodeWithReceiptline(r).length,
    nodeThermalPrinter: encodeWithNodeThermalPrinter(r).length,
  };
}

function table(rows: BenchRow[], floor: number): string[] {
  const header = ['encoder', 'bytes', '× floor', 'wire @115200', 'wire @9600', 'encode (median)'];
  const body = rows.map((r) => [
    r.name,
    r.bytes.toLocaleString('en-US'),
    `${(r.bytes / floor).toFixed(3)}×`,
    `${wireMs(r.bytes, BAUD_RATES[0]).toFixed(1)} ms`,
    `${wireMs(r.bytes, BAUD_RATES[1]).toFixed(0)} ms`,
    r.encodeMs === undefined ? '-' : `${r.encodeMs < 1 ? r.encodeMs.toFixed(3) : r.encodeMs.toFixed(2)} ms (${r.runs} runs)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

export async function benchPrinter(): Promise<void> {
  const st = sampleStatement('detail');
  const r = benchReceipt();
  const lines = receiptLines(r);
  const qr = r.blocks.find((b) => b.kind === 'qr');
  console.log('printer bench: statement receipt (zh, detail) encoded three ways');
  console.log(
    `  content: ${st.lines.length} monthly lines (24 months × 5 types), ${lines.length} printed lines, ` +
      `QR payload ${qr?.kind === 'qr' ? Buffer.byteLength(qr.data) : 0} bytes`,
  );

  const ours = encodeReceipt(r);
  const rl = encodeWithReceiptline(r);
  const nt = encodeWithNodeThermalPrinter(r);
  const floor = plainTextFloorBytes(r);
  const layout = medianMs(() => statementReceipt(st, { lang: 'zh', verifyUrlBase: SAMPLE_VERIFY_URL_BASE }));
  const tOurs = medianMs(() => encodeReceipt(r));
  const tRl = medianMs(() => encodeWithReceiptline(r));
  const tNt = medianMs(() => encodeWithNodeThermalPrinter(r));
  const rows: BenchRow[] = [
    { name: 'yikatong (encodeReceipt)', bytes: ours.length, encodeMs: tOurs.ms, runs: tOurs.runs },
    { name: 'receiptline 4 (escpos, gb18030)', bytes: rl.length, encodeMs: tRl.ms, runs: tRl.runs },
    { name: 'node-thermal-printer 4 (EPSON, CHINA)', bytes: nt.length, encodeMs: tNt.ms, runs: tNt.runs },
    { name: 'plain text-mode floor', bytes: floor },
  ];
  for (const l of table(rows, floor)) console.log(`  ${l}`);
  console.log(`  layout (statementReceipt, Statement → Receipt): ${layout.ms.toFixed(3)} ms median (${layout.runs} runs)`);
  console.log(
    '  floor = the printed lines in GB18030 + one LF each + the native QR commands (model, size, EC, store, print);' +
      ' no init, Chinese mode, styles or cut',
  );

  // Same content check: ours and node-thermal-printer decode (our decoder) to the same printed lines.
  const decoded = (b: Buffer): string[] =>
    (decodeEscPos(b).documents[0]?.blocks ?? []).flatMap((x) => (x.kind === 'line' ? [x.text] : x.kind === 'qr' ? [`[QR:${x.data}]`] : []));
  const same = JSON.stringify(decoded(ours)) === JSON.stringify(decoded(nt));
  const textLines = decoded(ours).filter((l) => !l.startsWith('[QR:')).length;
  console.log(`  check: ours and node-thermal-printer decode to the same ${textLines} lines and QR payload: ${same ? 'yes' : 'NO'}`);
  console.log('  note: receiptline rasterises the QR code (GS 8 L image) and re-sends its full style state on every line');

  const ratio = ours.length / floor;
  const met = ours.length < rl.length && ours.length < nt.length && ratio <= FLOOR_TARGET;
  console.log(
    `  target: fewer bytes than both libraries and ≤ ${FLOOR_TARGET}× floor → ${met ? 'met' : 'MISSED'} ` +
      `(${ours.length} vs ${rl.length} / ${nt.length}; ${ratio.toFixed(3)}× floor)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchPrinter().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
