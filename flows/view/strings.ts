/**
 * Everything a citizen reads on the session screens, in both languages. Sentences are short and
 * always say what to do next: many users are elderly and read slowly.
 */
import { en } from './strings-en.js';
import { zh } from './strings-zh.js';

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
  reportLoss: {
    title: string;
    lines: string[];
    /** What happens to the card, said before the citizen confirms (config retainAfterLossReport). */
    cardKept: string;
    cardReturned: string;
    submitting: string;
    confirmLabel: string;
  };
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

export const STRINGS: Record<Lang, Strings> = { 'zh-CN': zh, en };

export function cardErrorText(code: string, lang: Lang): CardErrorText {
  const s = STRINGS[lang].cardErrors;
  if (code.startsWith('CARD_SW_')) return s.CARD_SW;
  return /^CARD_[A-Z_]+$/.test(code) && Object.hasOwn(s, code) ? s[code] : s.default;
}
