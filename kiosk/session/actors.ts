import { randomBytes } from 'node:crypto';
import { fromPromise } from 'xstate';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId, maskName } from '../../drivers/common/mask.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { CardInfo } from '../card/card-info.js';
import { checkValidity, readCardInfo } from '../card/index.js';
import type { Journal } from '../journal/journal.js';

export interface SessionDeps {
  reader: CardReader;
  /** Resolves once the reader was opened (or failed to open). */
  ready(): Promise<void>;
  journal: Journal;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  /** Holder of the card inside, for the journal entry of a retained card. */
  currentHolder(): CardInfo | undefined;
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
    readCard: fromPromise(async (): Promise<CardInfo> => {
      const info = await readCardInfo(d.reader);
      checkValidity(info, new Date(d.clock.now()));
      d.logger.info({ ssn: maskId(info.ssn), name: maskName(info.name), cardNumber: info.cardNumber }, 'card read');
      return info;
    }),
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
    recoverReader: fromPromise(async () => {
      await d.reader.getSensors();
    }),
  };
}
