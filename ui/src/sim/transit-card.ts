import { html, nothing } from 'lit';
import type { SimPanelState, SimResult } from '../../../kiosk/server/sim-protocol.js';
import { scanEcard, tapCard, walkThrough } from './api.js';

export interface TransitCardContext {
  busy: boolean;
  /** The card chosen in the card list. */
  chosen: string | undefined;
  act(action: string, run: () => Promise<SimResult>): void;
}

/**
 * The contactless antenna, the QR scanner and (on a gate) the turnstile: tap the chosen card,
 * show its holder's electronic card code (or a bad one), walk through the gate.
 */
export function renderTransitCard(st: SimPanelState | undefined, c: TransitCardContext) {
  const t = st?.transit;
  if (!t) return nothing;
  const card = c.chosen;
  const gate = st?.profile === 'gate';
  return html`<section class="sim-card" aria-labelledby="sim-transit-h">
    <h2 id="sim-transit-h">刷卡·扫码${gate ? '·闸机' : ''} Tap · scan${gate ? ' · gate' : ''}</h2>
    <dl class="sim-status">
      <dt>感应区 antenna</dt><dd data-sim="field">${t.cardInField ? '有卡 card held' : '无卡 empty'}</dd>
      ${gate
        ? html`<dt>闸门 gate</dt><dd data-sim="gate" data-gate=${t.gate}>${t.gate === 'open' ? '打开 open' : '关闭 closed'} · ${t.lights}${t.alarm ? ' · 报警 alarm' : ''} · ${t.passages} 通过</dd>`
        : nothing}
    </dl>
    <div class="sim-row">
      <button id="sim-tap" data-sim="tap" class="primary" ?disabled=${c.busy || !card}
        @click=${() => card && c.act(`tap ${card}`, () => tapCard(card))}>刷卡 Tap (3rd gen.)</button>
    </div>
    <div class="sim-faults">
      ${(['valid', 'expired', 'tampered', 'foreign'] as const).map(
        (v) => html`<button id=${`sim-scan-${v}`} data-sim="scan" data-variant=${v} class=${v === 'valid' ? 'good' : 'warn'}
          ?disabled=${c.busy || !card} @click=${() => card && c.act(`scan ${v} code of ${card}`, () => scanEcard(card, v))}>
          ${v === 'valid' ? '扫电子社保卡 Scan e-card' : v === 'expired' ? '过期码 expired' : v === 'tampered' ? '篡改码 tampered' : '他方码 foreign'}</button>`,
      )}
    </div>
    ${gate
      ? html`<div class="sim-row">
          <button id="sim-pass" data-sim="pass" ?disabled=${c.busy} @click=${() => c.act('walk through', () => walkThrough(false))}>通过 Walk through</button>
          <button id="sim-tailgate" data-sim="tailgate" class="warn" ?disabled=${c.busy}
            @click=${() => c.act('two people walk through', () => walkThrough(true))}>尾随 Tailgate</button>
        </div>`
      : nothing}
  </section>`;
}
