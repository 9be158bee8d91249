import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors as ownEventTypes, type EventObject } from 'xstate';
import { TestModel, getStateNodes, type AdjacencyMap } from 'xstate/graph';
import {
  SCREEN_IDS,
  screenOf,
  sessionMachine,
  type SessionConfig,
  type SessionSnapshot,
} from '../../../flows/session/index.js';
import { presentSession } from '../../../flows/view/present.js';
import { ScreenView, visibleText } from '../../../flows/view/protocol.js';
import { codedError, HOLDER, startSession, TEST_PIN } from './harness.js';
import { stepOf, vertexKey, type ModelEvent } from './model.js';

/**
 * Model-based tests: xstate/graph walks every state the machine can reach (device results and
 * timeouts fed as events), and the invariants a citizen relies on are checked in each one.
 * Shared by session-model.test.ts (the citizen kiosk's configurations) and hospital-model.test.ts.
 */

/**
 * The events to try in a state: the given list plus the state's own delayed events. (A custom
 * `events` option replaces xstate/graph's default, which is what would add the `xstate.after.*`
 * events; createTestModel, which keeps them, refuses machines that invoke actors.)
 */
function eventsFor(events: readonly ModelEvent[]) {
  return (snapshot: SessionSnapshot): EventObject[] => {
    const after = ownEventTypes(snapshot)
      .filter((t) => t.startsWith('xstate.after.'))
      .map((type) => ({ type }));
    return [...events, ...after];
  };
}

/**
 * One vertex per state value and the context that changes what a citizen can see or do there:
 * how a state was reached does not matter, and neither does which code of a class an error had
 * (each code's own text is unit-tested). Without this the graph multiplies every error code by
 * every later state and grows past what a test run can walk.
 */
function buildModel(config: Partial<SessionConfig>, events: readonly ModelEvent[]) {
  return new TestModel(sessionMachine, {
    events: eventsFor(events) as never,
    input: { config },
    serializeState: (s) => vertexKey(s as SessionSnapshot),
  });
}

type Model = ReturnType<typeof buildModel>;

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

/** vertexKey, computed once per snapshot object (the walks ask for the same edges' keys many times). */
const keys = new WeakMap<SessionSnapshot, string>();
const keyOf = (s: SessionSnapshot): string => {
  let k = keys.get(s);
  if (k === undefined) keys.set(s, (k = vertexKey(s)));
  return k;
};
const sameState = (a: SessionSnapshot, b: SessionSnapshot) => keyOf(a) === keyOf(b);
const present = (s: SessionSnapshot) => presentSession(s, { terminalId: 'YKT-T-0001', now: 1_000_000, enteredAt: 1_000_000 });

/** States where `finish` is offered (card inside) but returning the card is already under way. */
const FINISH_UNDER_WAY = ['starting', 'ejecting', 'cardError', 'cardBlocked', 'unavailable', 'lossReported'] as const;

/** The card is kept by policy: the one time a card inside has no `finish`. */
const keptByPolicy = (s: SessionSnapshot) => s.matches({ cardBlocked: 'retaining' }) || s.matches({ lossReported: 'retaining' });

export interface ModelSuite {
  name: string;
  config: Partial<SessionConfig>;
  /** State nodes (without `session.`) the configuration cannot reach. */
  unreachable: string[];
  events: readonly ModelEvent[];
  /** Which shortest paths the live actor replays (all when absent). */
  sample?: (path: { state: unknown }, index: number) => boolean;
  /** Least number of vertices the walk must find. */
  minStates?: number;
}

/** State node ids (with `session.`) a path ends in. */
export const lastNode = (p: { state: unknown }): string => {
  const nodes = (p.state as SessionSnapshot)._nodes;
  return nodes[nodes.length - 1]?.id ?? '';
};


