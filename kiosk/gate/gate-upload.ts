import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Journal } from '../journal/journal.js';

const CURSOR = 'gate-upload';
const BATCH = 200;

export interface GateUploaderDeps {
  journal: Journal;
  backend: Pick<SocialSecurityBackend, 'uploadGateEvents'>;
  clock: Clock;
  logger: Logger;
  terminalId: string;
  everyMs: number;
}

/**
 * Sends the journal's gate events to the backend, oldest first, at least once: the cursor moves
 * only after the backend accepted a batch, and the backend ignores an event id it already has,
 * so a batch resent after a lost answer or a power cut counts once. A backend that is down costs
 * nothing but a later upload.
 */
export class GateUploader {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private running = false;

  constructor(private readonly d: GateUploaderDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.d.clock.clearTimeout(this.timer);
  }

  busy(): boolean {
    return this.running;
  }

  /** Uploads everything pending now; resolves with the number of events the backend took. */
  async flush(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let sent = 0;
    try {
      for (;;) {
        const from = this.d.journal.cursor(CURSOR);
        const batch = this.d.journal.after(from, 'gate', BATCH);
        if (!batch.length) break;
        await this.d.backend.uploadGateEvents({
          terminalId: this.d.terminalId,
          events: batch.map((e) => ({ id: `${this.d.terminalId}:${e.id}`, ts: e.ts, status: e.status, data: e.data })),
        });
        this.d.journal.setCursor(CURSOR, batch[batch.length - 1]!.id);
        sent += batch.length;
        if (batch.length < BATCH || this.stopped) break;
      }
      if (sent) this.d.logger.info({ sent }, 'gate events uploaded');
    } catch (err) {
      this.d.logger.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'gate event upload failed; kept for the next try');
    } finally {
      this.running = false;
    }
    return sent;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.d.clock.setTimeout(async () => {
      await this.flush();
      this.schedule(this.d.everyMs);
    }, ms);
  }
}
