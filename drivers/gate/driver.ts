/**
 * Driver of the reference gate (turnstile) I/O board (devices.md §5, docs/gate.md) over the generic
 * frame link in its request/reply mode: the board answers each command with ACK (or NAK), and `S`
 * with a status frame; NAK, garbage or silence → retransmit (3 times by default), then LINK_* and
 * status `fault`. Frames nobody awaits are events (P passage, T tailgating, F fault), ACKed by the
 * link. Frame traces are the link's (debug level, `dev: 'gate'`); nothing on this wire is secret.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../common/clock.js';
import type { DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { FrameLink } from '../serial/frame-link.js';
import type { LinkReply } from '../serial/link-types.js';
import type { BackoffOptions } from '../serial/reconnector.js';
import { DeviceStatusTracker, faultOf } from '../serial/status-tracker.js';
import type { ByteTransport } from '../serial/transport.js';
import {
  DIRECTION_BYTE,
  GATE_COMMANDS,
  LIGHTS_BYTE,
  encodeCommand,
  parseEvent,
  parseStatusReply,
  type BoardStatus,
  type Direction,
  type GateCommand,
  type GateCommandName,
  type GateFrame,
  type Lights,
} from './codec.js';
import { GateStreamDecoder } from './decoder.js';
import { GateError, faultInfo } from './errors.js';
import type { GateBoard, GateFaultEvent, PassageEvent, TailgatingEvent } from './interface.js';

const DEVICE = 'gate';

export interface GateTimeouts {
  /** ACK (or status reply) timeout per transmission, default 300 ms (+ the frame's wire time). */
  ackMs?: number;
  /** Inter-byte timeout that ends a partial frame (100 ms). */
  interByteMs?: number;
  perCommand?: Partial<Record<GateCommandName, number>>;
}

export interface GateOptions {
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  timeouts?: GateTimeouts;
  /** Line speed, used to widen reply windows by the frame's wire time (default 9600). */
  baudRate?: number;
  /** Retransmissions after the first try on NAK / silence / garbage (default 3). */
  maxRetransmits?: number;
  backoff?: BackoffOptions;
}

export function createGate(opts: GateOptions): GateDriver {
  return new GateDriver(opts);
}

export class GateDriver extends EventEmitter implements GateBoard {
  private readonly link: FrameLink<GateFrame>;
  private readonly tracker: DeviceStatusTracker;
  private readonly t: { ackMs: number; interByteMs: number; perCommand?: Partial<Record<GateCommandName, number>> };
  private view?: BoardStatus;
  /** The direction the host last opened for, until a passage, a close or a status says otherwise. */
  private openFor?: Direction;
  /** A fault the board reported (`F` or status '9'): only a non-fault status reply clears it. */
  private boardFault?: { code: string; message: string; faultCode?: string };

  constructor(private readonly opts: GateOptions) {
    super();
    const to = opts.timeouts ?? {};
    this.t = { ackMs: to.ackMs ?? 300, interByteMs: to.interByteMs ?? 100, perCommand: to.perCommand };
    this.tracker = new DeviceStatusTracker(DEVICE, opts.clock, opts.logger, (s) => this.emit('status', s));
    this.link = new FrameLink<GateFrame>({
      device: DEVICE,
      transport: opts.transport,
      clock: opts.clock,
      logger: opts.logger,
      decoder: new GateStreamDecoder({ interByteMs: this.t.interByteMs }),
      handshake: 'reply',
      responseTimeoutMs: this.t.ackMs,
      maxRetransmits: opts.maxRetransmits ?? 3,
      wireMsPerByte: 10_000 / (opts.baudRate ?? 9600),
      ackEvents: true,
      backoff: opts.backoff,
    });
    this.link.on('event', (frame: GateFrame) => this.onUnsolicited(frame));
    this.link.on('disconnect', (err: Error) => {
      this.openFor = undefined;
      this.tracker.set('unplugged', { code: 'LINK_DISCONNECTED', message: err.message });
    });
    this.link.on('reconnecting', (info: { attempt: number; delayMs: number }) => this.emit('reconnecting', info));
    this.link.on('reconnected', () => {
      this.emit('reconnected');
      void this.probe('reconnected');
    });
  }

  get status(): DeviceStatus {
    return this.tracker.status;
  }

  get board(): BoardStatus | undefined {
    return this.view ? { ...this.view } : undefined;
  }

  busy(): boolean {
    return this.link.busy;
  }

  async open(): Promise<void> {
    try {
      await this.link.open();
    } catch (err) {
      this.tracker.set('unplugged', faultOf(err));
      throw err;
    }
    await this.probe('open');
  }

  async close(): Promise<void> {
    this.openFor = undefined;
    await this.link.close();
  }

  async openGate(direction: Direction): Promise<void> {
    if (!Object.hasOwn(DIRECTION_BYTE, direction)) {
      throw new GateError('GATE_PARAMETER', { command: 'open', message: `direction must be 'in' or 'out', got ${String(direction)}` });
    }
    if (this.boardFault) {
      throw new GateError('GATE_FAULT', { command: 'open', message: `gate board fault: ${this.boardFault.message}`, faultCode: this.boardFault.faultCode });
    }
    await this.exec('open', { kind: 'open', direction });
    this.openFor = direction;
    this.patch({ state: direction === 'in' ? 'open-in' : 'open-out' });
  }

