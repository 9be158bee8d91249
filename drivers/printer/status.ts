/**
 * Real-time status (`10 04 n`, devices.md §3): request bytes, reply decoding, the mapping to a
 * DeviceState, and StatusReplyMatcher, which pairs one-byte replies with the requests that caused
 * them even when a printer answers late.
 */
import type { Clock, TimerHandle } from '../common/clock.js';
import type { DeviceState } from '../common/device-status.js';
import { DLE } from './escpos.js';
import { PrinterError } from './errors.js';

export type StatusQuery = 1 | 2 | 3 | 4;
export const STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

/**
 * `10 04 05`, the presenter / paper-exit sensor: not in devices.md §3 but our documented extension
 * (docs/printer.md, "Presenter"), modelled on kiosk printers that report a ticket waiting in the
 * exit. Kept out of StatusQuery so that code switching over the spec's four queries stays exhaustive.
 */
export const PRESENTER_QUERY = 5;
export type PresenterQuery = typeof PRESENTER_QUERY;
/** Every real-time request the driver writes. */
export type RealTimeQuery = StatusQuery | PresenterQuery;

export function statusRequest(n: RealTimeQuery): Buffer {
  return Buffer.from([DLE, 0x04, n]);
}

/** Bits 1 and 4 always set, bits 0 and 7 always clear: anything else is not a status reply. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export const STATUS_ALL_CLEAR = 0x12;

export interface PrinterStatus {
  /** n=1 bit 3 clear. */
  online: boolean;
  /** n=2 bit 2. */
  coverOpen: boolean;
  /** n=2 bit 3: paper being fed with the FEED button. */
  feedButton: boolean;
  /** n=2 bit 5: printing stopped because the paper ended. */
  stoppedByPaperEnd: boolean;
  /** n=2 bit 6. */
  error: boolean;
  /** n=3 bit 3. */
  cutterError: boolean;
  /** n=3 bit 5. */
  unrecoverableError: boolean;
  /** n=3 bit 6. */
  autoRecoverableError: boolean;
  /** n=4 bits 2–3. */
  paperNearEnd: boolean;
  /** n=4 bits 5–6. */
  paperOut: boolean;
  /** The four reply bytes, for logs and the journal. */
  raw: [number, number, number, number];
}

/** Decodes the replies to `10 04 01` … `10 04 04`, in that order. */
export function decodeStatus(raw: readonly [number, number, number, number]): PrinterStatus {
  for (const b of raw) {
    if (!isStatusByte(b)) throw new PrinterError('PRINTER_BAD_REPLY', { message: `not a status reply: ${hex(b)}` });
  }
  const [p, off, err, paper] = raw;
  return {
    online: (p & 0x08) === 0,
    coverOpen: (off & 0x04) !== 0,
    feedButton: (off & 0x08) !== 0,
    stoppedByPaperEnd: (off & 0x20) !== 0,
    error: (off & 0x40) !== 0,
    cutterError: (err & 0x08) !== 0,
    unrecoverableError: (err & 0x20) !== 0,
    autoRecoverableError: (err & 0x40) !== 0,
    // Either bit of a pair counts: sensors report them together, a half-set pair is still a warning.
    paperNearEnd: (paper & 0x0c) !== 0,
    paperOut: (paper & 0x60) !== 0,
    raw: [p, off, err, paper],
  };
}

/** The inverse of decodeStatus: the simulator answers with these. */
export function encodeStatus(s: Omit<PrinterStatus, 'raw'>): [number, number, number, number] {
  const base = STATUS_ALL_CLEAR;
  return [
    base | (s.online ? 0 : 0x08),
    base | (s.coverOpen ? 0x04 : 0) | (s.feedButton ? 0x08 : 0) | (s.stoppedByPaperEnd ? 0x20 : 0) | (s.error ? 0x40 : 0),
    base | (s.cutterError ? 0x08 : 0) | (s.unrecoverableError ? 0x20 : 0) | (s.autoRecoverableError ? 0x40 : 0),
    base | (s.paperNearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0),
  ];
}

