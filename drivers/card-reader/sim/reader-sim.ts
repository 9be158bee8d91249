/**
 * Simulated motorized reader, speaking the frame protocol from the far side of a SimPortRegistry
 * line with the same codec as the driver. The wire behaviour (ACK/NAK, ENQ → execute, resend on NAK,
 * unsolicited status events with retries, injected faults) lives here; the physical reader (card
 * position, bin, shutter, chips) lives in ReaderModel.
 */
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Logger } from '../../common/log.js';
import { silentLogger } from '../../common/log.js';
import { traceHex } from '../../common/mask.js';
import type { LinkToken } from '../../serial/link-types.js';
import type { SimDevice } from '../../serial/sim-binding.js';
import {
  ACK,
  DEFAULT_ADDRESS,
  NAK,
  READER_COMMANDS,
  commandName,
  encodeResponse,
  traceHeadFor,
  type ReaderCommandName,
  type ReaderFrame,
} from '../codec.js';
import { ReaderStreamDecoder } from '../decoder.js';
import type { CardPosition, ReaderSensors } from '../interface.js';
import type { SimChip } from './chip-interface.js';
import { ReaderModel, isMotorCommand, type FieldCard, type Outcome } from './reader-model.js';

export interface ReaderSimDelays {
  /** Motor moves (initialize with a card, move, retain, eject). */
  motor: number;
  /** User card / PSAM power on, contactless activation. */
  powerOn: number;
  /** One APDU exchange (contact, PSAM or contactless). */
  apdu: number;
  /** Everything else (status, shutter, power off). */
  other: number;
}

export const DEFAULT_SIM_DELAYS: ReaderSimDelays = { motor: 300, powerOn: 50, apdu: 5, other: 2 };

export interface ReaderSimOptions {
  clock: Clock;
  logger?: Logger;
  address?: number;
  /** Cards the capture bin holds before ST1 reports full (default 50). */
  binCapacity?: number;
  delays?: Partial<ReaderSimDelays>;
  /** Resend an unACKed status event after this long (300 ms), at most `eventMaxResends` (3) times. */
  eventRetryMs?: number;
  eventMaxResends?: number;
}

export type ReaderFaultKind = 'garble' | 'nak' | 'silent' | 'card-pulled' | 'jam' | 'contactless-pulled';

export interface SimResult {
  ok: boolean;
  reason?: string;
}

export class ReaderSimulator implements SimDevice {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly address: number;
  private readonly model: ReaderModel;
  private readonly decoder: ReaderStreamDecoder;
  private delays: ReaderSimDelays;
  private readonly eventRetryMs: number;
  private readonly eventMaxResends: number;
  private sendBytes: (bytes: Buffer) => void = () => undefined;
  private byteTimer?: TimerHandle;
  /** ACKed command waiting for ENQ. */
  private pendingCmd?: Extract<ReaderFrame, { type: 'C' }>;
  private execTimer?: TimerHandle;
  /** Last frame sent (clean copy): what a NAK from the host asks for again. */
  private lastSent?: Uint8Array;
  private readonly faults = new Set<ReaderFaultKind>();
  private eventWanted = false;
  private eventTimer?: TimerHandle;
  private eventPending = false;
  private eventResends = 0;

  constructor(opts: ReaderSimOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.address = opts.address ?? DEFAULT_ADDRESS;
    this.model = new ReaderModel(opts.binCapacity ?? 50);
    this.decoder = new ReaderStreamDecoder({ address: this.address });
    this.delays = { ...DEFAULT_SIM_DELAYS, ...stripUndefined(opts.delays) };
    this.eventRetryMs = opts.eventRetryMs ?? 300;
    this.eventMaxResends = opts.eventMaxResends ?? 3;
  }

  // ---- SimDevice ----------------------------------------------------------------------------

  /** Called at register and at every replug: the reader powers up with a clean link state. */
  connect(send: (bytes: Buffer) => void): void {
    this.sendBytes = send;
    this.faults.delete('silent');
    this.resetLink();
  }

  receive(bytes: Buffer): void {
    if (this.faults.has('silent')) return;
    for (const t of this.decoder.push(bytes, this.clock.now())) this.onToken(t);
    this.armByteTimer();
  }

