/**
 * The turnstile's screen: one glance, big words. A denial always says why and what to do; a
 * citizen at a gate has seconds, and a queue behind them.
 */
import type { DenyReason } from '../gate/types.js';
import type { Lang } from './strings.js';

export interface GateStrings {
  idle: { title: string; lines: string[] };
  reading: { title: string; line: string };
  open: { title: string; lines: string[] };
  denied: { title: string };
  reasons: Record<DenyReason, string[]>;
  alarm: { title: string; lines: string[] };
  outOfService: { title: string; lines: string[]; device: Record<string, string> };
  language: string;
  offline: string;
}

const zh: GateStrings = {
  idle: { title: '请刷卡或扫码通行', lines: ['将社会保障卡贴近感应区', '或出示电子社保卡二维码'] },
  reading: { title: '正在验证…', line: '请勿移开卡片' },
  open: { title: '请通行', lines: ['闸门已打开，请通过'] },
  denied: { title: '不能通行' },
  reasons: {
    blacklisted: ['此卡已被停用（黑名单）。', '请到社保服务窗口办理。'],
    'card-lost': ['此卡已挂失。', '请到社保服务窗口办理。'],
    'card-expired': ['此卡已过有效期。', '请到社保服务窗口换卡。'],
    passback: ['此卡刚刚已通行。', '请勿重复刷卡；如需帮助请联系工作人员。'],
    'tap-again': ['读卡未完成。', '请将卡片贴近感应区，保持一秒后再移开。'],
    'not-ssc': ['这张卡不是社会保障卡。', '请使用社会保障卡或电子社保卡。'],
    'not-genuine': ['此卡未通过安全验证。', '请联系工作人员。'],
    unreadable: ['无法读取此卡。', '请重新刷卡，或联系工作人员。'],
    'several-cards': ['感应区内有多张卡。', '请只放一张卡片。'],
    'code-expired': ['二维码已过期。', '请在手机上刷新电子社保卡二维码后再扫。'],
    'code-tampered': ['二维码无效（校验失败）。', '请在手机上刷新二维码后再扫。'],
    'code-foreign': ['无法识别此二维码。', '请出示电子社保卡二维码。'],
    'code-malformed': ['这不是电子社保卡二维码。', '请出示电子社保卡二维码。'],
    'code-revoked': ['此二维码已失效。', '请在手机上刷新二维码后再扫。'],
  },
  alarm: { title: '请勿强行通过', lines: ['闸门报警，请等待工作人员。'] },
  outOfService: {
    title: '暂停服务',
    lines: ['本通道暂时无法使用，请走其他通道。'],
    device: { gate: '闸机', reader: '读卡器', scanner: '扫码器' },
  },
  language: 'English',
  offline: '离线验证',
};

const en: GateStrings = {
  idle: { title: 'Tap your card or scan your code', lines: ['Hold your social security card to the reader', 'or show your electronic card QR code'] },
  reading: { title: 'Checking…', line: 'Keep the card on the reader' },
  open: { title: 'Please go through', lines: ['The gate is open'] },
  denied: { title: 'Not allowed', },
  reasons: {
    blacklisted: ['This card has been blocked (blacklist).', 'Please go to a social security service desk.'],
    'card-lost': ['This card has been reported lost.', 'Please go to a social security service desk.'],
    'card-expired': ['This card has expired.', 'Please renew it at a social security service desk.'],
    passback: ['This card has just been used here.', 'Do not tap twice; ask the staff if you need help.'],
    'tap-again': ['The card was not read completely.', 'Hold it to the reader for a second, then take it away.'],
    'not-ssc': ['This is not a social security card.', 'Use your social security card or electronic card.'],
    'not-genuine': ['This card failed the security check.', 'Please ask the staff.'],
    unreadable: ['This card cannot be read.', 'Tap again, or ask the staff.'],
    'several-cards': ['Several cards are on the reader.', 'Hold only one card to it.'],
    'code-expired': ['The QR code has expired.', 'Refresh it on your phone and scan again.'],
    'code-tampered': ['The QR code is not valid (check failed).', 'Refresh it on your phone and scan again.'],
    'code-foreign': ['This QR code is not recognised.', 'Show your electronic social security card code.'],
    'code-malformed': ['This is not an electronic social security card code.', 'Show your electronic social security card code.'],
    'code-revoked': ['This QR code is no longer valid.', 'Refresh it on your phone and scan again.'],
  },
  alarm: { title: 'Do not force the gate', lines: ['The gate alarm is on; please wait for the staff.'] },
  outOfService: {
    title: 'Out of service',
    lines: ['This gate cannot be used now; please use another one.'],
    device: { gate: 'gate', reader: 'card reader', scanner: 'QR scanner' },
  },
  language: '中文',
  offline: 'checked offline',
};

export const GATE_STRINGS: Record<Lang, GateStrings> = { 'zh-CN': zh, en };
