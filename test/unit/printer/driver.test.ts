import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/printer/decoder.js';
import { encodeReceipt, type Receipt } from '../../../drivers/printer/escpos.js';
import { setup } from './harness.js';

function statement(lines: number): Receipt {
  return {
    blocks: [
      { kind: 'text', text: '参保缴费证明', style: { align: 'center', bold: true, width: 2, height: 2 } },
      ...Array.from({ length: lines }, (_, i) => ({ kind: 'text' as const, text: `2025-${String((i % 12) + 1).padStart(2, '0')} 养老保险 缴费基数 4500.00 个人 360.00` })),
      { kind: 'qr', data: 'https://ykt.example/v/7F3A-92C1', size: 6, ec: 'M' },
      { kind: 'text', text: '验证码 7F3A-92C1', style: { align: 'center' } },
    ],
  };
}

/** Bytes the host sent to the printer, in order. */
function sentBytes(tapLog: string[]): Buffer {
  return Buffer.concat(tapLog.filter((l) => l.startsWith('>')).map((l) => Buffer.from(l.slice(1), 'hex')));
}

describe('printer driver against the simulator', () => {
  it('open reads the four status bytes and reports ok', async () => {
    const h = await setup();
    expect(h.printer.status.state).toBe('ok');
    expect(h.tap.log).toEqual(['>100401', '<12', '>100402', '<12', '>100403', '<12', '>100404', '<12']);
    expect(h.printer.printerStatus?.raw).toEqual([0x12, 0x12, 0x12, 0x12]);
  });

  it('prints a statement: the simulator decodes the same document, status polled between chunks', async () => {
    const h = await setup({ printer: { chunkBytes: 256 } });
    h.tap.clear();
    const receipt = statement(24);
    const result = await h.ok(h.printer.print(receipt));
    const job = encodeReceipt(receipt);
    expect(result.bytes).toBe(job.length);
    expect(result.chunks).toBeGreaterThan(3);
    const last = h.sim.last;
    expect(last?.cut).toBe(true);
    expect(last?.truncated).toBe(false);
    expect(last?.text).toContain('参保缴费证明');
    expect(last?.text).toContain('2025-12 养老保险 缴费基数 4500.00 个人 360.00');
    expect(last?.text).toContain('[QR:https://ykt.example/v/7F3A-92C1]');
    expect(last?.blocks.filter((b) => b.kind === 'line')).toHaveLength(26);
    // Before, between every chunk and after: one full poll each; every request landed between commands.
    const wire = sentBytes(h.tap.log);
    const decoded = decodeEscPos(wire);
    expect(decoded.statusRequests).toHaveLength(4 * (1 + result.chunks));
    expect(decoded.documents[0].text).toBe(last?.text);
    expect(h.sim.unknownCommands).toEqual([]);
    expect(h.printer.status.state).toBe('ok');
  });

  it('prints a raw Buffer job, chunked at command boundaries', async () => {
    const h = await setup({ printer: { chunkBytes: 64 } });
    await h.ok(h.printer.print(encodeReceipt(statement(5))));
    expect(h.sim.last?.text.split('\n')).toHaveLength(8);
    expect(h.sim.unknownCommands).toEqual([]);
  });

  it('paper out before the job: refused, nothing printed, status paper-out', async () => {
    const h = await setup();
    h.sim.setPaper('out');
    h.tap.clear();
    const r = await h.run(h.printer.print(statement(3)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PRINTER_PAPER_OUT');
    expect(r.error.phase).toBe('before');
    expect(h.sim.documents).toEqual([]);
    // Only the four status requests went out.
    expect(sentBytes(h.tap.log).toString('hex')).toBe('100401100402100403100404');
    expect(h.printer.status.state).toBe('paper-out');
    expect(h.printer.status.lastFault?.code).toBe('PRINTER_PAPER_OUT');
  });

  it('paper running out mid-job: detected at the next poll, reported, the job is not printed', async () => {
    const h = await setup({ sim: { roll: { lengthLines: 20, nearEndLines: 5 } }, printer: { chunkBytes: 200 } });
    const r = await h.run(h.printer.print(statement(40)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PRINTER_PAPER_OUT_MID_JOB');
    expect(r.error.phase).toBe('during');
    const total = encodeReceipt(statement(40)).length;
    expect(r.error.bytesSent).toBeLessThan(total);
    expect(h.printer.status.state).toBe('paper-out');
    const doc = h.sim.last;
    expect(doc?.truncated).toBe(true);
    expect(doc?.stoppedBy).toBe('paper-out');
    expect(doc?.cut).toBe(false);
    expect(doc?.text).toContain('参保缴费证明');
    expect(doc?.text).not.toContain('验证码');
    // A new roll: the status recovers and the next job prints whole.
    h.sim.replaceRoll();
    await h.ok(h.printer.pollStatus());
    expect(h.printer.status.state).toBe('ok');
    await h.ok(h.printer.print(statement(3)));
    expect(h.sim.last?.truncated).toBe(false);
    expect(h.sim.last?.text).toContain('验证码 7F3A-92C1');
  });

  it('paper near end: prints, and the status warns', async () => {
    const h = await setup();
    h.sim.setPaper('low');
    const r = await h.ok(h.printer.print(statement(2)));
    expect(r.status.paperNearEnd).toBe(true);
    expect(h.printer.status.state).toBe('paper-low');
    expect(h.sim.last?.cut).toBe(true);
  });

  it('cover open before the job is refused; opened mid-job is reported as such', async () => {
    const h = await setup({ printer: { chunkBytes: 128 } });
    h.sim.openCover();
    const before = await h.run(h.printer.print(statement(3)));
    expect(before.ok || before.error.code).toBe('PRINTER_COVER_OPEN');
    expect(h.printer.status.state).toBe('cover-open');
    h.sim.closeCover();

    // Open the cover once 400 bytes of the job are in.
    const receive = h.sim.receive.bind(h.sim);
    let seen = 0;
    h.sim.receive = (b: Buffer) => {
      receive(b);
      seen += b.length;
      if (seen > 400 && !h.sim.isCoverOpen) h.sim.openCover();
    };
    const during = await h.run(h.printer.print(statement(20)));
    expect(during.ok || during.error.code).toBe('PRINTER_COVER_OPEN_MID_JOB');
    expect(h.sim.last?.stoppedBy).toBe('cover-open');
  });

  it('cutter jam: refused while jammed; a jam at the cut fails the job after printing', async () => {
    const h = await setup();
    h.sim.inject('jam');
    const r = await h.run(h.printer.print(statement(2)));
    expect(r.ok || r.error.code).toBe('PRINTER_CUTTER_ERROR');
    expect(h.printer.status.state).toBe('jam');
    h.sim.clear();
    h.sim.jamAtNextCut();
    const after = await h.run(h.printer.print(statement(2)));
    expect(after.ok).toBe(false);
    if (after.ok) return;
    expect(after.error.code).toBe('PRINTER_CUTTER_ERROR');
    expect(after.error.phase).toBe('after');
    expect(h.sim.last?.text).toContain('验证码');
    expect(h.sim.last?.cut).toBe(false);
  });

  it('a late status reply is not taken as the answer to the next request', async () => {
    const h = await setup({ printer: { timeouts: { statusMs: 500, lateReplyMs: 2000 } } });
    h.sim.setPaper('low'); // replies: 12 12 12 1E — a shifted reply would lose the near-end bit
    h.sim.delayReplies(800, 1); // the reply to 10 04 01 arrives after its request timed out
    const s = await h.ok(h.printer.pollStatus());
    expect(s.raw).toEqual([0x12, 0x12, 0x12, 0x1e]);
    expect(h.printer.status.state).toBe('paper-low');
    // The late byte was consumed by its own (abandoned) request: the next poll is in step too.
    const again = await h.ok(h.printer.pollStatus());
    expect(again.raw).toEqual([0x12, 0x12, 0x12, 0x1e]);
    expect(h.sim.statusRequests.filter((n) => n === 1).length).toBe(4); // open, timed out, retry, again
  });

  it('garbled replies → PRINTER_BAD_REPLY and status fault; recovers when cleared', async () => {
    const h = await setup();
    h.sim.inject('garble');
    const r = await h.run(h.printer.print(statement(2)));
    expect(r.ok || r.error.code).toBe('PRINTER_BAD_REPLY');
    expect(h.printer.status.state).toBe('fault');
    expect(h.sim.documents).toEqual([]);
    h.sim.clear();
    await h.ok(h.printer.pollStatus());
    expect(h.printer.status.state).toBe('ok');
  });

  it('silent printer → PRINTER_NO_REPLY and status fault', async () => {
    const h = await setup();
    h.sim.inject('silent');
    const r = await h.run(h.printer.pollStatus());
    expect(r.ok || r.error.code).toBe('PRINTER_NO_REPLY');
    expect(h.printer.status.state).toBe('fault');
    expect(h.printer.status.lastFault?.code).toBe('PRINTER_NO_REPLY');
    const p = await h.run(h.printer.print(statement(1)));
    expect(p.ok || p.error.code).toBe('PRINTER_NO_REPLY');
  });

  it('a printer that does not answer at open leaves open() resolved with status fault', async () => {
    const h = await setup({ open: false });
    h.sim.inject('silent');
    await h.ok(h.printer.open());
    expect(h.printer.status.state).toBe('fault');
  });

  it('one job at a time', async () => {
    const h = await setup();
    const first = h.printer.print(statement(10));
    const second = await h.run(h.printer.print(statement(1)));
    expect(second.ok || second.error.code).toBe('PRINTER_BUSY');
    await h.ok(first);
  });

  it('monitoring: paper-out shows in the status without a job', async () => {
    const h = await setup({ printer: { monitorMs: 1000 } });
    h.sim.setPaper('out');
    await h.clock.advance(1500);
    expect(h.printer.status.state).toBe('paper-out');
    await h.ok(h.printer.close());
  });

  it('unplugged → status unplugged; replugged → reconnects and reads status', async () => {
    const h = await setup({ printer: { backoff: { initialMs: 100, maxMs: 100 } } });
    h.registry.unplug('sim:printer');
    await h.clock.advance(50);
    expect(h.printer.status.state).toBe('unplugged');
    const r = await h.run(h.printer.print(statement(1)));
    expect(r.ok || r.error.code).toBe('PRINTER_NOT_OPEN');
    h.registry.replug('sim:printer');
    await h.clock.advance(500);
    expect(h.printer.status.state).toBe('ok');
    await h.ok(h.printer.print(statement(1)));
  });

  it('open on an absent port rejects, then connects in the background when the printer appears', async () => {
    const h = await setup({ open: false, printer: { backoff: { initialMs: 100, maxMs: 100 } } });
    h.registry.unplug('sim:printer');
    const r = await h.run(h.printer.open());
    expect(r.ok || r.error.code).toBe('TRANSPORT_OPEN_FAILED');
    expect(h.printer.status.state).toBe('unplugged');
    h.registry.replug('sim:printer');
    await h.clock.advance(500);
    expect(h.printer.status.state).toBe('ok');
    await h.ok(h.printer.print(statement(1)));
    expect(h.sim.last?.cut).toBe(true);
  });
});
