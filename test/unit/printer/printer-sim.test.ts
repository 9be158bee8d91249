import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { encodeReceipt, escpos, type Receipt } from '../../../drivers/printer/escpos.js';
import { PrinterSimulator } from '../../../drivers/printer/sim/printer-sim.js';
import { blockDots, qrVersionFor } from '../../../drivers/printer/sim/paper-roll.js';

function wired(opts: ConstructorParameters<typeof PrinterSimulator>[0]) {
  const sim = new PrinterSimulator(opts);
  const replies: number[] = [];
  sim.connect((b) => replies.push(...b));
  return { sim, replies };
}

const lines = (n: number): Receipt => ({ blocks: Array.from({ length: n }, (_, i) => ({ kind: 'text' as const, text: `行${i}` })), cutFeed: 0 });

describe('printer simulator', () => {
  it('answers 10 04 n at once, in the middle of a job, with the state at that point', () => {
    const { sim, replies } = wired({ clock: new VirtualClock(), roll: { lengthLines: 10, nearEndLines: 4 } });
    const job = encodeReceipt(lines(8));
    const mid = job.indexOf(Buffer.from('0A', 'hex')) + 1; // after the first line
    sim.receive(Buffer.concat([job.subarray(0, mid), Buffer.from('100404', 'hex'), job.subarray(mid), Buffer.from('100404', 'hex')]));
    expect(replies).toEqual([0x12, 0x1e]); // 9 lines left, then 2 (near end below 4)
    expect(sim.paper).toBe('low');
    expect(sim.last?.text.split('\n')).toHaveLength(8);
  });

  it('paper end stops printing: the rest of the job is lost until a new roll', () => {
    const { sim, replies } = wired({ clock: new VirtualClock(), roll: { lengthLines: 5, nearEndLines: 1 } });
    sim.receive(encodeReceipt(lines(8)));
    expect(sim.paper).toBe('out');
    expect(sim.documents).toHaveLength(1);
    expect(sim.last).toMatchObject({ truncated: true, stoppedBy: 'paper-out', cut: false });
    expect(sim.last?.text.split('\n')).toEqual(['行0', '行1', '行2', '行3', '行4']);
    sim.receive(Buffer.from('100401100402100403100404', 'hex'));
    expect(replies).toEqual([0x1a, 0x32, 0x12, 0x7e]);
    sim.receive(encodeReceipt(lines(1)));
    expect(sim.documents).toHaveLength(1);
    sim.replaceRoll();
    sim.receive(encodeReceipt(lines(1)));
    expect(sim.documents).toHaveLength(2);
    expect(sim.last).toMatchObject({ truncated: false, cut: true, text: '行0' });
  });

  it('cover open / jam / garble / silent', () => {
    const { sim, replies } = wired({ clock: new VirtualClock() });
    sim.openCover();
    sim.receive(Buffer.from('100402', 'hex'));
    sim.closeCover();
    sim.inject('jam');
    sim.receive(Buffer.from('100403', 'hex'));
    sim.clear();
    sim.inject('garble');
    sim.receive(Buffer.from('100401', 'hex'));
    sim.clear();
    sim.inject('silent');
    sim.receive(Buffer.concat([Buffer.from('100401', 'hex'), encodeReceipt(lines(1))]));
    expect(replies).toEqual([0x16, 0x1a, 0x93]);
    expect(sim.documents).toEqual([]);
  });

  it('setPaper low/out and paper accounting per block', () => {
    const { sim } = wired({ clock: new VirtualClock(), roll: { lengthMm: 1000, nearEndMm: 100 } });
    expect(sim.paperRemainingMm).toBe(1000);
    sim.setPaper('low');
    expect(sim.paper).toBe('low');
    sim.setPaper('out');
    expect(sim.paper).toBe('out');
    expect(blockDots({ kind: 'line', text: 'x', align: 'left', lineSpacing: 30, segments: [{ text: 'x', bold: false, width: 2, height: 2 }] })).toBe(48);
    expect(blockDots({ kind: 'qr', data: 'x'.repeat(20), size: 6, ec: 'M', model: 2, align: 'center' })).toBe((17 + 4 * 2) * 6);
    expect(qrVersionFor(14, 'M')).toBe(1);
    expect(qrVersionFor(213, 'M')).toBe(10);
  });

  it('records unknown commands and status requests; clearDocuments forgets them', () => {
    const { sim } = wired({ clock: new VirtualClock() });
    sim.receive(Buffer.concat([escpos().init().build(), Buffer.from('1B7A', 'hex'), Buffer.from('100404', 'hex'), escpos().text('A').newline().build()]));
    expect(sim.unknownCommands).toEqual(['1B7A']);
    expect(sim.statusRequests).toEqual([4]);
    expect(sim.last?.text).toBe('A');
    sim.clearDocuments();
    expect(sim.statusRequests).toEqual([]);
  });

  it('presenter: a cut receipt waits until taken; 10 04 05 answers 12 empty / 16 waiting', () => {
    const { sim, replies } = wired({ clock: new VirtualClock() });
    const ask = Buffer.from('100405', 'hex');
    sim.receive(ask);
    expect(sim.receiptWaiting).toBe(false);
    const job = encodeReceipt(lines(2));
    // Mid-job, before the cut: still empty; after the cut: waiting.
    sim.receive(Buffer.concat([job.subarray(0, job.length - 4), ask, job.subarray(job.length - 4), ask]));
    expect(sim.receiptWaiting).toBe(true);
    expect(sim.takeReceipt()).toBe(true);
    sim.receive(ask);
    expect(sim.takeReceipt()).toBe(false);
    expect(replies).toEqual([0x12, 0x12, 0x16, 0x12]);
    expect(sim.statusRequests).toEqual([5, 5, 5, 5]);
  });

  it('presenter: no receipt from a job without a cut, a truncated job or a jam at the cut', () => {
    const { sim } = wired({ clock: new VirtualClock(), roll: { lengthLines: 5, nearEndLines: 1 } });
    sim.receive(encodeReceipt({ ...lines(1), cut: false }));
    expect(sim.receiptWaiting).toBe(false);
    sim.receive(encodeReceipt(lines(8))); // paper ends at line 4 (one line is already used)
    expect(sim.last?.truncated).toBe(true);
    expect(sim.receiptWaiting).toBe(false);
    sim.replaceRoll();
    sim.jamAtNextCut();
    sim.receive(encodeReceipt(lines(1)));
    expect(sim.isJammed).toBe(true);
    expect(sim.receiptWaiting).toBe(false);
  });

  it('presenter: the receipt is physical — clearDocuments, a replug and other faults leave it', () => {
    const { sim, replies } = wired({ clock: new VirtualClock() });
    sim.receive(encodeReceipt(lines(1)));
    sim.clearDocuments();
    sim.connect((b) => replies.push(...b));
    sim.openCover();
    sim.inject('garble');
    sim.receive(Buffer.from('100405', 'hex'));
    expect(replies).toEqual([0x16 ^ 0x81]);
    expect(sim.receiptWaiting).toBe(true);
  });

  it('a printer without the sensor ignores 10 04 05 (no reply), like any out-of-range 10 04 n', () => {
    const { sim, replies } = wired({ clock: new VirtualClock(), presenter: false });
    expect(sim.hasPresenterSensor).toBe(false);
    sim.receive(encodeReceipt(lines(1)));
    sim.receive(Buffer.from('100405' + '100400' + '100406' + '100404', 'hex'));
    expect(replies).toEqual([0x12]); // only 10 04 04 answered
    expect(sim.statusRequests).toEqual([5, 0, 6, 4]);
    expect(sim.unknownCommands).toEqual([]);
    expect(sim.documents).toHaveLength(1); // the request printed nothing
    // The paper is in the exit all the same: the citizen can take it, only the host cannot see it.
    expect(sim.receiptWaiting).toBe(true);
    expect(sim.takeReceipt()).toBe(true);
    sim.setPresenterSensor(true);
    sim.receive(Buffer.from('100405', 'hex'));
    expect(replies).toEqual([0x12, 0x12]);
  });
});
