import { isCardless } from '../session/cardless.js';
import { easing, presentCardless } from './present-cardless.js';
import { presentMenu } from './present-menu.js';
import { presentPay } from './present-pay.js';
import { presentRegCancel } from './present-reg-cancel.js';
import { presentRegister } from './present-register.js';
import { REGISTER_STRINGS } from './strings-register.js';
import type { LocalizedText } from '../session/register-types.js';
import { presentRecords } from './present-records.js';
import { CARDLESS_STRINGS } from './strings-cardless.js';
import { cardPlace, screenOf, type SessionSnapshot } from '../session/snapshot.js';
import { isBlocked, type PinNotice } from '../session/types.js';
import type { ControlView, FieldView, ScreenView } from './protocol.js';
import { cardErrorText, STRINGS, type CardErrorText, type Strings } from './strings.js';

export { cardPlace, screenOf };

export interface PresentEnv {
  terminalId: string;
  /** Host clock, epoch ms. */
  now: number;
  /**
   * When the current state was entered (host clock). Optional: without it the presenter tracks
   * entry itself, which is exact as long as it sees every snapshot (the host presents each one).
   */
  enteredAt?: number;
  /** Hospital profile: the hospital's name (idle screen). */
  venue?: LocalizedText;
}

/** A stable key of the state a citizen sees; a change restarts the state's timers. */
export function stateKey(snapshot: SessionSnapshot): string {
  return JSON.stringify(snapshot.value);
}

/*
 * The machine keeps no clock (it stays pure for the graph tests), so `deadline` needs the time a
 * state was entered. Each host provides its own machine (`sessionMachine.provide`), so keying on
 * the machine object gives every host its own tracker without changing the host's call.
 */
const entries = new WeakMap<object, { key: string; since: number }>();

function enteredAt(snapshot: SessionSnapshot, env: PresentEnv): number {
  if (env.enteredAt !== undefined) return env.enteredAt;
  const key = stateKey(snapshot);
  const seen = entries.get(snapshot.machine);
  if (seen && seen.key === key) return seen.since;
  entries.set(snapshot.machine, { key, since: env.now });
  return env.now;
}

type Body = Omit<ScreenView, 'screen' | 'fields' | 'controls' | 'tone' | 'tables'> & {
  fields?: FieldView[];
  tables?: ScreenView['tables'];
  controls?: ControlView[];
  tone?: ScreenView['tone'];
};

export function presentSession(snapshot: SessionSnapshot, env: PresentEnv): ScreenView {
  const { context } = snapshot;
  const t = STRINGS[context.lang];
  const since = enteredAt(snapshot, env);
  const body = bodyOf(snapshot, t, env, since);

  const controls: ControlView[] = [];
  // 退卡 is always within reach while the card is inside, whatever the screen — except while the
  // card is being kept by policy (a blocked status, or kept after a loss report). A visit without
  // a card offers it as 结束: nothing comes out, the visit ends.
  if (finishOffered(snapshot)) {
    const label = isCardless(context) ? CARDLESS_STRINGS[context.lang].end : t.controls.finish;
    controls.push({ id: 'finish', label, kind: 'primary' });
  }
  controls.push(...(body.controls ?? []));
  controls.push({ id: 'language', label: t.controls.language, kind: 'secondary' });

  return {
    screen: screenOf(snapshot),
    title: body.title,
    lines: body.lines,
    fields: body.fields ?? [],
    tables: body.tables ?? [],
    controls,
    tone: body.tone ?? 'info',
    ...(body.progress !== undefined ? { progress: body.progress } : {}),
    ...(body.deadline !== undefined ? { deadline: body.deadline } : {}),
  };
}

/**
 * Whether `finish` is on the screen: 退卡 while the card is inside and not being kept by policy;
 * 结束 throughout a visit without a card, except on the notice that already ends it (confirm).
 */
export function finishOffered(snapshot: SessionSnapshot): boolean {
  if (isCardless(snapshot.context)) return !snapshot.matches('cardRemoved');
  if (snapshot.context.card !== 'inside') return false;
  return !snapshot.matches({ cardBlocked: 'retaining' }) && !snapshot.matches({ lossReported: 'retaining' });
}

/** The PIN pad's digit count as dots; never anything about the digits themselves. */
function dots(count: number | undefined, t: Strings): string {
  const n = Math.max(0, Math.min(12, count ?? 0));
  return n === 0 ? t.pin.none : '●'.repeat(n);
}

