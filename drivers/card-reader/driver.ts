/**
 * Driver of the reference motorized reader (devices.md §1) over the generic frame link.
 * Maps answers to sensors/events, negative answers to ReaderError, link failures to device status.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../common/clock.js';
import type { DeviceState, DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { LinkError, LINK_FAULT_CODES } from '../serial/errors.js';
import { FrameLink } from '../serial/frame-link.js';
import type { BackoffOptions } from '../serial/reconnector.js';
import type { ByteTransport } from '../serial/transport.js';
import {
  DEFAULT_ADDRESS,
  READER_COMMANDS,
  decodeContactless,
  encodeCommand,
  parseSensors,
  traceHeadFor,
  type ReaderCommandName,
  type ReaderFrame,
} from './codec.js';
import { ReaderStreamDecoder } from './decoder.js';
import { ReaderError, readerErrorFromE1E0 } from './errors.js';
import type { CardReader, ContactlessCard, InitMode, ReaderSensors } from './interface.js';

export interface ReaderTimeouts {
  /** ACK window after a command frame (spec: 300 ms). */
  ackMs?: number;
  /** Default response timeout after ENQ (2000 ms). */
  responseMs?: number;
  /** Motor moves and initialize (default 5000 ms: a real motor may take seconds). */
  motorMs?: number;
  /** Inter-byte timeout that ends a partial frame (100 ms). */
  interByteMs?: number;
  /** Per-command overrides, by command name (see READER_COMMANDS). */
  perCommand?: Partial<Record<ReaderCommandName, number>>;
}

export interface CardReaderOptions {
  transport: ByteTransport;
  clock: Clock;
  logger: Logger;
  timeouts?: ReaderTimeouts;
  /** Line speed, only used to widen the ACK window by the frame's wire time (default 9600). */
  baudRate?: number;
  address?: number;
  maxRetransmits?: number;
  backoff?: BackoffOptions;
}

const MOTOR: ReadonlySet<ReaderCommandName> = new Set(['initEject', 'initRetain', 'initKeep', 'moveToRead', 'retain', 'eject']);
const DEVICE = 'reader';

export function createCardReader(opts: CardReaderOptions): CardReaderDriver {
  return new CardReaderDriver(opts);
}

export class CardReaderDriver extends EventEmitter implements CardReader {
  private readonly link: FrameLink<ReaderFrame>;
  private current: DeviceStatus = { state: 'starting' };
  /** Last known sensors; undefined until the first answer, which sets the baseline silently. */
  private sensors?: ReaderSensors;
  private readonly t: Required<Omit<ReaderTimeouts, 'perCommand'>> & Pick<ReaderTimeouts, 'perCommand'>;

  constructor(private readonly opts: CardReaderOptions) {
    super();
    const to = opts.timeouts ?? {};
    this.t = {
      ackMs: to.ackMs ?? 300,
      responseMs: to.responseMs ?? 2000,
      motorMs: to.motorMs ?? 5000,
      interByteMs: to.interByteMs ?? 100,
      perCommand: to.perCommand,
    };
    const address = opts.address ?? DEFAULT_ADDRESS;
    this.link = new FrameLink<ReaderFrame>({
      device: DEVICE,
      transport: opts.transport,
      clock: opts.clock,
      logger: opts.logger,
      decoder: new ReaderStreamDecoder({ address, interByteMs: this.t.interByteMs }),
      handshake: 'ack-enq',
      ackTimeoutMs: this.t.ackMs,
      responseTimeoutMs: this.t.responseMs,
      maxRetransmits: opts.maxRetransmits ?? 3,
      wireMsPerByte: 10_000 / (opts.baudRate ?? 9600),
      traceHead: traceHeadFor,
      backoff: opts.backoff,
    });
    this.link.on('event', (frame: ReaderFrame) => this.onUnsolicited(frame));
    this.link.on('disconnect', (err: Error) => this.setStatus('unplugged', { code: 'LINK_DISCONNECTED', message: err.message }));
    this.link.on('reconnecting', (info: { attempt: number; delayMs: number }) => this.emit('reconnecting', info));
    this.link.on('reconnected', () => {
      this.emit('reconnected');
      void this.probe('reconnected');
    });
  }

