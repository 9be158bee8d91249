/**
 * What a citizen reads on the contributions and printing screens, in both languages. Kept apart
 * from the session strings so each language file stays readable.
 */
import type { InsuranceType, InsuredStatus, Scheme } from '../../kiosk/backend/interface.js';
import type { Lang } from './strings.js';

/** Why printing cannot be used, by printer device state or PRINTER_* error code class. */
export type PrinterReason = 'paper-out' | 'cover-open' | 'jam' | 'fault' | 'not-configured' | 'starting';

export interface RecordsStrings {
  services: { 'query-contributions': string; 'print-statement': string };
  loading: { title: string; line: string };
  records: {
    title: string;
    intro: (name: string) => string;
    empty: string[];
    tabs: Record<InsuranceType, string>;
    schemes: Record<Scheme, string>;
    statuses: Record<InsuredStatus, string>;
    notInsured: string;
    fields: { status: string; paidMonths: string; arrearsMonths: string; pensionAccount: string; medicalAccount: string };
    months: (n: number) => string;
    balance: (yuan: string, asOf: string) => string;
    caption: (year: number, type: string) => string;
    noYear: string;
    columns: { month: string; base: string; employer: string; personal: string; status: string };
    paid: string;
    arrears: string;
    arrearsHint: (n: number) => string;
    yearPrev: (year: number) => string;
    yearNext: (year: number) => string;
    yearNone: string;
    printDetail: string;
    printProof: string;
    printUnavailable: (reason: string) => string;
  };
  printer: Record<PrinterReason, string>;
  printing: { title: string; line: string; detail: string; proof: string; wait: string };
  takeReceipt: { title: string; lines: string[]; code: (code: string) => string; done: string };
  printFailed: { title: string; reason: (reason: string) => string; midJob: string; lines: string[]; code: (c: string) => string };
}

const zh: RecordsStrings = {
  services: { 'query-contributions': '查询缴费记录', 'print-statement': '打印缴费明细' },
  loading: { title: '正在查询', line: '正在查询您的缴费记录，请稍候。' },
  records: {
    title: '我的缴费记录',
    intro: (name) => `${name}，以下是您的社会保险缴费记录。点上方的险种可以切换。`,
    empty: ['没有查到您的缴费记录。', '如果您认为记录有误，请携带身份证件到社保服务窗口咨询，或拨打 12333。'],
    tabs: { pension: '养老保险', medical: '医疗保险', unemployment: '失业保险', injury: '工伤保险', maternity: '生育保险' },
    schemes: { employee: '职工', flexible: '灵活就业', resident: '城乡居民' },
    statuses: { active: '正常参保', suspended: '暂停缴费', retired: '退休', terminated: '终止参保' },
    notInsured: '未参保',
    fields: {
      status: '参保状态',
      paidMonths: '累计缴费',
      arrearsMonths: '欠缴',
      pensionAccount: '养老个人账户余额',
      medicalAccount: '医保个人账户余额',
    },
    months: (n) => `${n} 个月`,
    balance: (yuan, asOf) => `${yuan} 元（截至 ${asOf}）`,
    caption: (year, type) => `${year} 年 ${type} 缴费明细（单位：元）`,
    noYear: '这个险种没有缴费记录。',
    columns: { month: '月份', base: '缴费基数', employer: '单位缴纳', personal: '个人缴纳', status: '状态' },
    paid: '已缴',
    arrears: '欠缴',
    arrearsHint: (n) => `有 ${n} 个月欠缴（表中标出）。请联系单位或到社保服务窗口补缴。`,
    yearPrev: (y) => `‹ ${y} 年`,
    yearNext: (y) => `${y} 年 ›`,
    yearNone: '—',
    printDetail: '打印缴费明细',
    printProof: '打印参保证明',
    printUnavailable: (reason) => `暂不能打印：${reason}`,
  },
  printer: {
    'paper-out': '打印机缺纸',
    'cover-open': '打印机盖未关好',
    jam: '打印机卡纸',
    fault: '打印机故障',
    'not-configured': '本机不提供打印',
    starting: '打印机正在准备',
  },
  printing: {
    title: '正在打印',
    line: '正在打印，请稍候。',
    detail: '缴费明细',
    proof: '参保证明',
    wait: '打印完成后请从出纸口取走凭证。',
  },
  takeReceipt: {
    title: '请取走凭证',
    lines: ['打印完成，请从出纸口取走您的凭证。', '凭证上的验证码可用于查验真伪。'],
    code: (code) => `验证码：${code}`,
    done: '已取走',
  },
  printFailed: {
    title: '未能打印',
    reason: (reason) => `没有打印成功：${reason}。`,
    midJob: '打印到一半停止了，出纸口的纸条不完整，请不要使用。',
    lines: ['工作人员已收到提醒。您的卡片和其他业务都不受影响。', '您可以返回继续办理其他业务，或稍后再来打印，也可以到社保服务窗口打印。'],
    code: (c) => `（代码 ${c}）`,
  },
};

