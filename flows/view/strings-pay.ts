/** What a citizen reads on the payment screens. Every failure says what happened to the money. */
import type { PremiumItem } from '../../kiosk/backend/interface.js';
import type { Lang } from './strings.js';

export interface PayStrings {
  services: { 'pay-premiums': string; 'reprint-receipt': string };
  loading: { title: string; line: string };
  items: Record<PremiumItem, string>;
  select: { title: string; intro: string; nothingDue: string[]; periods: string; arrears: string; next: string };
  amount: {
    title: string;
    intro: string;
    base: (yuan: string, perPeriod: string, unit: 'month' | 'year') => string;
    grade: (yuan: string) => string;
    yearly: (yuan: string) => string;
    periods: string;
    count: (n: number, unit: 'month' | 'year') => string;
    range: (from: string, to: string) => string;
    less: string;
    more: string;
    total: string;
  };
  confirm: {
    title: string;
    fields: { item: string; periods: string; choice: string; amount: string; account: string };
    lines: string[];
    button: string;
  };
  pin: { title: string; amount: (yuan: string) => string; enter: string; wrong: (n?: number) => string; cancel: string };
  processing: { title: string; line: string };
  done: {
    title: string;
    fields: { amount: string; txn: string; bankRef: string; posting: string };
    postingPending: string;
    printing: string;
    printed: string;
    noReceipt: string;
    next: string;
  };
  failed: {
    title: string;
    reasons: Record<string, string[]>;
    generic: string[];
    reference: (txn: string) => string;
    help: string;
  };
  reprinting: { title: string; line: string };
}

const zh: PayStrings = {
  services: { 'pay-premiums': '缴纳社保费', 'reprint-receipt': '补打缴费凭证' },
  loading: { title: '正在查询', line: '正在查询您的应缴费用，请稍候。' },
  items: {
    'flexible-pension': '灵活就业养老保险',
    'flexible-medical': '灵活就业医疗保险',
    'resident-pension': '城乡居民养老保险',
    'resident-medical': '城乡居民医疗保险',
  },
  select: {
    title: '缴纳社会保险费',
    intro: '请选择要缴纳的险种，然后点“下一步”。',
    nothingDue: ['您目前没有需要在这里缴纳的费用。', '单位职工的社保费由单位代缴。如有疑问请拨打 12333。'],
    periods: '可缴期间',
    arrears: '欠缴',
    next: '下一步',
  },
  amount: {
    title: '选择缴费档次和期数',
    intro: '请选择缴费基数或档次，并用“少缴一期 / 多缴一期”调整期数。',
    base: (yuan, per, unit) => `基数 ${yuan} 元（每${unit === 'month' ? '月' : '年'} ${per} 元）`,
    grade: (yuan) => `档次 ${yuan} 元/年`,
    yearly: (yuan) => `${yuan} 元/年`,
    periods: '缴费期数',
    count: (n, unit) => (unit === 'month' ? `${n} 个月` : `${n} 年`),
    range: (from, to) => (from === to ? from : `${from} 至 ${to}`),
    less: '少缴一期',
    more: '多缴一期',
    total: '合计金额',
  },
  confirm: {
    title: '请确认缴费',
    fields: { item: '险种', periods: '缴费期间', choice: '档次', amount: '缴费金额', account: '扣款账户' },
    lines: ['费用从这张社保卡的银行账户扣除。', '确认无误请点“确认缴费”，然后在密码键盘上输入银行卡密码。'],
    button: '确认缴费',
  },
  pin: {
    title: '请输入银行卡密码',
    amount: (yuan) => `本次缴费 ${yuan} 元。`,
    enter: '请在密码键盘上输入这张卡的银行卡密码，输完按“确认”键。',
    wrong: (n) => (n === undefined ? '银行卡密码错误，请重新输入。' : `银行卡密码错误，还可输入 ${n} 次。`),
    cancel: '不缴费请点“取消”。',
  },
  processing: { title: '正在缴费', line: '正在缴费，请稍候，请勿拔卡。' },
  done: {
    title: '缴费成功',
    fields: { amount: '缴费金额', txn: '交易参考号', bankRef: '银行流水号', posting: '入账编号' },
    postingPending: '入账处理中（系统会自动完成，无需再次缴费）',
    printing: '正在打印缴费凭证……',
    printed: '请从出纸口取走缴费凭证。',
    noReceipt: '缴费凭证暂时无法打印，缴费已成功。下次插卡时可在菜单中“补打缴费凭证”。',
    next: '继续办理',
  },
  failed: {
    title: '缴费未成功',
    reasons: {
      INSUFFICIENT_FUNDS: ['银行账户余额不足，没有扣款。', '请存入足够金额后再来缴费。'],
      PIN_LOCKED: ['银行卡密码已被锁定，没有扣款。', '请携带身份证件到发卡银行网点办理解锁。'],
      WRONG_PIN: ['银行卡密码错误次数过多，没有扣款。', '请携带身份证件到发卡银行网点办理。'],
      ACCOUNT_INVALID: ['银行账户不能使用，没有扣款。', '请到发卡银行网点咨询。'],
      CARD_NO_FINANCIAL: ['这张卡没有开通银行账户功能，不能在这里缴费。', '请到银行网点或社保服务窗口缴费。'],
      failed: ['暂时无法连接银行，没有扣款。', '请稍后再试，或到银行网点缴费。'],
      reversed: ['交易没有完成，已经自动撤销（冲正），没有扣款。', '请稍后再试。'],
      uncertain: ['暂时无法确认扣款结果。', '如果已经扣款，系统会自动退回，请不要重复缴费。'],
    },
    generic: ['银行没有同意这笔交易，没有扣款。', '请到银行网点咨询。'],
    reference: (txn) => `交易参考号：${txn}`,
    help: '咨询电话：12333',
  },
  reprinting: { title: '正在打印', line: '正在补打缴费凭证，请稍候。' },
};

