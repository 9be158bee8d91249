/**
 * Every timer in the host goes through a Clock, so the scenario runner and the benchmark can run the
 * whole host (drivers, simulators, XState machines) on virtual time: timeouts fire when the runner
 * says so, and wire delays cost no real time. The shape matches XState v5's `clock` option.
 */
export type TimerHandle = { readonly __timer: true } | ReturnType<typeof setTimeout>;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

interface ImmediateTimer {
  readonly __timer: true;
  immediate: ReturnType<typeof setImmediate>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    // Node's setTimeout(fn, 0) waits at least 1 ms; a zero delay (a simulator with no execution
    // time) must cost nothing, or it would dominate the per-exchange figures.
    if (ms <= 0) {
      const t: ImmediateTimer = { __timer: true, immediate: setImmediate(fn) };
      return t;
    }
    const t = setTimeout(fn, ms);
    // A pending device timeout must never keep a stopping process alive.
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => {
    if (h === undefined) return;
    if (typeof h === 'object' && h !== null && 'immediate' in h) clearImmediate((h as ImmediateTimer).immediate);
    else clearTimeout(h as ReturnType<typeof setTimeout>);
  },
};

interface VirtualTimer {
  readonly __timer: true;
  id: number;
  due: number;
  fn: () => void;
}

/** Lets queued promise continuations and setImmediate callbacks (stream I/O) run to completion. */
export async function settleIo(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Deterministic clock: time moves only through advance()/runUntil(). Between timers it lets pending
 * I/O (promises, stream callbacks) settle, so a chain "write → simulator → reply after wire time →
 * parse → next command" unfolds exactly as on real time, only without waiting.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: VirtualTimer[] = [];
  /**
   * Awaited before each timer fires. The scenario runner uses it to hold virtual time still while
   * real-time I/O (an HTTP call to a backend) is in flight: a 60 s screen timeout must not fire
   * "during" a 20 ms request.
   */
  gate: () => Promise<boolean> = async () => false;

  constructor(start = Date.UTC(2026, 0, 5, 1, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = { __timer: true, id: ++this.seq, due: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.timers.indexOf(handle as VirtualTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  nextDue(): number | undefined {
    let best: number | undefined;
    for (const t of this.timers) if (best === undefined || t.due < best) best = t.due;
    return best;
  }

  private popNext(limit: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    if (best) this.timers.splice(this.timers.indexOf(best), 1);
    return best;
  }

  /** Fires every timer due within `ms`, in order, letting I/O settle around each one. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await settleIo();
    for (;;) {
      if (await this.gate()) await settleIo();
      const next = this.popNext(target);
      if (!next) break;
      this.t = Math.max(this.t, next.due);
      next.fn();
      await settleIo();
    }
    this.t = target;
    await settleIo();
  }

  /**
   * Advances timer by timer until `done()` holds or `maxMs` of virtual time has passed.
   * Returns whether `done()` held. Used to let the host finish what a step started.
   */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const limit = this.t + maxMs;
    await settleIo();
    while (!done()) {
      if (await this.gate()) await settleIo();
      if (done()) return true;
      const next = this.popNext(limit);
      if (!next) {
        return done();
      }
      this.t = Math.max(this.t, next.due);
      next.fn();
      await settleIo();
    }
    return true;
  }
}

/** One pending callback at a time on a clock: arming again replaces it, clear cancels it. */
export class OneShotTimer {
  private handle: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  arm(ms: number, fire: () => void): void {
    this.clear();
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      fire();
    }, ms);
  }

  clear(): void {
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
