import type { Journal } from '../journal/journal.js';

/**
 * Anti-passback (防折返): a card that has just gone through is refused again for a while, so it
 * cannot be handed back over the barrier to a second person. Remembered in memory for the decision
 * (constant time, no I/O on the tap path) and rebuilt from the journal after a restart.
 */
export class Passback {
  private readonly last = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  static fromJournal(journal: Journal, windowMs: number, now: number): Passback {
    const p = new Passback(windowMs);
    if (windowMs > 0) {
      for (const e of journal.since(now - windowMs, 'gate')) {
        const id = e.data.cardIdCode;
        if (e.status === 'passed' && typeof id === 'string') p.passed(id, e.ts);
      }
    }
    return p;
  }

  /** Whether this card went through within the window. */
  blocks(cardIdCode: string, now: number): boolean {
    const t = this.last.get(cardIdCode);
    return t !== undefined && now - t < this.windowMs;
  }

  passed(cardIdCode: string, at: number): void {
    if (this.windowMs <= 0) return;
    this.last.set(cardIdCode, at);
    // Keep the map small on a busy gate: drop what has left the window.
    if (this.last.size > 4096) for (const [k, t] of this.last) if (at - t >= this.windowMs) this.last.delete(k);
  }
}
