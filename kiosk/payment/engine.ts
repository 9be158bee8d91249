import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Journal } from '../journal/journal.js';
import { outcomeUnknown, type DebitResult, type PaymentGateway } from './gateway.js';
import type { PaymentStore } from './store.js';
import type { BankAccount, PaymentOrder, PaymentOutcome, PaymentRecord } from './types.js';

export interface PaymentEngineDeps {
  store: PaymentStore;
  journal: Journal;
  gateway: PaymentGateway;
  backend: Pick<SocialSecurityBackend, 'postPremium'>;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  /** First retry of an unfinished reversal or posting; doubles per attempt up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** Rejections that will not change on retry: the premium cannot be posted, the money goes back. */
const PERMANENT_POSTING = new Set(['BACKEND_REJECTED', 'BACKEND_NOT_FOUND']);

const codeOf = (e: unknown): string => (e as { code?: string } | undefined)?.code ?? 'INTERNAL';

/**
 * Exactly once, from the terminal's side: a payment's row is durable as `pending` before the debit
 * leaves; every answer is durable before anything acts on it; whatever the terminal cannot be sure
 * of is reversed (冲正) and retried until the bank acknowledges; an approved debit is posted to the
 * social security backend (idempotent by transaction id) until it is, or refunded if the backend
 * refuses it for good. A crash anywhere leaves a row that recovery finishes at the next start.
 */
export class PaymentEngine {
  /** Transactions some caller is working on right now (a payment in progress or a recovery step). */
  private readonly owned = new Set<string>();
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;

  constructor(private readonly d: PaymentEngineDeps) {
    this.retryMs = d.retryMs ?? 5_000;
    this.maxRetryMs = d.maxRetryMs ?? 300_000;
  }

  /** Time-ordered, unique per terminal: the bank and the backend dedupe on it. */
  newTxnId(): string {
    const t = new Date(this.d.clock.now()).toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
    return `${this.d.terminalId}-${t}-${randomBytes(4).toString('hex')}`;
  }

  async pay(order: PaymentOrder, account: BankAccount, pinBlock: Uint8Array): Promise<PaymentOutcome> {
    const txnId = this.newTxnId();
    this.owned.add(txnId);
    try {
      this.d.store.insertPending(txnId, order, account.pan);
      this.journal(txnId, 'pending', { ssn: order.ssn, pan: account.pan, item: order.item, periods: order.periods, amountFen: order.amountFen });
      let res: DebitResult;
      const block = Buffer.from(pinBlock).toString('hex').toUpperCase();
      pinBlock.fill(0);
      try {
        res = await this.d.gateway.debit({
          txnId,
          terminalId: this.d.terminalId,
          pan: account.pan,
          expiry: account.expiry,
          amountFen: order.amountFen,
          pinBlock: block,
          description: order.description,
        });
      } catch (e) {
        const code = codeOf(e);
        if (!outcomeUnknown(e)) {
          this.d.store.transition(txnId, 'failed', { lastError: code });
          this.journal(txnId, 'failed', { error: code });
          return { status: 'failed', txnId, code };
        }
        this.d.store.transition(txnId, 'uncertain', { lastError: code });
        this.journal(txnId, 'uncertain', { error: code });
        const done = await this.reverse(txnId);
        return done ? { status: 'reversed', txnId, code } : { status: 'uncertain', txnId, code };
      }
      if (res.outcome === 'declined') {
        const reason = res.declineReason ?? 'DECLINED';
        this.d.store.transition(txnId, 'declined', { declineReason: reason });
        this.journal(txnId, 'declined', { reason });
        return { status: 'declined', txnId, reason, ...(res.triesLeft !== undefined ? { triesLeft: res.triesLeft } : {}) };
      }
      const bankRef = res.bankRef ?? txnId;
      this.d.store.transition(txnId, 'approved', { bankRef });
      this.journal(txnId, 'approved', { bankRef, amountFen: order.amountFen });
      const posted = await this.post(txnId);
      const rec = this.d.store.get(txnId)!;
      if (rec.state === 'refunded' || rec.state === 'refunding') {
        return rec.state === 'refunded'
          ? { status: 'reversed', txnId, code: rec.lastError ?? 'POSTING_REFUSED' }
          : { status: 'uncertain', txnId, code: rec.lastError ?? 'POSTING_REFUSED' };
      }
      return { status: 'approved', txnId, bankRef, amountFen: order.amountFen, ...(posted ? { postingRef: posted } : {}) };
    } finally {
      this.owned.delete(txnId);
    }
  }