const en: PayStrings = {
  services: { 'pay-premiums': 'Pay premiums', 'reprint-receipt': 'Reprint payment receipt' },
  loading: { title: 'Looking up', line: 'Looking up what you owe. Please wait.' },
  items: {
    'flexible-pension': 'Pension (flexible employment)',
    'flexible-medical': 'Medical (flexible employment)',
    'resident-pension': 'Resident pension',
    'resident-medical': 'Resident medical insurance',
  },
  select: {
    title: 'Pay social insurance',
    intro: 'Choose what to pay, then touch "Next".',
    nothingDue: ['You have nothing to pay here.', "Employees' premiums are paid by the employer. Questions: call 12333."],
    periods: 'Payable',
    arrears: 'In arrears',
    next: 'Next',
  },
  amount: {
    title: 'Choose the grade and periods',
    intro: 'Choose a contribution base or grade; use "One less" / "One more" for the periods.',
    base: (yuan, per, unit) => `Base CNY ${yuan} (CNY ${per} per ${unit})`,
    grade: (yuan) => `Grade CNY ${yuan} a year`,
    yearly: (yuan) => `CNY ${yuan} a year`,
    periods: 'Periods',
    count: (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`,
    range: (from, to) => (from === to ? from : `${from} to ${to}`),
    less: 'One less',
    more: 'One more',
    total: 'Total',
  },
  confirm: {
    title: 'Please confirm',
    fields: { item: 'Insurance', periods: 'Periods', choice: 'Grade', amount: 'Amount', account: 'From account' },
    lines: ["The money is taken from this card's bank account.", 'If this is right, touch "Pay", then enter the bank PIN on the PIN pad.'],
    button: 'Pay',
  },
  pin: {
    title: 'Enter your bank PIN',
    amount: (yuan) => `You are paying CNY ${yuan}.`,
    enter: "Enter this card's bank PIN on the PIN pad, then press Enter.",
    wrong: (n) => (n === undefined ? 'Wrong bank PIN. Please try again.' : `Wrong bank PIN. ${n} tries left.`),
    cancel: 'To stop, touch "Cancel".',
  },
  processing: { title: 'Paying', line: 'Paying. Please wait and do not pull the card out.' },
  done: {
    title: 'Paid',
    fields: { amount: 'Amount', txn: 'Transaction reference', bankRef: 'Bank reference', posting: 'Posting reference' },
    postingPending: 'Being posted (this completes by itself; do not pay again)',
    printing: 'Printing your receipt…',
    printed: 'Please take your receipt from the slot.',
    noReceipt: 'The receipt cannot be printed now; the payment went through. Next time, choose "Reprint payment receipt".',
    next: 'Continue',
  },
  failed: {
    title: 'Not paid',
    reasons: {
      INSUFFICIENT_FUNDS: ['Not enough money in the account. Nothing was taken.', 'Please pay in enough money and come back.'],
      PIN_LOCKED: ['The bank PIN is locked. Nothing was taken.', 'Please go to your bank with your ID to unlock it.'],
      WRONG_PIN: ['Too many wrong bank PINs. Nothing was taken.', 'Please go to your bank with your ID.'],
      ACCOUNT_INVALID: ['The bank account cannot be used. Nothing was taken.', 'Please ask your bank.'],
      CARD_NO_FINANCIAL: ['This card has no bank account, so it cannot pay here.', 'Please pay at a bank or a service counter.'],
      failed: ['The bank cannot be reached. Nothing was taken.', 'Please try again later, or pay at a bank.'],
      reversed: ['The payment did not complete and was cancelled automatically. Nothing was taken.', 'Please try again later.'],
      uncertain: ['We cannot confirm the payment yet.', 'If money was taken it will be returned automatically. Please do not pay again.'],
    },
    generic: ['The bank did not accept the payment. Nothing was taken.', 'Please ask your bank.'],
    reference: (txn) => `Transaction reference: ${txn}`,
    help: 'Help line: 12333',
  },
  reprinting: { title: 'Printing', line: 'Printing your payment receipt again. Please wait.' },
};

export const PAY_STRINGS: Record<Lang, PayStrings> = { 'zh-CN': zh, en };
