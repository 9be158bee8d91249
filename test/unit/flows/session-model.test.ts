import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors as ownEventTypes, type EventObject } from 'xstate';
import { getStateNodes, serializeSnapshot, TestModel, type AdjacencyMap } from 'xstate/graph';
import {
  SCREEN_IDS,
  screenOf,
  sessionMachine,
  type SessionConfig,
  type SessionSnapshot,
} from '../../../flows/session/index.js';
import { presentSession } from '../../../flows/view/present.js';
import { ScreenView, visibleText } from '../../../flows/view/protocol.js';
import { codedError, startSession } from './harness.js';
import { MODEL_EVENTS, stepOf } from './model.js';

/**
 * Model-based tests: xstate/graph walks every state the machine can reach (device results and
 * timeouts fed as events), and the invariants a citizen relies on are checked in each one.
 */

type Model = ReturnType<typeof buildModel>;

/**
 * The events to try in a state: the fixed list plus the state's own delayed events. (A custom
 * `events` option replaces xstate/graph's default, which is what would add the `xstate.after.*`
 * events; createTestModel, which keeps them, refuses machines that invoke actors.)
 */
function eventsFor(snapshot: SessionSnapshot): EventObject[] {
  const after = ownEventTypes(snapshot)
    .filter((t) => t.startsWith('xstate.after.'))
    .map((type) => ({ type }));
  return [...MODEL_EVENTS, ...after];
}

function buildModel(config: Partial<SessionConfig>) {
  // One vertex per (state value, context): how a state was reached does not matter here.
  return new TestModel(sessionMachine, {
    events: eventsFor as never,
    input: { config },
    serializeState: (s) => serializeSnapshot(s),
  });
}

function reachable(model: Model) {
  const adj = model.getAdjacencyMap() as AdjacencyMap<SessionSnapshot, EventObject>;
  return Object.entries(adj).map(([key, v]) => ({
    key,
    snapshot: v.state as SessionSnapshot,
    edges: (Object.values(v.transitions) as { event: EventObject; state: SessionSnapshot }[]).map((t) => ({
      event: t.event as EventObject & { control?: string },
      next: t.state,
    })),
  }));
}

const keyOf = (s: SessionSnapshot) => JSON.stringify({ value: s.value, context: s.context });
const sameState = (a: SessionSnapshot, b: SessionSnapshot) => keyOf(a) === keyOf(b);
const present = (s: SessionSnapshot) => presentSession(s, { terminalId: 'YKT-T-0001', now: 1_000_000, enteredAt: 1_000_000 });

/** States where `finish` is offered (card inside) but returning the card is already under way. */
const FINISH_UNDER_WAY = ['starting', 'ejecting', 'cardError'] as const;

const CONFIGS: [string, Partial<SessionConfig>][] = [
  ['defaults', {}],
  ['retain disabled', { retainOnTakeTimeout: false }],
];

