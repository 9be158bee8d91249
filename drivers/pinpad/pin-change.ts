/**
 * Host side of the PIN change extension (commands 3A..3D, docs/pinpad.md). Kept out of driver.ts so
 * it stays small; the driver delegates to it and lends it its command round trip.
 *
 * The host never sees a PIN here either: it names slots, learns "ok / mismatch / weak (reason) /
 * slot empty", and receives the CHANGE PIN APDU as opaque bytes for the card reader.
 */
import { encodeStoreEntry, isPinSlot, type PinPadCommandName, type PinSlot } from './codec.js';
import { PinPadError } from './errors.js';

export interface PinChangeHost {
  /** One round trip; resolves with a fresh copy of the reply DATA, rejects with the pad's refusal. */
  exec(name: PinPadCommandName, data?: Uint8Array): Promise<Uint8Array>;
  /** Refuses early after a cancelled / timed-out entry (same codes as getPinBlock). */
  checkUsable(command: string): void;
}

/** CLA INS P1 P2 of CHANGE PIN (ssc-card.md). */
const CHANGE_PIN_HEADER = [0x80, 0x5e, 0x01, 0x00] as const;
/** Two 4-digit PINs: 2 + FF + 2. */
const MIN_CHANGE_PIN_LC = 5;

export class PinChangeCommands {
  constructor(private readonly host: PinChangeHost) {}

  async storeEntry(slot: PinSlot): Promise<void> {
    if (!isPinSlot(slot)) throw new PinPadError('PINPAD_PARAMETER', { command: 'storeEntry', message: `PIN slot must be 1..3, got ${String(slot)}` });
    this.host.checkUsable('storeEntry');
    await this.expectEmpty('storeEntry', encodeStoreEntry(slot));
  }

  async checkNewPin(): Promise<void> {
    await this.expectEmpty('checkNewPin');
  }

  async buildChangePinApdu(): Promise<Uint8Array> {
    const apdu = await this.host.exec('buildChangePin');
    const wellFormed =
      apdu.length >= 5 + MIN_CHANGE_PIN_LC && CHANGE_PIN_HEADER.every((b, i) => apdu[i] === b) && apdu[4] === apdu.length - 5 && apdu.includes(0xff, 5);
    if (!wellFormed) {
      apdu.fill(0);
      throw new PinPadError('PINPAD_BAD_ANSWER', { command: 'buildChangePin' });
    }
    return apdu;
  }

  async clearSlots(): Promise<void> {
    await this.expectEmpty('clearSlots');
  }

  private async expectEmpty(name: PinPadCommandName, data?: Uint8Array): Promise<void> {
    const out = await this.host.exec(name, data);
    if (out.length !== 0) {
      out.fill(0);
      throw new PinPadError('PINPAD_BAD_ANSWER', { command: name });
    }
  }
}
