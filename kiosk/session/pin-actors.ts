import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { presentPinCommand } from '../card/pin.js';
import type { CapturePinInput, VerifyPinInput } from '../../flows/session/types.js';
import { presentPinByTap, type TapPinDeps } from './tap-pin.js';

export interface PinDeps {
  reader: CardReader;
  pinpad: PinPad;
  entry: { minLength: number; maxLength: number; timeoutSec: number };
  /** Tap sessions: the card is held to the antenna again for the VERIFY (kiosk/session/tap-pin.ts). */
  tap?: Omit<TapPinDeps, 'reader' | 'pinpad'>;
}

/** Flow-level PIN outcomes: the machine never sees pad or card codes it would have to translate. */
export class PinFlowError extends YktError {
  constructor(
    code: string,
    message: string,
    readonly extra: { triesLeft?: number; reason?: string } = {},
  ) {
    super(code, message);
    Object.assign(this, extra);
  }
}

const PAD_TO_FLOW: Record<string, string> = {
  PINPAD_CANCELLED: 'PIN_CANCELLED',
  PINPAD_TIMEOUT: 'PIN_TIMEOUT',
  PINPAD_PIN_MISMATCH: 'PIN_MISMATCH',
  PINPAD_PIN_WEAK: 'PIN_WEAK',
};

function translate(e: unknown): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && PAD_TO_FLOW[code]) {
    return new PinFlowError(PAD_TO_FLOW[code]!, (e as Error).message, { reason: (e as { reason?: string }).reason });
  }
  return e;
}

const abandoned = () => new PinFlowError('PIN_CANCELLED', 'PIN entry abandoned');

/**
 * Ends the entry and wipes the pad's PIN buffer and PIN change slots (37). A completed PIN stays in
 * the pad until this (docs/pinpad.md), so every path that is done with a PIN calls it. Awaited while
 * the pad answers, so the PIN is gone before the flow moves on; a pad that is unplugged or faulty is
 * not waited for (its retries would only delay the citizen): it lost its buffer with its power, and
 * the host resets it when it comes back. Never throws: the outcome the flow needs is the original one.
 */
export async function clearPad(pad: PinPad): Promise<void> {
  const stop = pad.stopEntry().catch(() => undefined);
  if (pad.status.state === 'ok') await stop;
}

/**
 * One secure entry on the pad. Leaving the PIN screen (cancel, finish, a fault) aborts the actor;
 * the pad is then told to stop and clear its buffer, so no half-typed PIN stays in it.
 */
export async function secureEntry(d: PinDeps, signal: AbortSignal): Promise<void> {
  const stop = () => void clearPad(d.pinpad);
  signal.addEventListener('abort', stop, { once: true });
  try {
    await d.pinpad.startPinEntry({ ...d.entry, autoEnd: false });
    await d.pinpad.waitForEntry();
  } catch (e) {
    throw translate(e);
  } finally {
    signal.removeEventListener('abort', stop);
  }
  // Aborted after the entry completed: the listener above has already sent the stop.
  if (signal.aborted) throw abandoned();
}

export function pinActors(d: PinDeps) {
  return {
    verifyPin: fromPromise(async ({ input, signal }: { input: VerifyPinInput; signal: AbortSignal }) => {
      await secureEntry(d, signal);
      try {
        if (input?.tap) {
          // Tap session: the card is not in the slot. The PIN stays in the pad until the card is
          // held to the antenna again; only then is the VERIFY built and sent.
          if (!d.tap) throw new YktError('CARD_REMOVED', 'no contactless reader configured for the PIN');
          await presentPinByTap({ ...d.tap, reader: d.reader, pinpad: d.pinpad }, signal);
          return;
        }
        // Offline PIN: the pad builds the VERIFY command; the host only carries it to the card.
        const apdu = await d.pinpad.buildVerifyApdu();
        if (signal.aborted) {
          // The citizen left (finish, card pulled) while the pad built it: do not spend one of the
          // card's tries on a PIN nobody is waiting for.
          apdu.fill(0);
          throw abandoned();
        }
        await presentPinCommand(d.reader, apdu);
      } finally {
        // Right or wrong, this PIN has been used: it must not stay in the pad for the rest of the visit.
        await clearPad(d.pinpad);
      }
    }),
    capturePin: fromPromise(async ({ input, signal }: { input: CapturePinInput; signal: AbortSignal }) => {
      await secureEntry(d, signal);
      const slot = input.phase === 'old' ? 1 : input.phase === 'new' ? 2 : 3;
      // The journey keeps its entries in the pad's slots (no stop between phases); a journey
      // abandoned while they are being stored or checked must still wipe them.
      const stop = () => void clearPad(d.pinpad);
      signal.addEventListener('abort', stop, { once: true });
      try {
        await d.pinpad.storeEntry(slot);
        if (input.phase === 'confirm') await d.pinpad.checkNewPin();
      } catch (e) {
        throw translate(e);
      } finally {
        signal.removeEventListener('abort', stop);
      }
      if (signal.aborted) throw abandoned();
    }),
    applyPinChange: fromPromise(async () => {
      try {
        const apdu = await d.pinpad.buildChangePinApdu();
        await presentPinCommand(d.reader, apdu);
      } finally {
        // The pad clears its slots once it built the APDU, but its PIN buffer still holds the last
        // entry (the new PIN, confirmed); a failed build leaves the slots filled.
        await clearPad(d.pinpad);
      }
    }),
  };
}