describe.each(CONFIGS)('session model (%s)', (_name, config) => {
  const model = buildModel(config);
  const states = reachable(model);

  it('visits every state node of the machine', () => {
    const visited = new Set(states.flatMap((s) => s.snapshot._nodes.map((n) => n.id)));
    const all = getStateNodes(sessionMachine.root).map((n) => n.id);
    // Each retain policy makes one branch of the take-card and card-error timeouts impossible.
    const unreachable =
      config.retainOnTakeTimeout === false
        ? ['session.retaining', 'session.cardRetained']
        : ['session.takeCard.reminding', 'session.cardError.reminding'];
    expect(all.filter((id) => !visited.has(id)).sort()).toEqual(unreachable.sort());
    expect(states.length).toBeGreaterThan(50);
  });

  it('(a) every reachable state has a way back to idle without relying on a reader fault', () => {
    // Reverse search from idle over every edge except READER_FAULT, which would make the
    // property trivially true (fault → out-of-service → recovered → idle).
    const back = new Map<string, string[]>();
    for (const s of states) {
      for (const e of s.edges) {
        if (e.event.type === 'READER_FAULT') continue;
        const to = keyOf(e.next);
        back.set(to, [...(back.get(to) ?? []), keyOf(s.snapshot)]);
      }
    }
    const ok = new Set(states.filter((s) => s.snapshot.matches('idle')).map((s) => keyOf(s.snapshot)));
    const queue = [...ok];
    while (queue.length) {
      for (const prev of back.get(queue.pop()!) ?? []) {
        if (!ok.has(prev)) {
          ok.add(prev);
          queue.push(prev);
        }
      }
    }
    const stuck = states.filter((s) => !ok.has(keyOf(s.snapshot))).map((s) => JSON.stringify(s.snapshot.value));
    expect(stuck).toEqual([]);
  });

  it('(b) finish is offered whenever the card is inside, and only then', () => {
    for (const { snapshot } of states) {
      const ids = present(snapshot).controls.map((c) => c.id);
      expect(ids.includes('finish'), `${JSON.stringify(snapshot.value)} card=${snapshot.context.card}`).toBe(
        snapshot.context.card === 'inside',
      );
    }
  });

  it('(c) every state presents a valid ScreenView with a known screen id, in both languages', () => {
    for (const { snapshot } of states) {
      const view = ScreenView.parse(present(snapshot));
      expect(SCREEN_IDS).toContain(view.screen);
      expect(view.screen).toBe(screenOf(snapshot));
      expect(view.title.length).toBeGreaterThan(0);
      expect(view.lines.length).toBeGreaterThan(0);
      expect(view.controls.map((c) => c.id)).toContain('language');
      expect(new Set(view.controls.map((c) => c.id)).size).toBe(view.controls.length);
      if (view.screen === 'card-error') expect(view.tone).toBe('error');
      if (view.screen === 'out-of-service') expect(view.tone).toBe('warning');
      // The full social security number never reaches a screen.
      expect(visibleText(view)).not.toContain('110101195001011234');
    }
    const langs = new Set(states.map((s) => s.snapshot.context.lang));
    expect([...langs].sort()).toEqual(['en', 'zh-CN']);
  });

  it('offered controls act, controls not offered are ignored', () => {
    for (const { snapshot, edges } of states) {
      const offered = new Set(present(snapshot).controls.map((c) => c.id));
      for (const { event, next } of edges) {
        if (event.type !== 'TOUCH') continue;
        const where = `${JSON.stringify(snapshot.value)} card=${snapshot.context.card} touch ${event.control}`;
        const changed = !sameState(snapshot, next);
        if (!offered.has(event.control!)) expect(changed, where).toBe(false);
        else if (!(event.control === 'finish' && FINISH_UNDER_WAY.some((s) => snapshot.matches(s))))
          expect(changed, where).toBe(true);
      }
    }
  });

  it('the live actor follows the model on the shortest path to every state', async () => {
    // Paths that are prefixes of longer ones are dropped; their states are checked on the way.
    const paths = model.getShortestPaths();
    const covered = new Set(paths.flatMap((p) => p.steps.map((st) => keyOf(st.state as SessionSnapshot))));
    expect(states.filter((s) => !covered.has(keyOf(s.snapshot)) && !s.snapshot.matches('starting'))).toEqual([]);
    for (const path of paths) {
      const s = startSession({ config });
      for (const step of path.steps) {
        const what = stepOf(step.event);
        const where = `${path.description}\n  at ${step.event.type}`;
        if (what.kind === 'done') await s.resolve(what.actor as never, what.output);
        else if (what.kind === 'error') await s.reject(what.actor as never, codedError(what.error.code, what.error.message));
        else if (what.kind === 'after') await s.wait(delayMs(what.delay, s.snapshot()));
        else s.send(what.event as never);
        expect(s.snapshot().value, where).toEqual(step.state.value);
        expect(s.snapshot().context, where).toEqual(step.state.context);
      }
      s.actor.stop();
    }
  }, 120_000);
});

function delayMs(name: string, snapshot: SessionSnapshot): number {
  const delays = sessionMachine.implementations.delays as Record<
    string,
    number | ((args: { context: SessionSnapshot['context'] }) => number)
  >;
  const d = delays[name];
  if (d === undefined) throw new Error(`unknown delay ${name}`);
  return typeof d === 'number' ? d : d({ context: snapshot.context });
}
