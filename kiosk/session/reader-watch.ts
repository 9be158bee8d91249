import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';

export type WatchMode = 'off' | 'card-at-gate' | 'idle';

/**
 * Watches the reader between commands.
 * - card-at-gate: the reader reports ST0 changes by itself only while insertion is enabled, and
 *   insertion stays disabled while a card waits at the gate (so it cannot be pushed back in);
 *   until the card is taken, poll the sensors and let the driver turn a change into `card-removed`.
 * - idle: a slow health check, so a reader that went silent or was unplugged puts the machine out
 *   of service before a citizen walks up to it, not after they inserted a card.
 */
export class ReaderWatch {
  private timer: TimerHandle | undefined;
  private mode: WatchMode = 'off';

  constructor(
    private readonly reader: CardReader,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervals: { cardAtGateMs: number; idleMs: number } = { cardAtGateMs: 300, idleMs: 5000 },
  ) {}

  setMode(mode: WatchMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (mode !== 'off') this.schedule();
  }

  private schedule(): void {
    const ms = this.mode === 'card-at-gate' ? this.intervals.cardAtGateMs : this.intervals.idleMs;
    this.timer = this.clock.setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    const mode = this.mode;
    if (mode === 'off') return;
    try {
      await this.reader.getSensors();
    } catch (e) {
      this.logger.debug({ err: (e as Error).message, mode }, 'reader poll failed');
    }
    if (this.mode === mode) this.schedule();
  }
}
