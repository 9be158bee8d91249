import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { Printer } from '../../drivers/printer/interface.js';
import { HOLD_STATES } from '../../flows/session/register.js';
import type { SessionSnapshot } from '../../flows/session/index.js';
import type { KioskConfig } from '../config/schema.js';
import type { HospitalInformationSystem } from '../his/interface.js';
import type { Journal } from '../journal/journal.js';
import type { Payments } from '../payment/index.js';
import { hospitalActors } from './hospital-actors.js';
import type { BankPinStore } from './pay-actors.js';

/** The hospital profile's actors bound to this host's payments, printer and session. */
export function hospitalFor(d: {
  his: HospitalInformationSystem;
  payments: Payments;
  bank: BankPinStore;
  printer?: Printer;
  journal: Journal;
  logger: Logger;
  config: KioskConfig;
  clock: Clock;
  session(): SessionSnapshot | undefined;
}) {
  return hospitalActors({
    his: d.his,
    payer: d.payments,
    // A cancelled registration paid here is refunded through the source that paid it; one paid
    // elsewhere (not-found here) is refunded at the cashier.
    refunder: {
      refundRegistration: async ({ payment }) => {
        const r = await d.payments.refundRegistration(payment.txnId);
        if (r === 'not-found') throw Object.assign(new Error('paid elsewhere'), { code: 'REFUND_AT_COUNTER' });
        return { status: r };
      },
    },
    bank: d.bank,
    ...(d.printer ? { printer: d.printer } : {}),
    journal: d.journal,
    logger: d.logger.child({ mod: 'hospital' }),
    terminalId: d.config.terminalId,
    hospital: d.config.hospital,
    now: () => d.clock.now(),
    currentHolder: () => d.session()?.context.holder,
    lang: () => d.session()?.context.lang ?? d.config.lang,
    holdInUse: () => {
      const snap = d.session();
      return !!snap && HOLD_STATES.some((s) => snap.matches(s));
    },
  });
}
