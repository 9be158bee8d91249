/**
 * The kiosk's visits without a card in the slot (docs/flows.md, "Sessions without an inserted
 * card"): a third-generation card tapped on the antenna, read in full and authenticated like an
 * inserted one; or an electronic social security card's code, checked offline and then online,
 * because only the backend knows whose code it is (the code never carries the ssn, docs/ecard.md).
 */
import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { CheckCodeInput } from '../../flows/session/types.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import { CardError } from '../card/card-error.js';
import type { CardInfo } from '../card/card-info.js';
import { contactlessChannel } from '../card/contactless.js';
import { EcardError } from '../ecard/errors.js';
import type { EcardClaims } from '../ecard/format.js';
import type { Journal } from '../journal/journal.js';
import { readAndAuthenticate } from './actors.js';
import { loadLazily } from '../pending.js';

export interface CardlessDeps {
  reader: CardReader;
  clock: Clock;
  logger: Logger;
  journal: Journal;
  terminalId: string;
  psamSlot: number;
  /** See SessionDeps.beforeCardUse. */
  beforeCardUse?(): Promise<void>;
  backend: Pick<SocialSecurityBackend, 'ecardStatus'>;
  ecard: {
    /** false: codes are refused as not accepted here (ECARD_FOREIGN). */
    enabled: boolean;
    publicKeys: Readonly<Record<string, string>>;
    skewMs: number;
    onlineBudgetMs: number;
  };
  /** The card the antenna has just activated (set by the tap poller before TAP is sent). */
  tapped(): ContactlessCard | undefined;
}

/** Error code of a code that was fine offline but whose holder the backend could not give now. */
export const ECARD_OFFLINE = 'ECARD_OFFLINE';

const day = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** The holder of a code session as the session knows a card's: what the code and the backend say, nothing made up. */
export function holderOfCode(claims: EcardClaims, holder: { ssn: string; name: string }): CardInfo {
  const birth = holder.ssn.slice(6, 14);
  return {
    cardIdCode: claims.cid,
    regionCode: claims.cid.slice(0, 6),
    cardType: '',
    specVersion: '',
    issuerCode: '',
    issueDate: '',
    expiryDate: claims.ce ? day(claims.ce) : '',
    cardNumber: claims.cno,
    ssn: holder.ssn,
    name: holder.name,
    sex: 'unknown',
    ethnicity: '',
    birthDate: /^\d{8}$/.test(birth) ? day(birth) : '',
    atrHistorical: '',
  };
}

/**
 * The slot stays open during these visits: a card inserted then starts a card visit (the machine
 * reads it, checks it and asks its PIN), e.g. for a service that needs the card in the slot.
 */
export function cardlessActors(d: CardlessDeps) {
  return {
    readTapped: fromPromise(async (): Promise<CardInfo> => {
      const card = d.tapped();
      try {
        if (!card) throw new CardError('CARD_REMOVED', 'no card was activated on the antenna');
        return await readAndAuthenticate(d, contactlessChannel(d.reader, card), 'tap');
      } finally {
        await d.reader.contactlessDeactivate().catch(() => undefined);
      }
    }),

    checkCode: fromPromise(async ({ input }: { input: CheckCodeInput }): Promise<CardInfo> => {
      if (!d.ecard.enabled) throw new EcardError('ECARD_FOREIGN', 'e-card codes are not accepted on this terminal');
      // Loaded at the first scan: an idle kiosk does not carry the code check's schemas and keys.
      const { checkEcardCode } = await loadLazily(() => import('../ecard/check.js'));
      const r = await checkEcardCode(input.text, {
        publicKeys: d.ecard.publicKeys,
        skewMs: d.ecard.skewMs,
        clock: d.clock,
        backend: d.backend,
        onlineBudgetMs: d.ecard.onlineBudgetMs,
      });
      if (!r.ok) {
        // Logged by jti and card identifiers, never the code's text.
        d.journal.append('card-refused', 'code', {
          terminalId: d.terminalId,
          via: 'code',
          reason: r.error.code,
          ...(r.claims ? { jti: r.claims.jti, cardIdCode: r.claims.cid, cardNumber: r.claims.cno } : {}),
        });
        d.logger.info({ code: r.error.code, jti: r.claims?.jti }, 'e-card code refused');
        throw r.error;
      }
      if (r.online !== 'checked') {
        // Genuine offline, but only the backend knows whose it is: a kiosk cannot serve it now.
        d.logger.warn({ jti: r.claims.jti, online: r.online, err: r.onlineError }, 'e-card code: backend unavailable');
        throw new YktError(ECARD_OFFLINE, `the backend did not confirm code ${r.claims.jti} (${r.onlineError ?? r.online})`);
      }
      d.logger.info({ jti: r.claims.jti, cardNumber: r.claims.cno }, 'e-card code accepted');
      return holderOfCode(r.claims, r.holder);
    }),
  };
}