// ---- presenter (extension) ---------------------------------------------------------------------

export type PresenterState = 'present' | 'empty';

/** Reply bit 2: a cut receipt is in the presenter / paper exit. The other free bits are reserved. */
export const PRESENTER_PAPER_BIT = 0x04;

export function presenterRequest(): Buffer {
  return statusRequest(PRESENTER_QUERY);
}

/** Decodes the reply to `10 04 05`: framed like every status byte, bit 2 = a receipt waiting. */
export function decodePresenter(b: number): PresenterState {
  if (!isStatusByte(b)) throw new PrinterError('PRINTER_BAD_REPLY', { message: `not a presenter reply: ${hex(b)}` });
  return (b & PRESENTER_PAPER_BIT) !== 0 ? 'present' : 'empty';
}

/** The inverse of decodePresenter (the simulator answers with it): `16` present, `12` empty. */
export function encodePresenter(present: boolean): number {
  return STATUS_ALL_CLEAR | (present ? PRESENTER_PAPER_BIT : 0);
}

/**
 * One state word for the operator. Order matters: an open cover also reads "paper out" on many
 * sensors and a cutter jam takes the printer offline, so the most specific cause wins.
 */
export function deviceStateOf(s: PrinterStatus): DeviceState {
  if (s.coverOpen) return 'cover-open';
  if (s.cutterError) return 'jam';
  if (s.paperOut || s.stoppedByPaperEnd) return 'paper-out';
  if (s.unrecoverableError || s.autoRecoverableError || s.error || !s.online) return 'fault';
  if (s.paperNearEnd) return 'paper-low';
  return 'ok';
}

/** Whether a job may be started (paper-low prints; the operator is warned through the status). */
export function canPrint(s: PrinterStatus): boolean {
  const st = deviceStateOf(s);
  return st === 'ok' || st === 'paper-low';
}

