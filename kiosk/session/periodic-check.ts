import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';

/**
 * Runs one device check every `everyMs` while active, one at a time (the next is scheduled when
 * the last one settles, so a slow device never piles up requests). Used for the PIN pad's health
 * between visits and the printer's presenter while a receipt waits. A failing check is logged at
 * debug level: the driver turns failures into device status, which is what the operator sees.
 */
export class PeriodicCheck {
  private timer: TimerHandle | undefined;
  private active = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly everyMs: number,
    private readonly check: () => Promise<void>,
  ) {}

  setActive(on: boolean): void {
    if (this.stopped || on === this.active) return;
    this.active = on;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (on) this.schedule();
  }

  stop(): void {
    this.setActive(false);
    this.stopped = true;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => void this.run(), this.everyMs);
  }

  private async run(): Promise<void> {
    if (!this.active) return;
    try {
      await this.check();
    } catch (e) {
      this.logger.debug({ check: this.name, err: (e as Error).message }, 'periodic device check failed');
    }
    if (this.active) this.schedule();
  }
}
