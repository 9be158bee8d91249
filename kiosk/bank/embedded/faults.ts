/**
 * The embedded bank's active faults, and which one a request meets. One place decides precedence
 * and counts `times`, so the server only asks "what happens to this request?".
 */
import type { BankFaults, BankOperation } from './overrides.js';

/** What a request meets: nothing, or one fault (the first that applies, in this order). */
export type FaultVerdict = 'none' | 'fail' | 'timeout' | 'lostResponse' | 'decline';

export class FaultSwitch {
  private active: BankFaults = {};
  private remaining: number | undefined;

  constructor(private readonly onChange: () => void = () => {}) {}

  /** Replaces the active set (faults do not merge: `times` counts for one set). */
  set(f: BankFaults): void {
    this.active = { ...f };
    this.remaining = f.times;
    this.onChange();
  }

  clear(): void {
    this.set({});
  }

  current(): BankFaults {
    return { ...this.active };
  }

  /**
   * "Unplugged": every request would be dropped, with no count to run down, so the bank stops
   * listening altogether and the client sees a refused connection (nothing was sent).
   */
  refusesConnections(): boolean {
    return this.active.failOn === '*' && this.remaining === undefined;
  }

  /** The fault this request meets, counted against `times` (the decline reason read before a set clears). */
  take(op: BankOperation): { verdict: FaultVerdict; declineReason?: string } {
    const f = this.active;
    const hits = (t: BankFaults['timeoutOn']) => t === '*' || t === op;
    const verdict: FaultVerdict = hits(f.failOn)
      ? 'fail'
      : hits(f.timeoutOn)
        ? 'timeout'
        : hits(f.lostResponseOn)
          ? 'lostResponse'
          : op === 'debit' && f.declineAll
            ? 'decline'
            : 'none';
    const declineReason = verdict === 'decline' ? f.declineAll : undefined;
    if (verdict !== 'none' && this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.clear();
    }
    return declineReason ? { verdict, declineReason } : { verdict };
  }
}
