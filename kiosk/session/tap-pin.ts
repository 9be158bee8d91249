/**
 * The offline PIN of a tap session. The card was read from the antenna and is back in the
 * citizen's hand, so once the PIN is keyed the screen asks them to hold it to the reader again
 * ("按确认后，请将社保卡贴近感应区"): the antenna is polled until it is there (at most
 * session.tapPinWaitMs), the card is checked to be the one read at the start of the visit, and
 * only then does the pad build the VERIFY, which goes to the card over the antenna.
 *
 * So the PIN stays in the pad (not in the host) while the host waits, and the VERIFY APDU still
 * lives for one exchange (docs/security.md). A card that never comes back is CARD_REMOVED: nothing
 * was sent, no try of the card is used.
 */
import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { Clock } from '../../drivers/common/clock.js';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { CardError, errorCodeOf } from '../card/card-error.js';
import { contactlessChannel, readTransitIdentity } from '../card/contactless.js';
import { presentPinCommand } from '../card/pin.js';

export interface TapPinDeps {
  reader: Pick<CardReader, 'contactlessActivate' | 'contactlessTransmit' | 'contactlessDeactivate'>;
  pinpad: Pick<PinPad, 'buildVerifyApdu'>;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the card to be held to the antenna again (session.tapPinWaitMs). */
  waitMs: number;
  /** Antenna poll interval while waiting (the reader's protocol: every 150 ms). */
  pollMs?: number;
  /** The card identification code of the card read at the start of the visit. */
  cardIdCode(): string | undefined;
}

/** Answers of an antenna poll that mean "no card (yet)", not a reader fault. */
const NO_CARD = new Set(['READER_NO_CONTACTLESS', 'READER_CONTACTLESS_COMM']);

const abandoned = () => new YktError('PIN_CANCELLED', 'PIN entry abandoned');

function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits for this visit's card on the antenna; resolves with it activated and its social security
 * application selected (a re-activation resets the card, and the PIN belongs to that application).
 * Another card (or one that does not read) is let go and the wait goes on.
 */
async function waitForCard(d: TapPinDeps, signal: AbortSignal): Promise<ContactlessCard> {
  const until = d.clock.now() + d.waitMs;
  const wanted = d.cardIdCode();
  for (;;) {
    if (signal.aborted) throw abandoned();
    let card: ContactlessCard | undefined;
    try {
      card = await d.reader.contactlessActivate();
    } catch (e) {
      if (!NO_CARD.has(errorCodeOf(e) ?? '')) throw e;
    }
    if (card) {
      try {
        const id = await readTransitIdentity(contactlessChannel(d.reader, card));
        if (id.cardIdCode === wanted) return card;
        d.logger.info('another card was held to the reader for the PIN; still waiting');
      } catch (e) {
        d.logger.debug({ code: errorCodeOf(e) }, 'card on the antenna did not identify; still waiting');
      }
      await d.reader.contactlessDeactivate().catch(() => undefined);
    }
    if (signal.aborted) throw abandoned();
    if (d.clock.now() >= until) throw new CardError('CARD_REMOVED', 'the card was not held to the reader again for the PIN');
    await pause(d.clock, d.pollMs ?? 150, signal);
  }
}

/** The offline PIN over the antenna. Rejects like presentPinCommand, CARD_REMOVED, PIN_CANCELLED (aborted). */
export async function presentPinByTap(d: TapPinDeps, signal: AbortSignal): Promise<void> {
  const card = await waitForCard(d, signal);
  try {
    const apdu = await d.pinpad.buildVerifyApdu();
    if (signal.aborted) {
      apdu.fill(0);
      throw abandoned();
    }
    await presentPinCommand(contactlessChannel(d.reader, card), apdu);
  } finally {
    await d.reader.contactlessDeactivate().catch(() => undefined);
  }
}
