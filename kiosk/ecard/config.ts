/**
 * The `ecard` config section, ready for kiosk/config/schema.ts to include as
 * `ecard: EcardConfigSchema.default({})` (docs/ecard.md). Kept here so the format and its settings
 * change together.
 */
import { z } from 'zod';
import { DEMO_ECARD_PUBLIC_KEYS } from './demo-keys.js';
import { EcardKid } from './format.js';
import { ecardPublicKey } from './keys.js';
import { ECARD_DEFAULT_SKEW_MS } from './verify.js';

const PublicKeyPem = z.string().superRefine((pem, ctx) => {
  try {
    ecardPublicKey(pem);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const EcardConfigSchema = z
  .object({
    /** false: the scanner path refuses e-card codes altogether. */
    enabled: z.boolean().default(true),
    /**
     * Trusted issuer public keys (Ed25519 SPKI PEM) by kid. Empty in sim mode: the demo key is
     * trusted then (trustedEcardKeys); in hardware mode empty means no code verifies.
     */
    publicKeys: z.record(EcardKid, PublicKeyPem).default({}),
    /** Clock difference tolerated on `iat`/`exp`, ms. */
    skewMs: z.number().int().min(0).max(300_000).default(ECARD_DEFAULT_SKEW_MS),
    /** Longest wait for the backend's status answer before deciding offline-only, ms. */
    onlineBudgetMs: z.number().int().positive().default(2_000),
  })
  .strict();

export type EcardConfig = z.infer<typeof EcardConfigSchema>;

/** The keys a terminal trusts: configured ones, or the demo key in sim mode when none are configured. */
export function trustedEcardKeys(cfg: Pick<EcardConfig, 'publicKeys'>, mode: 'sim' | 'hardware'): Readonly<Record<string, string>> {
  if (Object.keys(cfg.publicKeys).length > 0) return cfg.publicKeys;
  // A hardware terminal must never fall back to the demo key: its private half is public.
  return mode === 'sim' ? DEMO_ECARD_PUBLIC_KEYS : {};
}
