/**
 * Simulated gate (turnstile) I/O board, speaking the frame protocol from the far side of a
 * SimPortRegistry line with the same codec as the driver (docs/gate.md). It holds the arms
 * (closed / open for one passage in a direction), the lights and the alarm; the world (tests, the
 * scenario runner, the /sim panel) walks people through it with pass() and forced() and breaks it
 * with faultCode() and inject().
 *
 * Wire behaviour: each command is ACKed (or NAKed when unreadable or a NAK is injected) after
 * `responseDelayMs`; `S` is answered with the status frame instead of an ACK. Events (P, T, F) go
 * out one at a time and are resent every `eventRetryMs` until the host ACKs them, at most
 * `eventMaxResends` times. Wire time per byte is the binding's.
 */
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Logger } from '../../common/log.js';
import { silentLogger } from '../../common/log.js';
import { traceHex } from '../../common/mask.js';
import type { LinkToken } from '../../serial/link-types.js';
import type { SimDevice } from '../../serial/sim-binding.js';
import { ACK, NAK, encodeEvent, encodeStatusReply, parseCommand, type BoardStatus, type Direction, type GateCommand, type GateEvent, type GateFrame, type Lights } from '../codec.js';
import { GateStreamDecoder } from '../decoder.js';
import { faultInfo } from '../errors.js';

/** Link faults: 'garble' corrupts the next byte or frame sent, 'nak' NAKs the next command(s), 'silent' answers nothing until clear() or a replug. */
export type GateSimFault = 'garble' | 'nak' | 'silent';

export interface GateSimOptions {
  clock: Clock;
  logger?: Logger;
  /** Time the board takes to answer a command (default 2 ms). */
  responseDelayMs?: number;
  /** An opened gate nobody walks through closes by itself after this long, silently (default 10 000 ms; 0 = never). */
  autoCloseMs?: number;
  /** Resend an unACKed event after this long (300 ms), at most `eventMaxResends` (3) times. */
  eventRetryMs?: number;
  eventMaxResends?: number;
}

export interface GateSimState {
  gate: 'open' | 'closed';
  /** While open: the direction it was opened for. */
  direction?: Direction;
  lights: Lights;
  alarm: boolean;
  /** The board fault set by faultCode(), until clear() or a replug. */
  fault?: { code: string; text: string };
  /** Counters since the sim was built: open commands that opened the arms, passages, tailgating / forced. */
  opened: number;
  passages: number;
  tailgates: number;
}

export interface SimResult {
  ok: boolean;
  reason?: string;
  /** What the board reported. */
  event?: 'passage' | 'tailgating' | 'fault';
}

export class GateSimulator implements SimDevice {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly decoder = new GateStreamDecoder();
  private readonly responseDelayMs: number;
  private readonly autoCloseMs: number;
  private readonly eventRetryMs: number;
  private readonly eventMaxResends: number;
  private sendBytes: (bytes: Buffer) => void = () => undefined;
  private byteTimer?: TimerHandle;
  private autoCloseTimer?: TimerHandle;
  // Physical state.
  private gate: 'open' | 'closed' = 'closed';
  private direction?: Direction;
  private lightsState: Lights = 'off';
  private alarmOn = false;
  private fault?: string;
  private counters = { opened: 0, passages: 0, tailgates: 0 };
  // Injected link faults.
  private silent = false;
  private garbles = 0;
  private naks = 0;
  // Events: one on the wire at a time, resent until ACKed.
  private readonly eventQueue: { bytes: Uint8Array; what: string }[] = [];
  private pendingEvent?: { bytes: Uint8Array; what: string; resends: number };
  private eventTimer?: TimerHandle;

  constructor(opts: GateSimOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.responseDelayMs = opts.responseDelayMs ?? 2;
    this.autoCloseMs = opts.autoCloseMs ?? 10_000;
    this.eventRetryMs = opts.eventRetryMs ?? 300;
    this.eventMaxResends = opts.eventMaxResends ?? 3;
  }

