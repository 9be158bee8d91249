import { z } from 'zod';
import { CardProfile } from '../../drivers/card-reader/sim/card-profile.js';
import { parseBackendSeed } from '../backend/embedded/index.js';
import { parseHisSeed } from '../his/embedded/index.js';
import { BankSeedOverrides, type BankSeedOverridesInput } from '../bank/embedded/index.js';

/**
 * The scenario format (shared/spec/scenario.md) is a public interface: it is validated strictly,
 * and what this build cannot do yet is refused by name instead of being silently ignored.
 */
export const NOT_YET: Record<string, string> = {};

export const NOT_YET_EXPECT: Record<string, string> = {};

export const SIMULATED_DEVICES = ['reader', 'contactless', 'pinpad', 'printer', 'scanner', 'gate', 'backend', 'bank'] as const;
export const FUTURE_DEVICES: Record<string, string> = {
  broker: 'issue #9',
};

/** Steps that need a device a profile does not have. */
export type Profile = 'kiosk' | 'gate' | 'hospital';

export const PROFILE_STEPS: Record<Profile, ReadonlySet<string>> = {
  kiosk: new Set(['insert', 'take', 'tap', 'scan', 'touch', 'wait', 'fault', 'restart', 'keys', 'expect']),
  hospital: new Set(['insert', 'take', 'tap', 'scan', 'touch', 'wait', 'fault', 'restart', 'keys', 'expect']),
  gate: new Set(['tap', 'scan', 'pass', 'touch', 'wait', 'fault', 'restart', 'expect']),
};

/** Fault kinds per device. `card-pulled` and `clear` are this host's documented extensions. */
export const FAULT_KINDS: Record<string, readonly string[]> = {
  reader: ['unplug', 'replug', 'garble', 'nak', 'silent', 'jam', 'card-pulled', 'clear'],
  pinpad: ['unplug', 'replug', 'garble', 'silent', 'clear'],
  backend: ['unplug', 'replug', 'garble', 'silent', 'clear'],
  printer: ['unplug', 'replug', 'garble', 'silent', 'paper-out', 'paper-low', 'cover-open', 'jam', 'clear'],
  bank: ['unplug', 'replug', 'garble', 'silent', 'clear'],
  contactless: ['unplug', 'replug', 'garble', 'nak', 'silent', 'card-pulled', 'clear'],
  scanner: ['unplug', 'replug', 'garble', 'clear'],
  gate: ['unplug', 'replug', 'garble', 'nak', 'silent', 'jam', 'clear'],
  his: ['unplug', 'replug', 'garble', 'silent', 'clear'],
};
export const ALL_FAULT_KINDS = [
  'unplug', 'replug', 'garble', 'nak', 'silent', 'paper-out', 'paper-low', 'cover-open', 'jam', 'card-pulled', 'clear',
] as const;

const Handle = z.string().min(1).max(64);

export const ExpectSchema = z
  .object({
    screen: z.string().regex(/^[a-z0-9-]+$/, 'screen ids are kebab-case'),
    text: z.string().min(1),
    card: z.enum(['none', 'inside', 'at-gate', 'retained']),
    deviceStatus: z.record(z.string(), z.string()),
    journal: z.record(z.string(), z.unknown()),
    printed: z.string().min(1),
    debits: z.number().int().min(0),
    posted: z.number().int().min(0),
    ledger: z.literal('balanced'),
    gate: z.enum(['open', 'closed']),
    /** Gate events the backend has received from this terminal (journal upload). */
    uploaded: z.number().int().min(0),
    /** Registrations standing at the embedded HIS in this run (cancelled ones do not count). */
    registered: z.number().int().min(0),
  })
  .partial()
  .strict()
  .refine((e) => Object.keys(e).length > 0, 'expect needs at least one key');

/** `{ "tap": { "card": H, "holdMs": N } }`: how long the card stays on the antenna. */
const TapObject = z.object({ card: Handle, holdMs: z.number().int().min(1).max(600_000) }).strict();
/** `{ "scan": { "ecard": H, "variant": V } }`: the embedded backend issues H's electronic card code now. */
const ScanObject = z.object({ ecard: Handle, variant: z.enum(['valid', 'expired', 'tampered', 'foreign']).default('valid') }).strict();

