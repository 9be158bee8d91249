import { z } from 'zod';

/**
 * JSON contract of the simulator panel (`/sim`). Kept free of Node imports so the browser panel
 * validates the same shapes the server does.
 */
const Name = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "-", "_" or "." only');

export const SimCard = z.object({ handle: z.string(), label: z.string() });
export type SimCard = z.infer<typeof SimCard>;

/** The last document the simulated printer printed (or is printing). */
export const SimPrinterDocument = z.object({
  /** Content hash: the key of the cached PNG (`GET /sim/api/receipt.png`, also its ETag). */
  id: z.string().regex(/^[0-9a-f]{8,64}$/),
  /** Bytes are still arriving (no cut yet): its picture would be out of date at once. */
  printing: z.boolean(),
  /** Printing stopped before the cut; the rest of the job was lost. */
  truncated: z.boolean(),
  stoppedBy: z.enum(['paper-out', 'cover-open', 'jam']).optional(),
  cut: z.boolean(),
  /** Printed text lines joined with "\n", QR codes as "[QR:payload]". */
  text: z.string(),
  /** QR payloads in print order. */
  qr: z.array(z.string()),
});
export type SimPrinterDocument = z.infer<typeof SimPrinterDocument>;

/** The simulated printer as the operator at the machine would see it. */
export const SimPrinterState = z.object({
  /** What the host's driver reports (ok, paper-low, paper-out, cover-open, jam, fault, unplugged, …). */
  status: z.string(),
  /** The roll sensor: ok, low (near end), out. */
  paper: z.enum(['ok', 'low', 'out']),
  paperRemainingMm: z.number(),
  coverOpen: z.boolean(),
  jammed: z.boolean(),
  /** A cut receipt sits in the exit until someone takes it. */
  receiptWaiting: z.boolean(),
  /** Whether the printer answers the presenter query (10 04 05). */
  presenterSensor: z.boolean(),
  /** Documents printed since the simulator started (or last forgot them). */
  documents: z.number().int().nonnegative(),
  last: SimPrinterDocument.optional(),
});
export type SimPrinterState = z.infer<typeof SimPrinterState>;

/** The antenna, the QR scanner and the gate board (every profile has the first two; gates the third). */
export const SimTransitState = z.object({
  /** A card is held to the contactless antenna now. */
  cardInField: z.boolean(),
  gate: z.enum(['open', 'closed']),
  lights: z.string(),
  alarm: z.boolean(),
  passages: z.number().int().nonnegative(),
});
export type SimTransitState = z.infer<typeof SimTransitState>;

export const SimPanelState = z.object({
  cards: z.array(SimCard),
  /** none | inside | at-gate | retained */
  card: z.string(),
  devices: z.record(z.string(), z.string()),
  screen: z.string(),
  /** Absent when the simulated terminal has no printer. */
  printer: SimPrinterState.optional(),
  profile: z.string().optional(),
  transit: SimTransitState.optional(),
});
export type SimPanelState = z.infer<typeof SimPanelState>;

export const SimInsertBody = z.strictObject({ card: Name });
export const SimTakeBody = z.strictObject({});
/** Taking the receipt from the printer's exit: nothing to say but that it happened. */
export const SimTakeReceiptBody = z.strictObject({});
/** PIN pad keys: digits typed at once, or one named key. The digits go to the simulated pad only. */
export const SimKeysBody = z.strictObject({ keys: z.string().regex(/^(\d{1,16}|enter|cancel|clear|F[1-4])$/, 'digits, or enter / cancel / clear / F1..F4') });
export const SimFaultBody = z.strictObject({ device: Name, kind: Name });
/** A card held to the antenna for holdMs (default: an ordinary tap). */
export const SimTapBody = z.strictObject({ card: Name, holdMs: z.number().int().min(1).max(600_000).optional() });
/** The scanner reads a text, or the electronic card code the embedded backend issues for a card's holder now. */
export const SimScanBody = z.union([
  z.strictObject({ text: z.string().min(1).max(4096) }),
  z.strictObject({ ecard: Name, variant: z.enum(['valid', 'expired', 'tampered', 'foreign']).default('valid') }),
]);
/** Someone walks through the gate (`tailgate`: a second person right behind). */
export const SimPassBody = z.strictObject({ tailgate: z.boolean().default(false) });

export const SimResult = z.object({ ok: z.boolean(), message: z.string().optional() });
export type SimResult = z.infer<typeof SimResult>;
