/**
 * The `readerApi` configuration section, for the host to add to kiosk/config/schema.ts:
 *
 *   readerApi: ReaderApiConfigSchema.default(ReaderApiConfigSchema.parse({})),
 *
 * Off by default: a terminal exposes its reader to other software only when the operator says so.
 */
import { z } from 'zod';
import { isLoopbackHost } from './guard.js';

/** Client names show in logs; keep them to what a log line and a config key can carry plainly. */
const ClientName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'client names are 1–64 letters, digits, dot, dash or underscore');
/** 32 characters: `openssl rand -hex 16` at least; `openssl rand -hex 32` recommended. */
const Token = z.string().min(32, 'a client token has at least 32 characters (openssl rand -hex 32)').regex(/^\S+$/, 'a token has no spaces');

export const ReaderApiConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    host: z
      .string()
      .default('127.0.0.1')
      .refine(isLoopbackHost, 'readerApi.host must be a loopback address (127.0.0.1 or ::1): the reader API serves this machine only'),
    port: z.number().int().min(0).max(65535).default(8741),
    /** Client name → bearer token, one per calling system, so one can be revoked alone. */
    tokens: z.record(ClientName, Token).default({}),
    /** 终端设备号 (field 11 of iReadCardBas, reader serial of iGetReaderInfo); default: terminalId. */
    deviceId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,32}$/, 'deviceId: letters, digits and dashes, at most 32')
      .optional(),
    /** Browser origins of a B/S hospital system allowed to call (CORS); empty: no browser may. */
    allowedOrigins: z.array(z.url()).default([]),
    maxRequestsPerSecond: z.number().int().min(1).max(100).default(10),
  })
  .strict()
  .refine((c) => !c.enabled || Object.keys(c.tokens).length > 0, {
    message: 'readerApi.enabled needs at least one client in readerApi.tokens',
    path: ['tokens'],
  })
  .refine((c) => new Set(Object.values(c.tokens)).size === Object.keys(c.tokens).length, {
    message: 'each readerApi client needs its own token',
    path: ['tokens'],
  });

export type ReaderApiConfig = z.infer<typeof ReaderApiConfigSchema>;
