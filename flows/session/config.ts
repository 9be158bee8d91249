import { z } from 'zod';

/** What the status policy does with a blocked card. */
export const StatusAction = z.enum(['retain', 'return']);
export type StatusAction = z.infer<typeof StatusAction>;

/**
 * Session timings, the retain policy and the PIN / card status policy. Defaults follow the domain
 * facts: ATMs retain a card left at the gate after about 30 s, and a citizen gets at least 20 s to
 * extend a session that is about to time out (WCAG 2.2.1).
 */
export const SessionConfigSchema = z.object({
  menuIdleMs: z.number().int().positive().default(60_000),
  takeCardMs: z.number().int().positive().default(30_000),
  retainOnTakeTimeout: z.boolean().default(true),
  cardErrorMs: z.number().int().positive().default(30_000),
  retainedNoticeMs: z.number().int().positive().default(10_000),
  recoverIntervalMs: z.number().int().positive().default(3_000),
  /** Also guards every other reader command (prepare, eject, retain): none may hang a citizen. */
  readTimeoutMs: z.number().int().positive().default(20_000),
  /** Ask the PIN right after the card is read and checked (the spec's scenario flow). */
  pinAtStart: z.boolean().default(true),
  /** What happens to a card whose status blocks it: kept by the machine or handed back. */
  statusPolicy: z
    .object({
      lost: StatusAction.default('retain'),
      blacklisted: StatusAction.default('retain'),
      'dead-holder': StatusAction.default('retain'),
    })
    .default({ lost: 'retain', blacklisted: 'retain', 'dead-holder': 'retain' }),
  /** Keep a card the holder has just reported lost (otherwise it is handed back). */
  retainAfterLossReport: z.boolean().default(false),
  /**
   * Guard over one PIN entry (verifyPin, capturePin). The pad's own entry timeout should fire
   * first (PIN_TIMEOUT); this only keeps a hung pad from holding the card.
   */
  pinGuardMs: z.number().int().positive().default(90_000),
  /** Guard over a backend call (checkCardStatus, reportLoss, liftLoss, applyPinChange). */
  backendTimeoutMs: z.number().int().positive().default(20_000),
  /** Guard over one statement print (fetch + print); the printer driver's own timeouts come first. */
  printGuardMs: z.number().int().positive().default(60_000),
  /** How long take-receipt waits for the receipt to be taken before going back to the menu. */
  takeReceiptMs: z.number().int().positive().default(30_000),
  /**
   * Guard over one payment (debit, reversal on doubt, posting). Longer than the bank's timeout
   * plus a reversal: the payment itself always finishes host-side; this only frees the screen.
   */
  payGuardMs: z.number().int().positive().default(120_000),
  /** A card tapped on the antenna starts a visit (idle only; the host polls the antenna then). */
  acceptTap: z.boolean().default(true),
  /** A scanned e-card code starts a visit (idle only; the holder is known only online). */
  acceptCode: z.boolean().default(true),
  /**
   * Which services the menu offers: the citizen kiosk's (premiums, loss reports, PIN), or the
   * hospital registration machine's (挂号 first, 退号, 补打挂号凭条, contributions). The host sets
   * it from the terminal's profile.
   */
  services: z.enum(['kiosk', 'hospital']).default('kiosk'),
});

export type SessionConfig = z.infer<typeof SessionConfigSchema>;

export const DEFAULT_SESSION_CONFIG: SessionConfig = SessionConfigSchema.parse({});

/** Fills defaults; extra keys (the host's own session settings) are dropped, bad values throw. */
export function resolveSessionConfig(partial: Partial<SessionConfig> | undefined): SessionConfig {
  return SessionConfigSchema.parse(partial ?? {});
}

/** How long before the menu times out the "are you still there?" warning appears. */
export const MENU_WARNING_MS = 20_000;

export function menuWarningMs(config: SessionConfig): number {
  return Math.min(MENU_WARNING_MS, config.menuIdleMs);
}
