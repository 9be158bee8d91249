import { PinPadError } from './errors.js';
import type { PinEntryState } from './interface.js';

/** The error a caller waiting on an entry gets when the citizen cancelled or the pad timed out. */
export function entryEndError(phase: 'cancelled' | 'timeout', command?: string): PinPadError {
  return new PinPadError(phase === 'timeout' ? 'PINPAD_TIMEOUT' : 'PINPAD_CANCELLED', { command });
}

interface Waiter {
  resolve: (r: { digits: number }) => void;
  reject: (e: Error) => void;
}

/** Callers of waitForEntry(), settled together when the entry ends (complete, cancelled, timeout). */
export class EntryWaiters {
  private waiters: Waiter[] = [];

  /** Resolves at once for an entry already over, else when it ends. */
  wait(s: PinEntryState): Promise<{ digits: number }> {
    switch (s.phase) {
      case 'complete':
        return Promise.resolve({ digits: s.digits });
      case 'cancelled':
      case 'timeout':
        return Promise.reject(entryEndError(s.phase));
      case 'idle':
        return Promise.reject(new PinPadError('PINPAD_NO_ENTRY'));
      case 'active':
        return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
  }

  /** The entry ended as the pad reports it. */
  settle(s: PinEntryState): void {
    for (const w of this.take()) {
      if (s.phase === 'complete') w.resolve({ digits: s.digits });
      else w.reject(s.phase === 'idle' || s.phase === 'active' ? new PinPadError('PINPAD_NO_ENTRY') : entryEndError(s.phase));
    }
  }

  /** The host ended the entry (stop, disconnect, timeout): every waiter gets `why()`. */
  rejectAll(why: () => Error): void {
    for (const w of this.take()) w.reject(why());
  }

  private take(): Waiter[] {
    const w = this.waiters;
    this.waiters = [];
    return w;
  }
}
