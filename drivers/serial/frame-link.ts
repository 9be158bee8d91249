/**
 * Generic link layer over a ByteTransport: one command at a time, handshake, retransmission,
 * unsolicited events, reconnect with backoff. Device specifics (frame layout) live in the pure
 * StreamDecoder it is given.
 *
 * handshake 'ack-enq' (motorized reader, devices.md §1):
 *   host CMD → device ACK (or NAK) → host ENQ → device response frame.
 *   NAK or ACK silence → retransmit (max `maxRetransmits`), then LINK_NAK / LINK_NO_ACK.
 *   Bad response → host NAK, device resends (max `maxGarbled`), then LINK_GARBLED.
 *   No response within the command's timeout → host EOT (so a late answer cannot be taken for the
 *   next command's) and LINK_TIMEOUT.
 * handshake 'reply' (PIN pad: reply frame; gate: ACK/NAK): host CMD → reply frame or ACK;
 *   NAK, garbage or silence → retransmit.
 * Frames nobody awaits are unsolicited events: ACKed (when `ackEvents`) and emitted as 'event'.
 *
 * Events: 'event' (frame, raw), 'disconnect' (err), 'reconnecting' ({attempt, delayMs}),
 * 'reconnected' ().
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../common/clock.js';
import { debugEnabled, type Logger } from '../common/log.js';
import { traceHex } from '../common/mask.js';
import { LinkError, type LinkErrorCode } from './errors.js';
import type { ControlBytes, LinkCommand, LinkReply, LinkToken, StreamDecoder } from './link-types.js';
import { DEFAULT_CONTROL } from './link-types.js';
import { Reconnector, type BackoffOptions } from './reconnector.js';
import type { ByteTransport } from './transport.js';

export interface FrameLinkOptions<F> {
  /** Device name for errors and logs ("reader"). */
  device: string;
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  decoder: StreamDecoder<F>;
  handshake: 'ack-enq' | 'reply';
  ackTimeoutMs?: number;
  responseTimeoutMs?: number;
  maxRetransmits?: number;
  maxGarbled?: number;
  /** Wire time per byte (10 bits / baud): added to the ACK window so long frames at 9600 Bd fit. */
  wireMsPerByte?: number;
  /** Whether unsolicited frames are ACKed; default true in 'ack-enq', false in 'reply'. */
  ackEvents?: boolean;
  /** Leading bytes of a received frame a trace may show. */
  traceHead?: (raw: Uint8Array) => number;
  backoff?: BackoffOptions;
  control?: ControlBytes;
}

type LinkState = 'closed' | 'up' | 'down';
type Failure = 'nak' | 'silence' | 'garbled';

interface Queued<F> {
  cmd: LinkCommand<F>;
  resolve: (r: LinkReply<F>) => void;
  reject: (e: Error) => void;
}

interface Inflight<F> extends Queued<F> {
  phase: 'await-ack' | 'await-response' | 'await-reply';
  sends: number;
  garbled: number;
  lastFailure: Failure;
  timer?: TimerHandle;
}

export class FrameLink<F> extends EventEmitter {
  private readonly o: Required<Omit<FrameLinkOptions<F>, 'traceHead' | 'backoff'>> &
    Pick<FrameLinkOptions<F>, 'traceHead' | 'backoff'>;
  private linkState: LinkState = 'closed';
  private queue: Queued<F>[] = [];
  private current?: Inflight<F>;
  private byteTimer?: TimerHandle;
  private readonly reconnector: Reconnector;
  /**
   * One buffer per control byte, built once: answering an ACK with ENQ is the host's hottest path
   * (the bench's reaction time) and needs no allocation. Transports never change what they write.
   */
  private readonly controlBytes: ReadonlyMap<number, Uint8Array>;

