import { html, nothing, svg, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ControlView, ScreenView, TableView } from '../../flows/view/protocol.js';
import type { HostClock } from './host-clock.js';
import { t, type Lang } from './i18n.js';
import { illustration, toneIcon } from './icons.js';

export interface ScreenContext {
  lang: Lang;
  clock: HostClock;
  /** The control touched last, shown as pressed until the host answers with a new snapshot. */
  pending: string | undefined;
  onTouch(control: string): void;
}

/**
 * Renders any ScreenView the same way: the UI knows no screens, only the view's parts. Each part
 * is omitted when the host leaves it empty.
 */
export function renderScreen(view: ScreenView, ctx: ScreenContext): TemplateResult {
  const s = t(ctx.lang);
  const picture = illustration(view.screen);
  // Grouped controls (tabs, year steps) sit with the content they switch; the rest is the action bar.
  const actions = view.controls.filter((c) => c.group === undefined);
  // Much to show (a table with tabs and fields, or the menu with every service) must still fit a
  // 1280×800 stage with the actions in view: such screens get the compact layout (styles.css),
  // and a table's rows scroll inside it rather than the whole screen.
  const dense = view.tables.length > 0 || actions.length >= 7;
  const density = `${dense ? 'is-dense' : ''} ${view.tables.length ? 'has-table' : ''}`;
  return html`
    <main class="screen tone-${view.tone} ${density}" data-screen=${view.screen} data-tone=${view.tone} aria-labelledby="screen-title">
      <section class="panel">
        <div class="panel-head">
          ${picture
            ? html`<svg class="illustration" viewBox="0 0 200 180" aria-hidden="true">${picture}</svg>`
            : html`<svg class="tone-icon" viewBox="0 0 48 48" aria-hidden="true">${toneIcon(view.tone)}</svg>`}
          <div class="panel-heading">
            <h1 id="screen-title" class="title" tabindex="-1">${view.title}</h1>
            ${view.deadline !== undefined
              ? html`<ykt-countdown .deadline=${view.deadline} .clock=${ctx.clock} .locale=${ctx.lang}></ykt-countdown>`
              : nothing}
          </div>
        </div>
        ${view.lines.length
          ? html`<div class="lines">${view.lines.map((l) => html`<p class="line">${l}</p>`)}</div>`
          : nothing}
        ${view.progress !== undefined ? renderProgress(view.progress, s.progress) : nothing}
        ${renderGroup(view.controls, 'tabs', ctx, 'tablist')}
        ${view.fields.length
          ? html`<dl class="fields" aria-label=${s.holderData}>
              ${repeat(
                view.fields,
                (f) => f.id,
                (f) => html`<div class="field" data-field=${f.id}>
                  <dt class="field-label">${f.label}</dt>
                  <dd class="field-value">${f.value}</dd>
                </div>`,
              )}
            </dl>`
          : nothing}
        ${view.tables.length ? nothing : renderGroup(view.controls, 'years', ctx)}
        ${otherGroups(view.controls).map((g) => renderGroup(view.controls, g, ctx))}
        ${view.tables.map((tb, i) => renderTable(tb, i === 0 ? view.controls.filter((c) => c.group === 'years') : [], ctx))}
      </section>
      ${actions.length
        ? html`<nav class="controls count-${Math.min(actions.length, 8)}" aria-label=${view.title}>
            ${repeat(actions, (c) => c.id, (c) => renderControl(c, ctx))}
          </nav>`
        : nothing}
    </main>
  `;
}

/**
 * Every other group (choices such as insurance items, amounts, doctors' slots, departments), in
 * the order the host lists them: a control the host offers is always on the screen.
 */
function otherGroups(controls: ControlView[]): string[] {
  const seen: string[] = [];
  for (const c of controls) if (c.group && c.group !== 'tabs' && c.group !== 'years' && !seen.includes(c.group)) seen.push(c.group);
  return seen;
}

