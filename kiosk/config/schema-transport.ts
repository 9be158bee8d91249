import { z } from 'zod';

export const SerialTransportSchema = z
  .object({
    kind: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    rtscts: z.boolean().optional(),
  })
  .strict();

export const HidTransportSchema = z
  .object({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    path: z.string().optional(),
  })
  .strict();

export const SimTransportSchema = z
  .object({
    kind: z.literal('sim'),
    path: z.string().min(1).default('sim:reader'),
    baudRate: z.number().int().positive().default(115200),
  })
  .strict();

/** How one device is reached. `sim` ports are served by the in-process simulators. */
export const TransportSchema = z.discriminatedUnion('kind', [SerialTransportSchema, HidTransportSchema, SimTransportSchema]);
