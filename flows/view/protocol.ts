import { z } from 'zod';

/**
 * The only contract between the host and the touchscreen UI: the host sends snapshots (what to
 * show), the UI sends intents (what the citizen touched). Both ends validate with these schemas.
 * The UI renders a ScreenView generically; the scenario runner reads the same ScreenView for
 * `expect.text`, so what a test asserts is what a citizen sees.
 */
export const Tone = z.enum(['info', 'success', 'warning', 'error']);

export const ControlView = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string(),
  /** `tab`: one of a group of mutually exclusive views (e.g. insurance types); `selected` marks the shown one. */
  kind: z.enum(['primary', 'secondary', 'danger', 'tab']).default('secondary'),
  disabled: z.boolean().optional(),
  selected: z.boolean().optional(),
  /** Controls with the same group are laid out together (`tabs`, `years`); ungrouped ones go in the action bar. */
  group: z.string().regex(/^[a-z0-9-]+$/).optional(),
  /** Why a disabled control is disabled, shown beside it. */
  note: z.string().optional(),
});
export type ControlView = z.infer<typeof ControlView>;

export const FieldView = z.object({ id: z.string(), label: z.string(), value: z.string() });
export type FieldView = z.infer<typeof FieldView>;

export const TableView = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  caption: z.string().optional(),
  columns: z.array(z.object({ label: z.string(), align: z.enum(['left', 'right', 'center']).default('left') })),
  rows: z.array(
    z.object({
      cells: z.array(z.string()),
      /** `warning` rows are highlighted (e.g. a month in arrears). */
      tone: z.enum(['info', 'warning']).default('info'),
    }),
  ),
  /** Shown instead of the rows when there are none. */
  empty: z.string().optional(),
});
export type TableView = z.infer<typeof TableView>;

export const ScreenView = z.object({
  screen: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  lines: z.array(z.string()),
  fields: z.array(FieldView).default([]),
  tables: z.array(TableView).default([]),
  controls: z.array(ControlView).default([]),
  tone: Tone.default('info'),
  /** 0..1 for progress screens. */
  progress: z.number().min(0).max(1).optional(),
  /** Epoch ms (host clock) when this screen times out by itself, for a countdown. */
  deadline: z.number().optional(),
  /**
   * The spoken prompt for this screen (voice guidance), in the snapshot's language. Never contains
   * PIN digits. Absent: the UI speaks nothing new for this view.
   */
  speak: z.string().optional(),
});
export type ScreenView = z.infer<typeof ScreenView>;

export const CardPlace = z.enum(['none', 'inside', 'at-gate', 'retained']);
export type CardPlace = z.infer<typeof CardPlace>;

export const HostSnapshot = z.object({
  type: z.literal('snapshot'),
  seq: z.number().int(),
  now: z.number(),
  view: ScreenView,
  card: CardPlace,
  devices: z.record(z.string(), z.string()),
  lang: z.enum(['zh-CN', 'en']),
  sim: z.boolean(),
  terminalId: z.string(),
  /** Which terminal this is: the header names the service (a citizen kiosk, a gate, a hospital's registration machine). */
  profile: z.enum(['kiosk', 'gate', 'hospital']).default('kiosk'),
  /** Elderly mode (长辈模式) for this visit: large type, high contrast, fewer choices, longer timeouts. */
  elderly: z.boolean().default(false),
});
export type HostSnapshot = z.infer<typeof HostSnapshot>;

export const Intent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('touch'), control: z.string().regex(/^[a-z0-9-]+$/).max(64) }),
  z.object({ type: z.literal('hello') }),
]);
export type Intent = z.infer<typeof Intent>;

/** Text a citizen can read on a screen: what `expect.text` searches. */
export function visibleText(view: ScreenView): string {
  return [
    view.title,
    ...view.lines,
    ...view.fields.map((f) => `${f.label} ${f.value}`),
    ...view.tables.flatMap((t) => [
      ...(t.caption ? [t.caption] : []),
      t.columns.map((c) => c.label).join(' '),
      ...(t.rows.length ? t.rows.map((r) => r.cells.join(' ')) : t.empty ? [t.empty] : []),
    ]),
    ...view.controls.map((c) => (c.note ? `${c.label} ${c.note}` : c.label)),
  ].join('\n');
}
