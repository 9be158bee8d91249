import type { PostPremiumRequest, PostPremiumResult } from '../../../kiosk/backend/interface.js';
import { BackendError } from '../../../kiosk/backend/interface.js';
import { HisError, type HisErrorCode, type Payment, type Registration, type ReleaseResult } from '../../../kiosk/his/interface.js';
import { PaymentError, type DebitRequest, type DebitResult, type PaymentGateway, type ReversalResult } from '../../../kiosk/payment/gateway.js';

/**
 * What one remote call does:
 *  ok          processed, answered
 *  drop        not processed, no answer (timeout)
 *  lost        processed, answer lost (timeout)
 *  refused     not delivered (connection refused)
 *  reject      (posting only) refused for good (premium: BACKEND_REJECTED; registration: FakeHis.refuse)
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

/**
 * A bank, or a medical account (the same rules: idempotent debit by txnId, reversal with
 * tombstones): it reads only txnId and amountFen of a debit, so it serves either source.
 */
export class FakeBank implements PaymentGateway<Pick<DebitRequest, 'txnId' | 'amountFen'>> {
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

  async debit(req: Pick<DebitRequest, 'txnId' | 'amountFen'>): Promise<DebitResult> {
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

  private process(req: Pick<DebitRequest, 'txnId' | 'amountFen'>): DebitResult {
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

/**
 * An HIS as the registration poster sees it: holds, register (idempotent by requestId, and by hold +
 * payment), release. Calls follow the shared script like the bank's and the backend's.
 */
export class FakeHis {
  readonly holds = new Map<string, 'active' | 'released' | 'registered'>();
  /** regId → the registration (one per hold). */
  readonly regs = new Map<string, { holdId: string; txnId: string; amountFen: number; method: Payment['method'] }>();
  private readonly requests = new Map<string, string>();
  releaseCalls = 0;
  private seq = 0;
  constructor(
    private readonly script: Script,
    /** What a `reject` step answers to register. */
    public refuse: HisErrorCode = 'SLOT_TAKEN',
  ) {}

  hold(holdId = `HD-${++this.seq}`): string {
    this.holds.set(holdId, 'active');
    return holdId;
  }

  /** Registrations paid by this txnId (exactly-once: at most one, and only with a standing debit). */
  registered(txnId: string): number {
    return [...this.regs.values()].filter((r) => r.txnId === txnId).length;
  }

  private view(regId: string): Registration {
    const r = this.regs.get(regId)!;
    return {
      regId,
      status: 'registered',
      queueNumber: [...this.regs.keys()].indexOf(regId) + 1,
      patient: { ssn: '110101195001011234', name: '张三' },
      department: { id: 'internal', name: { zh: '内科', en: 'Internal Medicine' }, location: { zh: '门诊楼2层B区', en: 'B' } },
      doctor: { id: 'internal-4', name: '赵磊', title: 'resident' },
      slotId: 'internal-4-20260105-1000',
      date: '2026-01-05',
      period: 'morning',
      start: '10:00',
      end: '10:30',
      location: { zh: '门诊楼2层B区 4诊室', en: 'B 4' },
      fee: { registrationFen: 100, consultationFen: r.amountFen - 100, totalFen: r.amountFen },
      payment: { method: r.method, txnId: r.txnId, amountFen: r.amountFen },
      registeredAt: '2026-01-05T01:00:00.000Z',
    };
  }

  private process(holdId: string, payment: Payment, requestId: string): Registration {
    const known = this.requests.get(requestId);
    if (known) return this.view(known);
    const state = this.holds.get(holdId);
    if (!state) throw new HisError('NOT_FOUND', 'register', 'no such hold');
    if (state === 'registered') {
      const [regId, r] = [...this.regs.entries()].find(([, x]) => x.holdId === holdId)!;
      if (r.txnId === payment.txnId) return this.view(regId);
      throw new HisError('REJECTED', 'register', 'hold registered by another payment', { reason: 'ALREADY_REGISTERED' });
    }
    if (state === 'released') throw new HisError('HOLD_EXPIRED', 'register', 'released', { reason: 'RELEASED' });
    const regId = `GH-${++this.seq}`;
    this.regs.set(regId, { holdId, txnId: payment.txnId, amountFen: payment.amountFen, method: payment.method });
    this.holds.set(holdId, 'registered');
    this.requests.set(requestId, regId);
    return this.view(regId);
  }

  async register(holdId: string, payment: Payment, requestId: string): Promise<Registration> {
    const b = this.script.next();
    const epoch = this.script.epoch;
    if (b === 'refused') throw new HisError('HIS_UNAVAILABLE', 'register', 'refused');
    if (b === 'reject' && this.holds.get(holdId) !== 'registered') throw new HisError(this.refuse, 'register', 'refused for good');
    if (b === 'crash-before') {
      this.script.epoch++;
      return never();
    }
    if (b === 'drop') throw new HisError('HIS_TIMEOUT', 'register', 'dropped');
    const reg = this.process(holdId, payment, requestId);
    if (b === 'crash-after') {
      this.script.epoch++;
      return never();
    }
    if (b === 'lost') throw new HisError('HIS_TIMEOUT', 'register', 'answer lost');
    if (epoch !== this.script.epoch) return never();
    return reg;
  }

  async release(holdId: string): Promise<ReleaseResult> {
    this.releaseCalls++;
    const b = this.script.next();
    if (b === 'refused') throw new HisError('HIS_UNAVAILABLE', 'release', 'refused');
    if (b === 'crash-before') {
      this.script.epoch++;
      return never();
    }
    if (b === 'drop') throw new HisError('HIS_TIMEOUT', 'release', 'dropped');
    const state = this.holds.get(holdId);
    if (state === 'registered') throw new HisError('REJECTED', 'release', 'registered', { reason: 'ALREADY_REGISTERED' });
    if (state === 'active') this.holds.set(holdId, 'released');
    if (b === 'crash-after') {
      this.script.epoch++;
      return never();
    }
    if (b === 'lost') throw new HisError('HIS_TIMEOUT', 'release', 'answer lost');
    return { holdId, released: state === 'active' };
  }
}