function pinNoticeLine(notice: PinNotice | undefined, t: Strings, old: boolean): string[] {
  if (!notice) return [];
  if (notice.code === 'PIN_WRONG') return [old ? t.changePin.wrongOld(notice.triesLeft) : t.pin.wrong(notice.triesLeft)];
  if (notice.code === 'PIN_MISMATCH') return [t.changePin.mismatch];
  return [t.changePin.weak[notice.reason]];
}

function bodyOf(snapshot: SessionSnapshot, t: Strings, env: PresentEnv, since: number): Body {
  const { context } = snapshot;
  const cfg = context.config;
  const confirm: ControlView = { id: 'confirm', label: t.controls.confirm, kind: 'primary' };
  const c = CARDLESS_STRINGS[context.lang];
  const cardless = isCardless(context);

  const records = presentRecords(snapshot, { since, labels: t.controls });
  if (records) return records;
  const pay = presentPay(snapshot, {
    since,
    labels: t.controls,
    pin: { shield: t.pin.shield, entered: t.pin.entered, dots: (n) => dots(n, t) },
  });
  if (pay) return pay;
  const pin = { shield: t.pin.shield, entered: t.pin.entered, dots: (n: number | undefined) => dots(n, t) };
  const register = presentRegister(snapshot, { since, labels: t.controls, pin });
  if (register) return register;
  const regCancel = presentRegCancel(snapshot, { since, labels: t.controls });
  if (regCancel) return regCancel;
  const other = presentCardless(snapshot, { now: env.now, since });
  if (other) return other;
  if (snapshot.matches('starting')) {
    return {
      title: t.starting.title,
      lines: context.card === 'inside' ? [t.starting.line, t.starting.cardInside] : [t.starting.line],
    };
  }
  if (snapshot.matches('idle')) {
    const h = REGISTER_STRINGS[context.lang].idle;
    const hospital = cfg.services === 'hospital';
    const venue = env.venue ? (context.lang === 'en' ? env.venue.en : env.venue.zh) : undefined;
    return {
      title: t.idle.title,
      lines: [
        ...(hospital && venue ? [h.venue(venue)] : []),
        t.idle.insert,
        ...(cfg.acceptTap ? [c.idleTap] : []),
        ...(cfg.acceptCode ? [c.idleCode] : []),
        ...(hospital ? [h.services] : t.idle.services),
        ...(context.card === 'retained' ? [t.idle.retainedHint] : []),
      ],
    };
  }
  if (snapshot.matches('reading')) {
    // Reads take a few seconds and report no steps: an easing bar that never claims to be done.
    return { title: t.reading.title, lines: [t.reading.line], progress: easing(env.now - since) };
  }
  if (snapshot.matches('checkingStatus')) {
    return { title: t.reading.title, lines: [t.checking.line], progress: easing(env.now - since) };
  }
  if (snapshot.matches('cardBlocked')) {
    const status = isBlocked(context.cardStatus) ? context.cardStatus : 'blacklisted';
    const text = t.cardBlocked.status[status];
    const lines = [...text.lines];
    let deadline: number | undefined;
    if (snapshot.matches({ cardBlocked: 'retaining' })) lines.push(t.cardBlocked.retaining);
    else if (snapshot.matches({ cardBlocked: 'ejecting' })) lines.push(t.cardBlocked.ejecting);
    else {
      lines.push(t.cardBlocked.takeCard);
      if (snapshot.matches({ cardBlocked: 'atGate' }) && cfg.retainOnTakeTimeout) {
        lines.push(t.cardBlocked.retainWarning);
        deadline = since + cfg.cardErrorMs;
      }
    }
    lines.push(t.cardBlocked.help);
    return { title: text.title, lines, tone: 'warning', ...(deadline !== undefined ? { deadline } : {}) };
  }
  if (snapshot.matches('pin')) {
    const session = context.pinPurpose === 'session' || context.pinPurpose === undefined;
    const notice = pinNoticeLine(context.pinNotice, t, false);
    return {
      title: t.pin.title,
      lines: [
        ...notice,
        t.pin.enter,
        // Tap session: the VERIFY goes to the card over the antenna once the PIN is keyed.
        ...(context.via === 'tap' && cardless ? [c.tapHold] : []),
        t.pin.shield,
        session ? (cardless ? c.pinCancelEnds : t.pin.cancelReturnsCard) : t.pin.cancelBack,
      ],
      fields: [{ id: 'pin', label: t.pin.entered, value: dots(context.pinDigits, t) }],
      controls: [{ id: 'cancel', label: t.controls.cancel, kind: 'secondary' }],
      tone: notice.length ? 'warning' : 'info',
    };
  }
  if (snapshot.matches('pinLocked')) {
    return {
      title: t.pinLocked.title,
      lines: [...t.pinLocked.lines, cardless ? c.pinLockedEnd : t.pinLocked.takeCard],
      tone: 'warning',
      deadline: since + cfg.menuIdleMs,
    };
  }
  if (snapshot.matches('changePin')) {
    const phase = snapshot.matches({ changePin: 'old' })
      ? 1
      : snapshot.matches({ changePin: 'new' })
        ? 2
        : snapshot.matches({ changePin: 'confirm' })
          ? 3
          : 0;
    if (phase === 0) return { title: t.changePin.title, lines: [t.changePin.applying] };
    const notice = pinNoticeLine(context.pinNotice, t, true);
    const ask = phase === 1 ? [t.changePin.old] : phase === 2 ? [t.changePin.new, t.changePin.newAdvice] : [t.changePin.confirm];
    return {
      title: t.changePin.title,
      lines: [t.changePin.step(phase), ...notice, ...ask, t.pin.shield, t.changePin.cancel],
      fields: [{ id: 'pin', label: t.pin.entered, value: dots(context.pinDigits, t) }],
      controls: [{ id: 'cancel', label: t.controls.cancel, kind: 'secondary' }],
      tone: notice.length ? 'warning' : 'info',
    };
  }
  if (snapshot.matches('pinChanged')) {
    return {
      title: t.pinChanged.title,
      lines: t.pinChanged.lines,
      controls: [confirm],
      tone: 'success',
      deadline: since + cfg.retainedNoticeMs,
    };
  }
  if (snapshot.matches('reportLoss')) {
    if (snapshot.matches({ reportLoss: 'submitting' })) return { title: t.reportLoss.title, lines: [t.reportLoss.submitting] };
    return {
      title: t.reportLoss.title,
      // The card's fate goes before the question, so nobody learns it only after confirming.
      lines: [
        ...t.reportLoss.lines.slice(0, -1),
        cardless ? c.reportLossFate : cfg.retainAfterLossReport ? t.reportLoss.cardKept : t.reportLoss.cardReturned,
        ...t.reportLoss.lines.slice(-1),
      ],
      controls: [
        { id: 'confirm', label: t.reportLoss.confirmLabel, kind: 'danger' },
        { id: 'back', label: t.controls.back, kind: 'secondary' },
      ],
      tone: 'warning',
      deadline: since + cfg.menuIdleMs,
    };
  }
  if (snapshot.matches('lossReported')) {
    const L = t.lossReported;
    const lines = [L.done, ...(context.serviceRef ? [L.ref(context.serviceRef)] : []), L.next];
    let deadline: number | undefined;
    let controls: ControlView[] = [];
    if (snapshot.matches({ lossReported: 'retaining' })) lines.push(L.retaining);
    else if (snapshot.matches({ lossReported: 'ejecting' })) lines.push(L.ejecting);
    else if (snapshot.matches({ lossReported: 'taken' })) {
      lines.push(L.taken);
      controls = [confirm];
      deadline = since + cfg.retainedNoticeMs;
    } else {
      lines.push(L.takeCard);
      if (snapshot.matches({ lossReported: 'atGate' }) && cfg.retainOnTakeTimeout) {
        lines.push(t.cardBlocked.retainWarning);
        deadline = since + cfg.cardErrorMs;
      }
    }
    return { title: L.title, lines, controls, tone: 'success', ...(deadline !== undefined ? { deadline } : {}) };
  }
  if (snapshot.matches('liftLoss')) {
    if (snapshot.matches({ liftLoss: 'submitting' })) return { title: t.liftLoss.title, lines: [t.liftLoss.submitting] };
    return {
      title: t.liftLoss.title,
      lines: t.liftLoss.lines,
      controls: [
        { id: 'confirm', label: t.liftLoss.confirmLabel, kind: 'primary' },
        { id: 'back', label: t.controls.back, kind: 'secondary' },
      ],
      deadline: since + cfg.menuIdleMs,
    };
  }
  if (snapshot.matches('lossLifted')) {
    return {
      title: t.lossLifted.title,
      lines: [...t.lossLifted.lines, ...(context.serviceRef ? [t.lossReported.ref(context.serviceRef)] : [])],
      controls: [confirm],
      tone: 'success',
      deadline: since + cfg.menuIdleMs,
    };
  }
  if (snapshot.matches('serviceError')) {
    const code = context.lastError?.code;
    return {
      title: t.serviceError.title,
      lines: [...t.serviceError.lines, ...(code ? [t.cardError.code(code)] : [])],
      controls: [{ id: 'back', label: t.controls.back, kind: 'primary' }],
      tone: 'warning',
      deadline: since + cfg.menuIdleMs,
    };
  }
  if (snapshot.matches('unavailable')) {
    const code = context.lastError?.code ?? 'INTERNAL';
    const kind = context.outage ?? (code.startsWith('PSAM_') ? 'card-functions' : 'pin');
    const text: CardErrorText = t.unavailable[kind];
    const lines = [...text.lines];
    if (snapshot.matches({ unavailable: 'ejecting' })) lines.push(t.cardError.ejecting);
    else lines.push(t.cardError.takeCard);
    const retainArmed = snapshot.matches({ unavailable: 'atGate' }) && cfg.retainOnTakeTimeout;
    if (retainArmed) lines.push(t.cardError.retainWarning);
    lines.push(kind === 'card-functions' ? t.unavailable.operatorPsam(code) : t.cardError.code(code));
    return { title: text.title, lines, tone: 'warning', ...(retainArmed ? { deadline: since + cfg.cardErrorMs } : {}) };
  }
  if (snapshot.matches('menu')) return presentMenu(snapshot, since);
  if (snapshot.matches('ejecting')) {
    return { title: t.ejecting.title, lines: [t.ejecting.line] };
  }
  if (snapshot.matches('takeCard')) {
    const reminding = snapshot.matches({ takeCard: 'reminding' });
    if (reminding) return { title: t.takeCard.title, lines: [t.takeCard.reminder], tone: 'warning' };
    return {
      title: t.takeCard.title,
      lines: cfg.retainOnTakeTimeout ? [t.takeCard.line, t.takeCard.retainWarning] : [t.takeCard.line],
      ...(cfg.retainOnTakeTimeout ? { deadline: since + cfg.takeCardMs } : {}),
    };
  }
  if (snapshot.matches('cardError')) {
    const code = context.lastError?.code ?? 'INTERNAL';
    const text = cardErrorText(code, context.lang);
    const lines = [...text.lines];
    if (snapshot.matches({ cardError: 'ejecting' })) lines.push(t.cardError.ejecting);
    else lines.push(t.cardError.takeCard);
    const retainArmed = snapshot.matches({ cardError: 'atGate' }) && cfg.retainOnTakeTimeout;
    if (retainArmed) lines.push(t.cardError.retainWarning);
    lines.push(t.cardError.code(code));
    return {
      title: text.title,
      lines,
      tone: 'error',
      ...(retainArmed ? { deadline: since + cfg.cardErrorMs } : {}),
    };
  }
  if (snapshot.matches('cardRemoved')) {
    const text = cardErrorText('CARD_REMOVED', context.lang);
    return {
      title: text.title,
      lines: [...text.lines, t.cardError.removedNotice],
      tone: 'error',
      controls: [confirm],
      deadline: since + cfg.retainedNoticeMs,
    };
  }
  if (snapshot.matches('retaining')) {
    return { title: t.retaining.title, lines: [t.retaining.line], tone: 'warning' };
  }
  if (snapshot.matches('cardRetained')) {
    const reason = context.retainReason ?? '';
    const status = reason.startsWith('status:') ? reason.slice('status:'.length) : undefined;
    let title = t.retained.title;
    let lines = t.retained.lines(formatLocal(since), env.terminalId);
    if (status !== undefined && isBlocked(status as never)) {
      const text = t.cardBlocked.status[status as keyof Strings['cardBlocked']['status']];
      title = text.title;
      lines = [...text.lines, ...t.retainedBy.status(formatLocal(since), env.terminalId)];
    } else if (reason === 'loss-reported') {
      title = t.lossReported.title;
      lines = [
        ...(context.serviceRef ? [t.lossReported.ref(context.serviceRef)] : []),
        ...t.retainedBy.lossReported(formatLocal(since), env.terminalId),
      ];
    }
    return {
      title,
      lines,
      tone: 'warning',
      controls: [confirm],
      deadline: since + cfg.retainedNoticeMs,
    };
  }
  if (snapshot.matches('outOfService')) {
    const lines = [t.outOfService.line];
    if (context.card === 'inside') lines.push(t.outOfService.cardInside);
    if (context.card === 'at-gate') lines.push(t.outOfService.cardAtGate);
    if (context.lastError) lines.push(t.outOfService.reason(context.lastError.code));
    lines.push(t.outOfService.help);
    return { title: t.outOfService.title, lines, tone: 'warning' };
  }
  throw new Error(`no presentation for session state ${stateKey(snapshot)}`);
}

/** Terminal-local wall time, as on a retention slip: 2025-03-01 14:05:09. */
function formatLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
