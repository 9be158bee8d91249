/**
 * What a citizen reads in a visit without a card in the slot: a card tapped on the antenna, or an
 * electronic social security card's code scanned (docs/flows.md, "Sessions without an inserted
 * card"). Nothing here speaks of taking a card back: there is none to take.
 */
import { ECARD_REASONS, type EcardErrorCode } from '../../kiosk/ecard/errors.js';
import type { CardErrorText, Lang, OutageKind } from './strings.js';

export interface CardlessStrings {
  /** `finish` when no card is inside: the visit ends, nothing comes out. */
  end: string;
  /** Idle: the other ways in, when the terminal accepts them. */
  idleTap: string;
  idleCode: string;
  reading: { tap: string; code: CardErrorText; checking: string };
  /** The PIN screen of a tap session: the VERIFY goes to the card over the antenna. */
  tapHold: string;
  pinCancelEnds: string;
  pinLockedEnd: string;
  menuHint: string;
  menuWarning: string;
  viaCode: string;
  /** A service that needs the card in the slot (disabled control's note). */
  insertForService: string;
  /** report-loss: the card's fate, said before the citizen confirms. */
  reportLossFate: string;
  /** The last line of an explanation that ends the visit. */
  ended: string;
  /** The tapped card left the field mid-read. */
  tapRemoved: CardErrorText;
  /** Tap session: the card was not held to the reader for the PIN. */
  notPresented: CardErrorText;
  /** A refused e-card code (the reason comes from ECARD_REASONS). */
  codeRefused: { title: string; orInsert: string };
  /** ECARD_OFFLINE: the holder can only be known online. */
  codeOffline: CardErrorText;
  /** Anything else that kept a code from being checked. */
  codeFailed: CardErrorText;
  unavailable: Record<OutageKind, CardErrorText>;
}

const zh: CardlessStrings = {
  end: '结束',
  idleTap: '三代社保卡也可贴近感应区刷卡。',
  idleCode: '也可扫描电子社保卡二维码。',
  reading: {
    tap: '正在读取卡片信息，请保持卡片贴近感应区。',
    code: { title: '正在核验', lines: ['正在核验电子社保卡二维码，请稍候。'] },
    checking: '正在核验卡片状态，请稍候。',
  },
  tapHold: '按确认后，请将社保卡贴近感应区',
  pinCancelEnds: '如不办理，请点击“取消”结束。',
  pinLockedEnd: '办理完毕请点击“结束”。',
  menuHint: '办理完毕请点击“结束”。',
  menuWarning: '您已较长时间没有操作，稍后将自动结束办理。如需继续，请点击“继续使用”。',
  viaCode: '已通过电子社保卡核验身份。',
  insertForService: '请插入社保卡办理',
  reportLossFate: '确认挂失后，这张卡将不能再使用。',
  ended: '请点击“结束”返回。',
  tapRemoved: {
    title: '未能读取卡片',
    lines: ['卡片离开了感应区，本次未能读取。', '请将卡片贴近感应区重新刷卡，或插入卡片办理。'],
  },
  notPresented: {
    title: '未检测到卡片',
    lines: ['没有检测到您的社保卡，本次未能验证密码。', '请重新刷卡或插卡办理。'],
  },
  codeRefused: { title: '无法使用此二维码', orInsert: '您也可以插入社保卡办理。' },
  codeOffline: { title: '暂时无法核验二维码', lines: ['需要联网核验，请稍后再试或插卡办理'] },
  codeFailed: { title: '暂时无法使用电子社保卡', lines: ['请稍后再试，或插入社保卡办理。'] },
  unavailable: {
    'card-functions': {
      title: '暂停办理卡片业务',
      lines: ['本机暂时无法办理社会保障卡业务，您的卡片没有问题。', '请到其他自助机或服务窗口办理。'],
    },
    'card-status': {
      title: '暂时无法核验卡片',
      lines: ['系统暂时无法核验卡片状态，您的卡片没有问题。', '请稍后再试，或到服务窗口办理。'],
    },
    pin: {
      title: '密码服务暂不可用',
      lines: ['密码键盘暂时无法使用，需要密码的业务暂时不能办理。您的卡片没有问题。', '请稍后再试，或到服务窗口办理。'],
    },
  },
};

const en: CardlessStrings = {
  end: 'End',
  idleTap: 'Third-generation cards can also be tapped on the reader.',
  idleCode: 'You can also scan your electronic card code.',
  reading: {
    tap: 'Reading your card, keep it on the reader.',
    code: { title: 'Checking', lines: ['Checking your electronic card code, please wait.'] },
    checking: 'Checking the card, please wait.',
  },
  tapHold: 'After you press Enter, hold your card to the reader',
  pinCancelEnds: 'To stop, touch "Cancel".',
  pinLockedEnd: 'When you are done, touch "End".',
  menuHint: 'When you are done, touch "End".',
  menuWarning: 'You have been inactive for a while; this visit will end soon. Touch "Continue" to stay.',
  viaCode: 'Identified by your electronic social security card.',
  insertForService: 'Insert your card for this service',
  reportLossFate: 'Once reported, this card can no longer be used.',
  ended: 'Touch "End" to finish.',
  tapRemoved: {
    title: 'Card not read',
    lines: ['The card left the reader before it was read.', 'Tap it again and keep it on the reader, or insert it.'],
  },
  notPresented: {
    title: 'No card detected',
    lines: ['Your card was not held to the reader, so the PIN was not checked.', 'Tap your card again or insert it.'],
  },
  codeRefused: { title: 'This code cannot be used', orInsert: 'You can also insert your card.' },
  codeOffline: { title: 'Code cannot be checked now', lines: ['The code must be checked online. Try again later or insert your card'] },
  codeFailed: { title: 'Electronic card unavailable', lines: ['Try again later, or insert your card.'] },
  unavailable: {
    'card-functions': {
      title: 'Card services paused',
      lines: ['This machine cannot handle social security cards at the moment. Your card is fine.', 'Please use another machine or a counter.'],
    },
    'card-status': {
      title: 'Card cannot be checked now',
      lines: ['The card status cannot be checked at the moment. Your card is fine.', 'Please try again later, or go to a counter.'],
    },
    pin: {
      title: 'PIN services unavailable',
      lines: ['The PIN pad cannot be used at the moment; services that need the PIN are unavailable. Your card is fine.', 'Please try again later, or go to a counter.'],
    },
  },
};

export const CARDLESS_STRINGS: Record<Lang, CardlessStrings> = { 'zh-CN': zh, en };

/** The screen text of a code the kiosk did not take (ECARD_* refusals, offline, anything else). */
export function codeErrorText(code: string, lang: Lang): CardErrorText {
  const c = CARDLESS_STRINGS[lang];
  if (code === 'ECARD_OFFLINE') return c.codeOffline;
  if (Object.hasOwn(ECARD_REASONS, code)) {
    return { title: c.codeRefused.title, lines: [ECARD_REASONS[code as EcardErrorCode][lang], c.codeRefused.orInsert] };
  }
  return c.codeFailed;
}
