import { gateScreenOf, type GateSnapshot } from '../gate/snapshot.js';
import type { ControlView, ScreenView } from './protocol.js';
import { GATE_STRINGS } from './strings-gate.js';
import type { Lang } from './strings.js';

export interface GatePresentEnv {
  lang: Lang;
  now: number;
  /** When the current state was entered (host clock), for the denial's countdown. */
  enteredAt: number;
}

/** The turnstile's screen for a gate machine snapshot. Never shows who the citizen is. */
export function presentGate(snapshot: GateSnapshot, env: GatePresentEnv): ScreenView {
  const t = GATE_STRINGS[env.lang];
  const screen = gateScreenOf(snapshot);
  const ctx = snapshot.context;
  const language: ControlView = { id: 'language', label: t.language, kind: 'secondary' };
  const base = { fields: [], tables: [] };
  switch (screen) {
    case 'idle':
      return { ...base, screen, title: t.idle.title, lines: t.idle.lines, controls: [language], tone: 'info' };
    case 'reading':
      return { ...base, screen, title: t.reading.title, lines: [t.reading.line], controls: [], tone: 'info' };
    case 'gate-open': {
      const lines = [...t.open.lines];
      if (ctx.decision && !ctx.decision.online && ctx.identity?.via === 'code') lines.push(t.offline);
      return {
        ...base,
        screen,
        title: t.open.title,
        lines,
        controls: [],
        tone: 'success',
        ...(snapshot.matches('open') ? { deadline: env.enteredAt + ctx.config.passageTimeoutMs } : {}),
      };
    }
    case 'gate-denied':
      return {
        ...base,
        screen,
        title: t.denied.title,
        lines: t.reasons[ctx.reason ?? 'unreadable'],
        controls: [language],
        tone: 'error',
        deadline: env.enteredAt + ctx.config.deniedMs,
      };
    case 'gate-alarm':
      return { ...base, screen, title: t.alarm.title, lines: t.alarm.lines, controls: [], tone: 'warning' };
    case 'out-of-service': {
      const down = Object.entries(ctx.devices)
        .filter(([d, s]) => s !== 'ok' && s !== 'not-configured' && t.outOfService.device[d])
        .map(([d, s]) => `${t.outOfService.device[d]}: ${s}`);
      return { ...base, screen, title: t.outOfService.title, lines: [...t.outOfService.lines, ...down], controls: [language], tone: 'warning' };
    }
  }
}