  /** One pass over unfinished payments; safe to call any time (a pass in progress is joined). */
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

  /** Unfinished payments (not final): the operator's and the retry loop's worklist. */
  unfinished(): PaymentRecord[] {
    return this.d.store.open();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.d.clock.clearTimeout(this.timer);
    const open = this.d.store.open();
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
    for (const rec of this.d.store.open()) {
      if (this.stopped || this.owned.has(rec.txnId)) continue;
      this.owned.add(rec.txnId);
      try {
        if (rec.state === 'pending') {
          // Written, then the terminal stopped: the debit may have left. Only a reversal makes it sure.
          this.d.store.transition(rec.txnId, 'uncertain', { lastError: 'INTERRUPTED' });
          this.journal(rec.txnId, 'uncertain', { error: 'INTERRUPTED', recovered: true });
        }
        const state = this.d.store.get(rec.txnId)!.state;
        if (state === 'uncertain' || state === 'refunding') await this.reverse(rec.txnId);
        else if (state === 'approved') await this.post(rec.txnId);
      } catch (e) {
        this.d.logger.error({ err: e, txnId: rec.txnId }, 'payment recovery step failed');
      } finally {
        this.owned.delete(rec.txnId);
      }
    }
  }

  /** One reversal attempt; true when the bank answered (final). */
  private async reverse(txnId: string): Promise<boolean> {
    const refund = this.d.store.get(txnId)?.state === 'refunding';
    try {
      const r = await this.d.gateway.reverse(txnId, this.d.terminalId);
      const state = refund ? 'refunded' : 'reversed';
      this.d.store.transition(txnId, state, { attempt: true });
      this.journal(txnId, state, { debitFound: r.reversed });
      return true;
    } catch (e) {
      const rec = this.d.store.transition(txnId, refund ? 'refunding' : 'uncertain', { attempt: true, lastError: codeOf(e) });
      this.d.logger.warn({ txnId, code: codeOf(e), attempts: rec.attempts }, 'reversal not acknowledged; will retry');
      return false;
    }
  }

  /** One posting attempt; the agency's reference when posted. */
  private async post(txnId: string): Promise<string | undefined> {
    const rec = this.d.store.get(txnId)!;
    try {
      const r = await this.d.backend.postPremium({
        txnId,
        ssn: rec.order.ssn,
        item: rec.order.item,
        choiceId: rec.order.choiceId,
        periods: rec.order.periods,
        amountFen: rec.order.amountFen,
        terminalId: this.d.terminalId,
        bankRef: rec.bankRef ?? txnId,
        paidAt: new Date(rec.updatedAt).toISOString(),
      });
      this.d.store.transition(txnId, 'posted', { postingRef: r.ref, attempt: true });
      this.journal(txnId, 'posted', { ref: r.ref, duplicate: r.duplicate });
      return r.ref;
    } catch (e) {
      const code = codeOf(e);
      if (PERMANENT_POSTING.has(code)) {
        // The agency will never take it: give the money back rather than keep it unposted.
        this.d.store.transition(txnId, 'refunding', { attempt: true, lastError: code });
        this.journal(txnId, 'refunding', { error: code, reason: (e as { reason?: string }).reason });
        await this.reverse(txnId);
        return undefined;
      }
      const after = this.d.store.transition(txnId, 'approved', { attempt: true, lastError: code });
      this.d.logger.warn({ txnId, code, attempts: after.attempts }, 'premium not posted yet; will retry');
      return undefined;
    }
  }

  private journal(txnId: string, status: string, data: Record<string, unknown>): void {
    this.d.journal.append('payment', status, { txnId, terminalId: this.d.terminalId, ...data });
  }
}
