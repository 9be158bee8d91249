import { z } from 'zod';

/**
 * A simulated card, as written in scenario files (`cards`) and fixture JSON. Every field is
 * optional: what is left out takes the default of a valid second-generation card.
 */
export const FinancialProfile = z
  .object({
    pan: z.string().regex(/^\d{16,19}$/, 'pan must be 16 to 19 digits'),
    expiry: z.string().regex(/^\d{4}$/, 'financial expiry is YYMM').default('3012'),
    holder: z.string().optional(),
  })
  .strict();

export const CardProfile = z
  .object({
    ssn: z.string().regex(/^\d{17}[\dX]$/, 'ssn must be an 18-character citizen ID number'),
    name: z.string().min(1).max(25),
    pin: z.string().regex(/^\d{6}$/, 'pin must be 6 digits'),
    pinTriesLeft: z.number().int().min(0).max(15),
    expiry: z.string().regex(/^\d{8}$/, 'expiry is YYYYMMDD'),
    issueDate: z.string().regex(/^\d{8}$/, 'issueDate is YYYYMMDD'),
    cardNumber: z.string().regex(/^[A-Z0-9]{9}$/, 'cardNumber is 9 letters/digits'),
    region: z.string().regex(/^\d{6}$/, 'region is a 6-digit region code'),
    serial: z.string().regex(/^\d{8}$/, 'serial is 8 digits').optional(),
    sex: z.enum(['1', '2']),
    ethnicity: z.string().regex(/^\d{2}$/),
    birthDate: z.string().regex(/^\d{8}$/).optional(),
    specVersion: z.string().length(4),
    status: z.enum(['normal', 'lost', 'blacklisted', 'dead-holder']),
    financial: z.union([FinancialProfile, z.literal(false)]),
    damaged: z.boolean(),
    genuine: z.boolean(),
    ssc: z.boolean(),
    generation: z.union([z.literal(2), z.literal(3)]),
  })
  .partial()
  .strict();
export type CardProfile = z.infer<typeof CardProfile>;

export type ResolvedCardProfile = Required<Omit<CardProfile, 'serial' | 'birthDate'>> & {
  serial: string;
  birthDate: string;
};

export const DEFAULT_CARD: ResolvedCardProfile = {
  ssn: '110101195001011234',
  name: '张三',
  pin: '123456',
  pinTriesLeft: 3,
  expiry: '20341231',
  issueDate: '20241231',
  cardNumber: 'A12345678',
  region: '110100',
  serial: '99110145',
  sex: '1',
  ethnicity: '01',
  birthDate: '19500101',
  specVersion: '2.00',
  status: 'normal',
  financial: { pan: '6217000010012345678', expiry: '3012' },
  damaged: false,
  genuine: true,
  ssc: true,
  generation: 2,
};

/** Fills the defaults; birth date and serial follow the ssn unless given. */
export function resolveCardProfile(p: CardProfile): ResolvedCardProfile {
  const merged = { ...DEFAULT_CARD, ...p } as ResolvedCardProfile;
  if (!p.birthDate && p.ssn) merged.birthDate = p.ssn.slice(6, 14);
  if (!p.sex && p.ssn) merged.sex = Number(p.ssn[16]) % 2 === 1 ? '1' : '2';
  if (!p.region && p.ssn) merged.region = p.ssn.slice(0, 6);
  if (!p.serial) merged.serial = p.ssn ? p.ssn.slice(10, 17).padStart(8, '0') : DEFAULT_CARD.serial;
  if (p.specVersion === undefined && p.generation === 3) merged.specVersion = '3.00';
  return merged;
}
