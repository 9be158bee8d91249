import { z } from 'zod';

/**
 * JSON contract of the simulator panel (`/sim`). Kept free of Node imports so the browser panel
 * validates the same shapes the server does.
 */
const Name = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "-", "_" or "." only');

export const SimCard = z.object({ handle: z.string(), label: z.string() });
export type SimCard = z.infer<typeof SimCard>;

export const SimPanelState = z.object({
  cards: z.array(SimCard),
  /** none | inside | at-gate | retained */
  card: z.string(),
  devices: z.record(z.string(), z.string()),
  screen: z.string(),
});
export type SimPanelState = z.infer<typeof SimPanelState>;

export const SimInsertBody = z.strictObject({ card: Name });
export const SimTakeBody = z.strictObject({});
/** PIN pad keys: digits typed at once, or one named key. The digits go to the simulated pad only. */
export const SimKeysBody = z.strictObject({ keys: z.string().regex(/^(\d{1,16}|enter|cancel|clear|F[1-4])$/, 'digits, or enter / cancel / clear / F1..F4') });
export const SimFaultBody = z.strictObject({ device: Name, kind: Name });

export const SimResult = z.object({ ok: z.boolean(), message: z.string().optional() });
export type SimResult = z.infer<typeof SimResult>;