  // ---- SimDevice ----------------------------------------------------------------------------

  /** Register and every replug: the board powers up closed, lights off, alarm off, no fault. */
  connect(send: (bytes: Buffer) => void): void {
    this.sendBytes = send;
    this.silent = false;
    this.decoder.reset();
    this.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    this.setClosed();
    this.lightsState = 'off';
    this.alarmOn = false;
    this.fault = undefined;
    this.eventQueue.length = 0;
    this.stopEvent();
  }

  receive(bytes: Buffer): void {
    if (this.silent) return;
    for (const t of this.decoder.push(bytes, this.clock.now())) this.onToken(t);
    this.armByteTimer();
  }

  // ---- control API (tests, scenario runner, /sim panel) -----------------------------------

  get state(): GateSimState {
    const s: GateSimState = { gate: this.gate, lights: this.lightsState, alarm: this.alarmOn, ...this.counters };
    if (this.direction) s.direction = this.direction;
    if (this.fault) s.fault = { code: this.fault, text: faultInfo(this.fault).text };
    return s;
  }

  /** The board's status word, as `S` reports it. */
  get boardStatus(): BoardStatus {
    const state = this.fault ? 'fault' : this.gate === 'closed' ? 'closed' : this.direction === 'in' ? 'open-in' : 'open-out';
    return { state, lights: this.lightsState, alarm: this.alarmOn };
  }

  get activeFaults(): GateSimFault[] {
    const out: GateSimFault[] = [];
    if (this.garbles > 0) out.push('garble');
    if (this.naks > 0) out.push('nak');
    if (this.silent) out.push('silent');
    return out;
  }

  /**
   * A person walks through. Open (and, when given, the same direction): a passage — `P`, and the
   * arms close behind them. Closed, or against the opened direction: tailgating / forced — `T`,
   * the arms stay as they are.
   */
  pass(direction?: Direction): SimResult {
    if (this.gate === 'open' && (direction === undefined || direction === this.direction)) {
      this.counters.passages++;
      this.setClosed();
      this.emitEvent({ kind: 'passage' });
      return { ok: true, event: 'passage' };
    }
    return this.forced();
  }

  /** Someone pushes through or climbs over, whatever the arms: `T`. */
  forced(): SimResult {
    this.counters.tailgates++;
    this.emitEvent({ kind: 'tailgating' });
    return { ok: true, event: 'tailgating' };
  }

  /**
   * The board detects a fault (docs/gate.md: 01 motor, 02 sensor, 03 power, 04 emergency): the arms
   * stop closed, status reports '9', `F` + the code goes out. Open commands are ACKed but do nothing.
   */
  faultCode(code: string): SimResult {
    if (!/^\d{2}$/.test(code)) return { ok: false, reason: 'a fault code is two digits, e.g. 01' };
    this.fault = code;
    this.setClosed();
    this.emitEvent({ kind: 'fault', code });
    return { ok: true, event: 'fault' };
  }

  /** 'garble' and 'nak' hit the next `times` (default 1) sends / commands; 'silent' lasts until clear(). */
  inject(kind: GateSimFault, times = 1): void {
    if (kind === 'silent') this.silent = true;
    else if (kind === 'garble') this.garbles += times;
    else this.naks += times;
  }

  /** Ends injected link faults and repairs a board fault. */
  clear(): void {
    this.silent = false;
    this.garbles = 0;
    this.naks = 0;
    this.fault = undefined;
  }

  // ---- wire behaviour -----------------------------------------------------------------------

  private onToken(t: LinkToken<GateFrame>): void {
    switch (t.kind) {
      case 'frame': {
        const cmd = parseCommand(t.frame);
        const injected = cmd !== undefined && this.naks > 0;
        if (injected) this.naks--;
        this.clock.setTimeout(() => (!cmd || injected ? this.write(Uint8Array.of(NAK), 'NAK') : this.execute(cmd)), this.responseDelayMs);
        return;
      }
      case 'garbled':
        this.clock.setTimeout(() => this.write(Uint8Array.of(NAK), 'NAK'), this.responseDelayMs);
        return;
      case 'ack':
        if (this.pendingEvent) {
          this.stopEvent();
          this.nextEvent();
        }
        return;
      case 'nak':
        if (this.pendingEvent) this.write(this.pendingEvent.bytes, `${this.pendingEvent.what} (resend)`);
        return;
      default:
        return;
    }
  }

