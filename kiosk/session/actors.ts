import { mapPsamPowerError } from '../card/psam-power.js';
import { randomBytes } from 'node:crypto';
import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId, maskName } from '../../drivers/common/mask.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { CardInfo } from '../card/card-info.js';
import { authenticateCard, checkValidity, readCardInfo, type CardChannel } from '../card/index.js';
import type { Journal } from '../journal/journal.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Blacklist } from '../blacklist/blacklist.js';
import { checkCardStatus } from './card-status.js';

export interface SessionDeps {
  reader: CardReader;
  /** Resolves once the reader was opened (or failed to open). */
  ready(): Promise<void>;
  journal: Journal;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  psamSlot: number;
  backend: SocialSecurityBackend;
  blacklist: Blacklist;
  /** Holder of the card inside, for the journal entry of a retained card. */
  currentHolder(): CardInfo | undefined;
  /** Whether the holder has a payment receipt to print again (menu 补打凭证). */
  reprintable?(ssn: string): boolean;
  /** Hospital: whether the holder has a registration slip to print again (menu 补打挂号凭条). */
  slipReprintable?(ssn: string): boolean;
  /**
   * Waits until the visit holds the reader (the local reader API may be in the middle of one call
   * for the hospital's software: docs/reader-api.md). Absent: the kiosk is the reader's only user.
   */
  beforeCardUse?(): Promise<void>;
}

/**
 * The session machine's invoked actors, bound to real drivers. They hold the device I/O so the
 * machine itself stays pure and testable.
 */
export function sessionActors(d: SessionDeps) {
  return {
    prepareReader: fromPromise(async () => {
      await d.ready();
      const s = await d.reader.initialize('keep');
      return { position: s.position };
    }),
    enableInsertion: fromPromise(async () => {
      await d.reader.enableInsertion();
    }),
    readCard: fromPromise(async (): Promise<CardInfo> => readAndAuthenticate(d, d.reader, 'card')),
    ejectCard: fromPromise(async () => {
      await d.reader.eject();
    }),
    retainCard: fromPromise(async ({ input }: { input: { reason: string } }) => {
      const holder = d.currentHolder();
      const data = {
        reason: input.reason,
        terminalId: d.terminalId,
        cardNumber: holder?.cardNumber,
        ssn: holder?.ssn,
        name: holder?.name,
        ref: randomBytes(4).toString('hex').toUpperCase(),
      };
      try {
        await d.reader.retain();
      } catch (e) {
        d.journal.append('card-retained', 'failed', { ...data, error: (e as Error).message });
        throw e;
      }
      d.journal.append('card-retained', 'retained', data);
      d.logger.warn({ reason: input.reason, ref: data.ref }, 'card retained');
    }),
    checkCardStatus: fromPromise(async ({ input }: { input: { holder: CardInfo } }) => {
      const r = await checkCardStatus(input.holder, { blacklist: d.blacklist, backend: d.backend, logger: d.logger });
      const ssn = input.holder.ssn;
      return { ...r, ...(d.reprintable?.(ssn) ? { reprintable: true } : {}), ...(d.slipReprintable?.(ssn) ? { slipReprintable: true } : {}) };
    }),
    reportLoss: fromPromise(async () => {
      const h = requireHolder(d);
      const requestId = `${d.terminalId}-${randomBytes(8).toString('hex')}`;
      const r = await d.backend.reportLoss({ ssn: h.ssn, cardNumber: h.cardNumber, kind: 'formal', terminalId: d.terminalId, requestId });
      d.journal.append('loss-report', 'reported', { terminalId: d.terminalId, ref: r.ref, cardNumber: h.cardNumber, ssn: h.ssn });
      return { ref: r.ref };
    }),
    liftLoss: fromPromise(async () => {
      const h = requireHolder(d);
      const requestId = `${d.terminalId}-${randomBytes(8).toString('hex')}`;
      const r = await d.backend.liftLoss({ ssn: h.ssn, cardNumber: h.cardNumber, terminalId: d.terminalId, requestId });
      d.journal.append('loss-report', 'lifted', { terminalId: d.terminalId, ref: r.ref, cardNumber: h.cardNumber, ssn: h.ssn });
      return { ref: r.ref };
    }),
    recoverReader: fromPromise(async () => {
      await d.reader.getSensors();
    }),
  };
}

/**
 * The full read, the validity check and 卡认证 (the PSAM checks the card's internal
 * authentication) before anything is served: over the slot's contacts or the antenna alike.
 * Powering the PSAM each time costs one short exchange and survives a reader reset.
 */
export async function readAndAuthenticate(
  d: Pick<SessionDeps, 'reader' | 'clock' | 'psamSlot' | 'journal' | 'terminalId' | 'logger' | 'beforeCardUse'>,
  channel: CardChannel,
  via: 'card' | 'tap',
): Promise<CardInfo> {
  await d.beforeCardUse?.();
  const info = await readCardInfo(channel);
  checkValidity(info, new Date(d.clock.now()));
  await d.reader.psamPowerOn(d.psamSlot).catch((e: unknown) => {
    throw mapPsamPowerError(e);
  });
  try {
    await authenticateCard(channel, { transmit: (a) => d.reader.psamTransmit(d.psamSlot, a) }, info);
  } catch (e) {
    if ((e as { code?: string }).code === 'CARD_NOT_GENUINE') {
      d.journal.append('card-refused', 'not-genuine', {
        terminalId: d.terminalId,
        ...(via === 'tap' ? { via } : {}),
        cardNumber: info.cardNumber,
        cardIdCode: info.cardIdCode,
        ssn: info.ssn,
      });
    }
    throw e;
  }
  d.logger.info({ ssn: maskId(info.ssn), name: maskName(info.name), cardNumber: info.cardNumber, via }, 'card read');
  return info;
}

function requireHolder(d: SessionDeps): CardInfo {
  const h = d.currentHolder();
  if (!h) throw new YktError('NO_HOLDER', 'no card has been read in this session');
  return h;
}