const STEP_SCHEMAS = {
  insert: z.object({ insert: Handle }).strict(),
  take: z.object({ take: z.enum(['card', 'receipt', 'slip']) }).strict(),
  touch: z.object({ touch: z.string().regex(/^[a-z0-9-]+$/, 'control ids are kebab-case') }).strict(),
  wait: z.object({ wait: z.number().int().min(0).max(24 * 3600 * 1000) }).strict(),
  fault: z.object({ fault: z.object({ device: z.string(), kind: z.enum(ALL_FAULT_KINDS) }).strict() }).strict(),
  restart: z.object({ restart: z.literal(true) }).strict(),
  keys: z
    .object({
      keys: z
        .string()
        .regex(/^(\d{1,16}|enter|cancel|clear|F[1-4])$/, 'keys: digits, or one of enter, cancel, clear, F1..F4'),
    })
    .strict(),
  expect: z.object({ expect: ExpectSchema }).strict(),
  tap: z.object({ tap: z.union([Handle, TapObject]) }).strict(),
  scan: z.object({ scan: z.union([z.string().min(1).max(4096), ScanObject]) }).strict(),
  pass: z.object({ pass: z.union([z.literal(true), z.literal('tailgate')]) }).strict(),
} as const;

export const StepSchema = z.union(Object.values(STEP_SCHEMAS) as unknown as [
  typeof STEP_SCHEMAS.insert,
  typeof STEP_SCHEMAS.take,
  typeof STEP_SCHEMAS.touch,
  typeof STEP_SCHEMAS.wait,
  typeof STEP_SCHEMAS.fault,
  typeof STEP_SCHEMAS.restart,
  typeof STEP_SCHEMAS.keys,
  typeof STEP_SCHEMAS.expect,
  typeof STEP_SCHEMAS.tap,
  typeof STEP_SCHEMAS.scan,
  typeof STEP_SCHEMAS.pass,
]);
export type Step = z.infer<typeof StepSchema>;

export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    profile: z.enum(['kiosk', 'gate', 'hospital']).default('kiosk'),
    cards: z.record(Handle, CardProfile).default({}),
    config: z.record(z.string(), z.unknown()).optional(),
    backend: z.record(z.string(), z.unknown()).optional(),
    steps: z.array(z.unknown()).min(1),
  })
  .strict();

export type Scenario = Omit<z.infer<typeof ScenarioSchema>, 'steps'> & {
  steps: Step[];
  /** The embedded bank's part of `backend`: `bank` and the faults on `debit` / `reversal`. */
  bank?: BankSeedOverridesInput;
  /** The embedded HIS's part of `backend` (`backend.his`: schedule overrides and faults, docs/his.md). */
  his?: unknown;
};

const BANK_OPS = new Set(['debit', 'reversal']);
const FAULT_KEYS = ['timeoutOn', 'failOn', 'lostResponseOn'] as const;

/**
 * The spec puts the bank's seed and faults under `backend` (`{ "timeoutOn": "debit" }`, bank
 * balances): they are split off here and go to the embedded bank, the rest to the backend.
 */
export function splitBackendSeed(backend: Record<string, unknown>): { backend: Record<string, unknown>; bank?: BankSeedOverridesInput } {
  const rest: Record<string, unknown> = { ...backend };
  const bank: Record<string, unknown> = {};
  if ('bank' in rest) {
    Object.assign(bank, rest.bank as Record<string, unknown>);
    delete rest.bank;
  }
  for (const k of FAULT_KEYS) {
    if (typeof rest[k] === 'string' && BANK_OPS.has(rest[k] as string)) {
      bank[k] = rest[k];
      delete rest[k];
    }
  }
  if ('lostResponseOn' in rest) {
    throw new ScenarioFormatError(`backend.lostResponseOn: only the bank's operations (debit, reversal) can lose their answer`);
  }
  if (!Object.keys(bank).length) return { backend: rest };
  const r = BankSeedOverrides.safeParse(bank);
  if (!r.success) throw new ScenarioFormatError(fmtIssues(r.error, 'backend.bank'));
  return { backend: rest, bank: bank as BankSeedOverridesInput };
}

export class ScenarioFormatError extends Error {
  readonly code = 'SCENARIO_INVALID';
}

