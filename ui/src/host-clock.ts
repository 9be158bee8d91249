/**
 * The host's clock as seen from the browser. Deadlines in snapshots are host epoch ms; the kiosk
 * PC and the host may disagree (or the host runs a virtual clock in demos), so countdowns use the
 * offset measured at the last snapshot rather than the browser's own time.
 */
export class HostClock {
  private offset = 0;

  sync(hostNow: number, localNow: number = Date.now()): void {
    this.offset = hostNow - localNow;
  }

  now(localNow: number = Date.now()): number {
    return localNow + this.offset;
  }
}

/** Whole seconds left until `deadline`, never negative; rounds up so "0" shows only at the end. */
export function secondsLeft(deadline: number, hostNow: number): number {
  return Math.max(0, Math.ceil((deadline - hostNow) / 1000));
}
