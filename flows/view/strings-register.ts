/**
 * What a patient reads on the hospital profile's screens (挂号, 退号, slips), in both languages.
 * Every failure says what happened to the money; every screen says what to do next.
 */
import type { PaymentMethod } from '../session/register-types.js';
import type { Lang } from './strings.js';

export interface RegisterStrings {
  services: { 'register-visit': string; 'cancel-registration': string; 'reprint-slip': string };
  idle: { venue: (name: string) => string; services: string };
  loading: { departments: string; slots: string; holding: string; account: string; registrations: string; title: string };
  methods: Record<PaymentMethod, string>;
  /** The source buttons on reg-confirm. */
  methodButtons: Record<PaymentMethod, string>;
  department: { title: string; intro: string; location: string; next: string };
  slot: {
    title: string;
    intro: string;
    today: string;
    tomorrow: string;
    date: (date: string) => string;
    noClinic: string;
    full: string;
    none: string;
    selected: string;
    columns: { doctor: string; title: string; specialty: string; fee: string; free: string };
    freeCount: (n: number) => string;
    notices: Record<'taken' | 'full' | 'already' | 'closed' | 'gone' | 'rejected' | 'refunded', string>;
  };
  confirm: {
    title: (yuan: string) => string;
    fields: { department: string; doctor: string; time: string; location: string; fee: string };
    fee: (total: string, reg: string, consult: string) => string;
    /** Where the money comes from (the bank account masked, once read). */
    from: Record<PaymentMethod, (account?: string) => string>;
    heldUntil: (time: string) => string;
    noPrinter: string;
    needsPin: string;
    needsCard: string;
    cardNotice: (code: string) => string;
    button: string;
  };
  pin: { amount: (yuan: string) => string };
  processing: { title: string; line: string; cancelTitle: string; cancelLine: string };
  done: {
    title: string;
    titled: (queue: string) => string;
    queue: (n: number) => string;
    fields: { queue: string; regId: string; paid: string };
    go: (when: string, where: string) => string;
    printing: string;
    pendingTitle: string;
    pending: string[];
    reference: (txn: string) => string;
    next: string;
  };
  takeSlip: { title: string; lines: string[]; done: string };
  slipFailed: { title: string; registered: (queue: string) => string; reason: (reason: string) => string; later: string; retry: string; partial: string };
  failed: {
    title: string;
    reasons: Record<string, string[]>;
    generic: string[];
    reference: (txn: string) => string;
    otherWay: string;
    chooseAgain: string;
  };
  unavailable: { title: string; lines: string[]; cancelSent: string };
  cancel: {
    title: string;
    intro: string;
    none: string[];
    notices: Record<'started' | 'gone', string>;
    confirmTitle: string;
    refundBy: (yuan: string, method: string) => string;
    refundCounter: (yuan: string) => string;
    final: string;
    button: string;
    doneTitle: string;
    refunded: (yuan: string, method: string) => string;
    refundPending: (yuan: string, method: string) => string;
    refundAtCounter: (yuan: string, regId: string) => string;
    regId: (regId: string) => string;
  };
}

const WEEK_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ymd = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return { m: d.getUTCMonth(), d: d.getUTCDate(), w: d.getUTCDay() };
};

