/**
 * Simulated ESC/POS receipt printer on the far side of a SimPortRegistry line (or any byte pipe).
 * It decodes what it receives with the driver's own decoder, keeps every printed document, answers
 * `10 04 n` at once (even in the middle of a job), and models a finite roll, the cover, the cutter and
 * the presenter (a cut receipt waits in the exit until taken; `10 04 05`, docs/printer.md).
 */
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/log.js';
import { silentLogger } from '../../common/log.js';
import type { SimDevice } from '../../serial/sim-binding.js';
import { DocumentAssembler, EscPosStreamDecoder, type DecodedBlock, type DecodedDocument, type EscPosOp } from '../decoder.js';
import { PRESENTER_QUERY, encodePresenter, encodeStatus, type PrinterStatus } from '../status.js';
import { PaperRoll, blockDots, type RollOptions } from './paper-roll.js';
import type { PngOptions } from './render.js';

export interface PrinterSimOptions {
  clock: Clock;
  logger?: Logger;
  roll?: RollOptions;
  /**
   * The printer has a presenter sensor answering `10 04 05` (default true). false: a plain printer,
   * which ignores the request — no reply — as ESC/POS printers do with a `10 04 n` out of range.
   */
  presenter?: boolean;
}

export interface PrintedDocument extends DecodedDocument {
  /** Printing stopped before the cut (paper end, cover opened, jam): the rest of the job was lost. */
  truncated: boolean;
  /** Why it was truncated. */
  stoppedBy?: 'paper-out' | 'cover-open' | 'jam';
  /** Virtual time of the first printed block. */
  at: number;
}

export type PrinterFaultKind = 'jam' | 'garble' | 'silent';
export type PaperLevel = 'ok' | 'low' | 'out';

export class PrinterSimulator implements SimDevice {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly decoder = new EscPosStreamDecoder();
  private asm = new DocumentAssembler();
  private readonly roll: PaperRoll;
  private readonly printed: PrintedDocument[] = [];
  private sendBytes: (bytes: Buffer) => void = () => undefined;
  private docStartedAt?: number;
  private coverOpen = false;
  private jammed = false;
  private jamAtCut = false;
  /** The rest of a job is being thrown away (paper ended / cover opened / jam mid-job). */
  private discarding = false;
  private readonly faults = new Set<'garble' | 'silent'>();
  private delay = { ms: 0, count: 0 };
  private presenterSensor: boolean;
  /** A cut receipt is in the exit (physical: only takeReceipt() clears it). */
  private presented = false;
  /** Every status request received, in order (tests). */
  readonly statusRequests: number[] = [];
  /** Unknown commands seen, as hex (tests, /sim panel). */
  readonly unknownCommands: string[] = [];

  constructor(opts: PrinterSimOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.roll = new PaperRoll(opts.roll);
    this.presenterSensor = opts.presenter ?? true;
  }

  // ---- SimDevice ----------------------------------------------------------------------------

  /** Power-up: a fresh print buffer and parser; paper, cover, jam and documents are physical and stay. */
  connect(send: (bytes: Buffer) => void): void {
    this.sendBytes = send;
    this.faults.delete('silent');
    this.decoder.reset();
    this.asm = new DocumentAssembler();
    this.discarding = false;
  }

  receive(bytes: Buffer): void {
    if (this.faults.has('silent')) return;
    for (const op of this.decoder.push(bytes)) this.onOp(op);
  }

  // ---- observation --------------------------------------------------------------------------

  /** Finished documents (cut or truncated), oldest first, then the one being printed if any. */
  get documents(): readonly PrintedDocument[] {
    const cur = this.inProgress();
    return cur ? [...this.printed, cur] : [...this.printed];
  }

  /** The most recent document (the one being printed, if it has printed anything). */
  get last(): PrintedDocument | undefined {
    return this.inProgress() ?? this.printed[this.printed.length - 1];
  }

  get paper(): PaperLevel {
    return this.roll.out ? 'out' : this.roll.nearEnd ? 'low' : 'ok';
  }

  get paperRemainingMm(): number {
    return this.roll.remaining / 8;
  }

  get isCoverOpen(): boolean {
    return this.coverOpen;
  }

  get isJammed(): boolean {
    return this.jammed;
  }

  /** A cut receipt waits in the presenter / exit (also without the sensor: the paper is there). */
  get receiptWaiting(): boolean {
    return this.presented;
  }

  /** Whether `10 04 05` is answered (option `presenter`). */
  get hasPresenterSensor(): boolean {
    return this.presenterSensor;
  }

  /** The printer's status as the four reply bytes would report it. */
  get statusFlags(): Omit<PrinterStatus, 'raw'> {
    const out = this.roll.out;
    return {
      online: !(this.coverOpen || out || this.jammed),
      coverOpen: this.coverOpen,
      feedButton: false,
      stoppedByPaperEnd: out,
      error: this.jammed,
      cutterError: this.jammed,
      unrecoverableError: false,
      autoRecoverableError: false,
      paperNearEnd: this.roll.nearEnd,
      paperOut: out,
    };
  }

  // ---- control API (scenario runner, /sim panel) ------------------------------------------

  setPaper(level: PaperLevel): void {
    this.roll.set(level);
    if (level === 'out') this.stop('paper-out');
    else this.maybeResume();
  }

  /** A new full roll. */
  replaceRoll(): void {
    this.setPaper('ok');
  }

  openCover(): void {
    this.coverOpen = true;
    this.stop('cover-open');
  }

  closeCover(): void {
    this.coverOpen = false;
    this.maybeResume();
  }

