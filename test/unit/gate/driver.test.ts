import { describe, expect, it } from 'vitest';
import { PATH, setup } from './harness.js';

const OPEN_IN = '024F31037F';
const PASSAGE = '02500351';
const STATUS = '02530352';

describe('gate driver against the simulator (SerialPortStream + SimPortRegistry + VirtualClock)', () => {
  it('opens with a status query: status ok, the board closed, lights and alarm off', async () => {
    const hs = await setup();
    expect(hs.gate.status.state).toBe('ok');
    expect(hs.gate.board).toEqual({ state: 'closed', lights: 'off', alarm: false });
    expect(hs.tap.log).toEqual(['>' + STATUS, '<02533030300362']);
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok']);
  });

  it('openGate("in"): the spec bytes, ACK, the sim gate open inward', async () => {
    const hs = await setup();
    hs.tap.clear();
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.tap.log).toEqual(['>' + OPEN_IN, '<06']);
    expect(hs.sim.state).toMatchObject({ gate: 'open', direction: 'in', opened: 1 });
    expect(hs.gate.board?.state).toBe('open-in');
  });

  it('a person passes: P event ACKed by the host, passage with the direction, the gate closes itself', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.openGate('out'));
    hs.tap.clear();
    expect(hs.sim.pass()).toEqual({ ok: true, event: 'passage' });
    await hs.clock.advance(1_500);
    expect(hs.passages).toEqual([{ direction: 'out' }]);
    expect(hs.tap.log).toEqual(['<' + PASSAGE, '>06']); // sent once: the ACK stopped the resends
    expect(hs.sim.state).toMatchObject({ gate: 'closed', passages: 1 });
    expect(hs.sim.state.direction).toBeUndefined();
    expect(hs.gate.board?.state).toBe('closed');
    expect(await hs.ok(hs.gate.queryStatus())).toEqual({ state: 'closed', lights: 'off', alarm: false });
  });

  it('tailgating: a second person through the closed gate, and a forced passage', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.openGate('in'));
    hs.sim.pass();
    expect(hs.sim.pass()).toEqual({ ok: true, event: 'tailgating' });
    hs.sim.forced();
    await hs.clock.advance(500);
    expect(hs.events).toEqual(['passage', 'tailgating', 'tailgating']);
    expect(hs.passages).toEqual([{ direction: 'in' }]);
    expect(hs.tailgates).toEqual([{}, {}]);
    expect(hs.sim.state).toMatchObject({ passages: 1, tailgates: 2 });
    // Each event was ACKed once by the host.
    expect(hs.tap.sent().filter((s) => s === '06')).toHaveLength(3);
  });

  it('walking against the opened direction is a forced passage; the gate stays open', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.sim.pass('out').event).toBe('tailgating');
    expect(hs.sim.state.gate).toBe('open');
    expect(hs.sim.pass('in').event).toBe('passage');
  });

  it('lights, alarm and close reach the board; queryStatus reads them back', async () => {
    const hs = await setup();
    hs.tap.clear();
    await hs.ok(hs.gate.lights('green'));
    await hs.ok(hs.gate.alarm(true));
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.sim.state).toMatchObject({ gate: 'open', lights: 'green', alarm: true });
    expect(await hs.ok(hs.gate.queryStatus())).toEqual({ state: 'open-in', lights: 'green', alarm: true });
    await hs.ok(hs.gate.closeGate());
    await hs.ok(hs.gate.lights('red'));
    await hs.ok(hs.gate.alarm(false));
    expect(hs.sim.state).toMatchObject({ gate: 'closed', lights: 'red', alarm: false });
    expect(hs.gate.board).toEqual({ state: 'closed', lights: 'red', alarm: false });
    expect(hs.tap.sent()).toEqual(['024C47030A', '0241310371', OPEN_IN, STATUS, '02430342', '024C52031F', '0241300370']);
  });

  it('an event arriving while a command awaits its ACK is an event, not the answer', async () => {
    const hs = await setup();
    const p = hs.gate.openGate('out');
    hs.sim.forced(); // on the wire before the board has even read the command
    await hs.ok(p);
    await hs.clock.advance(100);
    expect(hs.tailgates).toHaveLength(1);
    expect(hs.sim.state.gate).toBe('open');
    expect(hs.tap.sent().filter((s) => s.startsWith('024F'))).toHaveLength(1);
  });

  it('the board closes by itself after autoCloseMs; the host learns it from the status', async () => {
    const hs = await setup({ sim: { autoCloseMs: 10_000 } });
    await hs.ok(hs.gate.openGate('in'));
    await hs.clock.advance(9_000);
    expect(hs.sim.state.gate).toBe('open');
    await hs.clock.advance(1_100);
    expect(hs.sim.state.gate).toBe('closed');
    expect(hs.events).toEqual([]); // no event for an auto-close
    expect(hs.gate.board?.state).toBe('open-in');
    expect((await hs.ok(hs.gate.queryStatus())).state).toBe('closed');
    expect(hs.sim.pass().event).toBe('tailgating');

    const off = await setup({ sim: { autoCloseMs: 0 } });
    await off.ok(off.gate.openGate('in'));
    await off.clock.advance(60_000);
    expect(off.sim.state.gate).toBe('open');
  });

  it('rejects bad parameters before the wire', async () => {
    const hs = await setup();
    hs.tap.clear();
    await expect(hs.gate.openGate('sideways' as never)).rejects.toMatchObject({ code: 'GATE_PARAMETER' });
    await expect(hs.gate.lights('blue' as never)).rejects.toMatchObject({ code: 'GATE_PARAMETER' });
    await expect(hs.gate.alarm('yes' as never)).rejects.toMatchObject({ code: 'GATE_PARAMETER' });
    expect(hs.tap.log).toEqual([]);
  });
});

