import { isCardless } from '../session/cardless.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import { isBlocked } from '../session/types.js';
import type { ControlView } from './protocol.js';
import type { RecordsBody } from './present-records.js';
import { CARDLESS_STRINGS, codeErrorText } from './strings-cardless.js';
import { cardErrorText, STRINGS } from './strings.js';

/** An easing bar for steps that report no progress; never claims to be done. */
export const easing = (elapsedMs: number): number => Math.min(0.95, 1 - Math.exp(-Math.max(0, elapsedMs) / 3000));

/**
 * The screens of a visit without a card in the slot that differ from a card visit as a whole:
 * reading a tapped card or a code, and the explanations that end such a visit (no card to hand
 * back: the text stays for cardErrorMs, or until 结束). Undefined elsewhere: the other screens
 * only change a line (present.ts, present-menu.ts).
 */
export function presentCardless(snapshot: SessionSnapshot, env: { now: number; since: number }): RecordsBody | undefined {
  const { context } = snapshot;
  if (!isCardless(context)) return undefined;
  const t = STRINGS[context.lang];
  const c = CARDLESS_STRINGS[context.lang];
  const cfg = context.config;
  const deadline = env.since + cfg.cardErrorMs;
  const progress = easing(env.now - env.since);
  const code = context.lastError?.code ?? 'INTERNAL';

  if (snapshot.matches('readingTap')) return { title: t.reading.title, lines: [c.reading.tap], progress };
  if (snapshot.matches('checkingCode')) return { ...c.reading.code, progress };
  if (snapshot.matches('checkingStatus')) return { title: t.reading.title, lines: [c.reading.checking], progress };
  if (snapshot.matches('cardRemoved')) {
    const text = code === 'CARD_NOT_PRESENTED' ? c.notPresented : context.via === 'code' ? c.codeFailed : c.tapRemoved;
    const confirm: ControlView = { id: 'confirm', label: t.controls.confirm, kind: 'primary' };
    return { title: text.title, lines: text.lines, tone: 'error', controls: [confirm], deadline: env.since + cfg.retainedNoticeMs };
  }
  if (snapshot.matches('cardError')) {
    const text = context.via === 'code' ? codeErrorText(code, context.lang) : cardErrorText(code, context.lang);
    return { title: text.title, lines: [...text.lines, c.ended, t.cardError.code(code)], tone: 'error', deadline };
  }
  if (snapshot.matches('cardBlocked')) {
    const text = t.cardBlocked.status[isBlocked(context.cardStatus) ? context.cardStatus : 'blacklisted'];
    return { title: text.title, lines: [...text.lines, t.cardBlocked.help], tone: 'warning', deadline };
  }
  if (snapshot.matches('unavailable')) {
    const kind = context.outage ?? (code.startsWith('PSAM_') ? 'card-functions' : 'pin');
    const text = c.unavailable[kind];
    const last = kind === 'card-functions' ? t.unavailable.operatorPsam(code) : t.cardError.code(code);
    return { title: text.title, lines: [...text.lines, last], tone: 'warning', deadline };
  }
  if (snapshot.matches('lossReported')) {
    const L = t.lossReported;
    const lines = [L.done, ...(context.serviceRef ? [L.ref(context.serviceRef)] : []), L.next, L.taken];
    return { title: L.title, lines, tone: 'success', deadline };
  }
  return undefined;
}
