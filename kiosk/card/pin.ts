import { YktError } from '../../drivers/common/errors.js';
import { splitSw } from './apdu.js';
import { cardSwError, mapCardChannelError } from './card-error.js';
import type { ApduPort } from './channel.js';

export type PinErrorCode = 'PIN_WRONG' | 'PIN_LOCKED';

/** The card refused a PIN: wrong (with the tries it has left) or locked. */
export class PinError extends YktError {
  declare readonly code: PinErrorCode;
  constructor(
    code: PinErrorCode,
    message: string,
    readonly triesLeft: number,
  ) {
    super(code, message);
  }
}

/**
 * Hands an opaque PIN command built by the PIN pad (VERIFY or CHANGE PIN) to the card and maps the
 * answer. The buffer is zeroed as soon as it has been sent, whatever happens: the digits must not
 * linger in the host's memory longer than the transmit itself.
 */
export async function presentPinCommand(card: ApduPort, command: Uint8Array): Promise<void> {
  let rapdu: Uint8Array;
  try {
    rapdu = await card.transmit(command);
  } catch (e) {
    throw mapCardChannelError(e);
  } finally {
    command.fill(0);
  }
  const { sw } = splitSw(rapdu);
  if (sw === 0x9000) return;
  if ((sw & 0xfff0) === 0x63c0) {
    const left = sw & 0x0f;
    if (left === 0) throw new PinError('PIN_LOCKED', 'PIN locked: no tries left', 0);
    throw new PinError('PIN_WRONG', `wrong PIN, ${left} tries left`, left);
  }
  if (sw === 0x6983 || sw === 0x6984) throw new PinError('PIN_LOCKED', 'PIN locked', 0);
  throw cardSwError(sw, 'PIN command');
}
