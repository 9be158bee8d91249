/**
 * Driver of the reference encrypting PIN pad (devices.md §2) over the generic frame link in its
 * request/reply mode (no ACK/ENQ: the pad answers each command with a reply frame; garbage or
 * silence → retransmit). Unsolicited B0 frames are key presses.
 *
 * Trust boundary: this module never sees the PIN. It counts key events, receives the PIN block or
 * the VERIFY / CHANGE PIN APDU as opaque bytes, zeroes every copy it owns once handed over, and never logs them.
 */
import { EventEmitter } from 'node:events';
import { OneShotTimer } from '../common/clock.js';
import type { DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import { FrameLink } from '../serial/frame-link.js';
import {
  KEY_EVENT,
  PINPAD_COMMANDS,
  decodeDeviceInfo,
  encodeEntryParams,
  encodeFrame,
  encodeGetPinBlock,
  encodeLoadMasterKey,
  encodeLoadWorkingKey,
  encodeMac,
  parseKeyEvent,
  parseReply,
  traceHeadForCommand,
  traceHeadForReply,
  type PinAlgorithm,
  type PinPadCommandName,
  type PinPadFrame,
  type PinSlot,
} from './codec.js';
import { accountDigits, bytesEqual, kcv } from './crypto.js';
import { PinPadStreamDecoder } from './decoder.js';
import { checkIndex, checkKeyLength, type PinPadOptions, type PinPadTimeouts } from './driver-options.js';
import { EntryTracker, validEntryParams } from './entry-state.js';
import { EntryWaiters, entryEndError } from './entry-waiters.js';
import { PinPadError, STATUS_OK, pinPadErrorFromStatus } from './errors.js';
import type { DeviceInfo, PinEntryOptions, PinEntryState, PinPad, PinPadKeyEvent } from './interface.js';
import { PinChangeCommands } from './pin-change.js';
import { DeviceStatusTracker, faultOf } from '../serial/status-tracker.js';
import { LinkError } from '../serial/errors.js';

export type { PinPadOptions, PinPadTimeouts } from './driver-options.js';

const DEVICE = 'pinpad';

export function createPinPad(opts: PinPadOptions): PinPadDriver {
  return new PinPadDriver(opts);
}

export class PinPadDriver extends EventEmitter implements PinPad {
  private readonly link: FrameLink<PinPadFrame>;
  private readonly tracker: DeviceStatusTracker;
  private readonly entryState = new EntryTracker();
  private readonly t: Required<Omit<PinPadTimeouts, 'perCommand'>> & Pick<PinPadTimeouts, 'perCommand'>;
  /** The host's guard over an entry: the pad's own timeout plus a grace. */
  private readonly entryTimer: OneShotTimer;
  /** Counts entries, so a late answer to an old entry's stop cannot end a newer entry. */
  private entrySeq = 0;
  private readonly waiters = new EntryWaiters();
  private plain = false;
  /** Working key slots whose KCV did not match: the pad holds a key the host must not use. */
  private readonly rejectedSlots = new Set<number>();
  private info?: DeviceInfo;
  /** PIN change extension (3A..3D), in its own module. */
  private readonly pinChange = new PinChangeCommands({ exec: (name, data) => this.exec(name, data), checkUsable: (command) => this.checkUsable(command) });

  constructor(private readonly opts: PinPadOptions) {
    super();
    this.entryTimer = new OneShotTimer(opts.clock);
    const to = opts.timeouts ?? {};
    this.t = {
      responseMs: to.responseMs ?? 1000,
      interByteMs: to.interByteMs ?? 100,
      entryGraceMs: to.entryGraceMs ?? 1000,
      perCommand: to.perCommand,
    };
    this.tracker = new DeviceStatusTracker(DEVICE, opts.clock, opts.logger, (s) => this.emit('status', s));
    this.link = new FrameLink<PinPadFrame>({
      device: DEVICE,
      transport: opts.transport,
      clock: opts.clock,
      logger: opts.logger,
      decoder: new PinPadStreamDecoder({ interByteMs: this.t.interByteMs, wipeInput: true }),
      handshake: 'reply',
      responseTimeoutMs: this.t.responseMs,
      maxRetransmits: opts.maxRetransmits ?? 3,
      wireMsPerByte: 10_000 / (opts.baudRate ?? 9600),
      traceHead: traceHeadForReply,
      backoff: opts.backoff,
    });
    this.link.on('event', (frame: PinPadFrame, raw?: Uint8Array) => this.onUnsolicited(frame, raw));
    this.link.on('disconnect', (err: Error) => {
      this.tracker.set('unplugged', { code: 'LINK_DISCONNECTED', message: err.message });
      // A pad that lost power lost its PIN buffer: the entry is over for the host too. The
      // transport's error has no code; waiters get LINK_DISCONNECTED so the flow and the operator
      // see why (an uncoded error reads as INTERNAL on the citizen's screen).
      this.endEntry('idle', () => new LinkError(DEVICE, 'LINK_DISCONNECTED', `PIN pad disconnected during the entry: ${err.message}`, { cause: err }));
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

  get entry(): PinEntryState {
    return this.entryState.state;
  }

  /** Serial number and firmware from the last reset, if any. */
  get deviceInfo(): DeviceInfo | undefined {
    return this.info ? { ...this.info } : undefined;
  }

  busy(): boolean {
    return this.link.busy;
  }

  /**
   * Opens the port and resets the pad once (which also ends any stale entry). Rejects
   * (LINK_OPEN_FAILED, status `unplugged`) when the port cannot be opened — the link keeps trying in
   * the background. A pad that opens but does not answer leaves open() resolved with status `fault`.
   */
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
    this.endEntry('idle', () => new PinPadError('PINPAD_CANCELLED', { message: 'PIN pad closed' }));
    await this.link.close();
  }

  async reset(): Promise<DeviceInfo> {
    const data = await this.exec('reset');
    const info = decodeDeviceInfo(data);
    if (!info) throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'reset' });
    this.info = info;
    this.plain = false;
    this.endEntry('idle', () => new PinPadError('PINPAD_CANCELLED', { message: 'PIN pad reset' }));
    return { ...info };
  }

  async loadMasterKey(index: number, alg: PinAlgorithm, key: Uint8Array): Promise<Uint8Array> {
    checkIndex(index, 'master');
    checkKeyLength(key);
    const padKcv = await this.exec('loadMasterKey', encodeLoadMasterKey(index, alg, key));
    if (padKcv.length !== 3) throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'loadMasterKey' });
    // The host had the clear key anyway (ceremony), so it can check the pad stored it intact.
    if (!bytesEqual(padKcv, kcv(key, alg))) {
      throw new PinPadError('PINPAD_KCV_MISMATCH', { command: 'loadMasterKey', message: `master key ${index}: KCV differs` });
    }
    return padKcv;
  }

  async loadWorkingKey(masterIndex: number, workingIndex: number, alg: PinAlgorithm, cryptogram: Uint8Array, expectedKcv: Uint8Array): Promise<void> {
    checkIndex(masterIndex, 'master');
    checkIndex(workingIndex, 'working');
    checkKeyLength(cryptogram);
    const padKcv = await this.exec('loadWorkingKey', encodeLoadWorkingKey(masterIndex, workingIndex, alg, cryptogram));
    if (padKcv.length !== 3) throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'loadWorkingKey' });
    if (!bytesEqual(padKcv, expectedKcv)) {
      this.rejectedSlots.add(workingIndex);
      this.opts.logger.warn({ dev: DEVICE, workingIndex, masterIndex }, 'working key KCV mismatch; slot unusable');
      throw new PinPadError('PINPAD_KCV_MISMATCH', { command: 'loadWorkingKey', message: `working key ${workingIndex}: KCV differs` });
    }
    this.rejectedSlots.delete(workingIndex);
    this.opts.logger.info({ dev: DEVICE, workingIndex, masterIndex, alg }, 'working key loaded');
  }

  async startPinEntry(o: PinEntryOptions): Promise<void> {
    if (!validEntryParams(o)) {
      throw new PinPadError('PINPAD_PARAMETER', { command: 'startEntry', message: 'entry needs 4 ≤ min ≤ max ≤ 12 and 1..255 s' });
    }
    await this.exec('startEntry', encodeEntryParams(o));
    this.endEntry('idle', () => new PinPadError('PINPAD_CANCELLED', { message: 'a new entry was started' }), false);
    this.plain = false;
    this.entryState.start(o);
    this.entrySeq++;
    this.armEntryTimer(o.timeoutSec * 1000 + this.t.entryGraceMs);
    this.entryChanged();
  }

  waitForEntry(): Promise<{ digits: number }> {
    return this.waiters.wait(this.entryState.state);
  }

  async getPinBlock(o: { keyIndex: number; pan: string }): Promise<Uint8Array> {
    checkIndex(o.keyIndex, 'working');
    this.checkUsable('getPinBlock', o.keyIndex);
    const block = await this.exec('getPinBlock', encodeGetPinBlock(o.keyIndex, accountDigits(o.pan)));
    if (block.length !== 8 && block.length !== 16) {
      block.fill(0);
      throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'getPinBlock' });
    }
    return block;
  }

  async buildVerifyApdu(): Promise<Uint8Array> {
    this.checkUsable('buildVerify');
    const apdu = await this.exec('buildVerify');
    const wellFormed = apdu.length >= 7 && apdu[0] === 0x00 && apdu[1] === 0x20 && apdu[2] === 0x00 && apdu[3] === 0x00 && apdu[4] === apdu.length - 5;
    if (!wellFormed) {
      apdu.fill(0);
      throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'buildVerify' });
    }
    return apdu;
  }

  async stopEntry(): Promise<void> {
    try {
      await this.exec('stopEntry');
    } finally {
      this.endEntry('idle', () => new PinPadError('PINPAD_CANCELLED', { message: 'entry stopped by the host' }));
    }
  }

  async setPlainMode(on: boolean): Promise<void> {
    await this.exec('plainMode', Uint8Array.of(on ? 1 : 0));
    this.plain = on;
  }

  async mac(keyIndex: number, alg: PinAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    checkIndex(keyIndex, 'working');
    if (this.rejectedSlots.has(keyIndex)) throw new PinPadError('PINPAD_KCV_MISMATCH', { command: 'mac', message: `working key ${keyIndex} failed its KCV check` });
    const out = await this.exec('mac', encodeMac(keyIndex, alg, data));
    if (out.length !== (alg === 'sm4' ? 16 : 8)) throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'mac' });
    return out;
  }

  storeEntry(slot: PinSlot): Promise<void> {
    return this.pinChange.storeEntry(slot);
  }

  checkNewPin(): Promise<void> {
    return this.pinChange.checkNewPin();
  }

  buildChangePinApdu(): Promise<Uint8Array> {
    return this.pinChange.buildChangePinApdu();
  }

  clearSlots(): Promise<void> {
    return this.pinChange.clearSlots();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Refuses early what the pad would refuse anyway, without a round trip. */
  private checkUsable(command: string, keyIndex?: number): void {
    const phase = this.entryState.state.phase;
    if (phase === 'cancelled' || phase === 'timeout') throw entryEndError(phase, command);
    if (keyIndex !== undefined && this.rejectedSlots.has(keyIndex)) {
      throw new PinPadError('PINPAD_KCV_MISMATCH', { command, message: `working key ${keyIndex} failed its KCV check` });
    }
  }

  /**
   * One command round trip. Returns the reply DATA as a fresh copy; the command frame, the received
   * frame and its raw bytes are zeroed, since they may carry a key, a PIN block or a VERIFY APDU.
   */
  private async exec(name: PinPadCommandName, data?: Uint8Array): Promise<Uint8Array> {
    const cmd = PINPAD_COMMANDS[name];
    const bytes = encodeFrame(cmd, data);
    data?.fill(0);
    let frame: PinPadFrame;
    let raw: Uint8Array | undefined;
    try {
      const reply = await this.link.send({
        bytes,
        label: name,
        timeoutMs: this.t.perCommand?.[name] ?? this.t.responseMs,
        traceHead: traceHeadForCommand(bytes),
        matches: (f) => f.cmd === cmd,
      });
      if (reply.kind !== 'frame') throw new PinPadError('PINPAD_BAD_ANSWER', { command: name });
      frame = reply.frame;
      raw = reply.raw;
    } catch (err) {
      this.tracker.linkFailed(err);
      throw err;
    } finally {
      bytes.fill(0);
    }
    try {
      const parsed = parseReply(frame);
      if (!parsed) throw new PinPadError('PINPAD_BAD_ANSWER', { command: name });
      this.tracker.answered();
      if (parsed.status !== STATUS_OK) {
        const err = pinPadErrorFromStatus(parsed.status, name);
        this.opts.logger.info({ dev: DEVICE, cmd: name, code: err.code }, 'pin pad refused command');
        this.onRefusal(err);
        throw err;
      }
      return parsed.data.slice();
    } finally {
      frame.data.fill(0);
      raw.fill(0);
    }
  }

  /** The pad knows better than the host's timer: its refusal settles the entry. */
  private onRefusal(err: PinPadError): void {
    if (err.code === 'PINPAD_CANCELLED' || err.code === 'PINPAD_TIMEOUT') {
      if (this.entryState.active) this.endEntry(err.code === 'PINPAD_TIMEOUT' ? 'timeout' : 'cancelled', () => err);
    }
  }

  private async probe(why: string): Promise<void> {
    try {
      await this.reset();
    } catch (err) {
      this.opts.logger.warn({ dev: DEVICE, why, code: errorCode(err) }, 'pin pad probe failed');
    }
  }

  private onUnsolicited(frame: PinPadFrame, raw?: Uint8Array): void {
    const key = frame.cmd === KEY_EVENT ? parseKeyEvent(frame) : undefined;
    // A frame nobody awaits may be a late reply (after a retransmission or a timeout) to 35 / 36 /
    // 3A, i.e. a PIN block or a VERIFY / CHANGE PIN APDU: wipe it like an awaited reply.
    frame.data.fill(0);
    raw?.fill(0);
    if (!key) {
      this.opts.logger.debug({ dev: DEVICE, cmd: frame.cmd }, 'ignored unsolicited frame');
      return;
    }
    this.tracker.answered();
    let event: PinPadKeyEvent = key;
    if (key.kind === 'digit' && key.value !== undefined && !this.plain) {
      // A digit value outside plain mode means the pad is not in the mode the host thinks: drop it.
      this.opts.logger.warn({ dev: DEVICE }, 'plain digit received outside plain mode; value dropped');
      event = { kind: 'digit' };
    }
    this.opts.logger.debug({ dev: DEVICE, key: event.kind }, 'key');
    const outcome = this.plain ? undefined : this.entryState.key(event.kind);
    this.emit('key', event);
    if (outcome?.changed) this.entryChanged();
  }

  private entryChanged(): void {
    const s = this.entryState.state;
    this.opts.logger.info({ dev: DEVICE, phase: s.phase, digits: s.digits }, 'pin entry');
    this.emit('entry', s);
    if (s.phase === 'active') return;
    this.entryTimer.clear();
    this.waiters.settle(s);
  }

  /** Ends the entry from the host side; waiters get `why()`. */
  private endEntry(phase: 'idle' | 'timeout' | 'cancelled', why: () => Error, notify = true): void {
    this.entryTimer.clear();
    const was = this.entryState.state;
    this.waiters.rejectAll(why);
    if (was.phase === 'idle' && phase === 'idle') return;
    this.entryState.end(phase);
    if (notify) this.entryChanged();
  }

  private armEntryTimer(ms: number): void {
    const seq = this.entrySeq;
    this.entryTimer.arm(ms, () => {
      if (this.entryState.active && seq === this.entrySeq) void this.endTimedOutEntry(seq);
    });
  }

  /**
   * The host's entry timer fired. The pad has timed out by itself by now; the stop makes sure its
   * buffer is cleared. Only a pad that answers the stop really timed out: one that does not answer
   * has failed, and the citizen must be told the PIN pad is out of order (the link error), not that
   * they were too slow (PINPAD_TIMEOUT). Key events cannot show this, since a silent pad just sends
   * none.
   */
  private async endTimedOutEntry(seq: number): Promise<void> {
    let failure: unknown;
    try {
      await this.exec('stopEntry');
    } catch (err) {
      failure = err;
      this.opts.logger.warn({ dev: DEVICE, code: errorCode(err) }, 'PIN pad did not answer the stop after an entry timeout');
    }
    // A disconnect, a reset or a new entry settled this entry meanwhile.
    if (seq !== this.entrySeq || !this.entryState.active) return;
    const linkFailure = failure instanceof LinkError ? failure : undefined;
    this.endEntry('timeout', () => linkFailure ?? entryEndError('timeout'));
  }
}