describe('link faults', () => {
  it('NAK: the command is retransmitted and then ACKed', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('nak');
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.tap.log).toEqual(['>' + OPEN_IN, '<15', '>' + OPEN_IN, '<06']);
    expect(hs.sim.state.gate).toBe('open');
    expect(hs.gate.status.state).toBe('ok');
  });

  it('NAK beyond 3 retransmissions: LINK_NAK, status fault; the next answer brings it back', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('nak', 4);
    const r = await hs.run(hs.gate.lights('green'));
    expect(!r.ok && r.error.code).toBe('LINK_NAK');
    expect(hs.tap.sent()).toEqual(Array(4).fill('024C47030A'));
    expect(hs.gate.status).toMatchObject({ state: 'fault', lastFault: { code: 'LINK_NAK' } });
    await hs.ok(hs.gate.lights('green'));
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok', 'fault', 'ok']);
  });

  it('silent board: 1 + 3 transmissions 300 ms apart, LINK_TIMEOUT, status fault; clear() brings it back', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('silent');
    const t0 = hs.clock.now();
    const r = await hs.run(hs.gate.openGate('in'));
    expect(!r.ok && r.error.code).toBe('LINK_TIMEOUT');
    expect(hs.tap.sent()).toEqual(Array(4).fill(OPEN_IN));
    expect(hs.tap.received()).toEqual([]);
    const took = hs.clock.now() - t0;
    expect(took).toBeGreaterThanOrEqual(4 * 300);
    expect(took).toBeLessThanOrEqual(4 * 300 + 40);
    expect(hs.gate.status).toMatchObject({ state: 'fault', lastFault: { code: 'LINK_TIMEOUT' } });
    expect(hs.sim.state.gate).toBe('closed');
    hs.sim.clear();
    await hs.ok(hs.gate.queryStatus());
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok', 'fault', 'ok']);
  });

  it('per-command timeout', async () => {
    const hs = await setup({ gate: { timeouts: { perCommand: { status: 50 } } } });
    hs.sim.inject('silent');
    const t0 = hs.clock.now();
    const r = await hs.run(hs.gate.queryStatus());
    expect(!r.ok && r.error.code).toBe('LINK_TIMEOUT');
    expect(hs.clock.now() - t0).toBeLessThan(4 * 60);
  });

  it('garble: a corrupted ACK or status reply costs one retransmission', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('garble');
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.tap.log).toEqual(['>' + OPEN_IN, '<86', '>' + OPEN_IN, '<06']);
    hs.tap.clear();
    hs.sim.inject('garble');
    expect((await hs.ok(hs.gate.queryStatus())).state).toBe('open-in');
    expect(hs.tap.sent()).toEqual([STATUS, STATUS]);
    expect(hs.gate.status.state).toBe('ok');
  });

  it('a garbled event is not ACKed: the board resends it and the host reports it once', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.openGate('in'));
    hs.tap.clear();
    hs.sim.inject('garble');
    hs.sim.pass();
    await hs.clock.advance(1_000);
    expect(hs.passages).toEqual([{ direction: 'in' }]);
    expect(hs.tap.log).toEqual(['<0250030B', '<' + PASSAGE, '>06']);
  });

  it('an event the host never ACKs is resent 3 times, then dropped', async () => {
    const hs = await setup({ open: false });
    hs.sim.forced();
    await hs.clock.advance(5_000);
    expect(hs.tap.received()).toEqual(Array(4).fill('02540355'));
    expect(hs.tailgates).toEqual([]);
  });
});

