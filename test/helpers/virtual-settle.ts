import type { VirtualClock } from '../../drivers/common/clock.js';

/** How an operation ended: its value, or the error it failed with (typed errors carry a code). */
export type Settled<T, E = Error & { code?: string }> = { ok: true; value: T } | { ok: false; error: E };

export interface VirtualSettle<E> {
  /** Runs the virtual clock until the promise settles (or maxMs of virtual time pass). */
  run<T>(p: Promise<T>, maxMs?: number): Promise<Settled<T, E>>;
  /** As run, and throws the error of a failure. */
  ok<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

/** The device harnesses' way of waiting for a driver call on a virtual clock. */
export function virtualSettle<E = Error & { code?: string }>(clock: VirtualClock): VirtualSettle<E> {
  async function run<T>(p: Promise<T>, maxMs = 60_000): Promise<Settled<T, E>> {
    let result: Settled<T, E> | undefined;
    p.then(
      (value) => (result = { ok: true, value }),
      (error: E) => (result = { ok: false, error }),
    );
    await clock.runUntil(() => result !== undefined, maxMs);
    if (!result) throw new Error(`operation did not settle within ${maxMs} ms of virtual time`);
    return result;
  }
  async function ok<T>(p: Promise<T>, maxMs?: number): Promise<T> {
    const r = await run(p, maxMs);
    if (!r.ok) throw r.error as Error;
    return r.value;
  }
  return { run, ok };
}
