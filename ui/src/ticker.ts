import { html, nothing, type PropertyDeclarations } from 'lit';
import { HostClock, secondsLeft } from './host-clock.js';
import { formatClock, t, type Lang } from './i18n.js';
import { LightElement } from './light-element.js';

/** Re-renders itself on an interval so the rest of the screen does not re-render with the clock. */
abstract class TickingElement extends LightElement {
  declare clock: HostClock;
  /** Not `lang`: that is HTMLElement's own attribute property. */
  declare locale: Lang;
  private timer: ReturnType<typeof setInterval> | undefined;

  static override properties: PropertyDeclarations = {
    clock: { attribute: false },
    locale: { attribute: false },
  };

  constructor(private readonly everyMs: number) {
    super();
    this.clock = new HostClock();
    this.locale = 'zh-CN';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => this.requestUpdate(), this.everyMs);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }
}

export class YktClock extends TickingElement {
  constructor() {
    super(1000);
  }

  protected override render() {
    const { time, date } = formatClock(this.clock.now(), this.locale);
    return html`<time class="clock-time">${time}</time><span class="clock-date">${date}</span>`;
  }
}

/** Seconds left until the host's deadline for this screen, with a shrinking bar. */
export class YktCountdown extends TickingElement {
  declare deadline: number;
  /** Full length of the countdown, fixed when the deadline first appears, for the bar's scale. */
  private span = 0;
  private spanFor = 0;

  // Lit merges these with the inherited clock/locale declarations.
  static override properties: PropertyDeclarations = {
    deadline: { type: Number },
  };

  constructor() {
    super(250);
    this.deadline = 0;
  }

  protected override render() {
    if (!this.deadline) return nothing;
    const now = this.clock.now();
    if (this.spanFor !== this.deadline) {
      this.spanFor = this.deadline;
      this.span = Math.max(1000, this.deadline - now);
    }
    const left = secondsLeft(this.deadline, now);
    const frac = Math.max(0, Math.min(1, (this.deadline - now) / this.span));
    const s = t(this.locale);
    const urgent = left <= 10;
    // Announce only at a few thresholds; a per-second live region would drown a screen reader.
    const announce = left === 20 || left === 10 || left === 5;
    return html`
      <div class="countdown ${urgent ? 'is-urgent' : ''}" role="timer" aria-label=${s.timerLabel}>
        <svg class="countdown-icon" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="12" cy="13" r="8" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="M12 9v4l3 2M9 2h6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        <span class="countdown-text" data-seconds=${left}>${s.secondsLeft(left)}</span>
        <span class="countdown-bar" aria-hidden="true"><span style="transform: scaleX(${frac.toFixed(3)})"></span></span>
      </div>
      <span class="sr-only" aria-live="polite">${announce ? s.secondsLeft(left) : ''}</span>
    `;
  }
}
