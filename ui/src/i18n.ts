/**
 * Strings of the UI's own chrome (header, connecting state, countdown). Everything a citizen reads
 * about their business comes from the host's ScreenView, already in the right language.
 */
export type Lang = 'zh-CN' | 'en';

const STRINGS = {
  'zh-CN': {
    service: '社会保障卡自助服务',
    services: { kiosk: '社会保障卡自助服务', gate: '社保卡 · 电子社保卡通道', hospital: '自助挂号 · 社会保障卡就医' },
    terminal: '终端号',
    language: '中文',
    sim: '模拟模式',
    connecting: '正在连接服务，请稍候…',
    connectingHint: '如长时间无法连接，请联系工作人员',
    retrying: (n: number) => `第 ${n} 次重新连接`,
    secondsLeft: (s: number) => `剩余 ${s} 秒`,
    timerLabel: '操作剩余时间',
    progress: '处理进度',
    holderData: '持卡人信息',
  },
  en: {
    service: 'Social Security Card Self-Service',
    services: { kiosk: 'Social Security Card Self-Service', gate: 'Social security card gate', hospital: 'Self-service registration' },
    terminal: 'Terminal',
    language: 'English',
    sim: 'SIMULATOR',
    connecting: 'Connecting to the service…',
    connectingHint: 'If this takes long, please ask the staff for help',
    retrying: (n: number) => `Reconnect attempt ${n}`,
    secondsLeft: (s: number) => `${s} s left`,
    timerLabel: 'Time left',
    progress: 'Progress',
    holderData: 'Card holder',
  },
} as const;

export type Strings = (typeof STRINGS)[Lang];

export function t(lang: Lang): Strings {
  return STRINGS[lang];
}

/** Host-clock time as the header shows it. */
export function formatClock(ms: number, lang: Lang): { time: string; date: string } {
  const d = new Date(ms);
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  // Long month/weekday names are compact in Chinese but would wrap the header in English.
  const long = lang === 'zh-CN';
  const date = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: long ? 'long' : 'short',
    day: 'numeric',
    weekday: long ? 'long' : 'short',
  }).format(d);
  return { time, date };
}
