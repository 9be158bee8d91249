import type { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../common/device-status.js';
import type { KeyPress, PinAlgorithm, PinSlot } from './codec.js';
import type { WeakPinReason } from './errors.js';

export type { KeyPress, PinAlgorithm, PinSlot, WeakPinReason };

/**
 * What the host may know about a key press. In secure mode a digit is only `{ kind: 'digit' }`:
 * which digit stays in the pad. `value` exists only in plain (operator menu) mode.
 */
export type PinPadKeyEvent = KeyPress;

export interface PinEntryOptions {
  minLength: number;
  maxLength: number;
  /** End the entry by itself when maxLength digits are in (no Enter needed). */
  autoEnd: boolean;
  /** Whole-entry timeout measured by the pad from the start command (1..255 s). */
  timeoutSec: number;
}

export type PinEntryPhase = 'idle' | 'active' | 'complete' | 'cancelled' | 'timeout';

/** The host's view of an entry: a count, never the digits. */
export interface PinEntryState {
  phase: PinEntryPhase;
  digits: number;
  minLength?: number;
  maxLength?: number;
}

export interface DeviceInfo {
  serial: string;
  firmware: string;
}

/**
 * Encrypting PIN pad (XFS4IoT Keyboard + Crypto split: commands, events, status).
 *
 * Events:
 *  - 'key' (PinPadKeyEvent)      a key was pressed during an entry or in plain mode
 *  - 'entry' (PinEntryState)     the entry changed (digit count, complete, cancelled, timeout)
 *  - 'status' (DeviceStatus)     device status changed (ok / unplugged / fault)
 *
 * Commands reject with a PinPadError (PINPAD_*) when the pad refuses or the host refuses its
 * answer, and with a DeviceError (LINK_*) when the link failed after retries.
 *
 * The PIN never crosses to the host in clear: getPinBlock() returns it encrypted under a working
 * key, buildVerifyApdu() returns an opaque APDU for the card that the caller zeroes after use.
 *
 * PIN change (our extension of the reference protocol): each completed entry is stored in a slot
 * inside the pad (1 old, 2 new, 3 confirm); the pad compares and judges the new PIN and builds the
 * card's CHANGE PIN APDU, so the host never sees any of the three PINs.
 */
export interface PinPad extends EventEmitter {
  readonly status: DeviceStatus;
  readonly entry: PinEntryState;
  open(): Promise<void>;
  close(): Promise<void>;
  reset(): Promise<DeviceInfo>;
  /** Key ceremony / simulator configuration only: the key crosses the line in clear. */
  loadMasterKey(index: number, alg: PinAlgorithm, key: Uint8Array): Promise<Uint8Array>;
  /** Loads E(master, working key); rejects PINPAD_KCV_MISMATCH when the pad's KCV differs. */
  loadWorkingKey(masterIndex: number, workingIndex: number, alg: PinAlgorithm, cryptogram: Uint8Array, expectedKcv: Uint8Array): Promise<void>;
  startPinEntry(opts: PinEntryOptions): Promise<void>;
  /** Resolves with the digit count when the entry completes; rejects PINPAD_CANCELLED / PINPAD_TIMEOUT. */
  waitForEntry(): Promise<{ digits: number }>;
  /** Encrypted ISO 9564-0 PIN block: 8 bytes (3DES) or 16 bytes (SM4). */
  getPinBlock(opts: { keyIndex: number; pan: string }): Promise<Uint8Array>;
  /** `00 20 00 00 Lc <BCD>` built by the pad. The caller zeroes it after handing it to the reader. */
  buildVerifyApdu(): Promise<Uint8Array>;
  /** Ends the entry and clears the pad's PIN buffer. */
  stopEntry(): Promise<void>;
  setPlainMode(on: boolean): Promise<void>;
  mac(keyIndex: number, alg: PinAlgorithm, data: Uint8Array): Promise<Uint8Array>;
  /** Copies the completed entry into slot 1 (old), 2 (new) or 3 (confirm); rejects like getPinBlock without one. */
  storeEntry(slot: PinSlot): Promise<void>;
  /**
   * Slots 2 and 3 must match (PINPAD_PIN_MISMATCH) and the new PIN must pass the pad's rules
   * (PINPAD_PIN_WEAK, `.reason`); PINPAD_SLOT_EMPTY when 2 or 3 is empty. A refusal clears 2 and 3.
   */
  checkNewPin(): Promise<void>;
  /**
   * `80 5E 01 00 Lc <old BCD> FF <new BCD>`, built by the pad after re-running checkNewPin's rules
   * (all three slots needed); the pad then clears its slots. The caller zeroes the APDU after use.
   */
  buildChangePinApdu(): Promise<Uint8Array>;
  /** Clears the three PIN slots (stopEntry and reset clear them too). */
  clearSlots(): Promise<void>;
  /** Whether a command is in progress or queued (lets a runner wait for quiescence). */
  busy?(): boolean;
}
