import type { Receipt, ReceiptBlock, TextStyle } from '../../drivers/printer/escpos.js';
import { COLUMNS, textWidth } from '../../drivers/printer/escpos.js';
import { maskId } from '../../drivers/common/mask.js';
import type { PaymentRecord } from '../payment/types.js';
import { localTime, wrap, yuan } from './format.js';

const grouped = (fen: number): string => {
  const [whole, dec] = yuan(fen).split('.');
  return `${Number(whole).toLocaleString('en-US')}.${dec}`;
};
import type { PrintLang } from './strings.js';

const TITLE: TextStyle = { align: 'center', bold: true, width: 2, height: 2 };
const BIG: TextStyle = { align: 'center', bold: true, width: 2, height: 2 };
const CENTER: TextStyle = { align: 'center' };

const ITEM: Record<PrintLang, Record<string, string>> = {
  zh: {
    'flexible-pension': '灵活就业养老保险',
    'flexible-medical': '灵活就业医疗保险',
    'resident-pension': '城乡居民养老保险',
    'resident-medical': '城乡居民医疗保险',
  },
  en: {
    'flexible-pension': 'Pension (flexible employment)',
    'flexible-medical': 'Medical (flexible employment)',
    'resident-pension': 'Resident pension',
    'resident-medical': 'Resident medical',
  },
};

const S = {
  zh: {
    title: '社会保险费缴费凭证',
    reprint: '（补打）',
    ssn: '社会保障号码：',
    item: '险种：',
    periods: '缴费期间：',
    amount: '缴费金额',
    account: '扣款账户：',
    txn: '交易参考号：',
    bankRef: '银行流水号：',
    posting: '入账编号：',
    postingPending: '入账处理中',
    paidAt: '缴费时间：',
    terminal: '终端编号：',
    note: '请妥善保管本凭证。如对扣款有疑问，请凭交易参考号咨询 12333。',
  },
  en: {
    title: 'Premium payment receipt',
    reprint: '(reprint)',
    ssn: 'SSN: ',
    item: 'Insurance: ',
    periods: 'Periods: ',
    amount: 'Amount',
    account: 'Account: ',
    txn: 'Transaction: ',
    bankRef: 'Bank ref: ',
    posting: 'Posting ref: ',
    postingPending: 'being posted',
    paidAt: 'Paid at: ',
    terminal: 'Terminal: ',
    note: 'Keep this receipt. Questions about the payment: call 12333 with the transaction reference.',
  },
} as const;

/**
 * The receipt of one premium payment: what was paid, for which periods, from which account
 * (masked), with the references that let the citizen and the agency find it again.
 */
export function paymentReceipt(rec: PaymentRecord, opts: { lang: PrintLang; terminalId: string; reprint?: boolean }): Receipt {
  const s = S[opts.lang];
  const blocks: ReceiptBlock[] = [];
  const put = (text: string, style?: TextStyle) => blocks.push(style ? { kind: 'text', text, style } : { kind: 'text', text });
  const labelled = (label: string, value: string) => {
    for (const l of wrap(label + value, COLUMNS, textWidth(label))) put(l);
  };
  const periods = rec.order.periods;
  put(s.title, TITLE);
  if (opts.reprint) put(s.reprint, CENTER);
  blocks.push({ kind: 'rule' });
  // The stored id is already masked once final; mask again in case it is not (idempotent).
  labelled(s.ssn, rec.order.ssn.includes('*') ? rec.order.ssn : maskId(rec.order.ssn));
  labelled(s.item, ITEM[opts.lang][rec.order.item] ?? rec.order.item);
  labelled(s.periods, periods.length > 1 ? `${periods[0]} - ${periods[periods.length - 1]}` : (periods[0] ?? ''));
  put(`${s.amount}`, CENTER);
  // Thousands grouped as on the screen the citizen just confirmed.
  put(`¥${grouped(rec.order.amountFen)}`, BIG);
  labelled(s.account, rec.panMasked);
  blocks.push({ kind: 'rule' });
  labelled(s.txn, rec.txnId);
  if (rec.bankRef) labelled(s.bankRef, rec.bankRef);
  labelled(s.posting, rec.postingRef ?? s.postingPending);
  labelled(s.paidAt, localTime(new Date(rec.updatedAt).toISOString()));
  labelled(s.terminal, opts.terminalId);
  blocks.push({ kind: 'rule' });
  for (const l of wrap(s.note, COLUMNS)) put(l);
  return { blocks };
}