function fmtIssues(err: z.ZodError, prefix: string): string {
  return err.issues.map((i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.')}: ${i.message}`).join('; ');
}

/** Validates one scenario document; throws ScenarioFormatError naming the bad field. */
export function parseScenario(raw: unknown, fixtureHandles: ReadonlySet<string> = new Set()): Scenario {
  const top = ScenarioSchema.safeParse(raw);
  if (!top.success) throw new ScenarioFormatError(fmtIssues(top.error, ''));
  const s = top.data;

  let bank: BankSeedOverridesInput | undefined;
  let his: unknown;
  let backend = s.backend;
  if (backend && 'his' in backend) {
    ({ his, ...backend } = backend);
    try {
      parseHisSeed(his);
    } catch (e) {
      throw new ScenarioFormatError(`backend.his: ${(e as Error).message}`);
    }
  }
  if (backend) {
    const split = splitBackendSeed(backend);
    backend = split.backend;
    bank = split.bank;
    try {
      parseBackendSeed(backend);
    } catch (e) {
      throw new ScenarioFormatError((e as Error).message);
    }
  }
  const steps: Step[] = s.steps.map((raw, i) => parseStep(raw, i, s.cards, fixtureHandles, s.profile));
  return { ...s, ...(backend ? { backend } : {}), ...(bank ? { bank } : {}), ...(his !== undefined ? { his } : {}), steps };
}

function parseStep(raw: unknown, i: number, cards: Record<string, unknown>, fixtures: ReadonlySet<string>, profile: Profile): Step {
  const where = `steps[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioFormatError(`${where}: a step is an object with one key`);
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) throw new ScenarioFormatError(`${where}: a step has exactly one key, got ${keys.join(', ') || 'none'}`);
  const key = keys[0]!;
  if (NOT_YET[key]) throw new ScenarioFormatError(`${where}.${key}: not supported yet: ${NOT_YET[key]}`);
  const value = (raw as Record<string, unknown>)[key];
  if (key === 'expect' && value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (NOT_YET_EXPECT[k]) throw new ScenarioFormatError(`${where}.expect.${k}: not supported yet: ${NOT_YET_EXPECT[k]}`);
    }
  }
  if (key === 'fault' && value && typeof value === 'object') {
    const f = value as { device?: unknown; kind?: unknown };
    if (typeof f.device === 'string' && FUTURE_DEVICES[f.device]) {
      throw new ScenarioFormatError(`${where}.fault.device: '${f.device}' is not simulated yet (${FUTURE_DEVICES[f.device]})`);
    }
    if (typeof f.device === 'string' && !FAULT_KINDS[f.device]) {
      throw new ScenarioFormatError(`${where}.fault.device: unknown device '${f.device}' (known: ${Object.keys(FAULT_KINDS).join(', ')})`);
    }
    if (typeof f.device === 'string' && typeof f.kind === 'string' && !FAULT_KINDS[f.device]!.includes(f.kind)) {
      throw new ScenarioFormatError(`${where}.fault.kind: '${f.kind}' does not apply to ${f.device} (known: ${FAULT_KINDS[f.device]!.join(', ')})`);
    }
  }
  const known = Object.keys(STEP_SCHEMAS);
  if (!known.includes(key)) throw new ScenarioFormatError(`${where}: unknown step '${key}' (known: ${known.join(', ')})`);
  if (!PROFILE_STEPS[profile].has(key)) {
    throw new ScenarioFormatError(`${where}.${key}: the ${profile} profile has no device for this step (its steps: ${[...PROFILE_STEPS[profile]].join(', ')})`);
  }
  // A union only says "Invalid input": check the object forms on their own to name the field.
  const objectForm = key === 'tap' ? TapObject : key === 'scan' ? ScanObject : undefined;
  if (objectForm && value && typeof value === 'object') {
    const o = objectForm.safeParse(value);
    if (!o.success) throw new ScenarioFormatError(fmtIssues(o.error, `${where}.${key}`));
  }
  const r = STEP_SCHEMAS[key as keyof typeof STEP_SCHEMAS].safeParse(raw);
  if (!r.success) throw new ScenarioFormatError(fmtIssues(r.error, where));
  const step = r.data as Step;
  const handle =
    'insert' in step ? step.insert : 'tap' in step ? (typeof step.tap === 'string' ? step.tap : step.tap.card) : 'scan' in step && typeof step.scan === 'object' ? step.scan.ecard : undefined;
  if (handle !== undefined && !(handle in cards) && !fixtures.has(handle)) {
    throw new ScenarioFormatError(
      `${where}.${key}: card '${handle}' is not defined in "cards" (nor a built-in fixture: ${[...fixtures].join(', ')})`,
    );
  }
  return step;
}

