/**
 * A tapped card: the channel over the reader's contactless antenna, and the short read a
 * turnstile needs (who the card is and until when it is valid) — five APDUs instead of the
 * kiosk's fifteen, because a gate has about 300 ms for everything.
 */
import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import { EF05 } from './apdu.js';
import { bcdDate, unpackBcd } from './bcd.js';
import { CardError, errorCodeOf } from './card-error.js';
import type { CardInfo } from './card-info.js';
import type { CardChannel } from './channel.js';
import { algorithmFromFci, readAll, selectFile, selectSsse } from './read-card.js';
import { decodeAn } from './text.js';

/** What a gate knows of a tapped card; enough for the blacklist, validity and genuineness. */
export type TransitIdentity = Pick<CardInfo, 'cardIdCode' | 'regionCode' | 'expiryDate' | 'cardNumber' | 'generation' | 'algorithm' | 'specVersion'>;

/**
 * The reader's contactless commands as a card channel for a card the antenna has already
 * activated. A card that leaves the field mid-dialogue answers "no card in the field": to the
 * card layer that is a card removed, so the citizen is told to tap again.
 */
export function contactlessChannel(reader: Pick<CardReader, 'contactlessTransmit'>, activated: ContactlessCard): CardChannel {
  return {
    powerOn: async () => activated.ats,
    transmit: async (apdu) => {
      try {
        return await reader.contactlessTransmit(apdu);
      } catch (err) {
        const code = errorCodeOf(err);
        if (code === 'READER_NO_CONTACTLESS' || code === 'READER_CONTACTLESS_COMM') {
          throw new CardError('CARD_REMOVED', 'the card left the antenna field', { cause: err });
        }
        throw err;
      }
    },
  };
}

export async function readTransitIdentity(channel: CardChannel): Promise<TransitIdentity> {
  const fci = await selectSsse(channel);
  await selectFile(channel, EF05);
  const card = await readAll(channel, [0x01, 0x06, 0x07]);
  const cardIdCode = unpackBcd(card.get(0x01)!);
  if (!/^\d{6}[0-9A-F]{10,}$/.test(cardIdCode)) throw new CardError('CARD_BAD_DATA', 'card identification code does not decode');
  const expiryDate = bcdDate(card.get(0x06)!);
  if (!expiryDate) throw new CardError('CARD_BAD_DATA', 'expiry date is not a date');
  const cardNumber = decodeAn(card.get(0x07)!);
  if (!cardNumber) throw new CardError('CARD_BAD_DATA', 'card number is empty');
  // Only third-generation cards have a contactless interface.
  return {
    cardIdCode,
    regionCode: cardIdCode.slice(0, 6),
    expiryDate,
    cardNumber,
    generation: 3,
    algorithm: algorithmFromFci(fci) ?? 'sm4',
    specVersion: '3.00',
  };
}
