/**
 * Simulated encrypting PIN pad, speaking the frame protocol from the far side of a SimPortRegistry
 * line with the same codec as the driver. It is the only place in the simulated kiosk where PIN
 * digits exist: press()/type() put them into the pad's buffer, and only key codes (`B0 2A` for a
 * digit), PIN blocks and VERIFY / CHANGE PIN APDUs leave it — as from a real EPP. Completed entries
 * may be copied into the PIN change slots (1 old, 2 new, 3 confirm), which stop, reset and power
 * loss clear.
 */
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Logger } from '../../common/log.js';
import { silentLogger } from '../../common/log.js';
import { traceHex } from '../../common/mask.js';
import type { LinkToken } from '../../serial/link-types.js';
import type { SimDevice } from '../../serial/sim-binding.js';
import { KEY_CODES, encodeKeyEvent, encodeReply, traceHeadForReply, type PinAlgorithm, type PinPadFrame, type PinSlot } from '../codec.js';
import { PinPadStreamDecoder } from '../decoder.js';
import { EntryTracker, type EntryKey } from '../entry-state.js';
import type { PinEntryState } from '../interface.js';
import { PadKeyStore } from './pad-keys.js';
import { executeCommand, type PadContext } from './pad-commands.js';
import { PadPinSlots } from './pad-pin-slots.js';

export type SimKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'enter' | 'cancel' | 'clear' | 'F1' | 'F2' | 'F3' | 'F4';
export type PinPadFaultKind = 'garble' | 'silent';

export interface PinPadSimOptions {
  clock: Clock;
  logger?: Logger;
  serial?: string;
  firmware?: string;
  /** Time the pad takes to answer a command (default 5 ms). */
  responseDelayMs?: number;
  /** The issuer's initial PIN, which a PIN change may not choose (default 123456). */
  initialPin?: string;
}

export interface SimResult {
  ok: boolean;
  reason?: string;
}

export interface SimKeySlot {
  kind: 'master' | 'working';
  index: number;
  alg: PinAlgorithm;
  /** KCV as hex: what an operator panel may show about a key. */
  kcv: string;
}

const MAX_PIN = 12;

export class PinPadSimulator implements SimDevice {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly decoder = new PinPadStreamDecoder();
  private readonly keys = new PadKeyStore();
  private readonly entryTracker = new EntryTracker();
  private readonly slots: PadPinSlots;
  /** The PIN digits (0..9 per byte), only inside the pad. */
  private readonly pin = new Uint8Array(MAX_PIN);
  private pinLength = 0;
  private plain = false;
  private entryTimer?: TimerHandle;
  private byteTimer?: TimerHandle;
  private sendBytes: (bytes: Buffer) => void = () => undefined;
  private readonly faults = new Set<PinPadFaultKind>();
  private readonly responseDelayMs: number;
  readonly serial: string;
  readonly firmware: string;

  constructor(opts: PinPadSimOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.serial = opts.serial ?? 'SIMEPP0001';
    this.firmware = opts.firmware ?? 'SIM-EPP 1.0';
    this.responseDelayMs = opts.responseDelayMs ?? 5;
    this.slots = new PadPinSlots(opts.initialPin);
  }

  // ---- SimDevice ----------------------------------------------------------------------------

  /** Register and every replug: the pad powers up; keys survive (battery-backed), the PIN does not. */
  connect(send: (bytes: Buffer) => void): void {
    this.sendBytes = send;
    this.faults.delete('silent');
    this.decoder.reset();
    this.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    this.endEntry('idle');
    this.slots.clear();
    this.plain = false;
  }

  receive(bytes: Buffer): void {
    if (this.faults.has('silent')) return;
    for (const t of this.decoder.push(bytes, this.clock.now())) this.onToken(t);
    this.armByteTimer();
  }

  // ---- control API (scenario runner, /sim panel) ------------------------------------------

  /** The entry as the panel may show it: a count, never the digits. */
  get entry(): PinEntryState {
    return this.entryTracker.state;
  }

  /** Which PIN change slots hold an entry (never their digits). */
  get pinSlots(): PinSlot[] {
    return this.slots.filled();
  }

  get plainMode(): boolean {
    return this.plain;
  }

  get activeFaults(): PinPadFaultKind[] {
    return [...this.faults];
  }

  /** Key ceremony without a host (config / scenario setup). Returns the KCV. */
  loadMasterKey(index: number, alg: PinAlgorithm, key: Uint8Array): Uint8Array {
    return this.keys.loadMaster(index, alg, key);
  }

  keySlots(): SimKeySlot[] {
    return this.keys.slots();
  }

  /** One key press on the pad's keyboard. */
  press(key: SimKey): SimResult {
    if (this.faults.has('silent')) return { ok: false, reason: 'the pad is silent (fault injected)' };
    if (this.plain) {
      this.report(plainCode(key));
      return { ok: true };
    }
    if (!this.entryTracker.active) return { ok: false, reason: 'no secure PIN entry in progress (keyboard disabled)' };
    const kind = entryKey(key);
    const outcome = this.entryTracker.key(kind);
    if (!outcome.report) return { ok: false, reason: 'maximum PIN length reached' };
    if (kind === 'digit' && outcome.changed) this.pin[this.pinLength++] = key.charCodeAt(0) - 0x30;
    if (kind === 'clear' && outcome.changed) this.pin[--this.pinLength] = 0;
    this.report(secureCode(key));
    if (!this.entryTracker.active) this.onEntryEnded();
    return { ok: true };
  }

