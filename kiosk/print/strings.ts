/**
 * Words printed on the statement, in Chinese (the document's language of record) and English.
 * Short forms exist where a 48-column table has no room for the long one.
 */
import type { InsuranceType, InsuredStatus, Scheme, StatementKind } from '../backend/interface.js';

export type PrintLang = 'zh' | 'en';

export interface StatementStrings {
  title: Readonly<Record<StatementKind, string>>;
  name: string;
  sex: Readonly<Record<'male' | 'female', string>>;
  sexLabel: string;
  ssn: string;
  employer: string;
  noEmployer: string;
  agency: string;
  type: Readonly<Record<InsuranceType, string>>;
  typeShort: Readonly<Record<InsuranceType, string>>;
  scheme: Readonly<Record<Scheme, string>>;
  status: Readonly<Record<InsuredStatus, string>>;
  summaryHeading: string;
  span: (first: string, last: string) => string;
  paidMonths: (n: number) => string;
  arrearsMonths: (n: number) => string;
  noRecords: string;
  detailHeading: (first: string, last: string) => string;
  noLines: string;
  columns: readonly [month: string, type: string, base: string, personal: string, employer: string];
  /** Marks a month in arrears on its detail line (printed bold). */
  arrears: string;
  code: string;
  issuedAt: string;
  terminal: string;
  /** How to verify, as phrases: each starts a line (a wrap inside a phrase reads badly). */
  verify: (urlBase: string | undefined) => readonly string[];
  masked: string;
}

const zh: StatementStrings = {
  title: { proof: '社会保险个人参保缴费证明', detail: '社会保险个人缴费明细' },
  name: '姓名：',
  sexLabel: '性别：',
  sex: { male: '男', female: '女' },
  ssn: '社会保障号码：',
  employer: '单位：',
  noEmployer: '无',
  agency: '经办机构：',
  type: { pension: '养老保险', medical: '医疗保险', unemployment: '失业保险', injury: '工伤保险', maternity: '生育保险' },
  typeShort: { pension: '养老', medical: '医疗', unemployment: '失业', injury: '工伤', maternity: '生育' },
  scheme: { employee: '城镇职工', flexible: '灵活就业', resident: '城乡居民' },
  status: { active: '参保缴费', suspended: '暂停缴费', retired: '退休', terminated: '终止参保' },
  summaryHeading: '参保缴费情况',
  span: (a, b) => `${a} 至 ${b}`,
  paidMonths: (n) => `缴费 ${n} 个月`,
  arrearsMonths: (n) => `欠缴 ${n} 个月`,
  noRecords: '无缴费记录',
  detailHeading: (a, b) => `缴费明细 ${a} 至 ${b}（单位：元）`,
  noLines: '所选期间无缴费记录',
  columns: ['年月', '险种', '基数', '个人', '单位'],
  arrears: '欠缴',
  code: '验证码：',
  issuedAt: '打印时间：',
  terminal: '终端编号：',
  verify: (base) => ['扫描二维码核验本证明真伪，', base ? `或访问 ${base} 输入验证码。` : '或凭验证码到社保经办机构核验。'],
  masked: '为保护个人信息，证件号码部分隐藏。',
};

const en: StatementStrings = {
  title: { proof: 'Social Insurance Contribution Certificate', detail: 'Social Insurance Contribution Details' },
  name: 'Name: ',
  sexLabel: 'Sex: ',
  sex: { male: 'male', female: 'female' },
  ssn: 'Social security no.: ',
  employer: 'Employer: ',
  noEmployer: 'none',
  agency: 'Agency: ',
  type: { pension: 'Pension', medical: 'Medical', unemployment: 'Unemployment', injury: 'Work injury', maternity: 'Maternity' },
  typeShort: { pension: 'Pension', medical: 'Medical', unemployment: 'Unempl.', injury: 'Injury', maternity: 'Matern.' },
  scheme: { employee: 'employee', flexible: 'flexible employment', resident: 'urban-rural resident' },
  status: { active: 'contributing', suspended: 'suspended', retired: 'retired', terminated: 'terminated' },
  summaryHeading: 'Insurance and contributions',
  span: (a, b) => `${a} to ${b}`,
  paidMonths: (n) => `${n} ${n === 1 ? 'month' : 'months'} paid`,
  arrearsMonths: (n) => `${n} ${n === 1 ? 'month' : 'months'} in arrears`,
  noRecords: 'no contributions on record',
  detailHeading: (a, b) => `Contributions ${a} to ${b} (CNY)`,
  noLines: 'No contributions in this period',
  columns: ['Month', 'Type', 'Base', 'Personal', 'Employer'],
  // "ARREARS" would not fit beside four amount columns in 48; "OWED" says the same in plain words.
  arrears: 'OWED',
  code: 'Verification code: ',
  issuedAt: 'Printed: ',
  terminal: 'Terminal: ',
  verify: (base) => [
    'Scan the QR code to check this statement,',
    base ? `or enter the code at ${base}` : 'or quote the code at a social insurance office.',
  ],
  masked: 'ID number partly hidden to protect personal data.',
};

export const STATEMENT_STRINGS: Readonly<Record<PrintLang, StatementStrings>> = { zh, en };
