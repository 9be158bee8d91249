/**
 * Everything a citizen reads on the session screens, in both languages. Sentences are short and
 * always say what to do next: many users are elderly and read slowly.
 */
export type Lang = 'zh-CN' | 'en';

export interface CardErrorText {
  title: string;
  /** What happened and what to do, one sentence each. */
  lines: string[];
}

export interface Strings {
  controls: { finish: string; confirm: string; continue: string; language: string };
  starting: { title: string; line: string; cardInside: string };
  idle: { title: string; insert: string; services: string[]; retainedHint: string };
  reading: { title: string; line: string };
  menu: {
    title: string;
    greeting: (name: string) => string;
    fields: { name: string; ssn: string; cardNumber: string; validity: string };
    hint: string;
    warning: string;
  };
  ejecting: { title: string; line: string };
  takeCard: { title: string; line: string; retainWarning: string; reminder: string };
  cardError: {
    ejecting: string;
    takeCard: string;
    retainWarning: string;
    code: (code: string) => string;
    removedNotice: string;
  };
  retaining: { title: string; line: string };
  retained: {
    title: string;
    lines: (at: string, terminalId: string) => string[];
  };
  outOfService: {
    title: string;
    line: string;
    reason: (code: string) => string;
    cardInside: string;
    cardAtGate: string;
    help: string;
  };
  cardErrors: Record<string, CardErrorText> & { default: CardErrorText; CARD_SW: CardErrorText };
}

const zh: Strings = {
  controls: { finish: '退卡', confirm: '确定', continue: '继续使用', language: 'English' },
  starting: {
    title: '设备准备中',
    line: '正在检查读卡器，请稍候。',
    cardInside: '机内有卡片，准备好后将自动退还。',
  },
  idle: {
    title: '社会保障卡自助服务',
    insert: '请插入社会保障卡',
    services: ['可办理：查询个人信息、查询缴费记录、打印参保证明、缴纳保费。', '插卡时芯片朝上，向里推入。'],
    retainedHint: '上一张卡片已被本机回收，请凭身份证件到服务窗口领取。',
  },
  reading: { title: '正在读卡', line: '正在读取卡片信息，请勿拔卡。' },
  menu: {
    title: '请选择服务',
    greeting: (name) => `您好，${name}`,
    fields: { name: '姓名', ssn: '社会保障号码', cardNumber: '卡号', validity: '有效期' },
    hint: '办理完毕请点击“退卡”，并取走您的卡片。',
    warning: '您已较长时间没有操作，稍后将自动退卡。如需继续，请点击“继续使用”。',
  },
  ejecting: { title: '正在退卡', line: '正在退出卡片，请稍候。' },
  takeCard: {
    title: '请取走您的卡片',
    line: '卡片已退出到插卡口，请取走。',
    retainWarning: '如长时间不取，卡片将被本机回收。',
    reminder: '请尽快从插卡口取走您的卡片。',
  },
  cardError: {
    ejecting: '正在退还卡片，请稍候。',
    takeCard: '请从插卡口取回您的卡片。',
    retainWarning: '如长时间不取，卡片将被本机回收。',
    code: (code) => `错误代码：${code}`,
    removedNotice: '请重新插入卡片。',
  },
  retaining: { title: '正在回收卡片', line: '卡片超时未取，正在回收到机内。' },
  retained: {
    title: '卡片已被回收',
    lines: (at, terminalId) => [
      '您的卡片因超时未取，已被本机回收保管，不会丢失。',
      `回收时间：${at}　终端号：${terminalId}`,
      '请携带本人有效身份证件（如有回收凭条请一并携带）到服务网点柜台领回卡片。',
      '咨询电话：12333',
    ],
  },
  outOfService: {
    title: '暂停服务',
    line: '读卡器暂时无法使用，正在自动恢复，请稍候或到人工窗口办理。',
    reason: (code) => `原因代码：${code}`,
    cardInside: '您的卡片仍在机内，设备恢复后将自动退还。您也可点击“退卡”重试。',
    cardAtGate: '请从插卡口取走您的卡片。',
    help: '如需帮助请联系工作人员，或拨打 12333。',
  },
  cardErrors: {
    CARD_NO_ATR: {
      title: '卡片无法识别',
      lines: ['卡片没有响应，可能插反或芯片损坏。', '请确认芯片朝上后重新插卡；仍不能使用请到服务窗口补换卡。'],
    },
    CARD_NOT_SSC: {
      title: '这不是社会保障卡',
      lines: ['本机只受理社会保障卡，此卡可能是银行卡。', '请取回卡片，插入您的社会保障卡。'],
    },
    CARD_EXPIRED: {
      title: '卡片已过有效期',
      lines: ['您的社会保障卡已过有效期，不能在本机使用。', '请到社保服务窗口或合作银行网点办理换卡。'],
    },
    CARD_NOT_GENUINE: {
      title: '卡片验证未通过',
      lines: ['此卡片未能通过真伪验证，不能在本机使用。', '请携带身份证件到服务窗口咨询。'],
    },
    CARD_SECURITY: {
      title: '卡片安全校验失败',
      lines: ['卡片安全校验未通过，不能在本机使用。', '请携带身份证件到服务窗口咨询。'],
    },
    CARD_COMM: {
      title: '读卡失败',
      lines: ['与卡片通信失败，可能芯片有污渍。', '请取回卡片，擦拭芯片后重新插入。'],
    },
    CARD_BAD_DATA: {
      title: '卡片信息异常',
      lines: ['卡片内的信息无法识别。', '请取回卡片，到服务窗口检查或补换卡。'],
    },
    CARD_REMOVED: {
      title: '卡片已被取出',
      lines: ['读卡过程中卡片被取出，本次未能读取。'],
    },
    CARD_SW: {
      title: '卡片无法使用',
      lines: ['卡片拒绝了本机的操作。', '请取回卡片后重试；多次失败请到服务窗口咨询。'],
    },
    default: {
      title: '卡片无法读取',
      lines: ['本机无法读取这张卡片。', '请取回卡片后重试；多次失败请到服务窗口咨询。'],
    },
  },
};

