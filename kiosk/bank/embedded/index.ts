/**
 * The embedded bank: the card's bank as a separate service on loopback (SQLite ledger + HTTP), so
 * demo and scenario runs pay through the same gateway client, validation and network stack as
 * production. It is the bank's side of an online PIN and decrypts PIN blocks; the host never
 * imports it (kiosk/sim/world.ts starts it beside the host). docs/bank.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../../drivers/common/clock.js';
import { YktError } from '../../../drivers/common/errors.js';
import type { Logger } from '../../../drivers/common/log.js';
import { maskAccount } from '../../../drivers/common/mask.js';
import type { TransactionsResponse } from '../wire.js';
import { FaultSwitch } from './faults.js';
import { BankSeedOverrides, faultsOf, type BankFaults } from './overrides.js';
import { startBankServer } from './server.js';
import { BankStore, type BankAccountSeed, type BankAccountState, type PinKey, type StandingDebit } from './store.js';

export {
  BANK_OPERATIONS,
  BankFaultTarget,
  BankSeedOverrides,
  type BankFaults,
  type BankOperation,
  type BankSeedOverridesInput,
} from './overrides.js';
export { BankStore, DEFAULT_BALANCE_FEN, MAX_PIN_TRIES, type BankAccountSeed, type BankAccountState, type PinKey, type StandingDebit } from './store.js';

export interface EmbeddedBankOptions {
  /** SQLite file, or ':memory:'. A file used before keeps its ledger (balances survive a restart). */
  dbFile: string;
  /** Timestamps of transactions (`at`, business dates); scenario runs pass the virtual clock. */
  clock: Clock;
  logger: Logger;
  /** The PIN pad's working PIN key, shared with the bank (the demo key in sim mode). */
  pinKey: PinKey;
  /** Accounts to open (added when their PAN is new; an existing account keeps its balance). */
  accounts?: readonly BankAccountSeed[];
  /** Scenario `bank` overrides (BankSeedOverrides): account changes once, faults on every start. */
  seed?: unknown;
  host?: string;
  /** 0 (default) = ephemeral. */
  port?: number;
}

export interface EmbeddedBank {
  url: string;
  faults: {
    /** Replaces the active faults. */
    set(f: BankFaults): void;
    clear(): void;
    current(): BankFaults;
  };
  addAccount(a: BankAccountSeed): void;
  account(pan: string): BankAccountState | undefined;
  /** Approved debits not reversed: money that stands taken. */
  standingDebits(): StandingDebit[];
  /** What `GET /transactions?date=` answers: the reconciliation report's bank side. */
  transactionsOn(date: string): TransactionsResponse;
  /**
   * Requests held open by a timeout / lost-response fault whose client has not given up yet. A
   * scenario runner that holds virtual time while HTTP is in flight should not wait for these:
   * they are answered by the client's deadline, not by the bank.
   */
  withheld(): number;
  close(): Promise<void>;
  store: BankStore;
}

export class BankSeedError extends YktError {
  constructor(message: string) {
    super('BANK_SEED_INVALID', message);
  }
}

/** Validates scenario overrides; throws BankSeedError naming the bad field (`bank.accounts.…`). */
export function parseBankSeed(raw: unknown): BankSeedOverrides {
  const r = BankSeedOverrides.safeParse(raw ?? {});
  if (!r.success) throw new BankSeedError(r.error.issues.map((i) => `${['bank', ...i.path].join('.')}: ${i.message}`).join('; '));
  return r.data;
}

function applyAccountOverrides(store: BankStore, o: BankSeedOverrides): void {
  for (const [pan, a] of Object.entries(o.accounts ?? {})) {
    if (!store.account(pan)) {
      if (a.pin === undefined) throw new BankSeedError(`bank.accounts.${pan}: no card carries this account, so it needs a pin`);
      store.addAccount({ pan, pin: a.pin, ...(a.balanceFen !== undefined ? { balanceFen: a.balanceFen } : {}) });
    }
    store.updateAccount(pan, a);
  }
}

export async function createEmbeddedBank(opts: EmbeddedBankOptions): Promise<EmbeddedBank> {
  const overrides = parseBankSeed(opts.seed);
  if (opts.dbFile !== ':memory:') mkdirSync(dirname(opts.dbFile), { recursive: true });
  const store = new BankStore(opts.dbFile, opts.clock, opts.pinKey);
  try {
    const fresh = !store.isSeeded();
    for (const a of opts.accounts ?? []) store.addAccount(a);
    // Once per ledger: a restart on the same file must not put spent money back.
    if (fresh) {
      applyAccountOverrides(store, overrides);
      store.markSeeded();
    }
  } catch (err) {
    store.close();
    throw err;
  }
  let onFaultChange = () => {};
  const faults = new FaultSwitch(() => onFaultChange());
  faults.set(faultsOf(overrides));
  let server;
  try {
    server = await startBankServer({ store, faults, logger: opts.logger, host: opts.host, port: opts.port });
  } catch (err) {
    store.close();
    throw new YktError('BANK_LISTEN_FAILED', `embedded bank cannot listen: ${(err as Error).message}`, { cause: err });
  }
  const srv = server;
  onFaultChange = () => srv.syncListening();
  srv.syncListening();
  return {
    url: srv.url,
    faults: {
      set: (f) => faults.set(f),
      clear: () => faults.clear(),
      current: () => faults.current(),
    },
    addAccount: (a) => {
      if (!store.addAccount(a)) opts.logger.debug({ pan: maskAccount(a.pan) }, 'bank account exists; kept as is');
    },
    account: (pan) => store.account(pan),
    standingDebits: () => store.standingDebits(),
    transactionsOn: (date) => ({ date, ...store.transactionsOn(date) }),
    withheld: () => srv.withheld(),
    close: async () => {
      await srv.close();
      store.close();
    },
    store,
  };
}
