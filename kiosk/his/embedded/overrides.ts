/**
 * Scenario `his` overrides of the embedded HIS's schedule, validated strictly: the scenario format
 * is a public interface, so a misspelt doctor id must fail the file, not silently change nothing.
 *
 * Two ways to shape places: `sessions`, rules that select slots by department / doctor / day /
 * period / start (relative days, so a scenario reads the same on any date), and `slots`, exact
 * slot ids. Both set `capacity` and/or `remaining`; rules apply in order, then `slots`.
 */
import { z } from 'zod';
import { YktError } from '../../../drivers/common/errors.js';
import { IsoDate, PeriodSchema, TimeOfDay } from '../wire.js';
import { DEPARTMENT_IDS, DOCTOR_IDS, doctorById, SLOT_STARTS } from './seed-data.js';

/** Operation names a fault can target; `*` targets every route. */
export const HIS_OPERATIONS = [
  'departments',
  'doctors',
  'slots',
  'hold',
  'register',
  'release',
  'cancel',
  'registrationsOf',
  'registration',
] as const;
export type HisOperation = (typeof HIS_OPERATIONS)[number];
export const HisFaultTarget = z.enum([...HIS_OPERATIONS, '*']);

const ALL_STARTS = new Set([...SLOT_STARTS.morning, ...SLOT_STARTS.afternoon]);
const Places = z.number().int().min(0).max(50);

const change = {
  capacity: Places.min(1).optional(),
  /** Free places left (capped at the capacity); 0 = full. */
  remaining: Places.optional(),
};

type Change = { capacity?: number; remaining?: number };
function checkChange(c: Change, ctx: z.RefinementCtx): void {
  if (c.capacity === undefined && c.remaining === undefined) ctx.addIssue({ code: 'custom', message: 'give capacity and/or remaining' });
  if (c.capacity !== undefined && c.remaining !== undefined && c.remaining > c.capacity) {
    ctx.addIssue({ code: 'custom', path: ['remaining'], message: 'remaining exceeds capacity' });
  }
}

export const SlotChange = z.object(change).strict().superRefine(checkChange);
export type SlotChange = z.infer<typeof SlotChange>;

export const SessionRule = z
  .object({
    department: z.enum(DEPARTMENT_IDS).optional(),
    doctor: z.enum(DOCTOR_IDS).optional(),
    /** Days after the day the schedule was first seeded (0 = that day, the scenario's start). */
    day: z.number().int().min(0).max(6).optional(),
    date: IsoDate.optional(),
    period: PeriodSchema.optional(),
    start: TimeOfDay.refine((t) => ALL_STARTS.has(t), 'not a slot start (08:00…11:30, 13:30…16:30, every half hour)').optional(),
    ...change,
  })
  .strict()
  .superRefine((r, ctx) => {
    checkChange(r, ctx);
    if (r.day !== undefined && r.date !== undefined) ctx.addIssue({ code: 'custom', path: ['date'], message: 'give day or date, not both' });
    if (r.doctor && r.department && doctorById(r.doctor)?.departmentId !== r.department) {
      ctx.addIssue({ code: 'custom', path: ['doctor'], message: `${r.doctor} is not in ${r.department}` });
    }
  });
export type SessionRule = z.infer<typeof SessionRule>;

const SLOT_ID = /^([a-z]+-\d+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/;

/** `<doctorId>-<YYYYMMDD>-<HHMM>`, e.g. `internal-3-20260105-1000`. */
export function parseSlotId(id: string): { doctorId: string; date: string; start: string } | undefined {
  const m = SLOT_ID.exec(id);
  if (!m) return undefined;
  return { doctorId: m[1]!, date: `${m[2]}-${m[3]}-${m[4]}`, start: `${m[5]}:${m[6]}` };
}

export const HisSeedOverrides = z
  .object({
    sessions: z.array(SessionRule).max(500).optional(),
    slots: z
      .record(z.string(), SlotChange)
      .superRefine((slots, ctx) => {
        for (const id of Object.keys(slots)) {
          const p = parseSlotId(id);
          const why = !p
            ? 'slot id is <doctorId>-<YYYYMMDD>-<HHMM>'
            : !doctorById(p.doctorId)
              ? `no doctor ${p.doctorId}`
              : !ALL_STARTS.has(p.start) || !IsoDate.safeParse(p.date).success
                ? 'not a slot start'
                : undefined;
          if (why) ctx.addIssue({ code: 'custom', path: [id], message: why });
        }
      })
      .optional(),
    /** How long a hold keeps its place (s). Default 300. */
    holdTtlSec: z.number().int().min(5).max(3600).optional(),
    timeoutOn: HisFaultTarget.optional(),
    failOn: HisFaultTarget.optional(),
    badResponseOn: HisFaultTarget.optional(),
  })
  .strict();
export type HisSeedOverrides = z.infer<typeof HisSeedOverrides>;

export class HisSeedError extends YktError {
  constructor(message: string) {
    super('HIS_SEED_INVALID', message);
  }
}

/** Validates a scenario `his` object; throws HisSeedError naming the bad field (`his.sessions.0.doctor: …`). */
export function parseHisSeed(raw: unknown): HisSeedOverrides {
  const r = HisSeedOverrides.safeParse(raw ?? {});
  if (!r.success) throw new HisSeedError(r.error.issues.map((i) => `${['his', ...i.path].join('.')}: ${i.message}`).join('; '));
  return r.data;
}