  constructor(opts: FrameLinkOptions<F>) {
    super();
    this.o = {
      ackTimeoutMs: 300,
      responseTimeoutMs: 2000,
      maxRetransmits: 3,
      maxGarbled: 3,
      wireMsPerByte: 0,
      ackEvents: opts.handshake === 'ack-enq',
      control: DEFAULT_CONTROL,
      ...opts,
    };
    const c = this.o.control;
    // Buffers, so that a serial transport hands them to the binding without wrapping them first.
    this.controlBytes = new Map([c.ack, c.nak, c.enq, c.eot].map((b) => [b, Buffer.of(b)]));
    opts.transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    opts.transport.on('disconnect', (err: Error) => this.onDisconnect(err));
    this.reconnector = new Reconnector(this.o.clock, () => this.o.transport.open(), {
      onScheduled: (info) => {
        this.o.logger.info({ dev: this.o.device, ...info }, 'reconnect scheduled');
        this.emit('reconnecting', info);
      },
      onSuccess: () => {
        this.up();
        this.o.logger.info({ dev: this.o.device }, 'reconnected');
        this.emit('reconnected');
      },
      onFailure: (err) => this.o.logger.debug({ dev: this.o.device, err: String(err) }, 'reconnect attempt failed'),
      onAbandoned: () => {
        if (this.linkState !== 'up') void this.o.transport.close().catch(() => undefined);
      },
    }, opts.backoff);
  }

  get state(): LinkState {
    return this.linkState;
  }

  /** A command is in flight or queued. */
  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  /** Opens the transport. On failure the link keeps retrying in the background (see 'reconnected'). */
  async open(): Promise<void> {
    if (this.linkState === 'up') return;
    try {
      await this.o.transport.open();
    } catch (err) {
      this.linkState = 'down';
      this.reconnector.start();
      throw this.err('LINK_OPEN_FAILED', `cannot open ${this.o.transport.description}: ${String(err)}`, err);
    }
    this.reconnector.stop();
    this.up();
  }

  async close(): Promise<void> {
    this.reconnector.stop();
    this.linkState = 'closed';
    this.failAll('LINK_CLOSED', 'link closed');
    this.resetDecoder();
    if (this.o.transport.isOpen) await this.o.transport.close();
  }

