/**
 * The HIS REST wire format shared by the HTTP client and the embedded HIS. Both sides validate with
 * these schemas: the client every response (a malformed one becomes HIS_BAD_RESPONSE, never a wrong
 * queue number on a slip), the server every request body and query.
 */
import { z } from 'zod';
import { CardNumber, IsoDate, Ssn } from '../backend/wire.js';
import {
  DOCTOR_TITLES,
  PAYMENT_METHODS,
  PERIODS,
  type Cancellation,
  type Department,
  type Doctor,
  type Fee,
  type Hold,
  type Registration,
  type ReleaseResult,
  type Slot,
} from './interface.js';

export { IsoDate, Ssn };

/** Ids the UI turns into control names (`department-<id>`, `doctor-<id>`, `slot-<id>`). */
export const KebabId = z.string().min(1).max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id is kebab-case');
/** Ids the HIS makes up (holds, registrations): opaque, but printable and bounded. */
export const HisRef = z.string().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'reference: letters, digits, . _ : -');
export const RequestId = z.string().min(8).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'requestId: letters, digits, . _ : -');
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time is HH:MM');
const Fen = z.number().int().min(0);
const IsoTimestamp = z.iso.datetime({ offset: true });
const Localized = z.object({ zh: z.string().min(1).max(128), en: z.string().min(1).max(128) }).strict();

export const PeriodSchema = z.enum(PERIODS);
export const DoctorTitleSchema = z.enum(DOCTOR_TITLES);
export const PaymentMethodSchema = z.enum(PAYMENT_METHODS);

// ---- requests -------------------------------------------------------------------------------

export const SlotsQuery = z
  .object({
    department: KebabId.optional(),
    doctor: KebabId.optional(),
    from: IsoDate.optional(),
    days: z.coerce.number().int().min(1).max(7).optional(),
  })
  .strict();

export const PatientSchema = z.object({ ssn: Ssn, name: z.string().min(1).max(64), cardNumber: CardNumber }).strict();

export const HoldBody = z.object({ slotId: KebabId, patient: PatientSchema, requestId: RequestId }).strict();

export const PaymentSchema = z.object({ method: PaymentMethodSchema, txnId: RequestId, amountFen: Fen.positive() }).strict();

export const RegisterBody = z.object({ holdId: HisRef, payment: PaymentSchema, requestId: RequestId }).strict();

export const CancelBody = z.object({ requestId: RequestId }).strict();

export const RegistrationsQuery = z.object({ date: IsoDate.optional() }).strict();

// ---- responses ------------------------------------------------------------------------------

export const DepartmentSchema = z.object({ id: KebabId, name: Localized, location: Localized }).strict() satisfies z.ZodType<Department>;

export const DoctorSchema = z
  .object({
    id: KebabId,
    departmentId: KebabId,
    name: z.string().min(1).max(64),
    title: DoctorTitleSchema,
    specialty: Localized,
    room: z.number().int().min(1).max(999),
  })
  .strict() satisfies z.ZodType<Doctor>;

export const FeeSchema = z
  .object({ registrationFen: Fen, consultationFen: Fen, totalFen: Fen.positive() })
  .strict()
  .refine((f) => f.totalFen === f.registrationFen + f.consultationFen, {
    message: 'totalFen is not the sum of its parts',
    path: ['totalFen'],
  }) satisfies z.ZodType<Fee>;

/** Checked beyond shape: a slot with more places left than it has, or a window that ends before it starts, is a broken answer. */
export const SlotSchema = z
  .object({
    id: KebabId,
    departmentId: KebabId,
    doctorId: KebabId,
    date: IsoDate,
    period: PeriodSchema,
    start: TimeOfDay,
    end: TimeOfDay,
    fee: FeeSchema,
    capacity: z.number().int().min(1).max(999),
    remaining: z.number().int().min(0),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.remaining > s.capacity) ctx.addIssue({ code: 'custom', path: ['remaining'], message: 'remaining exceeds capacity' });
    if (s.end <= s.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is not after start' });
  }) satisfies z.ZodType<Slot>;

export const DepartmentsResponse = z.object({ departments: z.array(DepartmentSchema) }).strict();
export const DoctorsResponse = z.object({ doctors: z.array(DoctorSchema) }).strict();
export const SlotsResponse = z.object({ slots: z.array(SlotSchema) }).strict();

export const HoldResponse = z
  .object({ holdId: HisRef, slot: SlotSchema, patientId: Ssn, expiresAt: IsoTimestamp })
  .strict() satisfies z.ZodType<Hold>;

export const RegistrationSchema = z
  .object({
    regId: HisRef,
    status: z.enum(['registered', 'cancelled']),
    queueNumber: z.number().int().min(1).max(9999),
    patient: z.object({ ssn: Ssn, name: z.string().min(1).max(64) }).strict(),
    department: DepartmentSchema,
    doctor: z.object({ id: KebabId, name: z.string().min(1).max(64), title: DoctorTitleSchema }).strict(),
    slotId: KebabId,
    date: IsoDate,
    period: PeriodSchema,
    start: TimeOfDay,
    end: TimeOfDay,
    location: Localized,
    fee: FeeSchema,
    payment: PaymentSchema,
    registeredAt: IsoTimestamp,
    cancelledAt: IsoTimestamp.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.status === 'cancelled') !== (r.cancelledAt !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['cancelledAt'], message: 'cancelledAt must be given exactly when cancelled' });
    }
    if (r.payment.amountFen !== r.fee.totalFen) ctx.addIssue({ code: 'custom', path: ['payment', 'amountFen'], message: 'payment differs from the fee' });
  }) satisfies z.ZodType<Registration>;

export const RegistrationsResponse = z.object({ registrations: z.array(RegistrationSchema) }).strict();

export const CancellationResponse = z
  .object({ regId: HisRef, cancelledAt: IsoTimestamp, refund: PaymentSchema })
  .strict() satisfies z.ZodType<Cancellation>;

export const ReleaseResponse = z.object({ holdId: HisRef, released: z.boolean() }).strict() satisfies z.ZodType<ReleaseResult>;

/** Wire error codes; the client maps them onto HisErrorCode (BAD_REQUEST → REJECTED). */
export const HIS_WIRE_CODES = [
  'NOT_FOUND',
  'SLOT_FULL',
  'SLOT_TAKEN',
  'HOLD_EXPIRED',
  'NOT_CANCELLABLE',
  'REJECTED',
  'BAD_REQUEST',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type HisWireCode = (typeof HIS_WIRE_CODES)[number];

export const HisErrorBody = z.object({
  error: z.object({ code: z.enum(HIS_WIRE_CODES), reason: z.string().max(64).optional(), message: z.string().max(1024) }),
});

// ---- routes ---------------------------------------------------------------------------------

const enc = encodeURIComponent;
/** Path builders: the one place both sides agree on URLs. */
export const hisPaths = {
  health: '/v1/health',
  departments: () => '/v1/departments',
  doctors: (departmentId: string) => `/v1/departments/${enc(departmentId)}/doctors`,
  slots: () => '/v1/slots',
  holds: () => '/v1/holds',
  release: (holdId: string) => `/v1/holds/${enc(holdId)}/release`,
  registrations: () => '/v1/registrations',
  registration: (regId: string) => `/v1/registrations/${enc(regId)}`,
  cancellations: (regId: string) => `/v1/registrations/${enc(regId)}/cancellations`,
  patientRegistrations: (ssn: string) => `/v1/patients/${enc(ssn)}/registrations`,
};
