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

export type BlockedStatus = 'lost' | 'blacklisted' | 'dead-holder';
export type WeakReason = 'repeated' | 'sequence' | 'initial';
export type OutageKind = 'card-functions' | 'card-status' | 'pin';

export interface Strings {
  controls: { finish: string; confirm: string; continue: string; language: string; cancel: string; back: string };
  /** Menu buttons, by control id (MENU_SERVICES). */
  services: Record<'change-pin' | 'report-loss' | 'lift-loss', string>;
  checking: { line: string };
  cardBlocked: {
    status: Record<BlockedStatus, CardErrorText>;
    retaining: string;
    ejecting: string;
    takeCard: string;
    retainWarning: string;
    help: string;
  };
  pin: {
    title: string;
    enter: string;
    shield: string;
    entered: string;
    none: string;
    wrong: (triesLeft: number) => string;
    cancelReturnsCard: string;
    cancelBack: string;
  };
  pinLocked: { title: string; lines: string[]; takeCard: string };
  changePin: {
    title: string;
    step: (n: number) => string;
    old: string;
    new: string;
    newAdvice: string;
    confirm: string;
    applying: string;
    wrongOld: (triesLeft: number) => string;
    mismatch: string;
    weak: Record<WeakReason, string>;
    cancel: string;
  };
  pinChanged: { title: string; lines: string[] };
  reportLoss: { title: string; lines: string[]; submitting: string; confirmLabel: string };
  lossReported: {
    title: string;
    done: string;
    ref: (ref: string) => string;
    next: string;
    ejecting: string;
    takeCard: string;
    retaining: string;
    taken: string;
  };
  liftLoss: { title: string; lines: string[]; submitting: string; confirmLabel: string };
  lossLifted: { title: string; lines: string[] };
  serviceError: { title: string; lines: string[] };
  unavailable: Record<OutageKind, CardErrorText> & { operatorPsam: (code: string) => string };
  menuStatus: { tempLost: string; choose: string };
  retainedBy: {
    status: (at: string, terminalId: string) => string[];
    lossReported: (at: string, terminalId: string) => string[];
  };
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
  controls: { finish: '退卡', confirm: '确定', continue: '继续使用', language: 'English', cancel: '取消', back: '返回' },
  services: { 'change-pin': '修改密码', 'report-loss': '挂失', 'lift-loss': '解除临时挂失' },
  checking: { line: '正在核验卡片状态，请稍候，请勿拔卡。' },
  cardBlocked: {
    status: {
      lost: {
        title: '此卡已挂失',
        lines: ['这张卡已经办理了挂失，不能再使用。', '如有疑问，或需要补办新卡，请携带本人身份证件到社保服务窗口或合作银行网点办理。'],
      },
      blacklisted: {
        title: '此卡暂停使用',
        lines: ['这张卡目前不能在自助机上使用。', '请携带本人身份证件到社保服务窗口咨询办理。'],
      },
      'dead-holder': {
        title: '此卡已停止使用',
        lines: [
          '根据社保登记信息，这张卡已停止使用。',
          '如您是持卡人的家属，请节哀。后续事宜（如个人账户余额、丧葬补助）请携带持卡人和您本人的身份证件到社保服务窗口办理。',
          '如登记信息有误，请持卡人本人携带身份证件到服务窗口核实。',
        ],
      },
    },
    retaining: '按照规定，这张卡由本机留存保管，不会丢失。请稍候。',
    ejecting: '正在退还卡片，请稍候。',
    takeCard: '请从插卡口取回您的卡片。',
    retainWarning: '如长时间不取，卡片将被本机回收。',
    help: '咨询电话：12333',
  },
  pin: {
    title: '请输入密码',
    enter: '请在密码键盘上输入社会保障卡密码，输完按“确认”键。',
    shield: '输入时请用手遮挡键盘。',
    entered: '已输入',
    none: '尚未输入',
    wrong: (n) => (n === 1 ? '密码错误，还可输入 1 次。再次输错，密码将被锁定。' : `密码错误，还可输入 ${n} 次。`),
    cancelReturnsCard: '如不办理，请点击“取消”，卡片将退还给您。',
    cancelBack: '如不办理，请点击“取消”返回。',
  },
  pinLocked: {
    title: '密码已锁定',
    lines: [
      '密码输错次数过多，已被锁定。为保护您的安全，需要密码的业务暂时不能办理。',
      '重置密码：请携带本人身份证件和这张卡，到社保服务窗口或社保卡合作银行网点办理。',
      '咨询电话：12333',
    ],
    takeCard: '请点击“退卡”取回您的卡片。',
  },
  changePin: {
    title: '修改密码',
    step: (n) => `第 ${n} 步，共 3 步`,
    old: '请在密码键盘上输入原密码，输完按“确认”键。',
    new: '请输入新密码，输完按“确认”键。',
    newAdvice: '请不要使用相同或连续的数字，也不要使用生日。',
    confirm: '请再输入一次新密码，输完按“确认”键。',
    applying: '正在修改密码，请稍候，请勿拔卡。',
    wrongOld: (n) => (n === 1 ? '原密码错误，还可输入 1 次。再次输错，密码将被锁定。' : `原密码错误，还可输入 ${n} 次。`),
    mismatch: '两次输入的新密码不一样，请重新设置新密码。',
    weak: {
      repeated: '新密码不能全是相同的数字，请换一个。',
      sequence: '新密码不能是连续的数字，请换一个。',
      initial: '新密码太简单或与初始密码相同，请换一个。',
    },
    cancel: '不修改了，请点击“取消”返回。',
  },
  pinChanged: { title: '密码已修改', lines: ['您的密码已修改成功。', '请牢记新密码，不要告诉任何人。'] },
  reportLoss: {
    title: '挂失社会保障卡',
    lines: [
      '挂失后，这张卡的全部功能都会停止使用，包括社保功能和银行功能。',
      '本功能用于您准备不再使用的卡，例如准备补办新卡之前。',
      '卡片丢失时不需要卡片，请拨打 12333 或到服务窗口挂失。',
      '确定要挂失这张卡吗？确定请点“确认挂失”，不办理请点“返回”。',
    ],
    submitting: '正在办理挂失，请稍候，请勿拔卡。',
    confirmLabel: '确认挂失',
  },
  lossReported: {
    title: '挂失已办理',
    done: '这张卡已挂失，全部功能已停止使用。',
    ref: (ref) => `受理编号：${ref}`,
    next: '补办新卡：请携带本人身份证件到社保服务窗口或社保卡合作银行网点申请。',
    ejecting: '正在退还卡片，请稍候。',
    takeCard: '请取回您的卡片。这张卡已不能再使用。',
    retaining: '这张卡由本机留存，请稍候。',
    taken: '请记下受理编号。',
  },
  liftLoss: {
    title: '解除临时挂失',
    lines: [
      '您的卡片目前处于临时挂失状态。',
      '解除后，这张卡的社保功能和银行功能都会恢复使用。',
      '确定要解除吗？确定请点“确认解挂”，不办理请点“返回”。',
    ],
    submitting: '正在办理，请稍候，请勿拔卡。',
    confirmLabel: '确认解挂',
  },
  lossLifted: { title: '已解除临时挂失', lines: ['您的卡片已恢复使用。'] },
  serviceError: {
    title: '服务暂时不可用',
    lines: ['系统暂时无法办理这项业务。', '请稍后再试，或到社保服务窗口办理。'],
  },
  unavailable: {
    'card-functions': {
      title: '暂停办理卡片业务',
      lines: ['本机暂时无法办理社会保障卡业务，您的卡片没有问题。', '请取回卡片，到其他自助机或服务窗口办理。'],
    },
    'card-status': {
      title: '暂时无法核验卡片',
      lines: ['系统暂时无法核验卡片状态，您的卡片没有问题。', '请取回卡片，稍后再试，或到服务窗口办理。'],
    },
    pin: {
      title: '密码服务暂不可用',
      lines: ['密码键盘暂时无法使用，需要密码的业务暂时不能办理。您的卡片没有问题。', '请取回卡片，稍后再试，或到服务窗口办理。'],
    },
    operatorPsam: (code) => `【工作人员】读卡器 PSAM 卡缺失或故障（${code}），请检查 SAM 卡座。`,
  },
  menuStatus: {
    tempLost: '您的卡片目前处于临时挂失状态。如卡片已找回，可点击“解除临时挂失”恢复使用。',
    choose: '请选择要办理的业务。',
  },
  retainedBy: {
    status: (at, terminalId) => [
      '卡片已由本机留存保管，不会丢失。',
      `留存时间：${at}　终端号：${terminalId}`,
      '请携带本人身份证件到社保服务窗口咨询办理。',
      '咨询电话：12333',
    ],
    lossReported: (at, terminalId) => [
      '这张卡已挂失，并由本机留存。',
      `留存时间：${at}　终端号：${terminalId}`,
      '补办新卡：请携带本人身份证件到社保服务窗口或社保卡合作银行网点申请。',
    ],
  },
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
  controls: { finish: 'Return card', confirm: 'OK', continue: 'Continue', language: '中文', cancel: 'Cancel', back: 'Back' },
  services: { 'change-pin': 'Change PIN', 'report-loss': 'Report card lost', 'lift-loss': 'Cancel temporary loss report' },
  checking: { line: 'Checking the card, please wait and do not pull it out.' },
  cardBlocked: {
    status: {
      lost: {
        title: 'This card was reported lost',
        lines: [
          'This card has been reported lost and can no longer be used.',
          'For questions or a replacement card, go to a social security counter or partner bank with your ID card.',
        ],
      },
      blacklisted: {
        title: 'This card is suspended',
        lines: ['This card cannot be used at self-service machines at present.', 'Please go to a social security counter with your ID card.'],
      },
      'dead-holder': {
        title: 'This card is no longer in use',
        lines: [
          'According to the social security records, this card is no longer in use.',
          "If you are a relative of the card holder, please accept our condolences. For the next steps (such as the personal account balance or funeral grant), bring the holder's and your own ID to a social security counter.",
          'If the records are wrong, the card holder can have them checked at a counter with their ID card.',
        ],
      },
    },
    retaining: 'As required, the machine keeps this card safely; it is not lost. Please wait.',
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card from the slot.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    help: 'Hotline: 12333',
  },
  pin: {
    title: 'Please enter your PIN',
    enter: 'Enter your card PIN on the PIN pad, then press Enter on the pad.',
    shield: 'Cover the keypad with your hand while typing.',
    entered: 'Entered',
    none: 'nothing yet',
    wrong: (n) =>
      n === 1 ? 'Wrong PIN. 1 try left; one more wrong PIN locks it.' : `Wrong PIN. ${n} tries left.`,
    cancelReturnsCard: 'To stop, touch "Cancel" and your card will be returned.',
    cancelBack: 'To stop, touch "Cancel" to go back.',
  },
  pinLocked: {
    title: 'PIN locked',
    lines: [
      'The PIN was entered wrongly too many times and is now locked. Services that need the PIN cannot be used for now.',
      'To reset it, bring your ID card and this card to a social security counter or partner bank.',
      'Hotline: 12333',
    ],
    takeCard: 'Touch "Return card" to take your card.',
  },
  changePin: {
    title: 'Change PIN',
    step: (n) => `Step ${n} of 3`,
    old: 'Enter your current PIN on the PIN pad, then press Enter.',
    new: 'Enter your new PIN, then press Enter.',
    newAdvice: 'Do not use repeated or consecutive digits, or your birthday.',
    confirm: 'Enter the new PIN once more, then press Enter.',
    applying: 'Changing your PIN, please wait and do not pull the card out.',
    wrongOld: (n) =>
      n === 1 ? 'Current PIN wrong. 1 try left; one more wrong PIN locks it.' : `Current PIN wrong. ${n} tries left.`,
    mismatch: 'The two new PINs were different. Please choose the new PIN again.',
    weak: {
      repeated: 'The new PIN cannot be all the same digit. Please choose another.',
      sequence: 'The new PIN cannot be consecutive digits. Please choose another.',
      initial: 'The new PIN is too simple or the same as the initial PIN. Please choose another.',
    },
    cancel: 'To stop, touch "Cancel" to go back.',
  },
  pinChanged: { title: 'PIN changed', lines: ['Your PIN has been changed.', 'Remember the new PIN and never tell it to anyone.'] },
  reportLoss: {
    title: 'Report this card lost',
    lines: [
      'After reporting, every function of this card stops working, both social security and bank.',
      'Use this for a card you are about to give up, for example before applying for a replacement.',
      'If a card is missing, report it by calling 12333 or at a counter; no card is needed.',
      'Report this card lost? Touch "Report lost" to go ahead, or "Back".',
    ],
    submitting: 'Reporting the card lost, please wait and do not pull it out.',
    confirmLabel: 'Report lost',
  },
  lossReported: {
    title: 'Card reported lost',
    done: 'This card is reported lost; all its functions have stopped.',
    ref: (ref) => `Reference: ${ref}`,
    next: 'For a replacement card, apply at a social security counter or partner bank with your ID card.',
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card. It can no longer be used.',
    retaining: 'The machine keeps this card, please wait.',
    taken: 'Please note the reference.',
  },
  liftLoss: {
    title: 'Cancel the temporary loss report',
    lines: [
      'Your card is temporarily reported lost.',
      'After cancelling the report, its social security and bank functions work again.',
      'Cancel the report? Touch "Cancel report" to go ahead, or "Back".',
    ],
    submitting: 'Working on it, please wait and do not pull the card out.',
    confirmLabel: 'Cancel report',
  },
  lossLifted: { title: 'Loss report cancelled', lines: ['Your card works again.'] },
  serviceError: {
    title: 'Service temporarily unavailable',
    lines: ['This service cannot be provided right now.', 'Please try again later or go to a social security counter.'],
  },
  unavailable: {
    'card-functions': {
      title: 'Card services paused',
      lines: ['This machine cannot serve social security cards right now; your card is fine.', 'Take your card and use another machine or a counter.'],
    },
    'card-status': {
      title: 'Card cannot be checked now',
      lines: ['The card status cannot be checked right now; your card is fine.', 'Take your card and try again later, or go to a counter.'],
    },
    pin: {
      title: 'PIN services unavailable',
      lines: [
        'The PIN pad cannot be used right now, so services that need the PIN are unavailable. Your card is fine.',
        'Take your card and try again later, or go to a counter.',
      ],
    },
    operatorPsam: (code) => `[Staff] The reader's PSAM is missing or faulty (${code}); check the SAM slot.`,
  },
  menuStatus: {
    tempLost: 'Your card is temporarily reported lost. If you found it, touch "Cancel temporary loss report" to use it again.',
    choose: 'Choose a service.',
  },
  retainedBy: {
    status: (at, terminalId) => [
      'The machine keeps your card safely; it is not lost.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'Please go to a social security counter with your ID card.',
      'Hotline: 12333',
    ],
    lossReported: (at, terminalId) => [
      'This card is reported lost and kept by the machine.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'For a replacement card, apply at a social security counter or partner bank with your ID card.',
    ],
  },
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
