import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors as ownEventTypes, createActor, fromPromise, type EventObject } from 'xstate';
import { getStateNodes, TestModel, type AdjacencyMap } from 'xstate/graph';
import { DENY_REASONS, gateMachine, GateConfigSchema, gateScreenOf, type GateSnapshot } from '../../../flows/gate/index.js';
import { presentGate } from '../../../flows/view/present-gate.js';
import { ScreenView, visibleText } from '../../../flows/view/protocol.js';

/**
 * Model test of the gate machine: xstate/graph walks every state with the invoked actors' results,
 * device events and timeouts fed as events, and checks what a citizen and the station rely on:
 * the gate opens only after an `allow` decision, every state gets back to ready, every denial
 * says why.
 */
const config = GateConfigSchema.parse({});
const OK = { gate: 'ok', reader: 'ok', scanner: 'ok' };
const IDENTITY = { via: 'card', cardIdCode: '330300D15600000500000000000000AB', cardNumber: 'A00000001', expiryDate: '2030-01-01' };

const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output });
const fail = (id: string, code: string) => ({ type: `xstate.error.actor.${id}`, error: { code, message: code } });

const EVENTS: EventObject[] = [
  { type: 'TAP' },
  { type: 'SCAN', text: 'YKTEC1.x.y' },
  { type: 'PASSAGE' },
  { type: 'TAILGATING' },
  { type: 'DEVICE_STATUS', device: 'gate', status: 'unplugged' },
  { type: 'DEVICE_STATUS', device: 'gate', status: 'ok' },
  { type: 'DEVICE_STATUS', device: 'reader', status: 'fault' },
  { type: 'DEVICE_STATUS', device: 'reader', status: 'ok' },
  done('identifyCard', IDENTITY),
  fail('identifyCard', 'READER_CARD_REMOVED'),
  fail('identifyCard', 'CARD_NOT_GENUINE'),
  done('identifyCode', { ...IDENTITY, via: 'code', jti: 'ab12' }),
  fail('identifyCode', 'ECARD_TAMPERED'),
  fail('identifyCode', 'ECARD_EXPIRED'),
  done('decide', { allow: true, online: false }),
  done('decide', { allow: false, reason: 'blacklisted', online: false }),
  done('decide', { allow: false, reason: 'passback', online: true }),
  fail('decide', 'SQLITE_BUSY'),
  done('openGate'),
  fail('openGate', 'GATE_NO_ANSWER'),
  done('closeGate'),
  fail('closeGate', 'GATE_NO_ANSWER'),
];

function eventsFor(snapshot: GateSnapshot): EventObject[] {
  const after = ownEventTypes(snapshot)
    .filter((t) => t.startsWith('xstate.after.'))
    .map((type) => ({ type }));
  return [...EVENTS, ...after];
}

const keyOf = (s: GateSnapshot) =>
  JSON.stringify([s.value, s.context.devices, s.context.reason ?? null, s.context.decision?.allow ?? null, s.context.identity?.via ?? null]);

const model = new TestModel(gateMachine, {
  events: eventsFor as never,
  input: { config, devices: OK },
  serializeState: (s) => keyOf(s as GateSnapshot),
});
const adj = model.getAdjacencyMap() as AdjacencyMap<GateSnapshot, EventObject>;
const states = Object.entries(adj).map(([key, v]) => ({
  key,
  snapshot: v.state as GateSnapshot,
  edges: (Object.values(v.transitions) as { event: EventObject; state: GateSnapshot }[]).map((t) => ({ event: t.event, next: t.state })),
}));

