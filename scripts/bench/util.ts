import type { HostSnapshot } from '../../flows/view/protocol.js';
import type { Host } from '../../kiosk/host.js';

/** Helpers the bench parts share. */

/** The p-th percentile (nearest rank) of `values`. */
export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Resolves once the host publishes a snapshot that satisfies `pred`. */
export function waitFor(host: Host, pred: (s: HostSnapshot) => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred(host.snapshot())) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out on screen ${host.snapshot().view.screen}`));
    }, timeoutMs);
    const off = host.subscribe((s) => {
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}
