import { join } from 'node:path';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { KioskConfig } from '../config/schema.js';
import { ConfigError } from '../config/load.js';
import type { Journal } from '../journal/journal.js';
import { trackPending } from '../pending.js';
import type { SimWorld } from '../sim/world.js';
import { PaymentEngine } from './engine.js';
import { createGatewayClient } from './gateway-client.js';
import type { PaymentGateway } from './gateway.js';
import { PaymentStore } from './store.js';

export { PaymentEngine } from './engine.js';
export { PaymentStore } from './store.js';
export type { PaymentGateway } from './gateway.js';

export interface Payments {
  engine: PaymentEngine;
  store: PaymentStore;
  gateway: PaymentGateway;
  /** Bank requests in flight (the scenario runner holds virtual time while one is). */
  pending: { readonly count: number };
  close(): void;
}

/**
 * The payment side of the host: the write-ahead store beside the journal, the bank gateway (the
 * embedded bank in sim mode unless a URL is configured) and the engine with its recovery loop.
 */
export async function createPayments(deps: {
  config: KioskConfig;
  dataDir: string;
  world?: SimWorld;
  clock: Clock;
  logger: Logger;
  journal: Journal;
  backend: SocialSecurityBackend;
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
  const store = new PaymentStore(join(deps.dataDir, 'payments.sqlite'), clock);
  const engine = new PaymentEngine({
    store,
    journal: deps.journal,
    gateway,
    backend: deps.backend,
    clock,
    logger: logger.child({ mod: 'payment' }),
    terminalId: config.terminalId,
    retryMs: config.payment.retryMs,
  });
  return {
    engine,
    store,
    gateway,
    pending,
    close() {
      engine.stop();
      gateway.close();
      store.close();
    },
  };
}