describe('gate model', () => {
  it('visits every state node', () => {
    const visited = new Set(states.flatMap((s) => s.snapshot._nodes.map((n) => n.id)));
    const all = getStateNodes(gateMachine.root).map((n) => n.id);
    // `checking` is transient: the graph never rests there.
    expect(all.filter((id) => !visited.has(id)).sort()).toEqual(['gate.checking']);
  });

  it('opens the gate only right after an allow decision', () => {
    for (const s of states) {
      for (const e of s.edges) {
        if (e.next.matches('opening') && !s.snapshot.matches('opening')) {
          expect(s.snapshot.matches('deciding'), `${s.key} --${e.event.type}--> opening`).toBe(true);
          expect((e.event as unknown as { output: { allow: boolean } }).output.allow).toBe(true);
        }
      }
    }
  });

  it('every state gets back to idle once the devices are well (no state is a dead end)', () => {
    const idleKeys = new Set(states.filter((s) => s.snapshot.matches('idle')).map((s) => s.key));
    const back = new Set(idleKeys);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of states) {
        if (back.has(s.key)) continue;
        if (s.edges.some((e) => back.has(keyOf(e.next)))) {
          back.add(s.key);
          grew = true;
        }
      }
    }
    const stuck = states.filter((s) => !back.has(s.key)).map((s) => s.key);
    expect(stuck).toEqual([]);
  });

  it('every screen validates, and a denial says why', () => {
    for (const s of states) {
      const view = presentGate(s.snapshot, { lang: 'zh-CN', now: 0, enteredAt: 0 });
      ScreenView.parse(view);
      expect(view.screen).toBe(gateScreenOf(s.snapshot));
      if (view.screen === 'gate-denied') expect(view.lines.length).toBeGreaterThan(0);
      ScreenView.parse(presentGate(s.snapshot, { lang: 'en', now: 0, enteredAt: 0 }));
    }
  });

  it('has a text for every deny reason in both languages', async () => {
    const { GATE_STRINGS } = await import('../../../flows/view/strings-gate.js');
    for (const lang of ['zh-CN', 'en'] as const) for (const r of DENY_REASONS) expect(GATE_STRINGS[lang].reasons[r].length).toBe(2);
  });
});

describe('gate machine, run with actors', () => {

  it('tap → allow → open → passage → idle, journaled', async () => {
    const calls: string[] = [];
    const m = gateMachine.provide({
      actors: {
        identifyCard: fromPromise(async () => IDENTITY),
        decide: fromPromise(async () => ({ allow: true, online: false })),
        openGate: fromPromise(async () => void calls.push('open')),
      },
      actions: { record: (_: unknown, p: { status: string }) => void calls.push(`record:${p.status}`) },
    });
    const a = createActor(m, { input: { config, devices: OK } }).start();
    expect(gateScreenOf(a.getSnapshot())).toBe('idle');
    a.send({ type: 'TAP' });
    await waitFor(() => a.getSnapshot().matches('open'));
    expect(visibleText(presentGate(a.getSnapshot(), { lang: 'zh-CN', now: 0, enteredAt: 0 }))).toContain('请通行');
    a.send({ type: 'PASSAGE' });
    expect(a.getSnapshot().matches('idle')).toBe(true);
    expect(calls).toEqual(['open', 'record:passed']);
    expect(a.getSnapshot().context.passages).toBe(1);
  });

  it('a denial shows the reason and returns to idle', async () => {
    const m = gateMachine.provide({
      actors: {
        identifyCard: fromPromise(async () => IDENTITY),
        decide: fromPromise(async () => ({ allow: false as const, reason: 'blacklisted' as const, online: false })),
      },
    });
    const a = createActor(m, { input: { config: { ...config, deniedMs: 20 }, devices: OK } }).start();
    a.send({ type: 'TAP' });
    await waitFor(() => a.getSnapshot().matches('denied'));
    expect(visibleText(presentGate(a.getSnapshot(), { lang: 'zh-CN', now: 0, enteredAt: 0 }))).toContain('黑名单');
    await waitFor(() => a.getSnapshot().matches('idle'));
  });

  it('out of service while the gate board is down, back when it is well', () => {
    const a = createActor(gateMachine, { input: { config, devices: { ...OK, gate: 'unplugged' } } }).start();
    expect(gateScreenOf(a.getSnapshot())).toBe('out-of-service');
    a.send({ type: 'TAP' });
    expect(gateScreenOf(a.getSnapshot())).toBe('out-of-service');
    a.send({ type: 'DEVICE_STATUS', device: 'gate', status: 'ok' });
    expect(gateScreenOf(a.getSnapshot())).toBe('idle');
  });
});


async function waitFor(cond: () => boolean, ms = 1000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}
