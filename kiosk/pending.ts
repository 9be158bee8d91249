/**
 * Counts the calls of an async service that have not settled yet (HTTP to a backend): the scenario
 * runner waits for them in real time before it lets virtual time move on.
 */
export interface PendingCounter {
  readonly count: number;
}

export function trackPending<T extends object>(target: T): { proxy: T; pending: PendingCounter } {
  const state = { count: 0 };
  const proxy = new Proxy(target, {
    get(obj, prop, receiver) {
      const v = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown).apply(obj, args);
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          state.count++;
          return (r as Promise<unknown>).finally(() => {
            state.count--;
          });
        }
        return r;
      };
    },
  });
  return { proxy, pending: state };
}

/**
 * Modules loaded on first use during a visit (the e-card check): loading one takes real time, like
 * a request on the wire, so the scenario runner must not let virtual time (and the visit's guard
 * timers) run on meanwhile.
 */
export const lazyLoads = { count: 0 };

export async function loadLazily<T>(load: () => Promise<T>): Promise<T> {
  lazyLoads.count++;
  try {
    return await load();
  } finally {
    lazyLoads.count--;
  }
}