const zh: RegisterStrings = {
  services: { 'register-visit': '挂号', 'cancel-registration': '退号', 'reprint-slip': '补打挂号凭条' },
  idle: { venue: (name) => `${name} 自助挂号`, services: '可办理：挂号（医保个人账户或社保卡银行账户支付）、当日退号、补打挂号凭条、查询缴费记录。' },
  loading: {
    title: '请稍候',
    departments: '正在查询科室，请稍候。',
    slots: '正在查询号源，请稍候。',
    holding: '正在为您保留这个号，请稍候。',
    account: '正在读取社保卡银行账户，请勿拔卡。',
    registrations: '正在查询您今天的挂号，请稍候。',
  },
  methods: { 'medical-account': '医保个人账户', 'bank-card': '社保卡银行账户' },
  methodButtons: { 'medical-account': '医保个人账户', 'bank-card': '社保卡银行账户' },
  department: { title: '请选择科室', intro: '请点选要挂号的科室，然后点“下一步”。', location: '科室位置', next: '下一步' },
  slot: {
    title: '请选择医生和就诊时间',
    intro: '点上方的日期可以换一天；再点选医生和时间段，然后点“下一步”。已满的号不能选。',
    today: '今天',
    tomorrow: '明天',
    date: (date) => {
      const x = ymd(date);
      return `${x.m + 1}月${x.d}日 ${WEEK_ZH[x.w]}`;
    },
    noClinic: '无号',
    full: '已满',
    none: '这一天已经没有可以挂的号，请换一天。',
    selected: '已选',
    columns: { doctor: '医生', title: '职称', specialty: '专长', fee: '挂号费（元）', free: '当天余号' },
    freeCount: (n) => (n > 0 ? `${n} 个` : '已满'),
    notices: {
      taken: '您选的号刚刚被约满，请另选。没有扣费。',
      full: '您选的号已经约满，请另选。没有扣费。',
      already: '您今天已经挂过这位医生的号（同一天同一医生只能挂一个号）。请另选。没有扣费。',
      closed: '这个时段已经结束，请另选。没有扣费。',
      gone: '这个号已经不存在，请另选。没有扣费。',
      rejected: '医院系统没有接受这个号，请另选。没有扣费。',
      refunded: '您刚才选的号已被约满，已付的挂号费已原路退回。请另选。',
    },
  },
  confirm: {
    title: (yuan) => `请确认挂号：¥${yuan}`,
    fields: { department: '科室', doctor: '科室医生', time: '就诊时间', location: '就诊地点', fee: '挂号费' },
    fee: (total, reg, consult) => `¥${total}（挂号 ${reg} + 诊查 ${consult}）`,
    from: {
      'medical-account': () => '费用从您的医保个人账户支付，不需要再输入密码。',
      'bank-card': (account) => `费用从这张社保卡的银行账户${account ? ` ${account} ` : ''}扣除，确认后请输入银行卡密码。`,
    },
    heldUntil: (time) => `这个号已为您保留到 ${time}。`,
    noPrinter: '打印机暂时无法打印：挂号成功后可以稍后补打挂号凭条。',
    needsPin: '需先验证社保卡密码',
    needsCard: '请插入社保卡',
    cardNotice: (code) =>
      code === 'CARD_NO_FINANCIAL' ? '这张卡没有开通银行账户功能，请用医保个人账户支付。' : `暂时无法读取这张卡的银行账户（${code}），请用医保个人账户支付或稍后再试。`,
    button: '确认挂号',
  },
  pin: { amount: (yuan) => `本次挂号费 ${yuan} 元。` },
  processing: { title: '正在挂号', line: '正在支付挂号费并挂号，请稍候，请勿拔卡。', cancelTitle: '正在退号', cancelLine: '正在退号，请稍候，请勿拔卡。' },
  done: {
    title: '挂号成功',
    titled: (queue) => `挂号成功：${queue}`,
    queue: (n) => `就诊序号 ${n} 号`,
    fields: { queue: '就诊序号', regId: '挂号单号', paid: '已付' },
    go: (when, where) => `请于 ${when} 到 ${where} 候诊，到诊后扫描凭条上的二维码签到。`,
    printing: '正在打印挂号凭条……',
    pendingTitle: '已缴费，挂号正在完成',
    pending: ['挂号费已支付，系统正在医院完成挂号，会自动完成。', '请不要重复缴费。稍后可在本机“补打挂号凭条”，或到人工窗口查询。'],
    reference: (txn) => `交易参考号：${txn}`,
    next: '继续办理',
  },
  takeSlip: { title: '请取走挂号凭条', lines: ['请从出纸口取走挂号凭条，凭条上有就诊序号和签到二维码。'], done: '已取走' },
  slipFailed: {
    title: '挂号凭条未能打印',
    registered: (queue) => `挂号已成功：${queue}。`,
    reason: (reason) => `凭条没有打印出来：${reason}。`,
    later: '可以点“重新打印”，也可以稍后在菜单中“补打挂号凭条”。不打印凭条也可以凭社保卡到诊区签到。',
    retry: '重新打印',
    partial: '打印中途停止，打出的半张凭条请不要使用。',
  },
  failed: {
    title: '挂号未成功',
    reasons: {
      INSUFFICIENT_BALANCE: ['医保个人账户余额不足，没有扣费。', '可以换用社保卡银行账户支付。'],
      NO_MEDICAL_ACCOUNT: ['您没有医保个人账户，没有扣费。', '可以换用社保卡银行账户支付。'],
      REVERSED_BEFORE_DEBIT: ['这笔支付已被撤销，没有扣费。', '请重新支付。'],
      INSUFFICIENT_FUNDS: ['银行账户余额不足，没有扣款。', '可以换用医保个人账户支付。'],
      PIN_LOCKED: ['银行卡密码已被锁定，没有扣款。', '请携带身份证件到发卡银行网点办理解锁，或换用医保个人账户支付。'],
      WRONG_PIN: ['银行卡密码错误次数过多，没有扣款。', '请换用医保个人账户支付。'],
      ACCOUNT_INVALID: ['银行账户不能使用，没有扣款。', '可以换用医保个人账户支付。'],
      failed: ['暂时无法完成支付，没有扣费。', '请稍后再试，或换一种方式支付。'],
      reversed: ['支付没有完成，已经自动撤销，没有扣费。', '请稍后再试。'],
      refunded: ['您选的号在支付时已被约满，挂号没有成功。', '已扣的挂号费已经原路退回。请另选一个号。'],
      uncertain: ['暂时无法确认支付结果，挂号没有成功。', '如果已经扣费，系统会自动退回，请不要重复缴费。'],
      error: ['挂号没有完成，没有扣费。', '请稍后再试，或到人工挂号窗口办理。'],
    },
    generic: ['支付没有被接受，没有扣费。', '可以换一种方式支付。'],
    reference: (txn) => `交易参考号：${txn}`,
    otherWay: '换一种方式支付',
    chooseAgain: '重新选择号源',
  },
  unavailable: {
    title: '挂号服务暂时不可用',
    lines: ['暂时无法连接医院挂号系统，没有扣费。', '请稍后再试，或到人工挂号窗口办理。'],
    cancelSent: '刚才的退号结果暂时无法确认：请稍后在本机“退号”中查看，或到人工窗口确认。',
  },
  cancel: {
    title: '退号',
    intro: '以下是您今天还没有开始就诊的挂号。请选择要退的号，然后点“下一步”。',
    none: ['您今天没有可以在这里退的号。', '已经开始就诊或已经退过的号不能退；其他日期的号请到人工窗口办理。'],
    notices: { started: '这个号已经开始就诊或已经退过，不能退。', gone: '没有找到这个号，可能已经退过。' },
    confirmTitle: '确认退号',
    refundBy: (yuan, method) => `退号后，挂号费 ¥${yuan} 将退回您的${method}。`,
    refundCounter: (yuan) => `本机暂时不能自动退费：退号后请到人工收费窗口办理退费（¥${yuan}）。`,
    final: '退号后，这个号会让给其他患者，不能恢复。确定请点“确认退号”。',
    button: '确认退号',
    doneTitle: '退号成功',
    refunded: (yuan, method) => `挂号费 ¥${yuan} 已退回您的${method}。`,
    refundPending: (yuan, method) => `挂号费 ¥${yuan} 正在退回您的${method}，系统会自动完成，请不要重复申请。`,
    refundAtCounter: (yuan, regId) => `请到人工收费窗口办理退费（¥${yuan}），并告知挂号单号 ${regId}。`,
    regId: (regId) => `挂号单号：${regId}`,
  },
};

