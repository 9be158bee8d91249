/**
 * The rules of a secure PIN entry, counted but never holding digits. The simulator and the driver
 * both run them (the pad on its key presses, the host on the reported key events), so the host's
 * digit count and completion agree with the pad's by construction:
 *  - a digit counts while fewer than max are in; beyond max it is swallowed and not reported;
 *  - auto-end: the entry completes with the max-th digit (no Enter, no extra event);
 *  - clear deletes one digit; cancel ends the entry as cancelled;
 *  - Enter completes the entry only with at least min digits, otherwise it is just a key press.
 */
import type { EntryParams } from './codec.js';
import type { PinEntryPhase, PinEntryState } from './interface.js';

export type EntryKey = 'digit' | 'clear' | 'cancel' | 'enter' | 'function';

export interface KeyOutcome {
  /** The pad reports this key to the host. */
  report: boolean;
  /** The entry state changed (count or phase). */
  changed: boolean;
}

export function validEntryParams(p: EntryParams): boolean {
  return (
    Number.isInteger(p.minLength) &&
    Number.isInteger(p.maxLength) &&
    Number.isInteger(p.timeoutSec) &&
    p.minLength >= 4 &&
    p.maxLength <= 12 &&
    p.minLength <= p.maxLength &&
    p.timeoutSec >= 1 &&
    p.timeoutSec <= 255
  );
}

export class EntryTracker {
  private phase: PinEntryPhase = 'idle';
  private digits = 0;
  private params?: EntryParams;

  get state(): PinEntryState {
    const s: PinEntryState = { phase: this.phase, digits: this.digits };
    if (this.params) {
      s.minLength = this.params.minLength;
      s.maxLength = this.params.maxLength;
    }
    return s;
  }

  get active(): boolean {
    return this.phase === 'active';
  }

  start(params: EntryParams): void {
    this.params = { ...params };
    this.phase = 'active';
    this.digits = 0;
  }

  /** Ends the entry from outside the keys (timeout, host stop, reset). */
  end(phase: Exclude<PinEntryPhase, 'active'>): void {
    this.phase = phase;
    // The pad clears its buffer on every end but completion.
    if (phase !== 'complete') this.digits = 0;
    if (phase === 'idle') this.params = undefined;
  }

  key(k: EntryKey): KeyOutcome {
    const p = this.params;
    if (this.phase !== 'active' || !p) return { report: false, changed: false };
    switch (k) {
      case 'digit':
        if (this.digits >= p.maxLength) return { report: false, changed: false };
        this.digits++;
        if (p.autoEnd && this.digits === p.maxLength) this.phase = 'complete';
        return { report: true, changed: true };
      case 'clear':
        if (this.digits === 0) return { report: true, changed: false };
        this.digits--;
        return { report: true, changed: true };
      case 'cancel':
        this.phase = 'cancelled';
        this.digits = 0;
        return { report: true, changed: true };
      case 'enter':
        if (this.digits < p.minLength) return { report: true, changed: false };
        this.phase = 'complete';
        return { report: true, changed: true };
      case 'function':
        return { report: true, changed: false };
    }
  }
}
