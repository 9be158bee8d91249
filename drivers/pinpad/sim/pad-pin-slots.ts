/**
 * The simulated pad's PIN change slots (extension commands 3A..3D, docs/pinpad.md): three copies of
 * completed entries (1 old, 2 new, 3 confirm), the new-PIN rules, and the CHANGE PIN APDU. Like the
 * PIN buffer, the digits live here only (one digit per byte) and never leave except inside the APDU.
 */
import type { PinSlot } from '../codec.js';
import { changePinApdu } from '../crypto.js';
import { PinPadError, type WeakPinReason } from '../errors.js';

export const DEFAULT_INITIAL_PIN = '123456';

/**
 * Why `next` may not become the PIN, in the order the pad checks: the configured initial PIN, the
 * old PIN again, one digit repeated (000000, 111111), an ascending or descending run without
 * wrap-around (123456, 234567, 654321; 890123 is allowed). Undefined when the PIN is acceptable.
 */
export function weakPinReason(next: ArrayLike<number>, opts: { initial: ArrayLike<number>; old?: ArrayLike<number> }): WeakPinReason | undefined {
  if (sameDigits(next, opts.initial)) return 'initial';
  if (opts.old && sameDigits(next, opts.old)) return 'same-as-old';
  if (runOf(next, 0)) return 'repeated';
  if (runOf(next, 1) || runOf(next, -1)) return 'sequence';
  return undefined;
}

function sameDigits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function runOf(d: ArrayLike<number>, step: number): boolean {
  for (let i = 1; i < d.length; i++) if (d[i] - d[i - 1] !== step) return false;
  return d.length > 1;
}

export function pinDigits(pin: string): Uint8Array {
  if (!/^\d{4,12}$/.test(pin)) throw new RangeError('a PIN is 4 to 12 digits');
  return Uint8Array.from(pin, (c) => c.charCodeAt(0) - 0x30);
}

export class PadPinSlots {
  private readonly slots = new Map<PinSlot, Uint8Array>();
  private readonly initial: Uint8Array;

  constructor(initialPin = DEFAULT_INITIAL_PIN) {
    this.initial = pinDigits(initialPin);
  }

  /** Which slots hold an entry (what a panel may show: never the digits). */
  filled(): PinSlot[] {
    return ([1, 2, 3] as const).filter((s) => this.slots.has(s));
  }

  /** Copies a completed entry into `slot`, replacing (and wiping) what was there. */
  store(slot: PinSlot, pin: string): void {
    this.wipe(slot);
    this.slots.set(slot, pinDigits(pin));
  }

  /** Slots 2 and 3 must match and pass the rules; a refusal wipes both (they must be typed again). */
  check(): void {
    const next = this.need(2);
    const confirm = this.need(3);
    let refusal: PinPadError | undefined;
    if (!sameDigits(next, confirm)) refusal = new PinPadError('PINPAD_PIN_MISMATCH');
    else {
      const reason = weakPinReason(next, { initial: this.initial, old: this.slots.get(1) });
      if (reason) refusal = new PinPadError('PINPAD_PIN_WEAK', { reason });
    }
    if (!refusal) return;
    this.wipe(2);
    this.wipe(3);
    throw refusal;
  }

  /** `80 5E 01 00 Lc <old> FF <new>` after the same checks; all slots are cleared once it is built. */
  buildChangeApdu(): Uint8Array {
    const old = this.need(1);
    this.check();
    const apdu = changePinApdu(text(old), text(this.need(2)));
    this.clear();
    return apdu;
  }

  clear(): void {
    for (const s of [...this.slots.keys()]) this.wipe(s);
  }

  private need(slot: PinSlot): Uint8Array {
    return this.slots.get(slot) ?? fail(slot);
  }

  private wipe(slot: PinSlot): void {
    this.slots.get(slot)?.fill(0);
    this.slots.delete(slot);
  }
}

function fail(slot: PinSlot): never {
  throw new PinPadError('PINPAD_SLOT_EMPTY', { message: `PIN slot ${slot} is empty` });
}

/** The crypto helpers take strings; this one lives only for the call, inside the simulated pad. */
function text(d: Uint8Array): string {
  return Array.from(d, (x) => String(x)).join('');
}