  // ---- control API (scenario runner, /sim panel) ------------------------------------------

  get position(): CardPosition {
    return this.model.position;
  }

  /** The chip in the slot (inside or at the gate), or null. */
  get chip(): SimChip | null {
    return this.model.chip;
  }

  get retainedChips(): readonly SimChip[] {
    return [...this.model.retained];
  }

  get binCount(): number {
    return this.model.retained.length;
  }

  get sensors(): ReaderSensors {
    return this.model.sensors();
  }

  get activeFaults(): ReaderFaultKind[] {
    return [...this.faults];
  }

  /** Pushes a card into the slot: only while insertion is enabled and the slot is empty. */
  insert(chip: SimChip): SimResult {
    if (this.model.position !== 'none') return { ok: false, reason: `a card is already in the reader (${this.model.position})` };
    if (!this.model.insertionEnabled) return { ok: false, reason: 'insertion is disabled (shutter closed)' };
    this.model.insertCard(chip);
    this.logger.debug({ sim: 'reader', chip: chip.label }, 'card inserted');
    this.queueEvent(false);
    return { ok: true };
  }

  /** The citizen takes the card presented at the gate. */
  take(): SimResult {
    if (this.model.position !== 'gate') {
      return { ok: false, reason: this.model.position === 'inside' ? 'the card is inside the reader, not at the gate' : 'no card at the gate' };
    }
    this.model.removeCard();
    this.queueEvent(false);
    return { ok: true };
  }

  setPsam(slot: number, chip: SimChip | null): void {
    this.model.setPsam(slot, chip);
  }

  /** Called when a card leaves the antenna field by a fault (a tap too short). */
  onFieldEmpty: (() => void) | undefined;

  /** The card in the antenna field, if any. */
  get fieldCard(): FieldCard | null {
    return this.model.fieldCard;
  }

  /** A contactless card held to the antenna (null: taken away). */
  setFieldCard(card: FieldCard | null): void {
    this.model.setField(card);
  }

  setBinCapacity(n: number): void {
    this.model.binCapacity = n;
  }

  /** The operator empties the capture bin; returns the cards it held. */
  emptyBin(): SimChip[] {
    return this.model.retained.splice(0);
  }

  setDelays(delays: Partial<ReaderSimDelays>): void {
    this.delays = { ...this.delays, ...stripUndefined(delays) };
  }

  inject(kind: ReaderFaultKind): void {
    this.faults.add(kind);
    if (kind === 'silent') this.cancelExec();
  }

  clear(): void {
    this.faults.clear();
  }

  // ---- wire behaviour -----------------------------------------------------------------------

  private get busy(): boolean {
    return this.pendingCmd !== undefined || this.execTimer !== undefined;
  }

  private write(bytes: Uint8Array, what: string): void {
    if (this.faults.has('silent')) return;
    this.logger.debug({ sim: 'reader', dir: 'tx', what, frame: traceHex(bytes, { keepHead: traceHeadFor(bytes) }) }, 'sim frame');
    this.sendBytes(Buffer.from(bytes));
  }

  private onToken(t: LinkToken<ReaderFrame>): void {
    switch (t.kind) {
      case 'frame':
        if (t.frame.type !== 'C' || this.faults.delete('nak')) {
          this.write(Uint8Array.of(NAK), 'NAK');
          return;
        }
        this.cancelExec();
        this.pendingCmd = t.frame;
        this.write(Uint8Array.of(ACK), 'ACK');
        return;
      case 'garbled':
        this.write(Uint8Array.of(NAK), 'NAK');
        return;
      case 'enq':
        if (this.pendingCmd && !this.execTimer) this.startExec(this.pendingCmd);
        return;
      case 'eot':
        this.pendingCmd = undefined;
        this.cancelExec();
        this.flushEvent();
        return;
      case 'ack':
        if (this.eventPending) this.stopEventRetry();
        return;
      case 'nak':
        if (this.lastSent) this.write(this.lastSent, 'resend');
        return;
    }
  }