describe('board faults', () => {
  it('F01: fault event, status fault GATE_MOTOR_FAULT, openGate refused without a word on the wire', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.openGate('in'));
    expect(hs.sim.faultCode('01')).toEqual({ ok: true, event: 'fault' });
    await hs.clock.advance(100);
    expect(hs.faults).toEqual([{ code: '01', kind: 'motor', errorCode: 'GATE_MOTOR_FAULT', text: 'motor / drive fault' }]);
    expect(hs.tap.log.slice(-2)).toEqual(['<024630310346', '>06']);
    expect(hs.gate.status).toMatchObject({ state: 'fault', lastFault: { code: 'GATE_MOTOR_FAULT', message: 'F01: motor / drive fault' } });
    expect(hs.sim.state).toMatchObject({ gate: 'closed', fault: { code: '01' } });
    hs.tap.clear();
    const r = await hs.run(hs.gate.openGate('in'));
    expect(!r.ok && r.error).toMatchObject({ code: 'GATE_FAULT', faultCode: '01' });
    expect(hs.tap.log).toEqual([]);
    // Lights still work, and an ACK does not clear a fault the board reported.
    await hs.ok(hs.gate.lights('red'));
    expect(hs.gate.status.state).toBe('fault');
    expect((await hs.ok(hs.gate.queryStatus())).state).toBe('fault');
    expect(hs.gate.status.state).toBe('fault');
    // Repaired: the status says so, and the gate opens again.
    hs.sim.clear();
    expect((await hs.ok(hs.gate.queryStatus())).state).toBe('closed');
    expect(hs.gate.status.state).toBe('ok');
    await hs.ok(hs.gate.openGate('out'));
    expect(hs.sim.state).toMatchObject({ gate: 'open', direction: 'out' });
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok', 'fault', 'ok']);
  });

  it('a board already in fault at open(): status fault from the status reply', async () => {
    const hs = await setup({ open: false });
    hs.sim.faultCode('03');
    await hs.clock.advance(2_000); // the F event and its resends went nowhere: the port was closed
    await hs.ok(hs.gate.open());
    expect(hs.faults).toEqual([]);
    expect(hs.gate.status).toMatchObject({ state: 'fault', lastFault: { code: 'GATE_FAULT' } });
    expect(hs.gate.board?.state).toBe('fault');
    await expect(hs.gate.openGate('in')).rejects.toMatchObject({ code: 'GATE_FAULT' });
  });

  it('an unknown fault code is still a fault', async () => {
    const hs = await setup();
    hs.sim.faultCode('42');
    await hs.clock.advance(100);
    expect(hs.faults).toEqual([{ code: '42', kind: 'unknown', errorCode: 'GATE_UNKNOWN_FAULT', text: 'unknown fault 42' }]);
    expect(hs.sim.faultCode('x')).toMatchObject({ ok: false });
  });
});