  get status(): DeviceStatus {
    return { ...this.current };
  }

  busy(): boolean {
    return this.link.busy;
  }

  /** Cancels the command in progress (EOT on the wire); its caller gets LINK_CANCELED. */
  cancel(): void {
    this.link.cancel();
  }

  /**
   * Opens the port and reads the sensors once. Rejects (LINK_OPEN_FAILED, status `unplugged`) when
   * the port cannot be opened — the link keeps trying in the background and the status turns `ok`
   * when it comes. A reader that opens but does not answer leaves open() resolved with status `fault`.
   */
  async open(): Promise<void> {
    try {
      await this.link.open();
    } catch (err) {
      this.setStatus('unplugged', faultOf(err));
      throw err;
    }
    await this.probe('open');
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  initialize(mode: InitMode): Promise<ReaderSensors> {
    const name: ReaderCommandName = mode === 'eject' ? 'initEject' : mode === 'retain' ? 'initRetain' : 'initKeep';
    return this.sensorsOf(name);
  }

  getSensors(): Promise<ReaderSensors> {
    return this.sensorsOf('status');
  }

  moveToReadPosition(): Promise<ReaderSensors> {
    return this.sensorsOf('moveToRead');
  }

  retain(): Promise<ReaderSensors> {
    return this.sensorsOf('retain');
  }

  eject(): Promise<ReaderSensors> {
    return this.sensorsOf('eject');
  }

  enableInsertion(): Promise<ReaderSensors> {
    return this.sensorsOf('enableInsertion');
  }

  disableInsertion(): Promise<ReaderSensors> {
    return this.sensorsOf('disableInsertion');
  }

  async powerOn(): Promise<Uint8Array> {
    return (await this.exec('powerOn')).data;
  }

  async powerOff(): Promise<void> {
    await this.exec('powerOff');
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    return (await this.exec('apdu', apdu)).data;
  }

  async psamPowerOn(slot: number): Promise<Uint8Array> {
    return (await this.exec('psamPowerOn', Uint8Array.of(slotDigit(slot)))).data;
  }

  async psamTransmit(slot: number, apdu: Uint8Array): Promise<Uint8Array> {
    return (await this.exec('psamApdu', Uint8Array.of(slotDigit(slot), ...apdu))).data;
  }

  async contactlessActivate(): Promise<ContactlessCard> {
    const data = (await this.exec('contactlessActivate')).data;
    const card = decodeContactless(data);
    if (!card) throw new ReaderError('READER_BAD_ANSWER', { command: 'contactlessActivate' });
    return card;
  }

  async contactlessTransmit(apdu: Uint8Array): Promise<Uint8Array> {
    return (await this.exec('contactlessApdu', apdu)).data;
  }

  async contactlessDeactivate(): Promise<void> {
    await this.exec('contactlessDeactivate');
  }

  // ---- internals ----------------------------------------------------------------------------

  private async sensorsOf(name: ReaderCommandName): Promise<ReaderSensors> {
    return (await this.exec(name)).sensors;
  }

  private timeoutFor(name: ReaderCommandName): number {
    return this.t.perCommand?.[name] ?? (MOTOR.has(name) ? this.t.motorMs : this.t.responseMs);
  }

  private async exec(name: ReaderCommandName, data?: Uint8Array): Promise<{ sensors: ReaderSensors; data: Uint8Array }> {
    const [cm, pm] = READER_COMMANDS[name];
    const bytes = encodeCommand(cm, pm, data, this.opts.address ?? DEFAULT_ADDRESS);
    let frame: ReaderFrame;
    try {
      const reply = await this.link.send({
        bytes,
        label: name,
        timeoutMs: this.timeoutFor(name),
        traceHead: traceHeadFor(bytes),
        matches: (f) => f.type !== 'C' && f.cm === cm && f.pm === pm,
      });
      if (reply.kind !== 'frame') throw new ReaderError('READER_BAD_ANSWER', { command: name });
      frame = reply.frame;
    } catch (err) {
      this.onLinkError(err);
      throw err;
    }
    if (frame.type === 'N') {
      const rerr = readerErrorFromE1E0(frame.e1e0, name);
      this.onNegative(name, rerr);
      throw rerr;
    }
    if (frame.type !== 'P') throw new ReaderError('READER_BAD_ANSWER', { command: name });
    const sensors = parseSensors(frame.st);
    this.onPositive(name, sensors);
    return { sensors, data: frame.data };
  }

  private async probe(why: string): Promise<void> {
    try {
      await this.getSensors();
    } catch (err) {
      this.opts.logger.warn({ dev: DEVICE, why, code: errorCode(err) }, 'reader probe failed');
    }
  }

  private onLinkError(err: unknown): void {
    const code = errorCode(err);
    if (err instanceof LinkError && LINK_FAULT_CODES.has(code)) this.setStatus('fault', faultOf(err));
    else if (code === 'LINK_DISCONNECTED') this.setStatus('unplugged', faultOf(err));
  }

  private onPositive(name: ReaderCommandName, sensors: ReaderSensors): void {
    // A jam stays reported until a motor command succeeds: the card is physically stuck.
    const stillJammed = this.current.state === 'jam' && !MOTOR.has(name);
    if (!stillJammed) this.setStatus(sensors.binFull ? 'bin-full' : 'ok');
    this.observe(sensors, name === 'retain' || name === 'initRetain' ? 'retain' : 'answer');
  }

  private onNegative(name: ReaderCommandName, err: ReaderError): void {
    const fault = faultOf(err);
    switch (err.code) {
      case 'READER_JAMMED':
        this.setStatus('jam', fault);
        return;
      case 'READER_BIN_FULL':
        this.setStatus('bin-full', fault);
        return;
      case 'READER_MOTOR':
        this.setStatus('fault', fault);
        return;
      case 'READER_CARD_REMOVED':
        if (this.sensors) this.observe({ ...this.sensors, position: 'none' }, 'answer');
        break;
    }
    // The reader answered, so the link is healthy again.
    if (this.current.state === 'fault' || this.current.state === 'unplugged' || this.current.state === 'starting') {
      this.setStatus('ok');
    }
    this.opts.logger.info({ dev: DEVICE, cmd: name, code: err.code, e1e0: err.e1e0 }, 'reader refused command');
  }

  private onUnsolicited(frame: ReaderFrame): void {
    const [cm, pm] = READER_COMMANDS.status;
    if (frame.type !== 'P' || frame.cm !== cm || frame.pm !== pm) {
      this.opts.logger.debug({ dev: DEVICE, type: frame.type, cm: frame.cm, pm: frame.pm }, 'ignored unsolicited frame');
      return;
    }
    if (this.current.state !== 'ok' && this.current.state !== 'jam' && this.current.state !== 'bin-full') this.setStatus('ok');
    this.observe(parseSensors(frame.st), 'event');
  }

  private observe(next: ReaderSensors, origin: 'answer' | 'event' | 'retain'): void {
    const prev = this.sensors;
    this.sensors = next;
    if (!prev || prev.position === next.position) return;
    this.opts.logger.info({ dev: DEVICE, from: prev.position, to: next.position, origin }, 'card position changed');
    if (next.position === 'inside') this.emit('card-inserted', { ...next });
    else if (next.position === 'gate') this.emit('card-at-gate', { ...next });
    else this.emit(origin === 'retain' ? 'card-retained' : 'card-removed', { ...next });
  }

  private setStatus(state: DeviceState, fault?: { code: string; message: string }): void {
    const lastFault = fault ? { ...fault, at: this.opts.clock.now() } : this.current.lastFault;
    const changed = state !== this.current.state;
    this.current = lastFault ? { state, lastFault } : { state };
    // A repeated failure in the same state updates lastFault without a new event.
    if (!changed) return;
    this.opts.logger.info({ dev: DEVICE, state, fault: fault?.code }, 'reader status');
    this.emit('status', this.status);
  }
}

function slotDigit(slot: number): number {
  if (!Number.isInteger(slot) || slot < 1 || slot > 4) {
    throw new ReaderError('READER_PARAMETER', { message: `PSAM slot must be 1..4, got ${slot}` });
  }
  return 0x30 + slot;
}

function faultOf(err: unknown): { code: string; message: string } {
  return { code: errorCode(err), message: err instanceof Error ? err.message : String(err) };
}
