import { z } from 'zod';

/**
 * The transit gate's timings and policy. A turnstile has about 300 ms to answer a tap and never
 * waits for an online approval (domain facts): the only online call on the decision path, the
 * electronic card code's status, gets a small budget and is skipped when the backend is slow.
 */
export const GateConfigSchema = z
  .object({
    /** Which way the gate lets a citizen through when it opens. */
    direction: z.enum(['in', 'out']).default('in'),
    /** How long a denial stays on screen (red light) before the gate is ready again. */
    deniedMs: z.number().int().positive().default(3_000),
    /** An open gate nobody walks through closes again after this long (the passage is not counted). */
    passageTimeoutMs: z.number().int().positive().default(10_000),
    /** The same card or code again within this window (after a passage) is refused: 防折返 / anti-passback. */
    antiPassbackMs: z.number().int().min(0).default(120_000),
    /** Budget for the online status of an electronic card code; 0 = decide offline only. */
    codeOnlineBudgetMs: z.number().int().min(0).max(1_000).default(150),
    /** Check the card is genuine (internal authentication with the PSAM) before opening. */
    authenticate: z.boolean().default(true),
    /** Guard over reading a tapped card (the reader's own timeouts come first). */
    readGuardMs: z.number().int().positive().default(2_000),
    /** How long the alarm sounds after a forced passage or tailgating. */
    alarmMs: z.number().int().positive().default(5_000),
    /** How often the contactless antenna is polled while a tap is awaited (reader protocol: 150 ms). */
    pollMs: z.number().int().positive().default(150),
    /** How often the journal's gate events are uploaded to the backend (when reachable). */
    uploadEveryMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type GateConfig = z.infer<typeof GateConfigSchema>;
export type GateConfigInput = z.input<typeof GateConfigSchema>;
