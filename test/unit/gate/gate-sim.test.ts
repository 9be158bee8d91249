import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { encodeCommand, encodeFrame } from '../../../drivers/gate/codec.js';
import { GateSimulator, type GateSimOptions } from '../../../drivers/gate/sim/gate-sim.js';
import { h, hex } from './harness.js';

/** The simulator alone: bytes in through receive(), bytes out through the connect() callback. */
function board(opts: Partial<GateSimOptions> = {}) {
  const clock = new VirtualClock();
  const sim = new GateSimulator({ clock, ...opts });
  const out: string[] = [];
  sim.connect((b) => out.push(hex(b)));
  return { clock, sim, out };
}

describe('gate simulator', () => {
  it('powers up closed, lights off, alarm off', () => {
    const { sim } = board();
    expect(sim.state).toEqual({ gate: 'closed', lights: 'off', alarm: false, opened: 0, passages: 0, tailgates: 0 });
    expect(sim.boardStatus).toEqual({ state: 'closed', lights: 'off', alarm: false });
  });

  it('ACKs each command after its response delay; answers S with the status frame', async () => {
    const { clock, sim, out } = board({ responseDelayMs: 5 });
    sim.receive(Buffer.from(h('02 4F 31 03 7F')));
    expect(out).toEqual([]);
    await clock.advance(5);
    expect(out).toEqual(['06']);
    sim.receive(Buffer.from(encodeCommand({ kind: 'lights', lights: 'green' })));
    sim.receive(Buffer.from(encodeCommand({ kind: 'status' })));
    await clock.advance(5);
    expect(out.slice(1)).toEqual(['06', '02533147300314']);
    expect(sim.state).toMatchObject({ gate: 'open', direction: 'in', lights: 'green', opened: 1 });
  });

  it('NAKs what it cannot read or execute', async () => {
    const { clock, sim, out } = board();
    sim.receive(Buffer.from(h('02 4F 31 03 7E'))); // BCC
    sim.receive(Buffer.from(encodeFrame(0x4f, h('39')))); // direction '9'
    sim.receive(Buffer.from(encodeFrame(0x58))); // 'X'
    await clock.advance(10);
    expect(out).toEqual(['15', '15', '15']);
    expect(sim.state.gate).toBe('closed');
  });

  it("inject('nak', n) NAKs the next n commands; activeFaults and clear()", async () => {
    const { clock, sim, out } = board();
    sim.inject('nak', 2);
    sim.inject('garble');
    sim.inject('silent');
    expect(sim.activeFaults).toEqual(['garble', 'nak', 'silent']);
    sim.clear();
    expect(sim.activeFaults).toEqual([]);
    sim.inject('nak', 2);
    for (let i = 0; i < 3; i++) sim.receive(Buffer.from(encodeCommand({ kind: 'close' })));
    await clock.advance(10);
    expect(out).toEqual(['15', '15', '06']);
  });

  it('a re-opened gate is not counted twice; the same open again re-arms the auto-close', async () => {
    const { clock, sim } = board({ autoCloseMs: 1_000 });
    sim.receive(Buffer.from(encodeCommand({ kind: 'open', direction: 'out' })));
    await clock.advance(800);
    sim.receive(Buffer.from(encodeCommand({ kind: 'open', direction: 'out' })));
    await clock.advance(800);
    expect(sim.state).toMatchObject({ gate: 'open', direction: 'out', opened: 1 });
    await clock.advance(300);
    expect(sim.state.gate).toBe('closed');
  });

  it('events wait for the ACK of the one before; a replug forgets them and resets the board', async () => {
    const { clock, sim, out } = board();
    sim.receive(Buffer.from(encodeCommand({ kind: 'alarm', on: true })));
    await clock.advance(10);
    out.length = 0;
    sim.forced();
    sim.faultCode('02');
    expect(out).toEqual(['02540355']);
    sim.receive(Buffer.from([0x06]));
    expect(out).toEqual(['02540355', '024630320345']);
    expect(sim.state).toMatchObject({ alarm: true, fault: { code: '02', text: 'passage sensor (photo-eye) fault' } });
    expect(sim.boardStatus.state).toBe('fault');
    const again: string[] = [];
    sim.connect((b) => again.push(hex(b)));
    await clock.advance(2_000);
    expect(again).toEqual([]);
    expect(sim.state).toEqual({ gate: 'closed', lights: 'off', alarm: false, opened: 0, passages: 0, tailgates: 1 });
  });
});