const en: RecordsStrings = {
  services: { 'query-contributions': 'My contributions', 'print-statement': 'Print statement' },
  loading: { title: 'Looking up', line: 'Looking up your contribution records. Please wait.' },
  records: {
    title: 'My contributions',
    intro: (name) => `${name}, here are your social insurance contributions. Touch an insurance type above to switch.`,
    empty: [
      'We found no contribution records for you.',
      'If you think this is wrong, please ask at a social security service counter with your ID, or call 12333.',
    ],
    tabs: { pension: 'Pension', medical: 'Medical', unemployment: 'Unemployment', injury: 'Work injury', maternity: 'Maternity' },
    schemes: { employee: 'employee', flexible: 'flexible employment', resident: 'urban-rural resident' },
    statuses: { active: 'Insured', suspended: 'Contributions paused', retired: 'Retired', terminated: 'Ended' },
    notInsured: 'Not insured',
    fields: {
      status: 'Status',
      paidMonths: 'Months paid',
      arrearsMonths: 'Months in arrears',
      pensionAccount: 'Pension account balance',
      medicalAccount: 'Medical account balance',
    },
    months: (n) => `${n} month${n === 1 ? '' : 's'}`,
    balance: (yuan, asOf) => `CNY ${yuan} (as of ${asOf})`,
    caption: (year, type) => `${type} contributions in ${year} (CNY)`,
    noYear: 'No contributions on record for this insurance type.',
    columns: { month: 'Month', base: 'Base', employer: 'Employer', personal: 'Personal', status: 'Status' },
    paid: 'Paid',
    arrears: 'In arrears',
    arrearsHint: (n) =>
      `${n} month${n === 1 ? ' is' : 's are'} in arrears (marked). Ask your employer or a service counter about paying them.`,
    yearPrev: (y) => `‹ ${y}`,
    yearNext: (y) => `${y} ›`,
    yearNone: '—',
    printDetail: 'Print statement',
    printProof: 'Print proof of insurance',
    printUnavailable: (reason) => `Printing unavailable: ${reason}`,
  },
  printer: {
    'paper-out': 'the printer is out of paper',
    'cover-open': 'the printer cover is open',
    jam: 'the printer is jammed',
    fault: 'the printer is not working',
    'not-configured': 'this machine has no printer',
    starting: 'the printer is getting ready',
  },
  printing: {
    title: 'Printing',
    line: 'Printing. Please wait.',
    detail: 'Contribution statement',
    proof: 'Proof of insurance',
    wait: 'When it is done, take your receipt from the slot.',
  },
  takeReceipt: {
    title: 'Take your receipt',
    lines: ['Printing is done. Please take your receipt from the slot.', 'The code on it lets anyone check that it is genuine.'],
    code: (code) => `Verification code: ${code}`,
    done: 'Taken',
  },
  printFailed: {
    title: 'Could not print',
    reason: (reason) => `Printing failed: ${reason}.`,
    midJob: 'Printing stopped halfway. The paper in the slot is incomplete: please do not use it.',
    lines: [
      'Staff have been alerted. Your card and the other services are not affected.',
      'You can go back and use other services, try printing later, or print at a service counter.',
    ],
    code: (c) => `(code ${c})`,
  },
};

export const RECORDS_STRINGS: Record<Lang, RecordsStrings> = { 'zh-CN': zh, en };

/** Printer state (device status) or a PRINTER_* error code → the reason a citizen reads. */
export function printerReason(stateOrCode: string | undefined): PrinterReason {
  const s = stateOrCode ?? 'starting';
  if (s === 'paper-out' || s.startsWith('PRINTER_PAPER_OUT')) return 'paper-out';
  if (s === 'cover-open' || s.startsWith('PRINTER_COVER_OPEN')) return 'cover-open';
  if (s === 'jam' || s === 'PRINTER_JAM' || s.startsWith('PRINTER_CUTTER')) return 'jam';
  if (s === 'not-configured' || s === 'PRINTER_NOT_CONFIGURED') return 'not-configured';
  if (s === 'starting' || s === 'PRINTER_STARTING') return 'starting';
  return 'fault';
}