/** The refusal for a status that cannot print, by phase. */
export function refusalFor(s: PrinterStatus, phase: 'before' | 'during' | 'after', bytesSent?: number): PrinterError {
  const mid = phase !== 'before';
  switch (deviceStateOf(s)) {
    case 'cover-open':
      return new PrinterError(mid ? 'PRINTER_COVER_OPEN_MID_JOB' : 'PRINTER_COVER_OPEN', { phase, bytesSent });
    case 'jam':
      return new PrinterError('PRINTER_CUTTER_ERROR', { phase, bytesSent });
    case 'paper-out':
      return new PrinterError(mid ? 'PRINTER_PAPER_OUT_MID_JOB' : 'PRINTER_PAPER_OUT', { phase, bytesSent });
    default:
      return s.online
        ? new PrinterError('PRINTER_ERROR', { phase, bytesSent, message: `printer reports an error [${s.raw.map(hex).join(' ')}]` })
        : new PrinterError('PRINTER_OFFLINE', { phase, bytesSent, message: `printer is offline [${s.raw.map(hex).join(' ')}]` });
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}

// ---- reply matching ---------------------------------------------------------------------------

interface Outstanding {
  tag: number;
  n: RealTimeQuery;
  /** A request some printers never answer (see expect()). */
  optional: boolean;
  /** Set while a caller waits; cleared when it timed out (the entry then waits for its late reply). */
  waiter?: { resolve: (b: number) => void; reject: (e: Error) => void; timer: TimerHandle };
  /** When an abandoned entry stops absorbing bytes. */
  expiresAt?: number;
}

/**
 * Status replies carry no tag, so replies are matched to requests by order: every request gets a
 * sequence tag and a place in a FIFO, and each received byte answers the oldest outstanding request.
 * A request that timed out is not forgotten: it stays in the FIFO, so its late reply is consumed
 * (and dropped) instead of being taken as the answer to the next request. An abandoned request
 * stops absorbing bytes after `lateReplyMs`; if its reply never came, the next request may time out
 * once more, which is safe — a wrong answer is never produced, at worst no answer.
 *
 * That "once more" becomes "every time" for a request a printer ignores by design (the presenter
 * query on a printer without the sensor): its entry would eat the next reply, that request would
 * time out and eat the one after, and so on while requests keep coming. Such requests are marked
 * `optional`, and the driver awaits settled() before writing any request, so nothing queues behind
 * an optional request that went unanswered until its late reply came or its window ended.
 */
export class StatusReplyMatcher {
  private seq = 0;
  private readonly fifo: Outstanding[] = [];
  private readonly settleWaiters: (() => void)[] = [];
  private settleTimer?: TimerHandle;
  /** Late replies dropped, for logs and tests. */
  lateReplies = 0;
  /** Bytes received with nothing outstanding. */
  strayBytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly lateReplyMs: number,
  ) {}

  /**
   * Registers a request that the caller is about to write; resolves with its reply byte (checked
   * with isStatusByte by the caller) or rejects PRINTER_NO_REPLY after `timeoutMs`. `optional`:
   * the printer may ignore this request by design; if it does, settled() holds later requests back.
   */
  expect(n: RealTimeQuery, timeoutMs: number, opts: { optional?: boolean } = {}): { tag: number; reply: Promise<number> } {
    this.expire();
    const entry: Outstanding = { tag: ++this.seq, n, optional: opts.optional ?? false };
    const reply = new Promise<number>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        entry.waiter = undefined;
        entry.expiresAt = this.clock.now() + this.lateReplyMs;
        reject(new PrinterError('PRINTER_NO_REPLY', { message: `no reply to 10 04 0${n} within ${timeoutMs} ms (request #${entry.tag})` }));
        this.kick();
      }, timeoutMs);
      entry.waiter = { resolve, reject, timer };
    });
    this.fifo.push(entry);
    return { tag: entry.tag, reply };
  }

  /** Bytes from the printer; returns how many were late replies to abandoned requests. */
  receive(bytes: Uint8Array): number {
    let late = 0;
    for (const b of bytes) {
      this.expire();
      const head = this.fifo.shift();
      if (!head) {
        this.strayBytes++;
        continue;
      }
      if (!head.waiter) {
        late++;
        this.lateReplies++;
        continue;
      }
      this.clock.clearTimeout(head.waiter.timer);
      head.waiter.resolve(b);
    }
    this.kick();
    return late;
  }

  /**
   * Resolves once no unanswered optional request is left in the FIFO — its late reply came, or its
   * late-reply window ended — at once when there is none. Await it before writing a request.
   */
  settled(): Promise<void> {
    if (!this.unsettled()) return Promise.resolve();
    return new Promise((resolve) => {
      this.settleWaiters.push(resolve);
      this.kick();
    });
  }

  /** Fails every waiting request (close, disconnect) and forgets the FIFO. */
  failAll(err: Error): void {
    for (const e of this.fifo.splice(0)) {
      if (!e.waiter) continue;
      this.clock.clearTimeout(e.waiter.timer);
      e.waiter.reject(err);
    }
    this.kick();
  }

  get outstanding(): number {
    return this.fifo.length;
  }

  /** Drops abandoned requests from the head whose late-reply window is over. */
  private expire(): void {
    const now = this.clock.now();
    while (this.fifo.length && !this.fifo[0].waiter && (this.fifo[0].expiresAt ?? 0) <= now) this.fifo.shift();
  }

  private unsettled(): boolean {
    this.expire();
    return this.fifo.some((e) => e.optional && !e.waiter);
  }

  /**
   * Releases settle waiters when nothing holds them any more, else re-arms a timer for the moment
   * the abandoned entries' windows end. Called on every reply, timeout and failAll, so a waiting
   * entry ahead (whose window is not known yet) releases them too when it settles.
   */
  private kick(): void {
    this.clock.clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    if (this.settleWaiters.length === 0) return;
    if (!this.unsettled()) {
      for (const release of this.settleWaiters.splice(0)) release();
      return;
    }
    const until = Math.max(...this.fifo.map((e) => (e.waiter ? 0 : (e.expiresAt ?? 0))));
    const wait = until - this.clock.now();
    if (wait > 0) this.settleTimer = this.clock.setTimeout(() => this.kick(), wait);
  }
}