  private delayFor(name: ReaderCommandName | undefined): number {
    if (isMotorCommand(name)) return this.delays.motor;
    if (name === 'powerOn' || name === 'psamPowerOn' || name === 'contactlessActivate') return this.delays.powerOn;
    if (name === 'apdu' || name === 'psamApdu' || name === 'contactlessApdu') return this.delays.apdu;
    return this.delays.other;
  }

  private startExec(cmd: Extract<ReaderFrame, { type: 'C' }>): void {
    const name = commandName(cmd.cm, cmd.pm);
    this.execTimer = this.clock.setTimeout(() => {
      this.execTimer = undefined;
      this.pendingCmd = undefined;
      const outcome = this.run(name, cmd);
      const sensors = this.model.sensors();
      const bytes = encodeResponse(
        cmd.cm,
        cmd.pm,
        outcome.ok ? { kind: 'positive', sensors, data: outcome.data } : { kind: 'negative', e1e0: outcome.e1e0 },
        this.address,
      );
      this.lastSent = bytes;
      const garble = this.faults.delete('garble');
      this.write(garble ? corrupt(bytes) : bytes, garble ? 'response (garbled)' : 'response');
      this.flushEvent();
    }, this.delayFor(name));
  }

  private run(name: ReaderCommandName | undefined, cmd: Extract<ReaderFrame, { type: 'C' }>): Outcome {
    if (isMotorCommand(name) && this.model.position !== 'none' && this.faults.delete('jam')) return { ok: false, e1e0: '04' };
    if (name === 'apdu' && this.model.position === 'inside' && this.faults.delete('card-pulled')) {
      this.model.removeCard();
      this.queueEvent(true);
      return { ok: false, e1e0: '12' };
    }
    // A tap too short: the card leaves the antenna field during the dialogue.
    if (name === 'contactlessApdu' && this.model.fieldCard && this.faults.delete('contactless-pulled')) {
      this.model.setField(null);
      this.onFieldEmpty?.();
      return { ok: false, e1e0: '30' };
    }
    return this.model.execute(cmd.cm, cmd.pm, cmd.data);
  }

  private cancelExec(): void {
    this.clock.clearTimeout(this.execTimer);
    this.execTimer = undefined;
  }

  private resetLink(): void {
    this.decoder.reset();
    this.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    this.pendingCmd = undefined;
    this.cancelExec();
    this.lastSent = undefined;
    this.stopEventRetry();
    this.eventWanted = false;
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

  // ---- unsolicited status events ----------------------------------------------------------

  /** ST0 changed. Events go out only while insertion is enabled, except a card yanked mid-APDU. */
  private queueEvent(force: boolean): void {
    if (!force && !this.model.insertionEnabled) return;
    this.eventWanted = true;
    this.flushEvent();
  }

  /** An event never interleaves with a command exchange: it waits until the response is out. */
  private flushEvent(): void {
    if (!this.eventWanted || this.busy) return;
    this.eventWanted = false;
    this.stopEventRetry();
    this.sendEvent();
  }

  private sendEvent(): void {
    const [cm, pm] = READER_COMMANDS.status;
    const bytes = encodeResponse(cm, pm, { kind: 'positive', sensors: this.model.sensors() }, this.address);
    this.lastSent = bytes;
    this.eventPending = true;
    this.write(bytes, this.eventResends === 0 ? 'event' : 'event (resend)');
    this.eventTimer = this.clock.setTimeout(() => {
      this.eventTimer = undefined;
      if (!this.eventPending) return;
      if (this.eventResends >= this.eventMaxResends) {
        this.logger.debug({ sim: 'reader' }, 'status event never ACKed; giving up');
        this.stopEventRetry();
        return;
      }
      if (this.busy) {
        this.eventWanted = true;
        return;
      }
      this.eventResends++;
      this.sendEvent();
    }, this.eventRetryMs);
  }

  private stopEventRetry(): void {
    this.clock.clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    this.eventPending = false;
    this.eventResends = 0;
  }
}

/** One corrupted byte in the body: the BCC no longer matches. */
function corrupt(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  const i = 4 + Math.floor((frame.length - 6) / 2);
  out[i] ^= 0x5a;
  return out;
}

function stripUndefined<T extends object>(o: Partial<T> | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
