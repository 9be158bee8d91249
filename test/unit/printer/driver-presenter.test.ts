import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../../drivers/printer/escpos.js';
import { setup } from './harness.js';

const receipt: Receipt = { blocks: [{ kind: 'text', text: '参保缴费证明' }, { kind: 'text', text: '验证码 7F3A-92C1' }] };

/** The tap log without the job's own bytes: just the real-time requests and their replies. */
const realTime = (log: string[]): string[] => log.filter((l) => l.startsWith('<') || /^>1004/.test(l));

describe('printer driver: presenter sensor (10 04 05) against the simulator', () => {
  it('empty before a job, present after the cut, empty once taken', async () => {
    const h = await setup();
    h.tap.clear();
    expect(await h.ok(h.printer.pollPresenter())).toBe('empty');
    expect(h.tap.log).toEqual(['>100405', '<12']);
    await h.ok(h.printer.print(receipt));
    h.tap.clear();
    expect(await h.ok(h.printer.pollPresenter())).toBe('present');
    expect(h.tap.log).toEqual(['>100405', '<16']);
    expect(h.sim.takeReceipt()).toBe(true);
    expect(await h.ok(h.printer.pollPresenter())).toBe('empty');
    expect(h.printer.hasPresenter).toBe(true);
    expect(h.printer.status.state).toBe('ok');
  });

  it('queued with status polls: one request on the wire at a time, each reply to its own request', async () => {
    const h = await setup();
    await h.ok(h.printer.print(receipt));
    h.sim.setPaper('low'); // 10 04 04 answers 1E, the presenter 16: a shifted reply would show
    h.tap.clear();
    const status = h.printer.pollStatus();
    const presenter = h.printer.pollPresenter();
    const again = h.printer.pollStatus();
    expect(h.printer.busy()).toBe(true);
    expect((await h.ok(status)).raw).toEqual([0x12, 0x12, 0x12, 0x1e]);
    expect(await h.ok(presenter)).toBe('present');
    expect((await h.ok(again)).raw).toEqual([0x12, 0x12, 0x12, 0x1e]);
    expect(h.tap.log).toEqual(
      ['01', '12', '02', '12', '03', '12', '04', '1E', '05', '16', '01', '12', '02', '12', '03', '12', '04', '1E'].map((b, i) =>
        i % 2 ? `<${b}` : `>1004${b}`,
      ),
    );
    expect(h.printer.busy()).toBe(false);
  });

  it('presenter: false → PRINTER_NO_PRESENTER, nothing written', async () => {
    const h = await setup({ printer: { presenter: false } });
    h.tap.clear();
    const r = await h.run(h.printer.pollPresenter());
    expect(r.ok || r.error.code).toBe('PRINTER_NO_PRESENTER');
    expect(h.tap.log).toEqual([]);
    expect(h.printer.hasPresenter).toBe(false);
    expect(h.printer.busy()).toBe(false);
    expect(h.printer.status.state).toBe('ok');
  });

  it('a printer without the sensor: PRINTER_NO_REPLY after the retry, status untouched, later polls in step', async () => {
    const h = await setup({ sim: { presenter: false }, printer: { timeouts: { statusMs: 500, lateReplyMs: 2000 } } });
    await h.ok(h.printer.print(receipt));
    h.sim.setPaper('low');
    h.tap.clear();
    const t0 = h.clock.now();
    const r = await h.run(h.printer.pollPresenter());
    expect(r.ok || r.error.code).toBe('PRINTER_NO_REPLY');
    // 500 ms timeout, 2000 ms for a late reply that never comes, the retry's 500 ms.
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(h.tap.log).toEqual(['>100405', '>100405']);
    expect(h.printer.status.state).toBe('ok');
    // The next request waits out the retry's window too, then gets its own replies, not shifted.
    const s = await h.ok(h.printer.pollStatus());
    expect(s.raw).toEqual([0x12, 0x12, 0x12, 0x1e]);
    expect(h.printer.status.state).toBe('paper-low');
    await h.ok(h.printer.print(receipt));
    expect(h.sim.documents).toHaveLength(2);
  });

  it('a late presenter reply is dropped; the retry is answered in step', async () => {
    const h = await setup({ printer: { timeouts: { statusMs: 500, lateReplyMs: 2000 } } });
    await h.ok(h.printer.print(receipt));
    h.tap.clear();
    h.sim.delayReplies(800, 1);
    const t0 = h.clock.now();
    expect(await h.ok(h.printer.pollPresenter())).toBe('present');
    // The retry went out when the late reply came (800 ms), not after the whole late window.
    expect(h.clock.now() - t0).toBeLessThan(1000);
    expect(realTime(h.tap.log)).toEqual(['>100405', '<16', '>100405', '<16']);
    h.sim.takeReceipt();
    expect(await h.ok(h.printer.pollPresenter())).toBe('empty');
  });

  it('garbled replies → PRINTER_BAD_REPLY; status is not touched', async () => {
    const h = await setup();
    h.sim.inject('garble');
    const r = await h.run(h.printer.pollPresenter());
    expect(r.ok || r.error.code).toBe('PRINTER_BAD_REPLY');
    expect(h.sim.statusRequests.filter((n) => n === 5)).toHaveLength(2);
    expect(h.printer.status.state).toBe('ok');
  });

  it('not open → PRINTER_NOT_OPEN', async () => {
    const h = await setup({ open: false });
    const r = await h.run(h.printer.pollPresenter());
    expect(r.ok || r.error.code).toBe('PRINTER_NOT_OPEN');
  });

  it('asked during a job: answered between chunks, the job prints whole', async () => {
    const h = await setup({ printer: { chunkBytes: 64 } });
    const big: Receipt = { blocks: Array.from({ length: 30 }, (_, i) => ({ kind: 'text' as const, text: `第${i}行 缴费基数 4500.00` })) };
    const job = h.printer.print(big);
    const p = h.printer.pollPresenter();
    await h.ok(job);
    expect(await h.ok(p)).toBe('empty');
    expect(h.sim.last?.truncated).toBe(false);
    expect(h.sim.last?.text.split('\n')).toHaveLength(30);
    expect(h.sim.unknownCommands).toEqual([]);
    expect(h.sim.receiptWaiting).toBe(true);
  });
});
