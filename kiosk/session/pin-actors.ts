import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { presentPinCommand } from '../card/pin.js';
import type { CapturePinInput, VerifyPinInput } from '../../flows/session/types.js';

export interface PinDeps {
  reader: CardReader;
  pinpad: PinPad;
  entry: { minLength: number; maxLength: number; timeoutSec: number };
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

/**
 * One secure entry on the pad. Leaving the PIN screen (cancel, finish, a fault) aborts the actor;
 * the pad is then told to stop and clear its buffer, so no half-typed PIN stays in it.
 */
async function secureEntry(d: PinDeps, signal: AbortSignal): Promise<void> {
  const stop = () => void d.pinpad.stopEntry().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    await d.pinpad.startPinEntry({ ...d.entry, autoEnd: false });
    await d.pinpad.waitForEntry();
  } catch (e) {
    throw translate(e);
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (signal.aborted) throw new PinFlowError('PIN_CANCELLED', 'PIN entry abandoned');
}

export function pinActors(d: PinDeps) {
  return {
    verifyPin: fromPromise(async ({ signal }: { input: VerifyPinInput; signal: AbortSignal }) => {
      await secureEntry(d, signal);
      // Offline PIN: the pad builds the VERIFY command; the host only carries it to the card.
      const apdu = await d.pinpad.buildVerifyApdu();
      await presentPinCommand(d.reader, apdu);
    }),
    capturePin: fromPromise(async ({ input, signal }: { input: CapturePinInput; signal: AbortSignal }) => {
      await secureEntry(d, signal);
      const slot = input.phase === 'old' ? 1 : input.phase === 'new' ? 2 : 3;
      try {
        await d.pinpad.storeEntry(slot);
        if (input.phase === 'confirm') await d.pinpad.checkNewPin();
      } catch (e) {
        throw translate(e);
      }
    }),
    applyPinChange: fromPromise(async () => {
      const apdu = await d.pinpad.buildChangePinApdu();
      await presentPinCommand(d.reader, apdu);
    }),
  };
}
