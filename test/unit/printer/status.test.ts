import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import {
  PRESENTER_QUERY,
  StatusReplyMatcher,
  decodePresenter,
  decodeStatus,
  deviceStateOf,
  encodePresenter,
  encodeStatus,
  isStatusByte,
  presenterRequest,
  refusalFor,
  statusRequest,
} from '../../../drivers/printer/status.js';

const ALL_CLEAR = [0x12, 0x12, 0x12, 0x12] as const;
const with_ = (i: number, b: number) => ALL_CLEAR.map((v, j) => (j === i ? b : v)) as [number, number, number, number];

describe('real-time status requests and replies (devices.md §3)', () => {
  it('requests are 10 04 n', () => {
    expect(statusRequest(1).toString('hex')).toBe('100401');
    expect(statusRequest(2).toString('hex')).toBe('100402');
    expect(statusRequest(3).toString('hex')).toBe('100403');
    expect(statusRequest(4).toString('hex')).toBe('100404');
  });

  it('12 is the all-clear reply', () => {
    const s = decodeStatus(ALL_CLEAR);
    expect(s).toMatchObject({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, cutterError: false });
    expect(deviceStateOf(s)).toBe('ok');
  });

  it('validity: bits 1 and 4 set, bits 0 and 7 clear', () => {
    for (const b of [0x12, 0x1e, 0x72, 0x7e, 0x1a, 0x16, 0x32, 0x52]) expect(isStatusByte(b)).toBe(true);
    for (const b of [0x00, 0x13, 0x92, 0x10, 0x02, 0xff, 0x93]) expect(isStatusByte(b)).toBe(false);
    expect(() => decodeStatus(with_(2, 0x93))).toThrow(/not a status reply: 93/);
  });

  it('n=1 bit 3: offline', () => {
    const s = decodeStatus(with_(0, 0x1a));
    expect(s.online).toBe(false);
    expect(deviceStateOf(s)).toBe('fault');
    expect(refusalFor(s, 'before').code).toBe('PRINTER_OFFLINE');
  });

  it('n=2: bit 2 cover open, bit 3 feed button, bit 5 stopped by paper end, bit 6 error', () => {
    expect(decodeStatus(with_(1, 0x16)).coverOpen).toBe(true);
    expect(deviceStateOf(decodeStatus(with_(1, 0x16)))).toBe('cover-open');
    expect(decodeStatus(with_(1, 0x1a)).feedButton).toBe(true);
    expect(decodeStatus(with_(1, 0x32)).stoppedByPaperEnd).toBe(true);
    expect(deviceStateOf(decodeStatus(with_(1, 0x32)))).toBe('paper-out');
    expect(decodeStatus(with_(1, 0x52)).error).toBe(true);
    expect(deviceStateOf(decodeStatus(with_(1, 0x52)))).toBe('fault');
  });

  it('n=3: bit 3 cutter error, bit 5 unrecoverable, bit 6 auto-recoverable', () => {
    const cutter = decodeStatus(with_(2, 0x1a));
    expect(cutter.cutterError).toBe(true);
    expect(deviceStateOf(cutter)).toBe('jam');
    expect(refusalFor(cutter, 'after').code).toBe('PRINTER_CUTTER_ERROR');
    expect(decodeStatus(with_(2, 0x32)).unrecoverableError).toBe(true);
    expect(deviceStateOf(decodeStatus(with_(2, 0x32)))).toBe('fault');
    expect(decodeStatus(with_(2, 0x52)).autoRecoverableError).toBe(true);
    expect(deviceStateOf(decodeStatus(with_(2, 0x52)))).toBe('fault');
  });

  it('n=4: 1E near end, 72 out, 7E both', () => {
    const near = decodeStatus(with_(3, 0x1e));
    expect(near).toMatchObject({ paperNearEnd: true, paperOut: false });
    expect(deviceStateOf(near)).toBe('paper-low');
    const out = decodeStatus(with_(3, 0x72));
    expect(out).toMatchObject({ paperNearEnd: false, paperOut: true });
    expect(deviceStateOf(out)).toBe('paper-out');
    const both = decodeStatus(with_(3, 0x7e));
    expect(both).toMatchObject({ paperNearEnd: true, paperOut: true });
    expect(deviceStateOf(both)).toBe('paper-out');
    expect(refusalFor(both, 'before').code).toBe('PRINTER_PAPER_OUT');
    expect(refusalFor(both, 'during').code).toBe('PRINTER_PAPER_OUT_MID_JOB');
  });

  it('a printer offline at paper end with the cover open reads cover-open first', () => {
    expect(deviceStateOf(decodeStatus([0x1a, 0x36, 0x12, 0x72]))).toBe('cover-open');
  });

  it('encodeStatus is the inverse of decodeStatus', () => {
    for (const raw of [ALL_CLEAR, [0x1a, 0x32, 0x12, 0x7e], [0x1a, 0x56, 0x1a, 0x12], [0x12, 0x12, 0x12, 0x1e]] as const) {
      const s = decodeStatus(raw);
      expect(encodeStatus(s)).toEqual([...raw]);
    }
  });
});