  send(cmd: LinkCommand<F>): Promise<LinkReply<F>> {
    if (this.linkState !== 'up') {
      const code: LinkErrorCode = this.linkState === 'closed' ? 'LINK_CLOSED' : 'LINK_DISCONNECTED';
      return Promise.reject(this.err(code, `${cmd.label}: link is ${this.linkState}`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ cmd, resolve, reject });
      this.pump();
    });
  }

  /** Cancels the command in progress: EOT on the wire, LINK_CANCELED to its caller. */
  cancel(): void {
    const cur = this.current;
    if (!cur) return;
    this.writeControl(this.o.control.eot, 'EOT');
    this.fail(cur, 'LINK_CANCELED', `${cur.cmd.label}: canceled`);
  }

  private up(): void {
    this.linkState = 'up';
    this.resetDecoder();
    this.pump();
  }

  private err(code: LinkErrorCode, message: string, cause?: unknown): LinkError {
    return new LinkError(this.o.device, code, message, cause === undefined ? undefined : { cause });
  }

  // ---- sending ------------------------------------------------------------------------------

  private pump(): void {
    if (this.current || this.linkState !== 'up') return;
    const next = this.queue.shift();
    if (!next) return;
    // Spelled out rather than spread: this runs between an answer and the next queued command's
    // bytes, inside the host's reaction time.
    const cur: Inflight<F> = {
      cmd: next.cmd,
      resolve: next.resolve,
      reject: next.reject,
      phase: this.o.handshake === 'ack-enq' ? 'await-ack' : 'await-reply',
      sends: 0,
      garbled: 0,
      lastFailure: 'silence',
      timer: undefined,
    };
    this.current = cur;
    this.transmit(cur);
  }

  /**
   * Whether debug traces are on. Asked before building a trace: with debug off (production) the
   * per-frame hex strings and log objects would be garbage made for nothing on every byte burst.
   */
  private tracing(): boolean {
    return debugEnabled(this.o.logger);
  }

  private transmit(cur: Inflight<F>): void {
    cur.sends++;
    if (this.tracing()) {
      this.o.logger.debug(
        { dev: this.o.device, dir: 'tx', cmd: cur.cmd.label, try: cur.sends, frame: traceHex(cur.cmd.bytes, { keepHead: cur.cmd.traceHead }) },
        'frame',
      );
    }
    this.write(cur.cmd.bytes);
    const wire = cur.cmd.bytes.length * this.o.wireMsPerByte;
    if (cur.phase === 'await-ack') {
      this.arm(cur, this.o.ackTimeoutMs + wire + this.o.wireMsPerByte, () => this.retransmit(cur, 'silence'));
    } else {
      this.arm(cur, (cur.cmd.timeoutMs ?? this.o.responseTimeoutMs) + wire, () => this.retransmit(cur, 'silence'));
    }
  }

  private retransmit(cur: Inflight<F>, why: Failure): void {
    if (this.current !== cur) return;
    cur.lastFailure = why;
    if (cur.sends > this.o.maxRetransmits) {
      const code: LinkErrorCode =
        why === 'nak' ? 'LINK_NAK' : why === 'garbled' ? 'LINK_GARBLED' : cur.phase === 'await-reply' ? 'LINK_TIMEOUT' : 'LINK_NO_ACK';
      this.fail(cur, code, `${cur.cmd.label}: ${why} after ${cur.sends - 1} retransmissions`);
      return;
    }
    if (this.tracing()) this.o.logger.debug({ dev: this.o.device, cmd: cur.cmd.label, why }, 'retransmit');
    this.transmit(cur);
  }

  private arm(cur: Inflight<F>, ms: number, fn: () => void): void {
    this.o.clock.clearTimeout(cur.timer);
    cur.timer = this.o.clock.setTimeout(() => {
      cur.timer = undefined;
      fn();
    }, Math.ceil(ms));
  }

  private finish(cur: Inflight<F>, reply: LinkReply<F>): void {
    if (this.current !== cur) return;
    this.current = undefined;
    cur.resolve(reply);
    // The next queued command goes out first; cancelling this one's timer can wait until after
    // (nothing can fire in between: this is one synchronous turn).
    this.pump();
    this.o.clock.clearTimeout(cur.timer);
  }

  private fail(cur: Inflight<F>, code: LinkErrorCode, message: string): void {
    if (this.current !== cur) return;
    this.o.clock.clearTimeout(cur.timer);
    this.current = undefined;
    this.o.logger.warn({ dev: this.o.device, cmd: cur.cmd.label, code }, message);
    cur.reject(this.err(code, message));
    this.pump();
  }

  private failAll(code: LinkErrorCode, message: string): void {
    const queued = this.queue;
    this.queue = [];
    if (this.current) {
      const cur = this.current;
      this.o.clock.clearTimeout(cur.timer);
      this.current = undefined;
      cur.reject(this.err(code, `${cur.cmd.label}: ${message}`));
    }
    for (const q of queued) q.reject(this.err(code, `${q.cmd.label}: ${message}`));
  }

  private write(bytes: Uint8Array): void {
    this.o.transport.write(bytes).catch((err: unknown) => {
      // The transport reports the disconnection itself; a failed write alone only ends this command.
      this.o.logger.warn({ dev: this.o.device, err: String(err) }, 'write failed');
      if (this.current) this.fail(this.current, 'LINK_DISCONNECTED', `write failed: ${String(err)}`);
    });
  }

  private writeControl(byte: number, name: string): void {
    if (this.tracing()) this.o.logger.debug({ dev: this.o.device, dir: 'tx', ctl: name }, 'control');
    if (this.o.transport.isOpen) this.write(this.controlBytes.get(byte) ?? Uint8Array.of(byte));
  }

  // ---- receiving ----------------------------------------------------------------------------

  private onBytes(chunk: Uint8Array): void {
    if (this.linkState !== 'up') return;
    this.handleTokens(this.o.decoder.push(chunk, this.o.clock.now()));
    this.armByteTimer();
  }

  private armByteTimer(): void {
    const deadline = this.o.decoder.nextDeadline();
    // Nothing buffered and no timer: the common case after a whole frame or a control byte.
    if (deadline === undefined && this.byteTimer === undefined) return;
    this.o.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    if (deadline === undefined) return;
    this.byteTimer = this.o.clock.setTimeout(() => {
      this.byteTimer = undefined;
      this.handleTokens(this.o.decoder.expire(this.o.clock.now()));
      this.armByteTimer();
    }, Math.max(0, deadline - this.o.clock.now()));
  }

  private resetDecoder(): void {
    this.o.decoder.reset();
    this.o.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
  }

  private handleTokens(tokens: LinkToken<F>[]): void {
    for (const t of tokens) this.handleToken(t);
  }

  private handleToken(t: LinkToken<F>): void {
    const cur = this.current;
    const { control } = this.o;
    switch (t.kind) {
      case 'ack':
        if (this.tracing()) this.o.logger.debug({ dev: this.o.device, dir: 'rx', ctl: 'ACK' }, 'control');
        if (cur?.phase === 'await-ack') {
          cur.phase = 'await-response';
          this.writeControl(control.enq, 'ENQ');
          this.arm(cur, cur.cmd.timeoutMs ?? this.o.responseTimeoutMs, () => {
            this.writeControl(control.eot, 'EOT');
            this.fail(cur, 'LINK_TIMEOUT', `${cur.cmd.label}: no response`);
          });
        } else if (cur?.phase === 'await-reply') {
          this.finish(cur, { kind: 'ack' });
        }
        return;
      case 'nak':
        if (this.tracing()) this.o.logger.debug({ dev: this.o.device, dir: 'rx', ctl: 'NAK' }, 'control');
        if (cur && cur.phase !== 'await-response') this.retransmit(cur, 'nak');
        return;
      case 'enq':
      case 'eot':
        if (this.tracing()) this.o.logger.debug({ dev: this.o.device, dir: 'rx', ctl: t.kind }, 'unexpected control byte');
        return;
      case 'garbled':
        if (this.tracing()) this.o.logger.debug({ dev: this.o.device, dir: 'rx', reason: t.reason, bytes: t.raw.length }, 'garbled frame');
        if (this.o.handshake === 'reply') {
          if (cur) this.retransmit(cur, 'garbled');
          return;
        }
        this.writeControl(control.nak, 'NAK');
        if (cur?.phase === 'await-response') {
          cur.garbled++;
          if (cur.garbled > this.o.maxGarbled) {
            this.fail(cur, 'LINK_GARBLED', `${cur.cmd.label}: ${cur.garbled} garbled responses`);
          }
        }
        return;
      case 'frame': {
        if (this.tracing()) {
          this.o.logger.debug({ dev: this.o.device, dir: 'rx', frame: traceHex(t.raw, { keepHead: this.o.traceHead?.(t.raw) }) }, 'frame');
        }
        const awaiting = cur && (cur.phase === 'await-response' || cur.phase === 'await-reply');
        if (awaiting && (cur.cmd.matches?.(t.frame) ?? true)) {
          this.finish(cur, { kind: 'frame', frame: t.frame, raw: t.raw });
          return;
        }
        if (this.o.ackEvents) this.writeControl(control.ack, 'ACK');
        this.emit('event', t.frame, t.raw);
        return;
      }
    }
  }

  private onDisconnect(err: Error): void {
    if (this.linkState !== 'up') return;
    this.linkState = 'down';
    this.resetDecoder();
    this.o.logger.warn({ dev: this.o.device, err: err.message }, 'device disconnected');
    this.failAll('LINK_DISCONNECTED', `device disconnected: ${err.message}`);
    this.emit('disconnect', err);
    this.reconnector.start();
  }
}
