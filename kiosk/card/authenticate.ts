/**
 * Internal authentication (卡认证): proves the card was personalized with the issuer's keys.
 * The host picks the random itself (no GET CHALLENGE), the card encrypts it under its
 * diversified key, the PSAM derives the same key from the master and encrypts the same random;
 * equal cryptograms mean a genuine card. Scheme and PSAM commands: docs/card-application.md.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  PSAM_AID,
  PSAM_KEY_INTERNAL_AUTH,
  internalAuthenticate,
  psamDiversify,
  psamEncrypt,
  selectByName,
} from './apdu.js';
import { CardError, cardSwError, mapCardChannelError, mapPsamChannelError, swHex } from './card-error.js';
import type { CardInfo } from './card-info.js';
import { type ApduPort, type CardChannel, exchange } from './channel.js';
import { selectSsse } from './read-card.js';

/** Algorithm identifiers as the FCI and the PSAM's P2 use them. */
const ALGORITHM_ID = { '3des': 0x01, sm4: 0x04 } as const;

/**
 * The 8-byte diversification factor: the rightmost 16 hex digits of the card identification
 * code. Deliberately not imported from the simulator: host and card are separate parties that
 * agree on the scheme, and the host must not link simulator code (or its test keys).
 */
export function diversificationFactor(cardIdCode: string): Uint8Array {
  if (!/^[0-9A-Fa-f]{16,}$/.test(cardIdCode)) {
    throw new CardError('CARD_BAD_DATA', 'card identification code too short for a diversification factor');
  }
  return new Uint8Array(Buffer.from(cardIdCode.slice(-16), 'hex'));
}

async function psamCommand(psam: ApduPort, command: Uint8Array, what: string): Promise<Uint8Array> {
  const r = await exchange(psam, command, mapPsamChannelError);
  if (r.sw !== 0x9000) throw new CardError('PSAM_FAILED', `PSAM ${what} answered ${swHex(r.sw)}`, { sw: r.sw });
  return r.data;
}

export interface AuthenticateOptions {
  /** The host's random (tests make it fixed); 8 bytes. */
  random?: Uint8Array;
}

export async function authenticateCard(
  channel: CardChannel,
  psam: ApduPort,
  info: Pick<CardInfo, 'cardIdCode' | 'algorithm' | 'generation' | 'specVersion'>,
  options: AuthenticateOptions = {},
): Promise<void> {
  const factor = diversificationFactor(info.cardIdCode);
  const algorithm = info.algorithm ?? (info.generation === 3 || info.specVersion.startsWith('3') ? 'sm4' : '3des');
  const random = options.random ?? new Uint8Array(randomBytes(8));

  // PSAM first: without one there is no point in asking the card.
  await psamCommand(psam, selectByName(PSAM_AID), 'SELECT');
  await psamCommand(psam, psamDiversify(PSAM_KEY_INTERNAL_AUTH, ALGORITHM_ID[algorithm], factor), 'diversify');

  // Re-select SSSE: a flow may have visited another application (UnionPay) since the read.
  await selectSsse(channel);
  const card = await exchange(channel, internalAuthenticate(factor, random), mapCardChannelError);
  if (card.sw !== 0x9000) throw cardSwError(card.sw, 'INTERNAL AUTHENTICATE');

  const expected = await psamCommand(psam, psamEncrypt(random), 'encrypt');
  if (expected.length !== 8) throw new CardError('PSAM_FAILED', `PSAM returned a ${expected.length}-byte cryptogram`);
  if (card.data.length !== 8 || !timingSafeEqual(card.data, expected)) {
    throw new CardError('CARD_NOT_GENUINE', 'internal authentication failed: the card is not genuine');
  }
}
