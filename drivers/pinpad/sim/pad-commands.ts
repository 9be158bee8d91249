/**
 * What the simulated pad does with each command (devices.md §2 table, byte layouts in codec.ts).
 * Pure with respect to the wire: it takes a decoded frame and returns the reply status and data;
 * PinPadSimulator owns timing, the PIN buffer and the line.
 */
import {
  PINPAD_COMMANDS,
  PIN_BLOCK_FORMAT_ISO0,
  algorithmOf,
  decodeEntryParams,
  decodeGetPinBlock,
  decodeStoreEntry,
  encodeDeviceInfo,
  type EntryParams,
  type PinPadFrame,
} from '../codec.js';
import { encryptPinBlock, mac, verifyApdu } from '../crypto.js';
import type { EntryTracker } from '../entry-state.js';
import { validEntryParams } from '../entry-state.js';
import { PinPadError, STATUS_OK, statusFor } from '../errors.js';
import type { PadKeyStore } from './pad-keys.js';
import type { PadPinSlots } from './pad-pin-slots.js';

export interface PadContext {
  keys: PadKeyStore;
  entry: EntryTracker;
  /** PIN change slots (extension 3A..3D). */
  slots: PadPinSlots;
  serial: string;
  firmware: string;
  plain: boolean;
  /** Runs `fn` with the entered PIN (inside the pad only). */
  withPin<T>(fn: (pin: string) => T): T;
  startEntry(p: EntryParams): void;
  /** Ends the entry and clears the PIN buffer and the PIN change slots. */
  stopEntry(): void;
  setPlain(on: boolean): void;
  reset(): void;
}

export interface PadReply {
  status: number;
  data?: Uint8Array;
}

const C = PINPAD_COMMANDS;

export function executeCommand(ctx: PadContext, frame: PinPadFrame): PadReply {
  try {
    return { status: STATUS_OK, data: run(ctx, frame.cmd, frame.data) };
  } catch (err) {
    if (err instanceof PinPadError) return { status: statusFor(err.code, err.reason) };
    return { status: statusFor('PINPAD_HARDWARE') };
  }
}

function fail(code: ConstructorParameters<typeof PinPadError>[0]): never {
  throw new PinPadError(code);
}

function algOf(byte: number) {
  return algorithmOf(byte) ?? fail('PINPAD_PARAMETER');
}

/** The entry must have completed; cancel / timeout are answered as such. */
function requireCompletedPin(ctx: PadContext): void {
  const phase = ctx.entry.state.phase;
  if (phase === 'cancelled') fail('PINPAD_CANCELLED');
  if (phase === 'timeout') fail('PINPAD_TIMEOUT');
  if (phase !== 'complete') fail('PINPAD_NO_PIN');
}

function run(ctx: PadContext, cmd: number, d: Uint8Array): Uint8Array | undefined {
  switch (cmd) {
    case C.reset:
      if (d.length !== 0) fail('PINPAD_PARAMETER');
      ctx.reset();
      return encodeDeviceInfo({ serial: ctx.serial, firmware: ctx.firmware });
    case C.loadMasterKey:
      if (d.length !== 18) fail('PINPAD_PARAMETER');
      return ctx.keys.loadMaster(d[0], algOf(d[1]), d.subarray(2));
    case C.loadWorkingKey:
      if (d.length !== 19) fail('PINPAD_PARAMETER');
      return ctx.keys.loadWorking(d[0], d[1], algOf(d[2]), d.subarray(3));
    case C.startEntry: {
      const p = decodeEntryParams(d);
      if (!p || !validEntryParams(p)) fail('PINPAD_PARAMETER');
      ctx.entry.start(p);
      ctx.startEntry(p);
      return undefined;
    }
    case C.getPinBlock: {
      const req = decodeGetPinBlock(d) ?? fail('PINPAD_PARAMETER');
      if (req.format !== PIN_BLOCK_FORMAT_ISO0) fail('PINPAD_PARAMETER');
      const slot = ctx.keys.workingKey(req.keyIndex);
      requireCompletedPin(ctx);
      return ctx.withPin((pin) => encryptPinBlock(slot.key, slot.alg, pin, req.account12));
    }
    case C.buildVerify:
      if (d.length !== 0) fail('PINPAD_PARAMETER');
      requireCompletedPin(ctx);
      return ctx.withPin((pin) => verifyApdu(pin));
    case C.stopEntry:
      ctx.stopEntry();
      return undefined;
    case C.plainMode:
      if (d.length !== 1 || d[0] > 1) fail('PINPAD_PARAMETER');
      if (d[0] === 1 && ctx.entry.active) fail('PINPAD_BUSY');
      ctx.setPlain(d[0] === 1);
      return undefined;
    case C.mac: {
      if (d.length < 2) fail('PINPAD_PARAMETER');
      const slot = ctx.keys.workingKey(d[0], algOf(d[1]));
      return mac(slot.key, slot.alg, d.subarray(2));
    }
    // ---- PIN change extension (docs/pinpad.md) ----
    case C.storeEntry: {
      const slot = decodeStoreEntry(d) ?? fail('PINPAD_PARAMETER');
      requireCompletedPin(ctx);
      ctx.withPin((pin) => ctx.slots.store(slot, pin));
      return undefined;
    }
    case C.checkNewPin:
      if (d.length !== 0) fail('PINPAD_PARAMETER');
      ctx.slots.check();
      return undefined;
    case C.buildChangePin:
      if (d.length !== 0) fail('PINPAD_PARAMETER');
      return ctx.slots.buildChangeApdu();
    case C.clearSlots:
      if (d.length !== 0) fail('PINPAD_PARAMETER');
      ctx.slots.clear();
      return undefined;
    default:
      return fail('PINPAD_UNDEFINED_COMMAND');
  }
}