describe('unplug', () => {
  it('unplug → unplugged, commands fail LINK_DISCONNECTED; replug → reconnected, status ok, board powered up afresh', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.lights('green'));
    await hs.ok(hs.gate.openGate('in'));
    hs.registry.unplug(PATH);
    await hs.clock.advance(50);
    expect(hs.gate.status).toMatchObject({ state: 'unplugged', lastFault: { code: 'LINK_DISCONNECTED' } });
    const r = await hs.run(hs.gate.openGate('in'));
    expect(!r.ok && r.error.code).toBe('LINK_DISCONNECTED');
    // Nobody hears a passage while the cable is out.
    expect(hs.sim.pass().event).toBe('passage');
    await hs.clock.advance(2_000);
    expect(hs.passages).toEqual([]);
    hs.registry.replug(PATH);
    await hs.clock.runUntil(() => hs.gate.status.state === 'ok', 20_000);
    expect(hs.events).toContain('reconnected');
    expect(hs.gate.status.state).toBe('ok');
    expect(hs.gate.board).toEqual({ state: 'closed', lights: 'off', alarm: false });
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok', 'unplugged', 'ok']);
    await hs.ok(hs.gate.openGate('out'));
    expect(hs.sim.state).toMatchObject({ gate: 'open', direction: 'out' });
  });

  it('unplug while a command is in flight rejects it', async () => {
    const hs = await setup();
    hs.sim.inject('silent');
    const p = hs.gate.openGate('in');
    await hs.clock.advance(100);
    hs.registry.unplug(PATH);
    const r = await hs.run(p);
    expect(!r.ok && r.error.code).toBe('LINK_DISCONNECTED');
    expect(hs.gate.status.state).toBe('unplugged');
  });

  it('a port that cannot be opened: open() rejects, status unplugged; plugged in later → reconnected', async () => {
    const hs = await setup({ open: false });
    hs.registry.unplug(PATH);
    const r = await hs.run(hs.gate.open());
    expect(!r.ok && r.error.code).toBe('LINK_OPEN_FAILED');
    expect(hs.gate.status.state).toBe('unplugged');
    hs.registry.replug(PATH);
    await hs.clock.runUntil(() => hs.gate.status.state === 'ok', 20_000);
    expect(hs.events).toEqual(['reconnected']);
  });

  it('close() closes the port: commands fail LINK_CLOSED, no reconnect', async () => {
    const hs = await setup();
    await hs.ok(hs.gate.close());
    await expect(hs.gate.openGate('in')).rejects.toMatchObject({ code: 'LINK_CLOSED' });
    expect(hs.gate.busy()).toBe(false);
  });
});

describe('logs', () => {
  it('at debug level every frame is traced with dev "gate"', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const hs = await setup({ gate: { logger } });
    await hs.ok(hs.gate.openGate('in'));
    hs.sim.pass();
    await hs.clock.advance(100);
    const recs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs).toContainEqual(expect.objectContaining({ level: 20, dev: 'gate', dir: 'tx', cmd: 'open', frame: OPEN_IN, msg: 'frame' }));
    expect(recs).toContainEqual(expect.objectContaining({ level: 20, dev: 'gate', dir: 'rx', frame: PASSAGE, msg: 'frame' }));
    expect(recs).toContainEqual(expect.objectContaining({ level: 30, dev: 'gate', direction: 'in', msg: 'passage' }));
  });
});