function renderGroup(controls: ControlView[], group: string, ctx: ScreenContext, role?: 'tablist'): TemplateResult | typeof nothing {
  const items = controls.filter((c) => c.group === group);
  if (!items.length) return nothing;
  return html`<div class="control-group group-${group}" role=${role ?? 'group'}>
    ${repeat(items, (c) => c.id, (c) => renderControl(c, ctx))}
  </div>`;
}

/**
 * A table under its title. The `years` steps page through the (first) table, so they flank its title
 * in one row — the first step before it, the others after — which also keeps a row of height for
 * the rows themselves. Only the rows scroll; the header row sticks.
 */
function renderTable(tb: TableView, steps: ControlView[], ctx: ScreenContext): TemplateResult {
  const titleId = `table-${tb.id}-title`;
  const [first, ...rest] = steps;
  const title = tb.caption ? html`<h2 class="table-title" id=${titleId}>${tb.caption}</h2>` : html`<span class="table-title"></span>`;
  return html`<div class="table-block" data-table=${tb.id}>
    ${tb.caption || steps.length
      ? html`<div class="table-head" role=${steps.length ? 'group' : nothing} aria-labelledby=${tb.caption ? titleId : nothing}>
          ${first ? renderControl(first, ctx) : nothing} ${title} ${repeat(rest, (c) => c.id, (c) => renderControl(c, ctx))}
        </div>`
      : nothing}
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby=${tb.caption ? titleId : nothing}>
      <table class="data-table" aria-labelledby=${tb.caption ? titleId : nothing}>
        <thead>
          <tr>${tb.columns.map((c) => html`<th scope="col" class="align-${c.align}">${c.label}</th>`)}</tr>
        </thead>
        <tbody>
          ${tb.rows.length
            ? tb.rows.map(
                (r) => html`<tr class="row-${r.tone}">
                  ${r.cells.map((cell, i) => html`<td class="align-${tb.columns[i]?.align ?? 'left'}">${cell}</td>`)}
                </tr>`,
              )
            : html`<tr><td class="table-empty" colspan=${tb.columns.length}>${tb.empty ?? ''}</td></tr>`}
        </tbody>
      </table>
    </div>
  </div>`;
}

function renderProgress(p: number, label: string): TemplateResult {
  const pct = Math.round(p * 100);
  return html`<div class="progress" role="progressbar" aria-label=${label} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct}>
    <div class="progress-track"><div class="progress-fill" style="width:${pct}%"></div></div>
    <span class="progress-pct">${pct}%</span>
  </div>`;
}

function renderControl(c: ControlView, ctx: ScreenContext): TemplateResult {
  const noteId = c.note ? `note-${c.id}` : undefined;
  const pending = ctx.pending === c.id;
  return html`<button
    type="button"
    id=${`ctl-${c.id}`}
    class="control kind-${c.kind} ${pending ? 'is-pending' : ''}"
    data-control=${c.id}
    data-kind=${c.kind}
    role=${c.kind === 'tab' ? 'tab' : nothing}
    aria-selected=${c.kind === 'tab' ? (c.selected ? 'true' : 'false') : nothing}
    aria-pressed=${c.kind !== 'tab' && c.selected !== undefined ? (c.selected ? 'true' : 'false') : nothing}
    ?disabled=${c.disabled === true}
    aria-describedby=${noteId ?? nothing}
    aria-busy=${pending ? 'true' : 'false'}
    @click=${() => ctx.onTouch(c.id)}
  >
    <span class="control-label">${c.label}</span>
    ${c.note ? html`<span class="control-note" id=${noteId!}>${c.note}</span>` : nothing}
    ${pending ? html`<svg class="control-spinner" viewBox="0 0 24 24" aria-hidden="true">${spinner}</svg>` : nothing}
  </button>`;
}

const spinner = svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="40 20" stroke-linecap="round" />`;
