import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { HospitalInformationSystem } from '../his/interface.js';
import type { Journal } from '../journal/journal.js';
import { outcomeUnknown, type DebitResult, type PaymentGateway } from './gateway.js';
import type { MedicalAccountGateway } from './medical-gateway.js';
import { codeOf, premiumPoster, registrationPoster, RegistrationUnavailableError, type Posted, type Poster, type Posters } from './posters.js';
import type { PaymentStore } from './store.js';
import {
  orderKind,
  type AnyOrder,
  type AnyPaymentRecord,
  type BankAccount,
  type Funding,
  type PaymentOrder,
  type PaymentOutcome,
  type RegistrationOrder,
} from './types.js';

export interface PaymentEngineDeps {
  store: PaymentStore;
  journal: Journal;
  /** The card's bank. */
  gateway: PaymentGateway;
  /** The medical insurance personal account (registration fees only); without it such payments are refused. */
  medicalAccount?: MedicalAccountGateway;
  /** Posts premiums (postPremium). */
  backend?: Pick<SocialSecurityBackend, 'postPremium'>;
  /** Posts registrations and releases their holds; without it registration orders are refused (REGISTRATION_UNAVAILABLE). */
  his?: Pick<HospitalInformationSystem, 'register' | 'release'>;
  /** Posters by order kind, over those made from `backend` and `his`. */
  posters?: Posters;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  /** First retry of an unfinished reversal, posting or release; doubles per attempt up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** What one posting attempt came to: posted, refused for good (the money went back or is going back), or neither yet. */
interface PostAttempt {
  posted?: Posted;
  refused?: { code: string; reason?: string };
}

const reasonOf = (e: unknown): string | undefined => (e as { reason?: string } | undefined)?.reason;

/**
 * Exactly once, from the terminal's side: a payment's row is durable as `pending` before the debit
 * leaves; every answer is durable before anything acts on it; whatever the terminal cannot be sure
 * of is reversed (冲正) and retried until the source acknowledges; an approved debit is posted by
 * its order kind's poster (premium: the social security backend; registration: the HIS), each
 * idempotent, until it is, or refunded if refused for good. A registration whose money goes back
 * has its HIS hold released (retried until the HIS answers). A crash anywhere leaves a row that
 * recovery finishes at the next start. One engine, one store, two sources: the bank (premiums and
 * registration fees) and the medical account (registration fees); each row says its source, and
 * a reversal goes back through it.
 */
export class PaymentEngine {
  /** Transactions some caller is working on right now (a payment in progress or a recovery step). */
  private readonly owned = new Set<string>();
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly posters: Posters;

  constructor(private readonly d: PaymentEngineDeps) {
    this.retryMs = d.retryMs ?? 5_000;
    this.maxRetryMs = d.maxRetryMs ?? 300_000;
    this.posters = {
      ...(d.backend ? { premium: premiumPoster(d.backend) } : {}),
      ...(d.his ? { registration: registrationPoster(d.his) } : {}),
      ...d.posters,
    };
  }

  /** Time-ordered, unique per terminal: the bank, the backend and the HIS dedupe on it. */
  newTxnId(): string {
    const t = new Date(this.d.clock.now()).toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
    return `${this.d.terminalId}-${t}-${randomBytes(4).toString('hex')}`;
  }

  /** Whether registration fees can be taken (an HIS was given), and from which sources. */
  get registration(): { available: boolean; medicalAccount: boolean } {
    return { available: !!this.posters.registration, medicalAccount: !!this.d.medicalAccount };
  }

  /** A premium, from the card's bank account (online PIN). The PIN block is zeroed here. */
  async pay(order: PaymentOrder, account: BankAccount, pinBlock: Uint8Array): Promise<PaymentOutcome> {
    return this.run(order, { method: 'bank-card', account, pinBlock });
  }

