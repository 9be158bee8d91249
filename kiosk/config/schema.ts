import { z } from 'zod';

export { TransportSchema } from './schema-transport.js';
import { TransportSchema } from './schema-transport.js';
import { EcardConfigSchema, GateBoardConfigSchema, ScannerConfigSchema } from './transit-schema.js';
import { GateConfigSchema } from '../../flows/gate/config.js';
import { ReaderApiConfigSchema } from '../reader-api/config.js';

export const ReaderConfigSchema = z
  .object({
    transport: TransportSchema.default({ kind: 'sim', path: 'sim:reader', baudRate: 115200 }),
    psamSlot: z.number().int().min(1).max(4).default(1),
    ackTimeoutMs: z.number().int().positive().default(300),
    responseTimeoutMs: z.number().int().positive().default(3000),
  })
  .strict();

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9A-Fa-f]{${bytes * 2}}$`), `${bytes} bytes of hex`);

export const PinPadConfigSchema = z
  .object({
    transport: TransportSchema.default({ kind: 'sim', path: 'sim:pinpad', baudRate: 9600 }),
    algorithm: z.enum(['3des', 'sm4']).default('sm4'),
    masterKeyIndex: z.number().int().min(0).max(15).default(1),
    workingKeyIndex: z.number().int().min(0).max(15).default(2),
    /** The working PIN key encrypted under the master key (hardware: from the key ceremony). */
    workingKeyCryptogram: hex(16).optional(),
    /** Its key check value: a pad that computes another KCV holds another key and is refused. */
    workingKeyKcv: hex(3).optional(),
    minLength: z.number().int().min(4).max(12).default(6),
    maxLength: z.number().int().min(4).max(12).default(6),
    entryTimeoutSec: z.number().int().min(5).max(255).default(30),
  })
  .strict()
  .refine((c) => c.minLength <= c.maxLength, 'minLength must not exceed maxLength');

/** A printer also comes as a USB printer-class device (/dev/usb/lp0), a plain byte stream. */
export const PrinterTransportSchema = z.discriminatedUnion('kind', [
  ...TransportSchema.options,
  z.object({ kind: z.literal('usblp'), path: z.string().min(1).default('/dev/usb/lp0') }).strict(),
]);

export const PrinterConfigSchema = z
  .object({
    /** false: this terminal has no printer; printing is shown as unavailable. */
    enabled: z.boolean().default(true),
    transport: PrinterTransportSchema.default({ kind: 'sim', path: 'sim:printer', baudRate: 115200 }),
    /** The printer reports a receipt waiting in its presenter (docs/printer.md); false: take-receipt ends on a timer. */
    presenter: z.boolean().default(true),
    /** Reply window of one real-time status request. */
    statusTimeoutMs: z.number().int().positive().default(500),
    /** Largest chunk written between two status polls during a job. */
    chunkBytes: z.number().int().min(64).max(65536).default(512),
  })
  .strict();

export const PrintSchema = z
  .object({
    /** Printed before the verification code in the statement's QR (e.g. https://si.example.gov.cn/v/). */
    verifyUrlBase: z.string().url().optional(),
    /** Monthly lines on a 缴费明细. */
    detailMonths: z.number().int().min(1).max(120).default(24),
  })
  .strict();

export const SessionSchema = z
  .object({
    menuIdleMs: z.number().int().positive().default(60_000),
    takeCardMs: z.number().int().positive().default(30_000),
    retainOnTakeTimeout: z.boolean().default(true),
    cardErrorMs: z.number().int().positive().default(30_000),
    retainedNoticeMs: z.number().int().positive().default(10_000),
    recoverIntervalMs: z.number().int().positive().default(3_000),
    readTimeoutMs: z.number().int().positive().default(20_000),
    /** Sensor poll while idle, to notice a dead reader before a citizen does. */
    healthCheckMs: z.number().int().positive().default(5_000),
    /** Ask for the card PIN right after the card is read (as the spec's scenario example does). */
    pinAtStart: z.boolean().default(true),
    /** What happens to a card the backend or blacklist reports as lost, blacklisted or of a deceased holder. */
    statusPolicy: z
      .object({
        lost: z.enum(['retain', 'return']).default('retain'),
        blacklisted: z.enum(['retain', 'return']).default('retain'),
        'dead-holder': z.enum(['retain', 'return']).default('retain'),
      })
      .strict()
      .default({ lost: 'retain', blacklisted: 'retain', 'dead-holder': 'retain' }),
    retainAfterLossReport: z.boolean().default(false),
    pinGuardMs: z.number().int().positive().default(90_000),
    backendTimeoutMs: z.number().int().positive().default(20_000),
    printGuardMs: z.number().int().positive().default(60_000),
    takeReceiptMs: z.number().int().positive().default(30_000),
    payGuardMs: z.number().int().positive().default(120_000),
    /** A card tapped on the reader's antenna starts a visit (docs/flows.md, sessions without an inserted card). */
    acceptTap: z.boolean().default(true),
    /** A scanned e-card code starts a visit (needs the scanner, devices.scanner.enabled, and the backend). */
    acceptCode: z.boolean().default(true),
    /** Tap session: how long the PIN waits for the card to be held to the antenna again. */
    tapPinWaitMs: z.number().int().positive().default(20_000),
  })
  .strict();

export const ConfigSchema = z
  .object({
    terminalId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,32}$/, 'terminalId: letters, digits and dashes, at most 32')
      .default('YKT-SIM-0001'),
    profile: z.enum(['kiosk', 'gate', 'hospital']).default('kiosk'),
    /** `sim`: every device is simulated in-process (demo, tests, scenarios). */
    mode: z.enum(['sim', 'hardware']).default('sim'),
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
    dataDir: z.string().default('var'),
    ui: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    devices: z
      .object({
        reader: ReaderConfigSchema.default(ReaderConfigSchema.parse({})),
        pinpad: PinPadConfigSchema.default(PinPadConfigSchema.parse({})),
        printer: PrinterConfigSchema.default(PrinterConfigSchema.parse({})),
        gate: GateBoardConfigSchema.default(GateBoardConfigSchema.parse({})),
        scanner: ScannerConfigSchema.default(ScannerConfigSchema.parse({})),
      })
      .strict()
      .default({
        reader: ReaderConfigSchema.parse({}),
        pinpad: PinPadConfigSchema.parse({}),
        printer: PrinterConfigSchema.parse({}),
        gate: GateBoardConfigSchema.parse({}),
        scanner: ScannerConfigSchema.parse({}),
      }),
    /** The transit gate profile's timings and policy (flows/gate/config.ts). */
    gate: GateConfigSchema.default(GateConfigSchema.parse({})),
    ecard: EcardConfigSchema.default(EcardConfigSchema.parse({})),
    print: PrintSchema.default(PrintSchema.parse({})),
    session: SessionSchema.default(SessionSchema.parse({})),
    backend: z
      .object({
        /** Social security backend base URL; in sim mode without one, the embedded backend is used. */
        url: z.string().url().optional(),
        timeoutMs: z.number().int().positive().default(3000),
        retries: z.number().int().min(0).max(5).default(1),
        /** How often to fetch blacklist deltas. */
        blacklistSyncMs: z.number().int().positive().default(300_000),
        tls: z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).strict().optional(),
      })
      .strict()
      .default({ timeoutMs: 3000, retries: 1, blacklistSyncMs: 300_000 }),
    bank: z
      .object({
        /** The payment gateway (the card's bank); in sim mode without one, the embedded bank is used. */
        url: z.string().url().optional(),
        /** A debit with no answer in this time is uncertain and reversed (冲正). */
        timeoutMs: z.number().int().positive().default(10_000),
        tls: z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).strict().optional(),
      })
      .strict()
      .default({ timeoutMs: 10_000 }),
    /** The national reader interface for the hospital's own software, on loopback (docs/reader-api.md). */
    readerApi: ReaderApiConfigSchema.default(ReaderApiConfigSchema.parse({})),
    /** The hospital information system (profile `hospital`, docs/his.md); in sim mode without a URL, the embedded HIS. */
    his: z
      .object({
        url: z.string().url().optional(),
        /** One attempt, connect to last byte. */
        timeoutMs: z.number().int().positive().default(3000),
        /** Extra attempts after HIS_TIMEOUT / HIS_UNAVAILABLE (every HIS call is idempotent). */
        retries: z.number().int().min(0).max(5).default(1),
        tls: z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).strict().optional(),
      })
      .strict()
      .default({ timeoutMs: 3000, retries: 1 }),
    /** The hospital registration machine (profile `hospital`, docs/hospital.md). */
    hospital: z
      .object({
        /** Shown on the idle screen and printed at the top of the registration slip. */
        name: z
          .object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(80) })
          .strict()
          .default({ zh: '示例市第一人民医院', en: 'Demo City First People’s Hospital' }),
        /** Printed before the registration id in the slip's check-in QR code (e.g. https://his.example.cn/checkin/). */
        checkInUrlBase: z.string().url().optional(),
      })
      .strict()
      .default({ name: { zh: '示例市第一人民医院', en: 'Demo City First People’s Hospital' } }),
    payment: z
      .object({
        /** First retry of an unfinished reversal or posting (doubles per attempt, up to 5 min). */
        retryMs: z.number().int().positive().default(5_000),
      })
      .strict()
      .default({ retryMs: 5_000 }),
    sim: z
      .object({
        /** Folder of card profile JSON files offered by the simulator panel. */
        cardsDir: z.string().optional(),
        /** Execution delays of the simulated reader (motor, power-on, APDU), ms. */
        readerDelays: z
          .object({ motor: z.number().min(0), powerOn: z.number().min(0), apdu: z.number().min(0) })
          .partial()
          .strict()
          .optional(),
        /** The simulated printer's paper roll (default 50 m, near end at 1.5 m). */
        printerRoll: z
          .object({ lengthMm: z.number().positive().max(1_000_000), nearEndMm: z.number().min(0) })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type KioskConfig = z.infer<typeof ConfigSchema>;
export type KioskConfigInput = z.input<typeof ConfigSchema>;
export type SessionConfig = z.infer<typeof SessionSchema>;
export type PinPadConfig = z.infer<typeof PinPadConfigSchema>;