  async closeGate(): Promise<void> {
    await this.exec('close', { kind: 'close' });
    this.openFor = undefined;
    if (this.view?.state !== 'fault') this.patch({ state: 'closed' });
  }

  async lights(lights: Lights): Promise<void> {
    if (!Object.hasOwn(LIGHTS_BYTE, lights)) {
      throw new GateError('GATE_PARAMETER', { command: 'lights', message: `lights must be 'green', 'red' or 'off', got ${String(lights)}` });
    }
    await this.exec('lights', { kind: 'lights', lights });
    this.patch({ lights });
  }

  async alarm(on: boolean): Promise<void> {
    if (typeof on !== 'boolean') throw new GateError('GATE_PARAMETER', { command: 'alarm', message: 'alarm takes true or false' });
    await this.exec('alarm', { kind: 'alarm', on });
    this.patch({ alarm: on });
  }

  async queryStatus(): Promise<BoardStatus> {
    const reply = await this.exec('status', { kind: 'status' });
    const s = reply.kind === 'frame' ? parseStatusReply(reply.frame) : undefined;
    if (!s) throw new GateError('GATE_BAD_ANSWER', { command: 'status', message: reply.kind === 'ack' ? 'status answered with a bare ACK' : undefined });
    this.applyStatus(s);
    return { ...s };
  }

  // ---- internals ----------------------------------------------------------------------------

  /** One command round trip; the status command's reply is a frame, every other one an ACK. */
  private async exec(name: GateCommandName, cmd: GateCommand): Promise<LinkReply<GateFrame>> {
    const isStatus = name === 'status';
    let reply: LinkReply<GateFrame>;
    try {
      reply = await this.link.send({
        bytes: encodeCommand(cmd),
        label: name,
        timeoutMs: this.t.perCommand?.[name] ?? this.t.ackMs,
        // An event frame arriving while a command awaits its ACK is an event, never the answer.
        matches: isStatus ? (f) => f.cmd === GATE_COMMANDS.status : () => false,
      });
    } catch (err) {
      this.tracker.linkFailed(err);
      throw err;
    }
    // The status reply settles the state word itself (it may say the board is in fault).
    if (!isStatus) this.answered();
    return reply;
  }

  /** The board talks: a link fault is over, a fault the board reported is not. */
  private answered(): void {
    if (!this.boardFault) this.tracker.answered();
  }

  private patch(p: Partial<BoardStatus>): void {
    if (this.view) this.view = { ...this.view, ...p };
  }

  private applyStatus(s: BoardStatus): void {
    this.view = { ...s };
    this.openFor = s.state === 'open-in' ? 'in' : s.state === 'open-out' ? 'out' : undefined;
    if (s.state === 'fault') {
      this.boardFault ??= { code: 'GATE_FAULT', message: 'the board reports a fault (status 9)' };
      this.tracker.set('fault', { code: this.boardFault.code, message: this.boardFault.message });
      return;
    }
    if (this.boardFault) {
      this.opts.logger.info({ dev: DEVICE, was: this.boardFault.code }, 'gate board fault cleared');
      this.boardFault = undefined;
    }
    this.tracker.answered();
  }

  private async probe(why: string): Promise<void> {
    try {
      await this.queryStatus();
    } catch (err) {
      this.opts.logger.warn({ dev: DEVICE, why, code: errorCode(err) }, 'gate probe failed');
    }
  }

  private onUnsolicited(frame: GateFrame): void {
    if (frame.cmd === GATE_COMMANDS.status) {
      // A late status reply (after a retransmission) or a board that pushes its status.
      const s = parseStatusReply(frame);
      if (s) this.applyStatus(s);
      return;
    }
    const ev = parseEvent(frame);
    if (!ev) {
      this.opts.logger.debug({ dev: DEVICE, cmd: frame.cmd }, 'ignored unsolicited frame');
      return;
    }
    switch (ev.kind) {
      case 'passage': {
        this.answered();
        const direction = ev.direction ?? this.openFor;
        this.openFor = undefined;
        if (this.view?.state !== 'fault') this.patch({ state: 'closed' });
        const payload: PassageEvent = direction ? { direction } : {};
        this.opts.logger.info({ dev: DEVICE, direction }, 'passage');
        this.emit('passage', payload);
        return;
      }
      case 'tailgating': {
        this.answered();
        const payload: TailgatingEvent = ev.direction ? { direction: ev.direction } : {};
        this.opts.logger.warn({ dev: DEVICE, direction: ev.direction }, 'tailgating / forced passage');
        this.emit('tailgating', payload);
        return;
      }
      case 'fault': {
        const info = faultInfo(ev.code);
        const message = `F${ev.code}: ${info.text}`;
        this.boardFault = { code: info.code, message, faultCode: ev.code };
        this.openFor = undefined;
        this.patch({ state: 'fault' });
        this.opts.logger.warn({ dev: DEVICE, fault: ev.code, code: info.code }, 'gate board fault');
        this.tracker.set('fault', { code: info.code, message });
        const payload: GateFaultEvent = { code: ev.code, kind: info.kind, errorCode: info.code, text: info.text };
        this.emit('fault', payload);
        return;
      }
    }
  }
}