export function modelSuite({ name, config, unreachable, events, sample, minStates = 200 }: ModelSuite): void {
  describe(`session model (${name})`, () => {
  const model = buildModel(config, events);
  const states = reachable(model);

  it('visits every state node of the machine', () => {
    const visited = new Set(states.flatMap((s) => s.snapshot._nodes.map((n) => n.id)));
    const all = getStateNodes(sessionMachine.root).map((n) => n.id);
    expect(all.filter((id) => !visited.has(id)).sort()).toEqual(unreachable.map((id) => `session.${id}`).sort());
    expect(states.length).toBeGreaterThan(minStates);
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

  it('(b) finish is offered whenever the card is inside or the visit has no card, and only then (unless kept by policy)', () => {
    for (const { snapshot } of states) {
      const ids = present(snapshot).controls.map((c) => c.id);
      const c = snapshot.context;
      // A visit without a card (tap, code) offers 结束 everywhere but on the notice that ends it.
      const cardless = (c.via === 'tap' || c.via === 'code') && c.card === 'none';
      expect(ids.includes('finish'), `${JSON.stringify(snapshot.value)} card=${c.card} via=${c.via}`).toBe(
        cardless ? !snapshot.matches('cardRemoved') : c.card === 'inside' && !keptByPolicy(snapshot),
      );
    }
  });

  it('(d) no PIN digits and no full social security number ever reach a screen', () => {
    for (const { snapshot } of states) {
      // Both languages occur among the states (checked in (c)).
      const view = present(snapshot);
      const all = JSON.stringify(view);
      expect(all).not.toContain(TEST_PIN);
      expect(all).not.toContain(HOLDER.ssn);
      // The entry shows dots for a count, nothing else.
      for (const f of view.fields.filter((x) => x.id === 'pin')) expect(f.value).toMatch(/^(●+|[^0-9]+)$/);
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
      // A disabled control is shown (so the citizen knows it exists) but does nothing.
      const controls = present(snapshot).controls;
      const offered = new Set(controls.filter((c) => !c.disabled).map((c) => c.id));
      // The tab already shown: touching it keeps the view (and must not do anything else).
      const selected = new Set(controls.filter((c) => c.selected).map((c) => c.id));
      for (const { event, next } of edges) {
        if (event.type !== 'TOUCH') continue;
        const where = `${JSON.stringify(snapshot.value)} card=${snapshot.context.card} touch ${event.control}`;
        const changed = !sameState(snapshot, next);
        if (!offered.has(event.control!)) expect(changed, where).toBe(false);
        else if (selected.has(event.control!)) expect(changed, `${where} ${keyOf(snapshot)} -> ${keyOf(next)}`).toBe(false);
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
    // The graph checks above cover every vertex; the replay may sample (see the callers).
    const replay = sample ? paths.filter((p, i) => sample(p, i)) : paths;
    for (const path of replay) {
      const s = startSession({ config });
      for (const step of path.steps) {
        const what = stepOf(step.event);
        const where = `${path.description}\n  at ${step.event.type}`;
        if (what.kind === 'done') await s.resolve(what.actor as never, what.output);
        else if (what.kind === 'error') {
          const { code, message, ...extra } = what.error;
          await s.reject(what.actor as never, codedError(code, message, extra));
        }
        else if (what.kind === 'after') await s.wait(delayMs(what.delay, s.snapshot()));
        else s.send(what.event as never);
        expect(s.snapshot().value, where).toEqual(step.state.value);
        // Vertices merge contexts that differ only in what the key leaves out (see vertexKey).
        expect(vertexKey(s.snapshot()), where).toEqual(vertexKey(step.state as SessionSnapshot));
      }
      s.actor.stop();
    }
  }, 120_000);
});
}

function delayMs(name: string, snapshot: SessionSnapshot): number {
  const delays = sessionMachine.implementations.delays as Record<
    string,
    number | ((args: { context: SessionSnapshot['context'] }) => number)
  >;
  const d = delays[name];
  if (d === undefined) throw new Error(`unknown delay ${name}`);
  return typeof d === 'number' ? d : d({ context: snapshot.context });
}
