import { html, nothing, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { SimPanelState, SimResult } from '../../../kiosk/server/sim-protocol.js';
import { LightElement } from '../light-element.js';
import { getState, injectFault, insertCard, pressKeys, receiptProblem, takeCard, takeReceipt } from './api.js';
import { renderTransitCard } from './transit-card.js';
import { CARD_PLACES, faultLabel, faultsFor } from './faults.js';
import { renderPrinterCard, renderReceiptCard, type PrinterCardContext, type ReceiptPicture } from './printer-card.js';

const POLL_MS = 700;
const LOG_LIMIT = 12;

interface LogEntry {
  at: string;
  action: string;
  ok: boolean;
  message?: string;
}

/**
 * Operator/demo panel for a host running simulated devices: pick a card, insert it, take it from
 * the gate, break devices. It mirrors the host's state by polling and never decides anything.
 */
export class YktSimPanel extends LightElement {
  declare state: SimPanelState | undefined;
  declare error: string | undefined;
  declare chosen: string | undefined;
  declare device: string;
  declare busy: boolean;
  declare log: LogEntry[];
  declare showKiosk: boolean;
  declare picture: ReceiptPicture | undefined;

  static override properties: PropertyDeclarations = {
    state: { state: true },
    error: { state: true },
    chosen: { state: true },
    device: { state: true },
    busy: { state: true },
    log: { state: true },
    showKiosk: { state: true },
    picture: { state: true },
  };

  private timer: ReturnType<typeof setTimeout> | undefined;
  private alive = false;

  constructor() {
    super();
    this.state = undefined;
    this.error = undefined;
    this.chosen = undefined;
    this.device = 'reader';
    this.busy = false;
    this.log = [];
    this.showKiosk = new URLSearchParams(location.search).get('kiosk') !== '0';
    this.picture = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.alive = true;
    void this.poll();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.alive = false;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    try {
      this.state = await getState();
      this.error = undefined;
      if (!this.chosen || !this.state.cards.some((c) => c.handle === this.chosen)) {
        this.chosen = this.state.cards[0]?.handle;
      }
      // A new document gets a new picture; the old one's load state must not carry over.
      const doc = this.state.printer?.last;
      if (doc && !doc.printing && this.picture?.id !== doc.id) this.picture = { id: doc.id, state: 'loading', attempt: 0 };
      const devices = Object.keys(this.state.devices);
      if (devices.length && !devices.includes(this.device)) this.device = devices.includes('reader') ? 'reader' : devices[0]!;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
    if (this.alive) this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async act(action: string, run: () => Promise<SimResult>): Promise<void> {
    this.busy = true;
    let entry: LogEntry;
    try {
      const r = await run();
      entry = { at: new Date().toLocaleTimeString(), action, ok: r.ok, message: r.message };
    } catch (err) {
      entry = { at: new Date().toLocaleTimeString(), action, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    this.log = [entry, ...this.log].slice(0, LOG_LIMIT);
    this.busy = false;
    void this.poll();
  }

  protected override render() {
    const st = this.state;
    const devices = st ? Object.keys(st.devices) : [];
    return html`
      <div class="sim-layout ${this.showKiosk ? '' : 'no-kiosk'}">
        <aside class="sim-controls" aria-label="Simulator">
          <header class="sim-head">
            <h1>终端模拟器 <small>Kiosk simulator</small></h1>
            <label class="sim-toggle"><input type="checkbox" .checked=${this.showKiosk}
              @change=${(e: Event) => (this.showKiosk = (e.target as HTMLInputElement).checked)} /> 显示屏幕 show screen</label>
          </header>
          ${this.error ? html`<p class="sim-error" role="alert">${this.error}</p>` : nothing}
          ${this.renderStatus(st)}
          ${this.renderCards(st)}
          ${renderTransitCard(st, { busy: this.busy, chosen: this.chosen, act: (a, run) => void this.act(a, run) })}
          ${renderPrinterCard(st?.printer, this.printerContext())}
          ${this.renderFaults(devices)}
          ${this.renderLog()}
          ${renderReceiptCard(st?.printer, this.printerContext())}
        </aside>
        ${this.showKiosk ? html`<div class="sim-screen"><iframe src="/" title="Kiosk screen" data-sim="kiosk-frame"></iframe></div>` : nothing}
      </div>
    `;
  }

  private printerContext(): PrinterCardContext {
    return {
      busy: this.busy,
      picture: this.picture,
      onTakeReceipt: () => void this.act('take receipt', takeReceipt),
      onPicture: (id, state) => {
        if (this.picture?.id !== id) return;
        this.picture = { ...this.picture, state };
        if (state === 'error') {
          void receiptProblem(id).then((message) => {
            if (this.picture?.id === id) this.picture = { ...this.picture, message };
          });
        }
      },
      onRetryPicture: () => {
        if (this.picture) this.picture = { ...this.picture, state: 'loading', attempt: this.picture.attempt + 1 };
      },
    };
  }

  private renderStatus(st: SimPanelState | undefined) {
    return html`<section class="sim-card" aria-labelledby="sim-status-h">
      <h2 id="sim-status-h">状态 Status</h2>
      <dl class="sim-status">
        <dt>屏幕 screen</dt><dd data-sim="screen">${st?.screen ?? '—'}</dd>
        <dt>卡片 card</dt><dd data-sim="card" data-place=${st?.card ?? ''}><span class="place place-${st?.card ?? 'unknown'}">${st ? (CARD_PLACES[st.card] ?? st.card) : '—'}</span></dd>
      </dl>
      <ul class="sim-devices">
        ${st ? repeat(Object.entries(st.devices), ([d]) => d, ([d, s]) => html`<li data-device=${d} data-status=${s}>
          <span class="dot ${s === 'ok' ? 'ok' : s === 'starting' ? 'wait' : 'bad'}"></span><b>${d}</b> ${s}</li>`) : nothing}
      </ul>
    </section>`;
  }

  private renderCards(st: SimPanelState | undefined) {
    const atGate = st?.card === 'at-gate';
    return html`<section class="sim-card" aria-labelledby="sim-cards-h">
      <h2 id="sim-cards-h">模拟卡 Cards</h2>
      <div class="sim-cardlist" role="radiogroup" aria-labelledby="sim-cards-h">
        ${st ? repeat(st.cards, (c) => c.handle, (c) => html`<label class="sim-cardopt ${this.chosen === c.handle ? 'is-chosen' : ''}" data-card=${c.handle}>
          <input type="radio" name="card" .value=${c.handle} .checked=${this.chosen === c.handle}
            @change=${() => (this.chosen = c.handle)} />
          <span>${c.label}</span></label>`) : html`<p>…</p>`}
      </div>
      <div class="sim-row">
        <button id="sim-insert" data-sim="insert" class="primary" ?disabled=${this.busy || !this.chosen}
          @click=${() => this.chosen && this.act(`insert ${this.chosen}`, () => insertCard(this.chosen!))}>插卡 Insert</button>
        <button id="sim-take" data-sim="take" class=${atGate ? 'primary attention' : ''} ?disabled=${this.busy}
          @click=${() => this.act('take card', takeCard)}>取卡 Take card</button>
      </div>
    </section>
    ${this.renderPinPad()}`;
  }

  /** The simulated PIN pad: each key goes to the pad simulator; the kiosk only ever learns a count. */
  private renderPinPad() {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'enter'];
    return html`<section class="sim-card" aria-label="PIN pad">
      <h2>密码键盘 PIN pad</h2>
      <div class="sim-faults">
        ${keys.map((k) => html`<button id=${`sim-key-${k}`} data-sim="key" data-key=${k} ?disabled=${this.busy}
          @click=${() => this.act(`key ${/^\d$/.test(k) ? '•' : k}`, () => pressKeys(k))}>${k === 'clear' ? '更正 Clear' : k === 'enter' ? '确认 Enter' : k}</button>`)}
        <button id="sim-key-cancel" data-sim="key" data-key="cancel" class="warn" ?disabled=${this.busy}
          @click=${() => this.act('key cancel', () => pressKeys('cancel'))}>取消 Cancel</button>
      </div>
    </section>`;
  }

  private renderFaults(devices: string[]) {
    const list = devices.length ? devices : ['reader'];
    return html`<section class="sim-card" aria-labelledby="sim-faults-h">
      <h2 id="sim-faults-h">故障注入 Faults</h2>
      <label class="sim-select">设备 device
        <select data-sim="device" @change=${(e: Event) => (this.device = (e.target as HTMLSelectElement).value)}>
          ${list.map((d) => html`<option .value=${d} ?selected=${d === this.device}>${d}</option>`)}
        </select>
      </label>
      <div class="sim-faults">
        ${faultsFor(this.device).map((k) => html`<button id=${`sim-fault-${k}`} data-sim="fault" data-kind=${k}
          class=${k === 'clear' || k === 'replug' ? 'good' : 'warn'} ?disabled=${this.busy}
          @click=${() => this.act(`${this.device}: ${k}`, () => injectFault(this.device, k))}>${faultLabel(this.device, k)}</button>`)}
      </div>
    </section>`;
  }

  private renderLog() {
    return html`<section class="sim-card" aria-labelledby="sim-log-h">
      <h2 id="sim-log-h">记录 Log</h2>
      <ol class="sim-log" aria-live="polite" data-sim="log">
        ${this.log.map((e) => html`<li class=${e.ok ? 'ok' : 'bad'}><time>${e.at}</time> ${e.ok ? '✓' : '✗'} ${e.action}${e.message ? html` — ${e.message}` : nothing}</li>`)}
      </ol>
    </section>`;
  }
}
