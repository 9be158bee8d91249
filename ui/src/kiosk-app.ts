import { html, nothing, type PropertyDeclarations } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { HostSnapshot } from '../../flows/view/protocol.js';
import { HostConnection, socketUrl, type LinkState } from './connection.js';
import { HostClock } from './host-clock.js';
import { t, type Lang } from './i18n.js';
import { cardEmblem } from './icons.js';
import { LightElement } from './light-element.js';
import { renderScreen } from './screen-view.js';

/** A second tap this soon after a touch is a double-tap, not a new decision. */
const TOUCH_GUARD_MS = 600;
/** A tap landing right after a screen change was aimed at the previous screen. */
const SCREEN_CHANGE_GUARD_MS = 400;
/** If the host never answers a touch, stop showing the button as pressed. */
const PENDING_TIMEOUT_MS = 5000;

/**
 * The kiosk page: shows whatever the host's latest snapshot says and reports touches. It keeps no
 * business state of its own — only link state and input debouncing.
 */
export class YktKiosk extends LightElement {
  declare snap: HostSnapshot | undefined;
  declare link: LinkState;
  declare attempt: number;
  declare pending: string | undefined;
  declare announcement: string;

  static override properties: PropertyDeclarations = {
    snap: { state: true },
    link: { state: true },
    attempt: { state: true },
    pending: { state: true },
    announcement: { state: true },
  };

  private readonly clock = new HostClock();
  private conn: HostConnection | undefined;
  private guardUntil = 0;
  private guardTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private focusTitle = false;

  constructor() {
    super();
    this.snap = undefined;
    this.link = 'connecting';
    this.attempt = 0;
    this.pending = undefined;
    this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.conn = new HostConnection(socketUrl(), {
      onSnapshot: (s) => this.onSnapshot(s),
      onLinkState: (state, attempt) => {
        this.link = state;
        this.attempt = attempt;
        this.dataset.link = state;
      },
    });
    this.dataset.input = 'ready';
    this.conn.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.conn?.stop();
  }

  private get uiLang(): Lang {
    return this.snap?.lang ?? 'zh-CN';
  }

  private onSnapshot(s: HostSnapshot): void {
    const prev = this.snap;
    this.clock.sync(s.now);
    this.snap = s;
    this.pending = undefined;
    clearTimeout(this.pendingTimer);
    document.documentElement.lang = s.lang;
    if (!prev || prev.view.screen !== s.view.screen || prev.view.title !== s.view.title) {
      this.announcement = s.view.title;
      this.focusTitle = true;
      if (prev && prev.view.screen !== s.view.screen) this.guard(SCREEN_CHANGE_GUARD_MS);
    }
  }

  private onTouch(control: string): void {
    const now = performance.now();
    if (now < this.guardUntil || this.link !== 'open') return;
    if (!this.conn?.send({ type: 'touch', control })) return;
    this.guard(TOUCH_GUARD_MS);
    this.pending = control;
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => (this.pending = undefined), PENDING_TIMEOUT_MS);
  }

  /**
   * Ignores touches for a moment. `data-input` on the element says whether touches are taken
   * now, so automated tests can wait for it instead of sleeping.
   */
  private guard(ms: number): void {
    const until = performance.now() + ms;
    if (until <= this.guardUntil) return;
    this.guardUntil = until;
    this.dataset.input = 'guarded';
    clearTimeout(this.guardTimer);
    this.guardTimer = setTimeout(() => (this.dataset.input = 'ready'), ms);
  }

  protected override updated(): void {
    // Move focus to the new title so keyboard and screen-reader users start at the top of the
    // new screen instead of on a button that no longer exists.
    if (this.focusTitle) {
      this.focusTitle = false;
      this.querySelector<HTMLElement>('#screen-title')?.focus({ preventScroll: true });
    }
  }

  protected override render() {
    const s = t(this.uiLang);
    const snap = this.snap;
    const live = this.link === 'open' && snap !== undefined;
    return html`
      <header class="topbar">
        <div class="brand">
          <svg class="emblem" viewBox="0 0 48 48" aria-hidden="true">${cardEmblem}</svg>
          <div class="brand-text">
            <span class="brand-name">${snap ? s.services[snap.profile] : s.service}</span>
            ${snap ? html`<span class="terminal-id" data-terminal=${snap.terminalId}>${s.terminal} ${snap.terminalId}</span>` : nothing}
          </div>
        </div>
        <div class="topbar-right">
          ${snap?.sim ? html`<span class="sim-badge">${s.sim}</span>` : nothing}
          <span class="lang-chip" lang=${this.uiLang} aria-label="Language">${s.language}</span>
          <ykt-clock .clock=${this.clock} .locale=${this.uiLang}></ykt-clock>
        </div>
      </header>
      <div class="stage-wrap">
        <div class="stage" ?inert=${!live} aria-hidden=${live ? 'false' : 'true'}>
          ${snap
            ? keyed(
                snap.view.screen,
                renderScreen(snap.view, {
                  lang: this.uiLang,
                  clock: this.clock,
                  pending: this.pending,
                  onTouch: (c) => this.onTouch(c),
                }),
              )
            : nothing}
        </div>
        ${live ? nothing : this.renderConnecting()}
      </div>
      <div class="sr-only" aria-live=${snap?.view.tone === 'error' ? 'assertive' : 'polite'} aria-atomic="true">${this.announcement}</div>
    `;
  }

  private renderConnecting() {
    const s = t(this.uiLang);
    return html`<div class="connecting ${this.snap ? 'over-screen' : ''}" data-screen-overlay="connecting" role="status" aria-live="polite">
      <div class="connecting-box">
        <svg class="connecting-spinner" viewBox="0 0 50 50" aria-hidden="true">
          <circle cx="25" cy="25" r="20" fill="none" stroke-width="5" />
        </svg>
        <p class="connecting-title">${s.connecting}</p>
        <p class="connecting-hint">${s.connectingHint}</p>
        ${this.attempt > 1 ? html`<p class="connecting-attempt">${s.retrying(this.attempt - 1)}</p>` : nothing}
      </div>
    </div>`;
  }
}
