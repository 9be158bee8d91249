import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';

export interface TapPollerDeps {
  reader: Pick<CardReader, 'contactlessActivate' | 'busy'>;
  clock: Clock;
  logger: Logger;
  /** Reader protocol: activate every 150 ms while a tap is awaited. */
  pollMs: number;
  /** Whether a tap is awaited now (the flow is ready, the reader is well); a card seen otherwise is not a tap. */
  wanted(): boolean;
  /** A card came into the field. Polling pauses until `resume()`. */
  onTap(card: ContactlessCard): void;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Polls the antenna for a card. A card that stays in the field after it was dealt with is not a
 * new tap: it counts again only once it has left (a citizen who keeps the card on the reader is
 * not refused for passing back, and is not let through twice).
 */
export class TapPoller {
  private timer: TimerHandle | undefined;
  private paused = false;
  private stopped = true;
  private inFlight = false;
  /** The UID of the card last handed on, until a poll finds the field empty. */
  private lastUid: string | undefined;

  constructor(private readonly d: TapPollerDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The last tap was dealt with: look for the next one. */
  resume(): void {
    this.paused = false;
    this.schedule(this.d.pollMs);
  }

  /** A poll in flight (the runner waits for quiet moments). */
  busy(): boolean {
    return this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.stopped || this.paused) return;
    this.d.clock.clearTimeout(this.timer);
    this.timer = this.d.clock.setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.paused) return;
    // Polled even while no tap is wanted (gate open, denial shown): that is how the poller learns
    // that the last card has left, so the same card tapped again is seen as a new tap.
    if (this.d.reader.busy?.()) return this.schedule(this.d.pollMs);
    this.inFlight = true;
    let card: ContactlessCard | undefined;
    try {
      card = await this.d.reader.contactlessActivate();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'READER_NO_CONTACTLESS') this.lastUid = undefined;
      else this.d.logger.debug({ code }, 'contactless poll failed');
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (card && hex(card.uid) !== this.lastUid && this.d.wanted()) {
      this.lastUid = hex(card.uid);
      this.paused = true;
      this.d.onTap(card);
      return;
    }
    this.schedule(this.d.pollMs);
  }
}