  /**
   * A registration fee for a place held at the HIS (`order.holdId`), from the bank account or the
   * medical account. Approved and registered: `registration` is in the outcome. Refused for good by
   * the HIS: refunded (`reversed`, code SLOT_TAKEN / HOLD_EXPIRED / …) and the hold released.
   * Throws REGISTRATION_UNAVAILABLE (no HIS) or PAYMENT_SOURCE_UNAVAILABLE before anything is written.
   */
  async payRegistration(order: RegistrationOrder, funding: Funding): Promise<PaymentOutcome> {
    if (order.kind !== 'registration') throw new YktError('PAYMENT_BAD_ORDER', 'payRegistration takes a registration order');
    return this.run(order, funding);
  }

  /**
   * Gives a cancelled registration's fee back, through the source that paid it: the debit is
   * reversed (a same-day cancellation, before the slot's time). `refunding` is durable first, so a
   * crash or an unanswered reversal is finished by the recovery loop like any other refund.
   * `not-found`: this terminal did not take that payment (the patient paid elsewhere).
   */
  async refundRegistration(txnId: string): Promise<'refunded' | 'pending' | 'not-found'> {
    const rec = this.d.store.record(txnId);
    if (!rec || orderKind(rec.order) !== 'registration') return 'not-found';
    if (rec.state === 'refunded' || rec.state === 'reversed') return 'refunded';
    if (rec.state !== 'posted') return 'pending';
    if (this.owned.has(txnId)) return 'pending';
    this.owned.add(txnId);
    try {
      this.d.store.transition(txnId, 'refunding', { lastError: 'CANCELLED' });
      this.journal(txnId, 'refunding', { reason: 'cancelled' });
      return (await this.reverse(txnId)) ? 'refunded' : 'pending';
    } finally {
      this.owned.delete(txnId);
    }
  }

  private async run(order: AnyOrder, funding: Funding): Promise<PaymentOutcome> {
    // The PIN block leaves the caller's buffer now, whatever happens next.
    const block = funding.method === 'bank-card' ? Buffer.from(funding.pinBlock).toString('hex').toUpperCase() : '';
    if (funding.method === 'bank-card') funding.pinBlock.fill(0);
    const kind = orderKind(order);
    if (!this.posters[kind]) {
      throw kind === 'registration' ? new RegistrationUnavailableError() : new YktError('PAYMENT_NO_POSTER', `no poster for ${kind} orders`);
    }
    if (funding.method === 'medical-account' && (kind !== 'registration' || !this.d.medicalAccount)) {
      throw new YktError('PAYMENT_SOURCE_UNAVAILABLE', 'the medical account pays registration fees only, on a terminal that has it');
    }
    const txnId = this.newTxnId();
    const stored: AnyOrder = order.kind === 'registration' ? { ...order, regRequestId: order.regRequestId ?? txnId } : order;
    this.owned.add(txnId);
    try {
      this.d.store.insertPending(txnId, stored, funding.method === 'bank-card' ? funding.account.pan : order.ssn, funding.method);
      this.journal(txnId, 'pending', {
        ssn: order.ssn,
        ...(funding.method === 'bank-card' ? { pan: funding.account.pan } : { source: funding.method }),
        ...(stored.kind === 'registration'
          ? { kind: 'registration', holdId: stored.holdId, slotId: stored.slotId, requestId: stored.requestId }
          : { item: stored.item, periods: stored.periods }),
        amountFen: order.amountFen,
      });
      let res: DebitResult;
      try {
        res =
          funding.method === 'bank-card'
            ? await this.d.gateway.debit({
                txnId,
                terminalId: this.d.terminalId,
                pan: funding.account.pan,
                expiry: funding.account.expiry,
                amountFen: order.amountFen,
                pinBlock: block,
                description: order.description,
              })
            : await this.d.medicalAccount!.debit({ txnId, ssn: order.ssn, amountFen: order.amountFen, terminalId: this.d.terminalId, description: order.description });
      } catch (e) {
        const code = codeOf(e);
        if (!outcomeUnknown(e)) {
          this.d.store.transition(txnId, 'failed', { lastError: code });
          this.journal(txnId, 'failed', { error: code });
          return { status: 'failed', txnId, code };
        }
        this.toUncertain(txnId, code);
        const done = await this.reverse(txnId);
        await this.releaseHold(txnId);
        return done ? { status: 'reversed', txnId, code } : { status: 'uncertain', txnId, code };
      }
      if (res.outcome === 'declined') {
        // Nothing moved: a registration keeps its hold (the citizen may try another PIN or source).
        const reason = res.declineReason ?? 'DECLINED';
        this.d.store.transition(txnId, 'declined', { declineReason: reason });
        this.journal(txnId, 'declined', { reason });
        return { status: 'declined', txnId, reason, ...(res.triesLeft !== undefined ? { triesLeft: res.triesLeft } : {}) };
      }
      const bankRef = res.bankRef ?? txnId;
      this.d.store.transition(txnId, 'approved', { bankRef });
      this.journal(txnId, 'approved', { bankRef, amountFen: order.amountFen });
      const r = await this.post(txnId);
      const rec = this.d.store.record(txnId)!;
      if (rec.state === 'refunded' || rec.state === 'refunding') {
        const code = r.refused?.code ?? rec.lastError ?? 'POSTING_REFUSED';
        const why = r.refused?.reason ? { reason: r.refused.reason } : {};
        return rec.state === 'refunded' ? { status: 'reversed', txnId, code, ...why } : { status: 'uncertain', txnId, code, ...why };
      }
      return {
        status: 'approved',
        txnId,
        bankRef,
        amountFen: order.amountFen,
        ...(r.posted ? { postingRef: r.posted.ref } : {}),
        ...(r.posted?.registration ? { registration: r.posted.registration } : {}),
        ...(order.kind === 'registration' ? { source: rec.source, accountMasked: rec.panMasked } : {}),
      };
    } finally {
      this.owned.delete(txnId);
    }
  }