  private execute(cmd: GateCommand): void {
    switch (cmd.kind) {
      case 'open':
        // A board in fault cannot move its arms; it still read the command.
        if (!this.fault) this.setOpen(cmd.direction);
        break;
      case 'close':
        this.setClosed();
        break;
      case 'lights':
        this.lightsState = cmd.lights;
        break;
      case 'alarm':
        this.alarmOn = cmd.on;
        break;
      case 'status':
        this.write(encodeStatusReply(this.boardStatus), 'status');
        return;
    }
    this.write(Uint8Array.of(ACK), 'ACK');
  }

  private setOpen(direction: Direction): void {
    if (this.gate !== 'open' || this.direction !== direction) this.counters.opened++;
    this.gate = 'open';
    this.direction = direction;
    this.clock.clearTimeout(this.autoCloseTimer);
    this.autoCloseTimer = undefined;
    if (this.autoCloseMs <= 0) return;
    this.autoCloseTimer = this.clock.setTimeout(() => {
      this.autoCloseTimer = undefined;
      this.logger.debug({ sim: 'gate' }, 'nobody passed: auto-close');
      this.setClosed();
    }, this.autoCloseMs);
  }

  private setClosed(): void {
    this.gate = 'closed';
    this.direction = undefined;
    this.clock.clearTimeout(this.autoCloseTimer);
    this.autoCloseTimer = undefined;
  }

  private emitEvent(e: GateEvent): void {
    this.eventQueue.push({ bytes: encodeEvent(e), what: e.kind });
    this.nextEvent();
  }

  private nextEvent(): void {
    if (this.pendingEvent) return;
    const next = this.eventQueue.shift();
    if (!next) return;
    this.pendingEvent = { ...next, resends: 0 };
    this.sendEvent();
  }

  private sendEvent(): void {
    const ev = this.pendingEvent;
    if (!ev) return;
    this.write(ev.bytes, ev.resends === 0 ? ev.what : `${ev.what} (resend)`);
    this.eventTimer = this.clock.setTimeout(() => {
      this.eventTimer = undefined;
      if (this.pendingEvent !== ev) return;
      if (ev.resends >= this.eventMaxResends) {
        this.logger.debug({ sim: 'gate', what: ev.what }, 'event never ACKed; giving up');
        this.pendingEvent = undefined;
        this.nextEvent();
        return;
      }
      ev.resends++;
      this.sendEvent();
    }, this.eventRetryMs);
  }

  private stopEvent(): void {
    this.clock.clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    this.pendingEvent = undefined;
  }

  /** Every byte the board sends goes through here; 'garble' corrupts the next send. */
  private write(bytes: Uint8Array, what: string): void {
    if (this.silent) return;
    if (this.garbles > 0) {
      this.garbles--;
      bytes = bytes.slice();
      // A lone ACK/NAK becomes a noise byte; a frame keeps its shape with a wrong BCC.
      bytes[bytes.length - 1] ^= bytes.length === 1 ? 0x80 : 0x5a;
      what += ' (garbled)';
    }
    this.logger.debug({ sim: 'gate', dir: 'tx', what, frame: traceHex(bytes) }, 'sim frame');
    this.sendBytes(Buffer.from(bytes));
  }

  private armByteTimer(): void {
    this.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    const deadline = this.decoder.nextDeadline();
    if (deadline === undefined) return;
    this.byteTimer = this.clock.setTimeout(() => {
      this.byteTimer = undefined;
      for (const t of this.decoder.expire(this.clock.now())) this.onToken(t);
      this.armByteTimer();
    }, Math.max(0, deadline - this.clock.now()));
  }
}
