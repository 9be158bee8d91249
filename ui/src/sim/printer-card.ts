import { html, nothing, type TemplateResult } from 'lit';
import type { SimPrinterDocument, SimPrinterState } from '../../../kiosk/server/sim-protocol.js';
import { receiptUrl } from './api.js';
import { PAPER_LEVELS } from './faults.js';

/** Where the picture of the last receipt is: it takes Chromium a second or two on the host. */
export interface ReceiptPicture {
  id: string;
  state: 'loading' | 'ok' | 'error';
  message?: string;
  /** Bumped by "retry" so the same document gets a new URL and the browser asks again. */
  attempt: number;
}

export interface PrinterCardContext {
  busy: boolean;
  picture: ReceiptPicture | undefined;
  onTakeReceipt(): void;
  onPicture(id: string, state: 'ok' | 'error'): void;
  onRetryPicture(): void;
}

function statusDot(status: string): string {
  if (status === 'ok') return 'ok';
  if (status === 'starting' || status === 'paper-low') return 'wait';
  return 'bad';
}

/** The printer as the operator at the machine sees it, and the button for the citizen's hand. */
export function renderPrinterCard(p: SimPrinterState | undefined, ctx: PrinterCardContext): TemplateResult | typeof nothing {
  if (!p) return nothing;
  const metres = (p.paperRemainingMm / 1000).toFixed(p.paperRemainingMm < 10_000 ? 2 : 1);
  return html`<section class="sim-card" aria-labelledby="sim-printer-h" data-sim="printer" data-status=${p.status}
    data-paper=${p.paper} data-cover=${p.coverOpen ? 'open' : 'closed'} data-receipt=${p.receiptWaiting ? 'waiting' : 'none'}>
    <h2 id="sim-printer-h">打印机 Printer</h2>
    <dl class="sim-status">
      <dt>状态 status</dt>
      <dd data-sim="printer-status"><span class="dot ${statusDot(p.status)}"></span>${p.status}</dd>
      <dt>纸卷 paper</dt>
      <dd data-sim="paper" data-level=${p.paper}><span class="level level-${p.paper}">${PAPER_LEVELS[p.paper] ?? p.paper}</span>
        <small>${metres} m</small></dd>
      <dt>上盖 cover</dt>
      <dd data-sim="cover"><span class="level ${p.coverOpen ? 'level-out' : 'level-ok'}">${p.coverOpen ? '打开 open' : '关闭 closed'}</span></dd>
      <dt>切刀 cutter</dt>
      <dd data-sim="cutter"><span class="level ${p.jammed ? 'level-out' : 'level-ok'}">${p.jammed ? '卡纸 jammed' : '正常 ok'}</span></dd>
      <dt>出纸口 exit</dt>
      <dd data-sim="receipt-waiting" data-waiting=${String(p.receiptWaiting)}>
        <span class="place ${p.receiptWaiting ? 'place-at-gate' : ''}">${p.receiptWaiting ? '凭条待取 receipt waiting' : '空 empty'}</span></dd>
    </dl>
    ${p.presenterSensor ? nothing : html`<p class="sim-note">无出纸传感器：终端看不到凭条是否被取走 · no presenter sensor</p>`}
    <div class="sim-row">
      <button id="sim-take-receipt" data-sim="take-receipt" class=${p.receiptWaiting ? 'primary attention' : ''} ?disabled=${ctx.busy}
        @click=${() => ctx.onTakeReceipt()}>取走凭条 Take receipt</button>
    </div>
  </section>`;
}

/** The last document: its picture (rendered by the host) and its decoded text. */
export function renderReceiptCard(p: SimPrinterState | undefined, ctx: PrinterCardContext): TemplateResult | typeof nothing {
  if (!p) return nothing;
  const doc = p.last;
  return html`<section class="sim-card" aria-labelledby="sim-receipt-h" data-sim="receipt-card" data-doc=${doc?.id ?? ''}>
    <h2 id="sim-receipt-h">最后打印 Last printed <small>${p.documents ? `${p.documents} 张 documents` : ''}</small></h2>
    ${doc ? renderDocument(doc, ctx) : html`<p class="sim-note" data-sim="receipt-none">尚未打印 · nothing printed yet</p>`}
  </section>`;
}

function documentState(doc: SimPrinterDocument): string {
  if (doc.printing) return '正在打印 · printing…';
  if (doc.truncated) return `未打完 · truncated (${doc.stoppedBy ?? 'stopped'})`;
  return doc.cut ? '已切纸 · cut' : '未切纸 · not cut';
}

function renderDocument(doc: SimPrinterDocument, ctx: PrinterCardContext): TemplateResult {
  return html`
    <p class="sim-note" data-sim="receipt-state">${documentState(doc)}${doc.qr.length ? html` · QR <code>${doc.qr.join(', ')}</code>` : nothing}</p>
    ${doc.printing ? nothing : renderPicture(doc, ctx)}
    <details class="sim-receipt-text" open>
      <summary>解码文字 decoded text</summary>
      <pre data-sim="receipt-text">${doc.text}</pre>
    </details>`;
}

function renderPicture(doc: SimPrinterDocument, ctx: PrinterCardContext): TemplateResult {
  const pic = ctx.picture?.id === doc.id ? ctx.picture : undefined;
  const src = `${receiptUrl(doc.id)}${pic?.attempt ? `&attempt=${pic.attempt}` : ''}`;
  if (pic?.state === 'error') {
    return html`<p class="sim-error" data-sim="receipt-error">图片生成失败 · ${pic.message ?? 'could not render the receipt'}
      <button type="button" @click=${() => ctx.onRetryPicture()}>重试 retry</button></p>`;
  }
  return html`<figure class="sim-receipt" data-state=${pic?.state ?? 'loading'}>
    ${pic?.state === 'ok' ? nothing : html`<figcaption class="sim-note">正在生成图片 · rendering…</figcaption>`}
    <a href=${src} target="_blank" rel="noopener" title="原尺寸 full size">
      <img data-sim="receipt" data-doc=${doc.id} src=${src} alt="最后打印的凭条 · the last printed receipt"
        @load=${() => ctx.onPicture(doc.id, 'ok')} @error=${() => ctx.onPicture(doc.id, 'error')} />
    </a>
  </figure>`;
}
