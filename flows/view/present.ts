import { maskId } from '../../drivers/common/mask.js';
import { menuWarningMs } from '../session/config.js';
import { cardPlace, screenOf, type SessionSnapshot } from '../session/snapshot.js';
import type { ControlView, FieldView, ScreenView } from './protocol.js';
import { cardErrorText, STRINGS, type Strings } from './strings.js';

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

type Body = Omit<ScreenView, 'screen' | 'fields' | 'controls' | 'tone'> & {
  fields?: FieldView[];
  controls?: ControlView[];
  tone?: ScreenView['tone'];
};

export function presentSession(snapshot: SessionSnapshot, env: PresentEnv): ScreenView {
  const { context } = snapshot;
  const t = STRINGS[context.lang];
  const since = enteredAt(snapshot, env);
  const body = bodyOf(snapshot, t, env, since);

  const controls: ControlView[] = [];
  // 退卡 is always within reach while the card is inside, whatever the screen.
  if (context.card === 'inside') controls.push({ id: 'finish', label: t.controls.finish, kind: 'primary' });
  controls.push(...(body.controls ?? []));
  controls.push({ id: 'language', label: t.controls.language, kind: 'secondary' });

  return {
    screen: screenOf(snapshot),
    title: body.title,
    lines: body.lines,
    fields: body.fields ?? [],
    controls,
    tone: body.tone ?? 'info',
    ...(body.progress !== undefined ? { progress: body.progress } : {}),
    ...(body.deadline !== undefined ? { deadline: body.deadline } : {}),
  };
}

function bodyOf(snapshot: SessionSnapshot, t: Strings, env: PresentEnv, since: number): Body {
  const { context } = snapshot;
  const cfg = context.config;
  const confirm: ControlView = { id: 'confirm', label: t.controls.confirm, kind: 'primary' };

  if (snapshot.matches('starting')) {
    return {
      title: t.starting.title,
      lines: context.card === 'inside' ? [t.starting.line, t.starting.cardInside] : [t.starting.line],
    };
  }
  if (snapshot.matches('idle')) {
    return {
      title: t.idle.title,
      lines: [t.idle.insert, ...t.idle.services, ...(context.card === 'retained' ? [t.idle.retainedHint] : [])],
    };
  }
  if (snapshot.matches('reading')) {
    // Reads take a few seconds and report no steps: an easing bar that never claims to be done.
    const elapsed = Math.max(0, env.now - since);
    return { title: t.reading.title, lines: [t.reading.line], progress: Math.min(0.95, 1 - Math.exp(-elapsed / 3000)) };
  }
  if (snapshot.matches('menu')) {
    const h = context.holder;
    const warning = snapshot.matches({ menu: 'warning' });
    const fields: FieldView[] = h
      ? [
          { id: 'name', label: t.menu.fields.name, value: h.name },
          { id: 'ssn', label: t.menu.fields.ssn, value: maskId(h.ssn) },
          { id: 'card-number', label: t.menu.fields.cardNumber, value: h.cardNumber },
          { id: 'validity', label: t.menu.fields.validity, value: `${h.issueDate} – ${h.expiryDate}` },
        ]
      : [];
    return {
      title: t.menu.title,
      lines: [...(h ? [t.menu.greeting(h.name)] : []), warning ? t.menu.warning : t.menu.hint],
      fields,
      controls: warning ? [{ id: 'confirm', label: t.controls.continue, kind: 'primary' }] : [],
      tone: warning ? 'warning' : 'info',
      deadline: warning ? since + menuWarningMs(cfg) : since + cfg.menuIdleMs,
    };
  }
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
    return {
      title: t.retained.title,
      lines: t.retained.lines(formatLocal(since), env.terminalId),
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
