/**
 * Posting: what an approved debit is *for*, made to stand at the party that provides it. The engine
 * (engine.ts) runs the same exactly-once machine for every kind of order and asks the order kind's
 * poster to post it, to say whether a failure is for good (the money goes back) or for now (the
 * row stays approved and the retry loop posts again), and, once the money of an order went back,
 * to free what the order held (a registration's place).
 *
 * Every poster must be idempotent on the payment's txnId (or a key stored with the order): the
 * engine repeats a posting whose answer it did not get, after a restart too.
 *
 *   premium       backend.postPremium (idempotent by txnId); ref = the agency's JF… reference.
 *   registration  his.register(holdId, { method, txnId, amountFen }, regRequestId) (idempotent by
 *                 requestId, and by hold + payment); ref = the regId. Release: his.release(holdId).
 */
import { YktError } from '../../drivers/common/errors.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { HisErrorCode, HospitalInformationSystem, Registration } from '../his/interface.js';
import type { AnyPaymentRecord, OrderKind, PaymentMethod, PaymentRecord, RegistrationOrder } from './types.js';

export interface Posted {
  /** The reference printed on the receipt or slip: JF… for a premium, the regId for a registration. */
  ref: string;
  /** This posting had been made before (a repeat after a lost answer): nothing was posted twice. */
  duplicate?: boolean;
  registration?: Registration;
}

export interface PostingContext {
  terminalId: string;
  /** Where the money came from (the HIS records it with the registration). */
  source: PaymentMethod;
}

export interface Released {
  /** false: there was nothing to free (already released, expired, unknown, or registered by another payment). */
  released: boolean;
  /** The party's code when it answered with a refusal that ends the matter. */
  note?: string;
}

export interface Poster {
  post(rec: AnyPaymentRecord, ctx: PostingContext): Promise<Posted>;
  /** A refusal that will not change on retry: the order cannot be posted, the money goes back. Anything else is retried. */
  permanent(err: unknown): boolean;
  /**
   * Frees what the order held once its money went back; rejects when it should be tried again
   * (no answer). Absent: the order holds nothing.
   */
  release?(rec: AnyPaymentRecord): Promise<Released>;
}

export type Posters = Partial<Record<OrderKind, Poster>>;

export const codeOf = (e: unknown): string => (e as { code?: string } | undefined)?.code ?? 'INTERNAL';

/** The backend refuses a premium for good (e.g. the periods were paid meanwhile at a counter). */
const PERMANENT_PREMIUM = new Set(['BACKEND_REJECTED', 'BACKEND_NOT_FOUND']);

export function premiumPoster(backend: Pick<SocialSecurityBackend, 'postPremium'>): Poster {
  return {
    async post(rec, ctx) {
      const o = (rec as PaymentRecord).order;
      const r = await backend.postPremium({
        txnId: rec.txnId,
        ssn: o.ssn,
        item: o.item,
        choiceId: o.choiceId,
        periods: o.periods,
        amountFen: o.amountFen,
        terminalId: ctx.terminalId,
        bankRef: rec.bankRef ?? rec.txnId,
        paidAt: new Date(rec.updatedAt).toISOString(),
      });
      return { ref: r.ref, duplicate: r.duplicate };
    },
    permanent: (e) => PERMANENT_PREMIUM.has(codeOf(e)),
  };
}

/**
 * The HIS will not register this payment, ever: the place went to someone else or the hold is
 * gone (SLOT_TAKEN, SLOT_FULL, HOLD_EXPIRED), or the request is refused as such (REJECTED: e.g.
 * ALREADY_REGISTERED, AMOUNT_MISMATCH, SLOT_CLOSED; NOT_FOUND: no such hold). HIS_TIMEOUT,
 * HIS_UNAVAILABLE and HIS_BAD_RESPONSE are NOT permanent: the registration may stand (a lost
 * answer), so the engine asks again with the same requestId rather than refund a registered patient.
 */
export const PERMANENT_REGISTRATION: ReadonlySet<HisErrorCode> = new Set(['SLOT_TAKEN', 'SLOT_FULL', 'HOLD_EXPIRED', 'REJECTED', 'NOT_FOUND']);

/** HIS answers to a release that end it (nothing left to free): anything but no answer. */
const RELEASE_RETRY: ReadonlySet<string> = new Set(['HIS_TIMEOUT', 'HIS_UNAVAILABLE', 'HIS_BAD_RESPONSE']);

export function registrationPoster(his: Pick<HospitalInformationSystem, 'register' | 'release'>): Poster {
  return {
    async post(rec, ctx) {
      const o = rec.order as RegistrationOrder;
      const reg = await his.register(o.holdId, { method: ctx.source, txnId: rec.txnId, amountFen: o.amountFen }, o.regRequestId ?? rec.txnId);
      if (reg.payment.txnId !== rec.txnId || reg.payment.amountFen !== o.amountFen) {
        // Not ours: never refund on it (ours may stand too), ask again and let an operator see it.
        throw new YktError('HIS_BAD_RESPONSE', `HIS answered registration ${reg.regId} paid by another payment`);
      }
      return { ref: reg.regId, registration: reg };
    },
    permanent: (e) => PERMANENT_REGISTRATION.has(codeOf(e) as HisErrorCode),
    async release(rec) {
      const o = rec.order as RegistrationOrder;
      try {
        return { released: (await his.release(o.holdId)).released };
      } catch (e) {
        if (RELEASE_RETRY.has(codeOf(e)) || !(e instanceof YktError)) throw e;
        return { released: false, note: codeOf(e) };
      }
    },
  };
}

/** Registration orders on an engine without an HIS: refused before anything is written. */
export class RegistrationUnavailableError extends YktError {
  constructor() {
    super('REGISTRATION_UNAVAILABLE', 'registration fees need the HIS (hospital profile): createPayments({ his }) was not given one');
  }
}