  /** Presses each digit in turn; stops at the first refused press. */
  type(digits: string): SimResult {
    if (!/^\d*$/.test(digits)) return { ok: false, reason: 'type() takes digits only' };
    for (const d of digits) {
      const r = this.press(d as SimKey);
      if (!r.ok) return r;
    }
    return { ok: true };
  }

  inject(kind: PinPadFaultKind): void {
    this.faults.add(kind);
  }

  clear(): void {
    this.faults.clear();
  }

  // ---- wire behaviour -----------------------------------------------------------------------

  private onToken(t: LinkToken<PinPadFrame>): void {
    // The pad has no NAK: a frame it cannot read is ignored, and the host retransmits on silence.
    if (t.kind !== 'frame') return;
    const frame = { cmd: t.frame.cmd, data: t.frame.data.slice() };
    t.frame.data.fill(0);
    t.raw.fill(0);
    this.clock.setTimeout(() => this.execute(frame), this.responseDelayMs);
  }

  private execute(frame: PinPadFrame): void {
    if (this.faults.has('silent')) return;
    const ctx: PadContext = {
      keys: this.keys,
      entry: this.entryTracker,
      slots: this.slots,
      serial: this.serial,
      firmware: this.firmware,
      plain: this.plain,
      withPin: (fn) => this.withPin(fn),
      startEntry: (p) => this.startEntry(p),
      stopEntry: () => {
        this.endEntry('idle');
        this.slots.clear();
      },
      setPlain: (on) => (this.plain = on),
      reset: () => {
        this.endEntry('idle');
        this.slots.clear();
        this.plain = false;
      },
    };
    const r = executeCommand(ctx, frame);
    frame.data.fill(0);
    const bytes = encodeReply(frame.cmd, r.status, r.data);
    r.data?.fill(0);
    this.write(bytes, 'reply');
    bytes.fill(0);
  }

  private withPin<T>(fn: (pin: string) => T): T {
    // The crypto helpers take a string; it lives only for this call inside the simulated pad.
    return fn(Array.from(this.pin.subarray(0, this.pinLength), (d) => String(d)).join(''));
  }

  private startEntry(p: { timeoutSec: number }): void {
    this.clearPin();
    this.plain = false;
    this.clock.clearTimeout(this.entryTimer);
    this.entryTimer = this.clock.setTimeout(() => {
      this.entryTimer = undefined;
      if (!this.entryTracker.active) return;
      this.logger.debug({ sim: 'pinpad' }, 'entry timed out');
      this.endEntry('timeout');
    }, p.timeoutSec * 1000);
  }

  private endEntry(phase: 'idle' | 'timeout'): void {
    this.entryTracker.end(phase);
    this.onEntryEnded();
    this.clearPin();
  }

  /** Cancel and timeout clear the buffer; a completed PIN stays until used and stopped. */
  private onEntryEnded(): void {
    this.clock.clearTimeout(this.entryTimer);
    this.entryTimer = undefined;
    if (this.entryTracker.state.phase !== 'complete') this.clearPin();
  }

  private clearPin(): void {
    this.pin.fill(0);
    this.pinLength = 0;
  }

  private report(code: number): void {
    const bytes = encodeKeyEvent(code);
    this.write(bytes, 'key');
  }

  /** Every frame the pad sends goes through here; 'garble' corrupts the next one (reply or key). */
  private write(bytes: Uint8Array, what: string): void {
    if (this.faults.has('silent')) return;
    if (this.faults.delete('garble')) {
      bytes = bytes.slice();
      corrupt(bytes);
      what += ' (garbled)';
    }
    this.logger.debug({ sim: 'pinpad', dir: 'tx', what, frame: traceHex(bytes, { keepHead: traceHeadForReply(bytes) }) }, 'sim frame');
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

function entryKey(key: SimKey): EntryKey {
  if (/^\d$/.test(key)) return 'digit';
  if (key === 'enter' || key === 'cancel' || key === 'clear') return key;
  return 'function';
}

function secureCode(key: SimKey): number {
  if (/^\d$/.test(key)) return KEY_CODES.digit;
  return plainCode(key);
}

function plainCode(key: SimKey): number {
  switch (key) {
    case 'enter':
      return KEY_CODES.enter;
    case 'cancel':
      return KEY_CODES.cancel;
    case 'clear':
      return KEY_CODES.clear;
    case 'F1':
    case 'F2':
    case 'F3':
    case 'F4':
      return 0xf0 + Number(key[1]);
    default:
      return key.charCodeAt(0);
  }
}

/** One corrupted byte in the body: the BCC no longer matches. */
function corrupt(frame: Uint8Array): void {
  frame[3 + Math.floor((frame.length - 5) / 2)] ^= 0x5a;
}
