/**
 * The daily reconciliation's outputs: the CSV every line goes to, and the operator's summary with
 * totals per source and each mismatch (docs/payments.md, "Reconciliation").
 */
import { VERDICTS, yuan, type ReconcileReport } from './reconcile.js';

export const CSV_HEADER = ['date', 'txnId', 'payer', 'terminal_state', 'bank_status', 'bank_amount_fen', 'backend_ref', 'backend_amount_fen', 'verdict', 'note'] as const;

/** RFC 4180 quoting; a text cell starting like a formula is defused for spreadsheet users. */
function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function renderCsv(r: ReconcileReport): string {
  const rows = r.lines.map((l) =>
    [l.date, l.txnId, l.payer, l.terminalState ?? 'none', l.bankStatus, l.bankAmountFen, l.backendRefs.join('|'), l.backendAmountFen, l.verdict, l.note].map(cell).join(','),
  );
  return [CSV_HEADER.join(','), ...rows].join('\n') + '\n';
}

/** The operator's summary: counts per verdict, totals per source in yuan, then each mismatch. */
export function renderSummary(r: ReconcileReport, csvPath?: string): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const t = r.totals;
  const mismatches = r.lines.filter((l) => l.verdict !== 'ok');
  const out = [
    `reconciliation ${r.date} (Beijing day ${iso(r.since)} – ${iso(r.until)}), terminal ${r.terminalId}`,
    `  terminal  ${t.terminal.count} payments, paid ${yuan(t.terminal.paidFen)} yuan`,
    `  bank      ${t.bank.count} records, standing debits ${yuan(t.bank.standingFen)} yuan`,
    `  backend   ${t.backend.count} postings, posted ${yuan(t.backend.postedFen)} yuan`,
    `  medical   ${t.medical.count} medical-account records, standing debits ${yuan(t.medical.standingFen)} yuan`,
    `  verdicts  ${VERDICTS.map((v) => `${v} ${r.counts[v]}`).join(', ')}`,
  ];
  if (r.ignored.bank || r.ignored.backend) out.push(`  ignored   ${r.ignored.bank} bank and ${r.ignored.backend} backend records of other terminals`);
  if (csvPath) out.push(`  csv       ${csvPath}`);
  out.push(mismatches.length ? `mismatches (${mismatches.length}):` : 'no mismatches');
  for (const l of mismatches) out.push(`  ${l.verdict}  ${l.txnId}  ${l.note}`);
  return out.join('\n') + '\n';
}
