/**
 * Scenario `bank` overrides (accounts and faults), validated strictly: the scenario format is a
 * public interface, so a typo must fail the file rather than silently seed nothing.
 */
import { z } from 'zod';
import { Pan } from '../wire.js';

/** What a fault can target; `*` is every route (debit, reversal, transactions). */
export const BANK_OPERATIONS = ['debit', 'reversal', 'transactions'] as const;
export type BankOperation = (typeof BANK_OPERATIONS)[number];
export const BankFaultTarget = z.enum([...BANK_OPERATIONS, '*']);
export type BankFaultTarget = z.infer<typeof BankFaultTarget>;

/**
 * Faults of the embedded bank (docs/bank.md). `set()` replaces the active set; `times` counts the
 * requests any fault of the set applies to, after which the whole set clears itself.
 */
export interface BankFaults {
  /** The request is not processed and never answered; the client's deadline fires. */
  timeoutOn?: BankFaultTarget;
  /** The request is processed and stored, then its answer is withheld (the doubt case). */
  lostResponseOn?: BankFaultTarget;
  /**
   * The connection is dropped at once, unprocessed. `*` without `times`: the bank stops listening
   * (connection refused, BANK_UNREACHABLE); one operation, or with `times`: reset after the request
   * was sent (BANK_BAD_RESPONSE: the client cannot know it was not processed).
   */
  failOn?: BankFaultTarget;
  /** Every new debit is declined with this reason (stored, so a retransmission repeats it). */
  declineAll?: string;
  /** How many requests the faults apply to; default all until clear(). */
  times?: number;
}

const Fen = z.number().int().min(0);
const BankPin = z.string().regex(/^\d{4,12}$/, 'pin is 4 to 12 digits');

export const BankAccountOverride = z
  .object({
    balanceFen: Fen.optional(),
    /** Required for a PAN the bank does not know yet (no simulated card carries it). */
    pin: BankPin.optional(),
    /** 0 = the PIN is locked at the bank. */
    pinTriesLeft: z.number().int().min(0).max(3).optional(),
  })
  .strict();

export const BankSeedOverrides = z
  .object({
    /** By PAN: changes a seeded account, or adds one (then `pin` is required). */
    accounts: z.record(Pan, BankAccountOverride).optional(),
    timeoutOn: BankFaultTarget.optional(),
    lostResponseOn: BankFaultTarget.optional(),
    failOn: BankFaultTarget.optional(),
    declineAll: z.string().min(1).max(64).optional(),
    times: z.number().int().min(1).optional(),
  })
  .strict();
export type BankSeedOverrides = z.infer<typeof BankSeedOverrides>;
export type BankSeedOverridesInput = z.input<typeof BankSeedOverrides>;

/** The fault part of validated overrides. */
export function faultsOf(o: BankSeedOverrides): BankFaults {
  const f: BankFaults = {};
  if (o.timeoutOn !== undefined) f.timeoutOn = o.timeoutOn;
  if (o.lostResponseOn !== undefined) f.lostResponseOn = o.lostResponseOn;
  if (o.failOn !== undefined) f.failOn = o.failOn;
  if (o.declineAll !== undefined) f.declineAll = o.declineAll;
  if (o.times !== undefined) f.times = o.times;
  return f;
}