  /**
   * 'jam': the cutter jams now (cutter error, offline) until clear(). 'garble': status replies come
   * back corrupted. 'silent': the printer neither prints nor answers (until clear() or a replug).
   */
  inject(kind: PrinterFaultKind): void {
    if (kind === 'jam') {
      this.jammed = true;
      this.stop('jam');
    } else {
      this.faults.add(kind);
    }
  }

  /** The citizen takes the receipt from the exit; returns whether one was there. */
  takeReceipt(): boolean {
    const was = this.presented;
    this.presented = false;
    return was;
  }

  /** Fits or removes the presenter sensor (scenarios, /sim panel); a waiting receipt stays. */
  setPresenterSensor(on: boolean): void {
    this.presenterSensor = on;
  }

  /** The cutter jams at the next cut (the document prints, the cut fails). */
  jamAtNextCut(): void {
    this.jamAtCut = true;
  }

  /** Delays the next `count` status replies by `ms` (a USB printer answering late). */
  delayReplies(ms: number, count = 1): void {
    this.delay = { ms, count };
  }

  /** Clears injected faults (jam, garble, silent, reply delays); paper, cover and documents stay. */
  clear(): void {
    this.faults.clear();
    this.jammed = false;
    this.jamAtCut = false;
    this.delay = { ms: 0, count: 0 };
    this.maybeResume();
  }

  /** Forgets the printed documents (a new scenario step, a new test); a receipt in the exit stays. */
  clearDocuments(): void {
    this.printed.length = 0;
    this.statusRequests.length = 0;
    this.unknownCommands.length = 0;
  }

  /**
   * PNG of the last document (80 mm, 576 px wide) through headless Chromium; loaded only when asked,
   * never on the print path. Rejects when nothing was printed.
   */
  async renderLastPng(file: string, opts: PngOptions = {}): Promise<{ path: string; width: number; height: number }> {
    const doc = this.last;
    if (!doc) throw new Error('printer simulator: nothing printed yet');
    const { renderReceiptPng } = await import('./render.js');
    return renderReceiptPng(doc, file, opts);
  }

  // ---- internals ----------------------------------------------------------------------------

  private onOp(op: EscPosOp): void {
    if (op.op === 'status') {
      this.statusRequests.push(op.n);
      this.answer(op.n);
      return;
    }
    if (op.op === 'unknown') this.unknownCommands.push(op.bytes.toString('hex').toUpperCase());
    const prints = this.asm.preview(op);
    if (prints.length === 0 && op.op !== 'text') {
      this.asm.apply(op);
      return;
    }
    // Text only fills the print buffer, but a stopped printer throws the job's data away.
    if (this.discarding || !this.printable()) {
      this.discarding = true;
      return;
    }
    if (op.op === 'cut' && this.jamAtCut) {
      this.jamAtCut = false;
      // Everything before the cut prints; the cut itself fails.
      const pendingLine = prints.filter((b) => b.kind === 'line');
      if (!this.charge(pendingLine)) return;
      if (pendingLine.length) this.asm.apply({ op: 'lf' });
      this.jammed = true;
      this.stop('jam');
      return;
    }
    if (!this.charge(prints)) return;
    if (this.docStartedAt === undefined && prints.length) this.docStartedAt = this.clock.now();
    const r = this.asm.apply(op);
    if (r.finished) this.finish(r.finished, false);
    // The block took the last of the paper: the printer stops here, whatever follows is lost.
    else if (this.roll.out) this.stop('paper-out');
  }

  /** Charges paper for the blocks; on paper end the job stops and the document is truncated. */
  private charge(blocks: DecodedBlock[]): boolean {
    const need = blocks.reduce((n, b) => n + blockDots(b), 0);
    if (this.roll.take(need)) return true;
    this.logger.info({ dev: 'printer-sim' }, 'paper ended mid-job');
    this.stop('paper-out');
    return false;
  }

  private printable(): boolean {
    return !this.coverOpen && !this.jammed && !this.roll.out;
  }

  private stop(reason: 'paper-out' | 'cover-open' | 'jam'): void {
    const doc = this.asm.abandon();
    if (doc.blocks.length) this.finish(doc, true, reason);
    this.discarding = true;
  }

  private maybeResume(): void {
    if (this.printable()) this.discarding = false;
  }

  private finish(doc: DecodedDocument, truncated: boolean, stoppedBy?: PrintedDocument['stoppedBy']): void {
    // Only a cut frees the receipt from the roll; a truncated document stays attached inside.
    if (!truncated && doc.cut) this.presented = true;
    this.printed.push({ ...doc, truncated, ...(stoppedBy ? { stoppedBy } : {}), at: this.docStartedAt ?? this.clock.now() });
    this.docStartedAt = undefined;
  }

  private inProgress(): PrintedDocument | undefined {
    const cur = this.asm.current;
    if (cur.blocks.length === 0) return undefined;
    return { ...cur, blocks: [...cur.blocks], unknown: [...cur.unknown], truncated: false, at: this.docStartedAt ?? this.clock.now() };
  }

  private answer(n: number): void {
    let b: number;
    if (n >= 1 && n <= 4) b = encodeStatus(this.statusFlags)[n - 1];
    else if (n === PRESENTER_QUERY && this.presenterSensor) b = encodePresenter(this.presented);
    // Any other n is out of range: an ESC/POS printer ignores the command and sends nothing.
    else return;
    // Bits 0 and 7 set: a byte no status reply can be.
    if (this.faults.has('garble')) b ^= 0x81;
    const reply = Buffer.from([b]);
    if (this.delay.count > 0) {
      this.delay.count--;
      this.clock.setTimeout(() => this.sendBytes(reply), this.delay.ms);
      return;
    }
    this.sendBytes(reply);
  }
}
