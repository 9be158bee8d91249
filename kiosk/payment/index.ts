import { join } from 'node:path';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { MedicalAccountApi, SocialSecurityBackend } from '../backend/interface.js';
import type { KioskConfig } from '../config/schema.js';
import { ConfigError } from '../config/load.js';
import type { HospitalInformationSystem } from '../his/interface.js';
import type { Journal } from '../journal/journal.js';
import { trackPending } from '../pending.js';
import type { SimWorld } from '../sim/world.js';
import { PaymentEngine } from './engine.js';
import { createGatewayClient } from './gateway-client.js';
import type { PaymentGateway } from './gateway.js';
import { createMedicalAccountGateway, type MedicalAccountGateway } from './medical-gateway.js';
import { PaymentStore } from './store.js';
import type { Funding, PaymentOutcome, RegistrationOrder } from './types.js';

export { PaymentEngine } from './engine.js';
export { PaymentStore } from './store.js';
export type { PaymentGateway } from './gateway.js';
export { createMedicalAccountGateway, type MedicalAccountGateway } from './medical-gateway.js';
export { PERMANENT_REGISTRATION, RegistrationUnavailableError, type Poster, type Posters } from './posters.js';
export type { AnyPaymentRecord, Funding, PaymentMethod, PaymentOutcome, RegistrationOrder } from './types.js';

export interface Payments {
  /** The one engine: premiums (bank), registration fees (bank or medical account). Its start() recovers both sources. */
  engine: PaymentEngine;
  store: PaymentStore;
  /** The card's bank. */
  gateway: PaymentGateway;
  /** The medical insurance personal account, through the backend client. */
  medicalAccount: MedicalAccountGateway;
  /** A registration fee; `engine.payRegistration` (REGISTRATION_UNAVAILABLE without an HIS). */
  payRegistration(order: RegistrationOrder, funding: Funding): Promise<PaymentOutcome>;
  /** The fee of a registration cancelled at the HIS goes back (engine.refundRegistration). */
  refundRegistration(txnId: string): Promise<'refunded' | 'pending' | 'not-found'>;
  /** Bank requests in flight (the scenario runner holds virtual time while one is). Medical-account calls are the backend client's. */
  pending: { readonly count: number };
  close(): void;
}

/**
 * The payment side of the host: the write-ahead store beside the journal, the bank gateway (the
 * embedded bank in sim mode unless a URL is configured), the medical account (through the backend
 * client) and the engine with its recovery loop. `his` (the hospital profile's HIS client) enables
 * registration fees: posting is his.register, a refund releases the hold.
 */
export async function createPayments(deps: {
  config: KioskConfig;
  dataDir: string;
  world?: SimWorld;
  clock: Clock;
  logger: Logger;
  journal: Journal;
  backend: SocialSecurityBackend & MedicalAccountApi;
  his?: Pick<HospitalInformationSystem, 'register' | 'release'>;
}): Promise<Payments> {
  const { config, world, clock, logger } = deps;
  let url = config.bank.url;
  if (!url && world) {
    const bank = await world.startBank({ dbFile: join(deps.dataDir, 'embedded-bank.sqlite'), logger: logger.child({ mod: 'embedded-bank' }) });
    url = bank.url;
  }
  if (!url) throw new ConfigError('bank.url is required on real devices (no embedded bank outside sim mode)');
  const client = createGatewayClient({
    baseUrl: url,
    timeoutMs: config.bank.timeoutMs,
    clock,
    logger: logger.child({ mod: 'bank' }),
    ...(config.bank.tls ? { tls: config.bank.tls } : {}),
  });
  const { proxy: gateway, pending } = trackPending(client);
  const medicalAccount = createMedicalAccountGateway(deps.backend);
  const store = new PaymentStore(join(deps.dataDir, 'payments.sqlite'), clock);
  const engine = new PaymentEngine({
    store,
    journal: deps.journal,
    gateway,
    medicalAccount,
    backend: deps.backend,
    ...(deps.his ? { his: deps.his } : {}),
    clock,
    logger: logger.child({ mod: 'payment' }),
    terminalId: config.terminalId,
    retryMs: config.payment.retryMs,
  });
  return {
    engine,
    store,
    gateway,
    medicalAccount,
    payRegistration: (order, funding) => engine.payRegistration(order, funding),
    refundRegistration: (txnId) => engine.refundRegistration(txnId),
    pending,
    close() {
      engine.stop();
      gateway.close();
      store.close();
    },
  };
}
