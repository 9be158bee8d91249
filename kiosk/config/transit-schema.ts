import { z } from 'zod';
import { HidTransportSchema, SerialTransportSchema, SimTransportSchema, TransportSchema } from './schema-transport.js';

/** The turnstile's I/O board (docs/gate.md): serial 9600 8N1. */
export const GateBoardConfigSchema = z
  .object({
    /** false on a kiosk: no gate. The gate profile needs one. */
    enabled: z.boolean().default(false),
    transport: TransportSchema.default({ kind: 'sim', path: 'sim:gate', baudRate: 9600 }),
    ackTimeoutMs: z.number().int().positive().default(300),
  })
  .strict();

/**
 * The QR scanner (docs/scanner.md): serial (codes end with CR), or USB HID as a keyboard
 * (keyboard-wedge) or as a HID POS scanner (usage page 0x8C).
 */
export const ScannerConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    transport: z
      .discriminatedUnion('kind', [
        SerialTransportSchema,
        SimTransportSchema,
        HidTransportSchema.extend({ mode: z.enum(['keyboard', 'pos']).default('pos') }).strict(),
      ])
      .default({ kind: 'sim', path: 'sim:scanner', baudRate: 9600 }),
  })
  .strict();

export { EcardConfigSchema } from '../ecard/config.js';