  /** One pass over unfinished payments and unreleased holds; safe to call any time (a pass in progress is joined). */
  recover(): Promise<void> {
    this.pass ??= this.recoverPass().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /** Recovery now, then again while anything is unfinished. */
  start(): void {
    this.stopped = false;
    void this.recover().then(() => this.schedule());
  }

  stop(): void {
    this.stopped = true;
    this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Unfinished payments (not final) and payments whose HIS hold is still to be released: the retry loop's worklist. */
  unfinished(): AnyPaymentRecord[] {
    const open = this.d.store.open();
    const ids = new Set(open.map((r) => r.txnId));
    return [...open, ...this.d.store.pendingReleases().filter((r) => !ids.has(r.txnId))];
  }

  private schedule(): void {
    if (this.stopped) return;
    this.d.clock.clearTimeout(this.timer);
    const open = this.unfinished();
    if (!open.length) {
      // Nothing to do; look again later in case a payment in progress leaves work behind.
      this.timer = this.d.clock.setTimeout(() => this.tick(), this.retryMs);
      return;
    }
    const attempts = Math.min(...open.map((r) => r.attempts));
    const delay = Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(10, Math.max(0, attempts - 1)));
    this.timer = this.d.clock.setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    void this.recover().then(() => this.schedule());
  }

  private async recoverPass(): Promise<void> {
    for (const rec of this.unfinished()) {
      if (this.stopped || this.owned.has(rec.txnId)) continue;
      this.owned.add(rec.txnId);
      try {
        if (rec.state === 'pending') {
          // Written, then the terminal stopped: the debit may have left. Only a reversal makes it sure.
          this.toUncertain(rec.txnId, 'INTERRUPTED', true);
        }
        const state = this.d.store.record(rec.txnId)!.state;
        if (state === 'uncertain' || state === 'refunding') await this.reverse(rec.txnId);
        else if (state === 'approved') await this.post(rec.txnId);
        await this.releaseHold(rec.txnId);
      } catch (e) {
        this.d.logger.error({ err: e, txnId: rec.txnId }, 'payment recovery step failed');
      } finally {
        this.owned.delete(rec.txnId);
      }
    }
  }

  /** The debit's fate is unknown: it will be reversed, so a registration will never be made on it and its place goes back. */
  private toUncertain(txnId: string, code: string, recovered = false): void {
    const reg = orderKind(this.d.store.record(txnId)!.order) === 'registration';
    this.d.store.transition(txnId, 'uncertain', { lastError: code, ...(reg ? { holdRelease: 'pending' as const } : {}) });
    this.journal(txnId, 'uncertain', { error: code, ...(recovered ? { recovered: true } : {}) });
  }

  private gatewayOf(rec: AnyPaymentRecord): Pick<PaymentGateway, 'reverse'> | undefined {
    return rec.source === 'medical-account' ? this.d.medicalAccount : this.d.gateway;
  }

  /** One reversal attempt, through the source the debit went to; true when it answered (final). */
  private async reverse(txnId: string): Promise<boolean> {
    const rec = this.d.store.record(txnId)!;
    const refund = rec.state === 'refunding';
    try {
      const gateway = this.gatewayOf(rec);
      if (!gateway) throw new YktError('PAYMENT_SOURCE_UNAVAILABLE', `no ${rec.source} source on this terminal to reverse through`);
      const r = await gateway.reverse(txnId, this.d.terminalId);
      const state = refund ? 'refunded' : 'reversed';
      this.d.store.transition(txnId, state, { attempt: true });
      this.journal(txnId, state, { debitFound: r.reversed });
      return true;
    } catch (e) {
      const after = this.d.store.transition(txnId, refund ? 'refunding' : 'uncertain', { attempt: true, lastError: codeOf(e) });
      this.d.logger.warn({ txnId, code: codeOf(e), attempts: after.attempts }, 'reversal not acknowledged; will retry');
      return false;
    }
  }

  /** One posting attempt by the order kind's poster. */
  private async post(txnId: string): Promise<PostAttempt> {
    const rec = this.d.store.record(txnId)!;
    const kind = orderKind(rec.order);
    const poster: Poster | undefined = this.posters[kind];
    if (!poster) {
      // E.g. a registration found by an engine started without an HIS: it may stand there, so never refund on a guess.
      const after = this.d.store.transition(txnId, 'approved', { attempt: true, lastError: 'NO_POSTER' });
      this.d.logger.warn({ txnId, kind, attempts: after.attempts }, 'no poster for this order kind; will retry');
      return {};
    }
    try {
      const r = await poster.post(rec, { terminalId: this.d.terminalId, source: rec.source });
      this.d.store.transition(txnId, 'posted', { postingRef: r.ref, attempt: true });
      const reg = r.registration ? { queueNumber: r.registration.queueNumber, slotId: r.registration.slotId } : {};
      this.journal(txnId, 'posted', { ref: r.ref, duplicate: r.duplicate ?? false, ...reg });
      return { posted: r };
    } catch (e) {
      const code = codeOf(e);
      if (poster.permanent(e)) {
        // It will never be taken: give the money back rather than keep it unposted.
        const reason = reasonOf(e);
        this.d.store.transition(txnId, 'refunding', { attempt: true, lastError: code, ...(kind === 'registration' ? { holdRelease: 'pending' as const } : {}) });
        this.journal(txnId, 'refunding', { error: code, reason });
        await this.reverse(txnId);
        await this.releaseHold(txnId);
        return { refused: { code, ...(reason ? { reason } : {}) } };
      }
      const after = this.d.store.transition(txnId, 'approved', { attempt: true, lastError: code });
      this.d.logger.warn({ txnId, kind, code, attempts: after.attempts }, 'not posted yet; will retry');
      return {};
    }
  }

  /** One attempt at freeing a registration's place once its money went back; retried until the HIS answers. */
  private async releaseHold(txnId: string): Promise<void> {
    const rec = this.d.store.record(txnId);
    if (rec?.holdRelease !== 'pending' || rec.order.kind !== 'registration') return;
    const { holdId } = rec.order;
    const poster = this.posters.registration;
    try {
      if (!poster?.release) throw new RegistrationUnavailableError();
      const r = await poster.release(rec);
      this.d.store.holdRelease(txnId, 'done', { attempt: true });
      this.journal(txnId, 'hold-released', { holdId, released: r.released, ...(r.note ? { note: r.note } : {}) });
    } catch (e) {
      this.d.store.holdRelease(txnId, 'pending', { attempt: true, lastError: codeOf(e) });
      this.d.logger.warn({ txnId, holdId, code: codeOf(e) }, 'hold not released yet; will retry');
    }
  }

  private journal(txnId: string, status: string, data: Record<string, unknown>): void {
    this.d.journal.append('payment', status, { txnId, terminalId: this.d.terminalId, ...data });
  }
}