describe('presenter extension: 10 04 05 (docs/printer.md)', () => {
  it('request is 10 04 05', () => {
    expect(presenterRequest().toString('hex')).toBe('100405');
    expect(statusRequest(PRESENTER_QUERY).toString('hex')).toBe('100405');
  });

  it('12 empty, 16 a receipt waiting (bit 2)', () => {
    expect(decodePresenter(0x12)).toBe('empty');
    expect(decodePresenter(0x16)).toBe('present');
    expect(encodePresenter(false)).toBe(0x12);
    expect(encodePresenter(true)).toBe(0x16);
  });

  it('the other free bits are reserved and ignored', () => {
    expect(decodePresenter(0x1a)).toBe('empty'); // bit 3
    expect(decodePresenter(0x72)).toBe('empty'); // bits 5, 6
    expect(decodePresenter(0x7e)).toBe('present');
  });

  it('framing as for every status byte: bits 1 and 4 set, 0 and 7 clear', () => {
    for (const b of [0x00, 0x04, 0x06, 0x14, 0x17, 0x96, 0xff]) {
      expect(() => decodePresenter(b)).toThrow(expect.objectContaining({ code: 'PRINTER_BAD_REPLY' }));
    }
    expect(() => decodePresenter(0x97)).toThrow(/not a presenter reply: 97/);
  });
});

describe('StatusReplyMatcher: a late reply is never the answer to a later request', () => {
  it('answers requests in order', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    const a = m.expect(1, 100);
    const b = m.expect(4, 100);
    m.receive(Buffer.from([0x12, 0x1e]));
    expect(await a.reply).toBe(0x12);
    expect(await b.reply).toBe(0x1e);
    expect(b.tag).toBe(a.tag + 1);
  });

  it('drops the late reply of a timed-out request', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    const first = m.expect(4, 100);
    const failed = first.reply.catch((e: { code: string }) => e.code);
    await clock.advance(150);
    expect(await failed).toBe('PRINTER_NO_REPLY');
    const second = m.expect(4, 100);
    m.receive(Buffer.from([0x72])); // the first request's reply, late
    m.receive(Buffer.from([0x12])); // the second's
    expect(await second.reply).toBe(0x12);
    expect(m.lateReplies).toBe(1);
  });

  it('forgets an abandoned request after lateReplyMs (its reply never came)', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 300);
    void m.expect(1, 100).reply.catch(() => undefined);
    await clock.advance(500);
    const next = m.expect(1, 100);
    m.receive(Buffer.from([0x12]));
    expect(await next.reply).toBe(0x12);
    expect(m.lateReplies).toBe(0);
  });

  it('counts bytes with nothing outstanding as stray', () => {
    const m = new StatusReplyMatcher(new VirtualClock(), 300);
    m.receive(Buffer.from([0x12]));
    expect(m.strayBytes).toBe(1);
  });
});

describe('StatusReplyMatcher.settled: an ignored optional request does not shift later replies', () => {
  it('resolves at once with nothing abandoned, and for abandoned ordinary requests', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    let done = false;
    void m.settled().then(() => (done = true));
    await clock.advance(0);
    expect(done).toBe(true);
    void m.expect(1, 100).reply.catch(() => undefined);
    await clock.advance(150);
    done = false;
    void m.settled().then(() => (done = true));
    await clock.advance(0);
    expect(done).toBe(true); // behaviour of the four spec queries unchanged
  });

  it('holds until the late-reply window of an unanswered optional request ends', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    const t0 = clock.now();
    const presenter = m.expect(PRESENTER_QUERY, 100, { optional: true });
    const failed = presenter.reply.catch((e: { code: string }) => e.code);
    await clock.advance(100);
    expect(await failed).toBe('PRINTER_NO_REPLY');
    let at = -1;
    void m.settled().then(() => (at = clock.now() - t0));
    await clock.advance(999);
    expect(at).toBe(-1);
    await clock.advance(1);
    expect(at).toBe(1100);
    // The entry is gone: the next request gets its own reply.
    const next = m.expect(4, 100);
    m.receive(Buffer.from([0x1e]));
    expect(await next.reply).toBe(0x1e);
    expect(m.lateReplies).toBe(0);
  });

  it('releases as soon as the late reply comes (and drops it)', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    const t0 = clock.now();
    void m.expect(PRESENTER_QUERY, 100, { optional: true }).reply.catch(() => undefined);
    await clock.advance(100);
    let at = -1;
    void m.settled().then(() => (at = clock.now() - t0));
    await clock.advance(200);
    m.receive(Buffer.from([0x16]));
    await clock.advance(0);
    expect(at).toBe(300);
    expect(m.lateReplies).toBe(1);
    expect(m.outstanding).toBe(0);
  });

  it('failAll releases waiters', async () => {
    const clock = new VirtualClock();
    const m = new StatusReplyMatcher(clock, 1000);
    void m.expect(PRESENTER_QUERY, 100, { optional: true }).reply.catch(() => undefined);
    await clock.advance(100);
    let done = false;
    void m.settled().then(() => (done = true));
    m.failAll(new Error('closed'));
    await clock.advance(0);
    expect(done).toBe(true);
  });
});