const en: Strings = {
  controls: { finish: 'Return card', confirm: 'OK', continue: 'Continue', language: '中文' },
  starting: {
    title: 'Starting up',
    line: 'Checking the card reader, please wait.',
    cardInside: 'A card is inside; it will be returned when the reader is ready.',
  },
  idle: {
    title: 'Social Security Card Self-Service',
    insert: 'Please insert your social security card (请插入社会保障卡)',
    services: [
      'Here you can view your details and contributions, print a statement and pay premiums.',
      'Insert the card chip side up.',
    ],
    retainedHint: 'The previous card was kept by this machine; collect it at a service counter with your ID.',
  },
  reading: { title: 'Reading card', line: 'Reading your card, please do not pull it out.' },
  menu: {
    title: 'Choose a service',
    greeting: (name) => `Hello, ${name}`,
    fields: { name: 'Name', ssn: 'Social security number', cardNumber: 'Card number', validity: 'Valid' },
    hint: 'When you are done, touch "Return card" and take your card.',
    warning: 'You have been inactive for a while; the card will be returned soon. Touch "Continue" to stay.',
  },
  ejecting: { title: 'Returning card', line: 'Your card is coming out, please wait.' },
  takeCard: {
    title: 'Please take your card',
    line: 'Your card is at the slot. Please take it.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    reminder: 'Please take your card from the slot now.',
  },
  cardError: {
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card from the slot.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    code: (code) => `Error code: ${code}`,
    removedNotice: 'Please insert the card again.',
  },
  retaining: { title: 'Keeping the card', line: 'The card was not taken; the machine is keeping it safe.' },
  retained: {
    title: 'Card kept by the machine',
    lines: (at, terminalId) => [
      'Your card was not taken in time. The machine has kept it safely; it is not lost.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'Collect it at a service counter with your ID card (bring the slip if one was printed).',
      'Hotline: 12333',
    ],
  },
  outOfService: {
    title: 'Out of service',
    line: 'The card reader is not available. It is recovering by itself; please wait or go to a counter.',
    reason: (code) => `Reason code: ${code}`,
    cardInside: 'Your card is still inside and will be returned when the reader recovers. Touch "Return card" to retry.',
    cardAtGate: 'Please take your card from the slot.',
    help: 'For help ask the staff or call 12333.',
  },
  cardErrors: {
    CARD_NO_ATR: {
      title: 'Card not recognised',
      lines: [
        'The card does not respond; it may be upside down or its chip damaged.',
        'Insert it chip side up; if it still fails, get a replacement at a service counter.',
      ],
    },
    CARD_NOT_SSC: {
      title: 'Not a social security card',
      lines: ['This machine only accepts social security cards; this may be a bank card.', 'Take it back and insert your social security card.'],
    },
    CARD_EXPIRED: {
      title: 'Card expired',
      lines: ['Your social security card has expired and cannot be used here.', 'Renew it at a service counter or partner bank.'],
    },
    CARD_NOT_GENUINE: {
      title: 'Card check failed',
      lines: ['This card did not pass the authenticity check.', 'Please ask at a service counter with your ID.'],
    },
    CARD_SECURITY: {
      title: 'Card security check failed',
      lines: ['The card failed its security check and cannot be used here.', 'Please ask at a service counter with your ID.'],
    },
    CARD_COMM: {
      title: 'Could not read the card',
      lines: ['Talking to the card failed; the chip may be dirty.', 'Take the card, wipe the chip and insert it again.'],
    },
    CARD_BAD_DATA: {
      title: 'Card data unreadable',
      lines: ['The information on the card cannot be understood.', 'Take the card and have it checked or replaced at a service counter.'],
    },
    CARD_REMOVED: {
      title: 'Card removed',
      lines: ['The card was pulled out while it was being read.'],
    },
    CARD_SW: {
      title: 'Card cannot be used',
      lines: ['The card refused the operation.', 'Take the card and try again; if it keeps failing, ask at a counter.'],
    },
    default: {
      title: 'Card cannot be read',
      lines: ['This machine cannot read the card.', 'Take the card and try again; if it keeps failing, ask at a counter.'],
    },
  },
};

export const STRINGS: Record<Lang, Strings> = { 'zh-CN': zh, en };

export function cardErrorText(code: string, lang: Lang): CardErrorText {
  const s = STRINGS[lang].cardErrors;
  if (code.startsWith('CARD_SW_')) return s.CARD_SW;
  return /^CARD_[A-Z_]+$/.test(code) && Object.hasOwn(s, code) ? s[code] : s.default;
}
