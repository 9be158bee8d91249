import type { PostPremiumRequest, PostPremiumResult } from '../../../kiosk/backend/interface.js';
import { BackendError } from '../../../kiosk/backend/interface.js';
import { PaymentError, type DebitRequest, type DebitResult, type PaymentGateway, type ReversalResult } from '../../../kiosk/payment/gateway.js';

/**
 * What one remote call does:
 *  ok          processed, answered
 *  drop        not processed, no answer (timeout)
 *  lost        processed, answer lost (timeout)
 *  refused     not delivered (connection refused)
 *  reject      (posting only) refused for good
 *  crash-before  the terminal dies while the request is on its way: not processed, never answered
 *  crash-after   the terminal dies after the remote side processed it: never answered
 */
export type Behaviour = 'ok' | 'drop' | 'lost' | 'refused' | 'reject' | 'crash-before' | 'crash-after';

/** Pulls the behaviour of each call from a script (then `ok`). A crash kills the epoch. */
export class Script {
  epoch = 0;
  calls = 0;
  constructor(private steps: Behaviour[] = []) {}
  next(): Behaviour {
    this.calls++;
    return this.steps.shift() ?? 'ok';
  }
  set(steps: Behaviour[]): void {
    this.steps = steps;
  }
}

/** A promise that never settles: the process that awaited it is gone. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export class FakeBank implements PaymentGateway {
  readonly txns = new Map<string, { amountFen: number; state: 'approved' | 'declined' | 'reversed' | 'tombstone' }>();
  balanceFen = 1_000_000;
  constructor(
    private readonly script: Script,
    private readonly opts: { insufficientAbove?: number } = {},
  ) {}

  standing(txnId: string): number {
    return this.txns.get(txnId)?.state === 'approved' ? 1 : 0;
  }
  standingTotal(): number {
    return [...this.txns.values()].filter((t) => t.state === 'approved').length;
  }

  async debit(req: DebitRequest): Promise<DebitResult> {
    const b = this.script.next();
    const epoch = this.script.epoch;
    if (b === 'refused') throw new PaymentError('BANK_UNREACHABLE', 'refused');
    if (b === 'crash-before') {
      this.script.epoch++;
      return never();
    }
    if (b === 'drop') throw new PaymentError('BANK_TIMEOUT', 'dropped');
    const result = this.process(req);
    if (b === 'crash-after') {
      this.script.epoch++;
      return never();
    }
    if (b === 'lost') throw new PaymentError('BANK_TIMEOUT', 'answer lost');
    if (epoch !== this.script.epoch) return never();
    return result;
  }

  private process(req: DebitRequest): DebitResult {
    const t = this.txns.get(req.txnId);
    if (t?.state === 'tombstone') return { txnId: req.txnId, outcome: 'declined', declineReason: 'REVERSED_BEFORE_DEBIT' };
    if (t) return t.state === 'approved' || t.state === 'reversed' ? { txnId: req.txnId, outcome: 'approved', bankRef: `B-${req.txnId}` } : { txnId: req.txnId, outcome: 'declined', declineReason: 'DECLINED' };
    if (this.opts.insufficientAbove !== undefined && req.amountFen > this.opts.insufficientAbove) {
      this.txns.set(req.txnId, { amountFen: req.amountFen, state: 'declined' });
      return { txnId: req.txnId, outcome: 'declined', declineReason: 'INSUFFICIENT_FUNDS' };
    }
    this.balanceFen -= req.amountFen;
    this.txns.set(req.txnId, { amountFen: req.amountFen, state: 'approved' });
    return { txnId: req.txnId, outcome: 'approved', bankRef: `B-${req.txnId}` };
  }

  async reverse(txnId: string): Promise<ReversalResult> {
    const b = this.script.next();
    if (b === 'refused') throw new PaymentError('BANK_UNREACHABLE', 'refused');
    if (b === 'crash-before') {
      this.script.epoch++;
      return never();
    }
    if (b === 'drop') throw new PaymentError('BANK_TIMEOUT', 'dropped');
    const t = this.txns.get(txnId);
    let reversed = false;
    if (!t) this.txns.set(txnId, { amountFen: 0, state: 'tombstone' });
    else if (t.state === 'approved') {
      t.state = 'reversed';
      this.balanceFen += t.amountFen;
      reversed = true;
    } else if (t.state === 'reversed') reversed = true;
    if (b === 'crash-after') {
      this.script.epoch++;
      return never();
    }
    if (b === 'lost') throw new PaymentError('BANK_TIMEOUT', 'answer lost');
    return { txnId, reversed };
  }

  close(): void {}
}

export class FakeBackend {
  readonly postings = new Map<string, { ref: string; amountFen: number }>();
  private seq = 0;
  constructor(private readonly script: Script) {}

  posted(txnId: string): number {
    return this.postings.has(txnId) ? 1 : 0;
  }

  async postPremium(req: PostPremiumRequest): Promise<PostPremiumResult> {
    const b = this.script.next();
    if (b === 'refused') throw new BackendError('BACKEND_UNAVAILABLE', 'postPremium', 'refused');
    if (b === 'reject' && !this.postings.has(req.txnId)) {
      throw new BackendError('BACKEND_REJECTED', 'postPremium', 'periods already paid', { reason: 'PERIODS_NOT_PAYABLE' });
    }
    if (b === 'crash-before') {
      this.script.epoch++;
      return never();
    }
    if (b === 'drop') throw new BackendError('BACKEND_TIMEOUT', 'postPremium', 'dropped');
    const had = this.postings.get(req.txnId);
    const ref = had?.ref ?? `JF-${++this.seq}`;
    if (!had) this.postings.set(req.txnId, { ref, amountFen: req.amountFen });
    if (b === 'crash-after') {
      this.script.epoch++;
      return never();
    }
    if (b === 'lost') throw new BackendError('BACKEND_TIMEOUT', 'postPremium', 'answer lost');
    return { ref, duplicate: !!had };
  }
}
