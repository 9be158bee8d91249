import type { ContributionRecord, InsuranceType } from '../../kiosk/backend/interface.js';
import { INSURANCE_TYPES } from '../../kiosk/backend/interface.js';
import { stepYear, TAB_CONTROLS } from '../session/records.js';
import { printerReady } from '../session/services.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import type { RecordsOutput } from '../session/types.js';
import type { ControlView, FieldView, ScreenView, TableView } from './protocol.js';
import { printerReason, RECORDS_STRINGS, type RecordsStrings } from './strings-records.js';

export type RecordsBody = Omit<ScreenView, 'screen' | 'fields' | 'controls' | 'tone' | 'tables'> & {
  fields?: FieldView[];
  controls?: ControlView[];
  tables?: TableView[];
  tone?: ScreenView['tone'];
};

/** Integer fen → yuan with two decimals and thousands separators: 123456 → "1,234.56". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Paid months of a type: a resident's yearly premium counts twelve (how 缴费年限 accrues). */
function paidMonths(records: ContributionRecord[]): number {
  return records.reduce((n, r) => n + (r.status !== 'paid' ? 0 : r.scheme === 'resident' ? 12 : 1), 0);
}

/** The print controls, disabled with the printer's reason when it cannot print. */
export function printControls(snapshot: SessionSnapshot, r: RecordsStrings): ControlView[] {
  const ready = printerReady(snapshot.context);
  const note = ready ? undefined : r.records.printUnavailable(r.printer[printerReason(snapshot.context.printer)]);
  return [
    { id: 'print-statement', label: r.records.printDetail, kind: 'primary', ...(ready ? {} : { disabled: true, note }) },
    { id: 'print-proof', label: r.records.printProof, kind: 'secondary', ...(ready ? {} : { disabled: true }) },
  ];
}

function contributions(snapshot: SessionSnapshot, r: RecordsStrings, env: RecordsEnv, deadline: number): RecordsBody {
  const { context } = snapshot;
  const R = r.records;
  const data: RecordsOutput = context.records ?? { records: [], balances: { pension: null, medical: null }, insured: [] };
  const back: ControlView = { id: 'back', label: env.labels.back, kind: 'secondary' };
  const name = context.holder?.name ?? '';
  if (data.records.length === 0) {
    return { title: R.title, lines: [...R.empty], controls: [back], tone: 'warning', deadline };
  }
  const tab: InsuranceType = context.recordsTab ?? 'pension';
  const year = context.recordsYear;
  const ofType = data.records.filter((x) => x.type === tab);
  const insured = data.insured.find((i) => i.type === tab);
  const arrears = ofType.filter((x) => x.status === 'arrears').length;

  const fields: FieldView[] = [
    {
      id: 'insured-status',
      label: R.fields.status,
      value: insured ? `${R.statuses[insured.status]}（${R.schemes[insured.scheme]}）` : R.notInsured,
    },
    { id: 'paid-months', label: R.fields.paidMonths, value: R.months(paidMonths(ofType)) },
    { id: 'arrears-months', label: R.fields.arrearsMonths, value: R.months(arrears) },
  ];
  const account = tab === 'pension' ? data.balances.pension : tab === 'medical' ? data.balances.medical : null;
  if (account) {
    fields.push({
      id: `${tab}-account`,
      label: tab === 'pension' ? R.fields.pensionAccount : R.fields.medicalAccount,
      value: R.balance(yuan(account.balanceFen), account.asOf),
    });
  }

  const rows = ofType
    .filter((x) => year !== undefined && x.yearMonth.startsWith(`${year}-`))
    .sort((a, b) => a.yearMonth.localeCompare(b.yearMonth))
    .map((x) => ({
      cells: [x.yearMonth, yuan(x.baseFen), yuan(x.employerFen), yuan(x.personalFen), x.status === 'paid' ? R.paid : R.arrears],
      tone: x.status === 'arrears' ? ('warning' as const) : ('info' as const),
    }));
  const table: TableView = {
    id: 'contributions',
    ...(year !== undefined ? { caption: R.caption(year, R.tabs[tab]) } : {}),
    columns: [
      { label: R.columns.month, align: 'left' },
      { label: R.columns.base, align: 'right' },
      { label: R.columns.employer, align: 'right' },
      { label: R.columns.personal, align: 'right' },
      { label: R.columns.status, align: 'center' },
    ],
    rows,
    empty: R.noYear,
  };

  const tabs: ControlView[] = INSURANCE_TYPES.map((t) => ({
    id: TAB_CONTROLS[t],
    label: R.tabs[t],
    kind: 'tab',
    group: 'tabs',
    ...(t === tab ? { selected: true } : {}),
  }));
  const prev = stepYear(data, tab, year, -1);
  const next = stepYear(data, tab, year, 1);
  const years: ControlView[] = [
    { id: 'year-prev', label: prev !== undefined ? R.yearPrev(prev) : R.yearNone, group: 'years', kind: 'secondary', ...(prev === undefined ? { disabled: true } : {}) },
    { id: 'year-next', label: next !== undefined ? R.yearNext(next) : R.yearNone, group: 'years', kind: 'secondary', ...(next === undefined ? { disabled: true } : {}) },
  ];
  const allArrears = data.records.filter((x) => x.status === 'arrears').length;
  return {
    title: R.title,
    lines: [R.intro(name), ...(allArrears ? [R.arrearsHint(allArrears)] : [])],
    fields,
    tables: [table],
    controls: [...tabs, ...years, ...printControls(snapshot, r), back],
    deadline,
  };
}

export interface RecordsEnv {
  /** When the current state was entered (host clock). */
  since: number;
  /** The shared control labels of the session strings. */
  labels: { back: string; cancel: string };
}

/** The records journey's screens, or undefined when the snapshot is elsewhere. */
export function presentRecords(snapshot: SessionSnapshot, env: RecordsEnv): RecordsBody | undefined {
  const { context } = snapshot;
  const r = RECORDS_STRINGS[context.lang];
  const cfg = context.config;
  if (snapshot.matches({ records: 'loading' })) {
    return {
      title: r.loading.title,
      lines: [r.loading.line],
      controls: [{ id: 'cancel', label: env.labels.cancel, kind: 'secondary' }],
    };
  }
  if (snapshot.matches('records')) return contributions(snapshot, r, env, env.since + cfg.menuIdleMs);
  if (snapshot.matches('printing')) {
    const what = context.printKind === 'proof' ? r.printing.proof : r.printing.detail;
    return { title: r.printing.title, lines: [`${r.printing.line}（${what}）`, r.printing.wait] };
  }
  if (snapshot.matches('takeReceipt')) {
    return {
      title: r.takeReceipt.title,
      lines: [...r.takeReceipt.lines, ...(context.receiptCode ? [r.takeReceipt.code(context.receiptCode)] : [])],
      controls: [{ id: 'confirm', label: r.takeReceipt.done, kind: 'primary' }],
      tone: 'success',
      deadline: env.since + cfg.takeReceiptMs,
    };
  }
  if (snapshot.matches('printFailed')) {
    const code = context.lastError?.code ?? 'PRINTER_ERROR';
    const reason = r.printer[printerReason(code)];
    return {
      title: r.printFailed.title,
      lines: [
        r.printFailed.reason(reason),
        ...(code.endsWith('_MID_JOB') ? [r.printFailed.midJob] : []),
        ...r.printFailed.lines,
        r.printFailed.code(code),
      ],
      controls: [{ id: 'back', label: env.labels.back, kind: 'primary' }],
      tone: 'warning',
      deadline: env.since + cfg.menuIdleMs,
    };
  }
  return undefined;
}
