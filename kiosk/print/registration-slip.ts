import type { Receipt, ReceiptBlock, TextStyle } from '../../drivers/printer/escpos.js';
import { COLUMNS, textWidth } from '../../drivers/printer/escpos.js';
import { maskId, maskName } from '../../drivers/common/mask.js';
import { localTime, wrap, yuan } from './format.js';
import type { PrintLang } from './strings.js';

/** What a registration slip (挂号凭条) carries; the HIS's registration plus how it was paid. */
export interface RegistrationSlipData {
  hospital: string;
  regId: string;
  queueNumber: number;
  department: string;
  doctor: string;
  doctorTitle: string;
  /** YYYY-MM-DD */
  date: string;
  /** e.g. 08:00–08:30 */
  time: string;
  location: string;
  patientName: string;
  ssn: string;
  feeFen: number;
  payment: { method: 'medical-account' | 'bank-card'; ref: string; accountMasked?: string };
  /** ISO time of the registration. */
  registeredAt: string;
  /** What the QR holds: the hospital's check-in code for this registration. */
  checkInCode: string;
}

const TITLE: TextStyle = { align: 'center', bold: true, width: 2, height: 2 };
const BIG: TextStyle = { align: 'center', bold: true, width: 3, height: 3 };
const CENTER: TextStyle = { align: 'center' };

const S = {
  zh: {
    title: '挂号凭条',
    reprint: '（补打）',
    queue: '就诊序号',
    dept: '科室：',
    doctor: '医生：',
    time: '就诊时间：',
    place: '就诊地点：',
    patient: '患者：',
    ssn: '社会保障号码：',
    fee: '挂号费：',
    paidBy: { 'medical-account': '医保个人账户', 'bank-card': '社保卡银行账户' },
    payRef: '支付流水号：',
    reg: '挂号单号：',
    at: '挂号时间：',
    terminal: '终端编号：',
    note: '请按时到诊区候诊，到诊后扫码签到。当日未就诊可在就诊时段开始前于自助机退号退费。',
  },
  en: {
    title: 'Registration slip',
    reprint: '(reprint)',
    queue: 'Queue number',
    dept: 'Department: ',
    doctor: 'Doctor: ',
    time: 'Time: ',
    place: 'Where: ',
    patient: 'Patient: ',
    ssn: 'SSN: ',
    fee: 'Fee: ',
    paidBy: { 'medical-account': 'medical insurance account', 'bank-card': "card's bank account" },
    payRef: 'Payment ref: ',
    reg: 'Registration: ',
    at: 'Registered at: ',
    terminal: 'Terminal: ',
    note: 'Please be at the waiting area in time and scan the code to check in. A same-day registration can be cancelled at a kiosk before its time starts.',
  },
} as const;

/** The slip a patient takes to the clinic: the queue number large, where and when, paid how. */
export function registrationSlip(r: RegistrationSlipData, opts: { lang: PrintLang; terminalId: string; reprint?: boolean }): Receipt {
  const s = S[opts.lang];
  const blocks: ReceiptBlock[] = [];
  const put = (text: string, style?: TextStyle) => blocks.push(style ? { kind: 'text', text, style } : { kind: 'text', text });
  const labelled = (label: string, value: string) => {
    for (const l of wrap(label + value, COLUMNS, textWidth(label))) put(l);
  };
  put(r.hospital, CENTER);
  put(s.title, TITLE);
  if (opts.reprint) put(s.reprint, CENTER);
  blocks.push({ kind: 'rule' });
  put(s.queue, CENTER);
  put(String(r.queueNumber), BIG);
  labelled(s.dept, r.department);
  labelled(s.doctor, `${r.doctor} ${r.doctorTitle}`);
  labelled(s.time, `${r.date} ${r.time}`);
  labelled(s.place, r.location);
  blocks.push({ kind: 'rule' });
  labelled(s.patient, maskName(r.patientName));
  labelled(s.ssn, r.ssn.includes('*') ? r.ssn : maskId(r.ssn));
  labelled(s.fee, `¥${yuan(r.feeFen)}（${s.paidBy[r.payment.method]}${r.payment.accountMasked ? ` ${r.payment.accountMasked}` : ''}）`);
  labelled(s.payRef, r.payment.ref);
  labelled(s.reg, r.regId);
  labelled(s.at, localTime(r.registeredAt));
  labelled(s.terminal, opts.terminalId);
  blocks.push({ kind: 'qr', data: r.checkInCode, size: 6, ec: 'M', align: 'center' });
  for (const l of wrap(s.note, COLUMNS)) put(l);
  return { blocks };
}
