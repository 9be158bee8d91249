import type { Clock, TimerHandle } from '../common/clock.js';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/**
 * Retries an async `attempt` with exponential backoff on the injected clock until it succeeds or
 * stop() is called. Delays: initial, 2×initial, … capped at max.
 */
export class Reconnector {
  private timer?: TimerHandle;
  private delay: number;
  private attempts = 0;
  private running = false;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly attempt: () => Promise<void>,
    private readonly hooks: {
      onScheduled?: (info: { attempt: number; delayMs: number }) => void;
      onSuccess: () => void;
      onFailure?: (err: unknown) => void;
      /** An attempt succeeded after stop(): undo what it opened. */
      onAbandoned?: () => void;
    },
    opts: BackoffOptions = {},
  ) {
    this.initialMs = opts.initialMs ?? 250;
    this.maxMs = opts.maxMs ?? 5000;
    this.delay = this.initialMs;
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.delay = this.initialMs;
    this.attempts = 0;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const delayMs = this.delay;
    this.attempts++;
    this.hooks.onScheduled?.({ attempt: this.attempts, delayMs });
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      this.attempt().then(
        () => {
          if (!this.running) {
            this.hooks.onAbandoned?.();
            return;
          }
          this.running = false;
          this.hooks.onSuccess();
        },
        (err: unknown) => {
          if (!this.running) return;
          this.hooks.onFailure?.(err);
          this.delay = Math.min(this.delay * 2, this.maxMs);
          this.schedule();
        },
      );
    }, delayMs);
  }
}