const en: RegisterStrings = {
  services: { 'register-visit': 'Register for a visit', 'cancel-registration': 'Cancel a registration', 'reprint-slip': 'Reprint registration slip' },
  idle: {
    venue: (name) => `${name} · self-service registration`,
    services: 'Here you can register for a visit (paid from your medical insurance account or your card’s bank account), cancel today’s registration, reprint a slip, and see your contributions.',
  },
  loading: {
    title: 'Please wait',
    departments: 'Looking up the departments. Please wait.',
    slots: 'Looking up the appointments. Please wait.',
    holding: 'Keeping this appointment for you. Please wait.',
    account: 'Reading your card’s bank account. Do not pull the card out.',
    registrations: 'Looking up your registrations for today. Please wait.',
  },
  methods: { 'medical-account': 'medical insurance account', 'bank-card': 'card’s bank account' },
  methodButtons: { 'medical-account': 'Medical insurance account', 'bank-card': 'Card’s bank account' },
  department: { title: 'Choose a department', intro: 'Touch the department you need, then touch "Next".', location: 'Where', next: 'Next' },
  slot: {
    title: 'Choose a doctor and a time',
    intro: 'Touch a day above to change the day; then touch a doctor’s time and "Next". Full times cannot be chosen.',
    today: 'Today',
    tomorrow: 'Tomorrow',
    date: (date) => {
      const x = ymd(date);
      return `${WEEK_EN[x.w]} ${x.d} ${MONTH_EN[x.m]}`;
    },
    noClinic: 'No clinic',
    full: 'Full',
    none: 'No appointments are left on this day. Please choose another day.',
    selected: 'Chosen',
    columns: { doctor: 'Doctor', title: 'Title', specialty: 'Specialty', fee: 'Fee (CNY)', free: 'Left that day' },
    freeCount: (n) => (n > 0 ? `${n}` : 'Full'),
    notices: {
      taken: 'The time you chose was just taken. Please choose another. Nothing was charged.',
      full: 'The time you chose is full. Please choose another. Nothing was charged.',
      already: 'You already have this doctor today (one registration per doctor per day). Please choose another. Nothing was charged.',
      closed: 'This time has ended. Please choose another. Nothing was charged.',
      gone: 'This appointment no longer exists. Please choose another. Nothing was charged.',
      rejected: 'The hospital did not accept this appointment. Please choose another. Nothing was charged.',
      refunded: 'The time you chose was taken; the fee you paid has been returned. Please choose another.',
    },
  },
  confirm: {
    title: (yuan) => `Please confirm: CNY ${yuan}`,
    fields: { department: 'Department', doctor: 'Doctor', time: 'Time', location: 'Where', fee: 'Fee' },
    fee: (total, reg, consult) => `CNY ${total} (registration ${reg} + consultation ${consult})`,
    from: {
      'medical-account': () => 'The fee is paid from your medical insurance account; no further PIN is needed.',
      'bank-card': (account) => `The fee is taken from this card’s bank account${account ? ` ${account}` : ''}; you enter the bank PIN next.`,
    },
    heldUntil: (time) => `This appointment is kept for you until ${time}.`,
    noPrinter: 'The printer cannot print now: you can reprint the slip later.',
    needsPin: 'Your card PIN is needed first',
    needsCard: 'Insert your card',
    cardNotice: (code) =>
      code === 'CARD_NO_FINANCIAL'
        ? 'This card has no bank account: please pay from your medical insurance account.'
        : `The card’s bank account cannot be read now (${code}): please pay from your medical insurance account, or try later.`,
    button: 'Register and pay',
  },
  pin: { amount: (yuan) => `The fee is CNY ${yuan}.` },
  processing: {
    title: 'Registering',
    line: 'Paying the fee and registering. Please wait and do not pull the card out.',
    cancelTitle: 'Cancelling',
    cancelLine: 'Cancelling your registration. Please wait.',
  },
  done: {
    title: 'Registered',
    titled: (queue) => `Registered: ${queue}`,
    queue: (n) => `Queue number ${n}`,
    fields: { queue: 'Queue number', regId: 'Registration', paid: 'Paid' },
    go: (when, where) => `Please be at ${where} ${when}, and scan the code on the slip to check in.`,
    printing: 'Printing your registration slip…',
    pendingTitle: 'Paid; registration being completed',
    pending: ['The fee is paid; the hospital registration is being completed automatically.', 'Do not pay again. You can reprint the slip here later, or ask at a counter.'],
    reference: (txn) => `Transaction reference: ${txn}`,
    next: 'Continue',
  },
  takeSlip: { title: 'Take your registration slip', lines: ['Please take the slip from the slot: it has your queue number and the check-in code.'], done: 'Taken' },
  slipFailed: {
    title: 'The slip was not printed',
    registered: (queue) => `You are registered: ${queue}.`,
    reason: (reason) => `The slip did not print: ${reason}.`,
    later: 'Touch "Print again", or choose "Reprint registration slip" later. You can also check in with your card.',
    retry: 'Print again',
    partial: 'Printing stopped halfway: do not use the partial slip.',
  },
  failed: {
    title: 'Not registered',
    reasons: {
      INSUFFICIENT_BALANCE: ['Not enough money in your medical insurance account. Nothing was charged.', 'You can pay from the card’s bank account instead.'],
      NO_MEDICAL_ACCOUNT: ['You have no medical insurance account. Nothing was charged.', 'You can pay from the card’s bank account instead.'],
      REVERSED_BEFORE_DEBIT: ['This payment was cancelled. Nothing was charged.', 'Please pay again.'],
      INSUFFICIENT_FUNDS: ['Not enough money in the bank account. Nothing was taken.', 'You can pay from your medical insurance account instead.'],
      PIN_LOCKED: ['The bank PIN is locked. Nothing was taken.', 'Please see your bank, or pay from your medical insurance account.'],
      WRONG_PIN: ['Too many wrong bank PINs. Nothing was taken.', 'Please pay from your medical insurance account.'],
      ACCOUNT_INVALID: ['The bank account cannot be used. Nothing was taken.', 'You can pay from your medical insurance account instead.'],
      failed: ['The payment could not be made. Nothing was charged.', 'Please try again later, or pay another way.'],
      reversed: ['The payment did not complete and was cancelled automatically. Nothing was charged.', 'Please try again later.'],
      refunded: ['The time you chose was taken while you paid; you are not registered.', 'The fee has been returned. Please choose another time.'],
      uncertain: ['We cannot confirm the payment yet; you are not registered.', 'If money was taken it will be returned automatically. Please do not pay again.'],
      error: ['The registration did not complete. Nothing was charged.', 'Please try again later, or register at a counter.'],
    },
    generic: ['The payment was not accepted. Nothing was charged.', 'You can pay another way.'],
    reference: (txn) => `Transaction reference: ${txn}`,
    otherWay: 'Pay another way',
    chooseAgain: 'Choose another time',
  },
  unavailable: {
    title: 'Registration unavailable',
    lines: ['The hospital’s registration system cannot be reached. Nothing was charged.', 'Please try again later, or register at a counter.'],
    cancelSent: 'We cannot confirm your cancellation yet: look again under "Cancel a registration" later, or ask at a counter.',
  },
  cancel: {
    title: 'Cancel a registration',
    intro: 'These are your registrations for today that have not started. Choose one, then touch "Next".',
    none: ['You have no registration here that can be cancelled today.', 'Started or cancelled ones cannot be; for other days please ask at a counter.'],
    notices: { started: 'This registration has started or was already cancelled: it cannot be cancelled.', gone: 'This registration was not found; it may have been cancelled already.' },
    confirmTitle: 'Confirm cancellation',
    refundBy: (yuan, method) => `After cancelling, the fee of CNY ${yuan} goes back to your ${method}.`,
    refundCounter: (yuan) => `This machine cannot refund yet: after cancelling, please get the CNY ${yuan} back at the cashier’s counter.`,
    final: 'The appointment goes to another patient and cannot be restored. To go ahead, touch "Cancel it".',
    button: 'Cancel it',
    doneTitle: 'Cancelled',
    refunded: (yuan, method) => `The fee of CNY ${yuan} is back in your ${method}.`,
    refundPending: (yuan, method) => `The fee of CNY ${yuan} is on its way back to your ${method}; this completes by itself.`,
    refundAtCounter: (yuan, regId) => `Please get the CNY ${yuan} back at the cashier’s counter, quoting registration ${regId}.`,
    regId: (regId) => `Registration: ${regId}`,
  },
};

export const REGISTER_STRINGS: Record<Lang, RegisterStrings> = { 'zh-CN': zh, en };
