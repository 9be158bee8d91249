/**
 * HTTP JSON client for the hospital information system (the hospital's own HIS gateway, or the
 * embedded one). Same approach as kiosk/backend/http-client.ts, with two deliberate differences:
 *
 * - Keep-alive. A registration visit is a burst of small reads (departments, doctors, a week of
 *   slots per doctor) on the hospital LAN; reusing a connection saves a handshake per screen. The
 *   usual objection, that a stale pooled socket makes a POST's fate ambiguous, does not bite here:
 * - Every HIS call is idempotent (reads; hold/register/cancel keyed by requestId; release by
 *   holdId), so every call is retried after HIS_TIMEOUT / HIS_UNAVAILABLE with the same body. The
 *   set is explicit (IDEMPOTENT_OPS) so a future non-idempotent call is not retried by accident.
 *
 * Every response is validated; whatever does not match becomes HIS_BAD_RESPONSE. Logs carry the
 * operation and a masked ssn, never URLs or bodies (names, ssn).
 */
import { createServiceClient, type ServiceCall, type ServiceErrors } from '../http/service-client.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { HisError, type HisErrorCode, type HospitalInformationSystem, type Payment, type SlotQuery } from './interface.js';
import {
  CancellationResponse,
  DepartmentsResponse,
  DoctorsResponse,
  HisErrorBody,
  hisPaths,
  HoldResponse,
  RegistrationSchema,
  RegistrationsResponse,
  ReleaseResponse,
  SlotsResponse,
} from './wire.js';

export interface HisClientOptions {
  baseUrl: string;
  /** Deadline for one attempt, connect to last byte (ms, real time). */
  timeoutMs: number;
  /** Extra attempts after the first (0 = no retry). */
  retries: number;
  /** First backoff delay (ms on `clock`); doubles per retry. Default 200. */
  backoffMs?: number;
  clock?: Clock;
  logger: Logger;
  /** TLS for an https baseUrl: CA to trust, and the terminal's certificate and key. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Largest response accepted (bytes). Default 1 MiB: a week of one department is ~60 KB. */
  maxResponseBytes?: number;
  /** Counts HTTP requests on the wire, for a virtual-time runner (see the backend client). */
  inFlight?: { count: number };
  /** Also expire each attempt's deadline on `clock` (whichever comes first). Default false. */
  deadlineOnClock?: boolean;
  /**
   * Idle pooled sockets are dropped after this (ms, real time). Default 4000: below Node's (and
   * most servers') 5 s keep-alive timeout, so the client never reuses a socket the server is closing.
   */
  idleSocketMs?: number;
}

export interface HisClient extends HospitalInformationSystem {
  /** Releases pooled sockets. */
  close(): void;
}

type Op = 'departments' | 'doctors' | 'slots' | 'hold' | 'register' | 'release' | 'cancel' | 'registrationsOf' | 'registration';

const IDEMPOTENT_OPS: ReadonlySet<Op> = new Set([
  'departments',
  'doctors',
  'slots',
  'registrationsOf',
  'registration',
  'hold',
  'register',
  'release',
  'cancel',
]);

const RETRYABLE: ReadonlySet<HisErrorCode> = new Set(['HIS_TIMEOUT', 'HIS_UNAVAILABLE']);

/** Wire error codes that are HisErrorCodes as they stand. */
const DIRECT_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'SLOT_FULL', 'SLOT_TAKEN', 'HOLD_EXPIRED', 'NOT_CANCELLABLE', 'REJECTED']);

interface Call<T> extends Omit<ServiceCall<T>, 'retryable' | 'op'> {
  op: Op;
}

const fail = (code: HisErrorCode, op: string, message: string, extra?: { reason?: string; cause?: unknown }) =>
  new HisError(code, op, message, extra);

const HIS_ERRORS: ServiceErrors<HisError> = {
  timeout: (op, message, cause) => fail('HIS_TIMEOUT', op, message, { cause }),
  unavailable: (op, message, cause) => fail('HIS_UNAVAILABLE', op, message, cause === undefined ? undefined : { cause }),
  badResponse: (op, message, cause) => fail('HIS_BAD_RESPONSE', op, message, cause === undefined ? undefined : { cause }),
  refused: (op, { code, reason, message }) =>
    DIRECT_CODES.has(code)
      ? fail(code as HisErrorCode, op, message, reason === undefined ? undefined : { reason })
      : fail('REJECTED', op, message, { reason: reason ?? 'BAD_REQUEST' }),
  isOwn: (err): err is HisError => err instanceof HisError,
  transient: (err) => RETRYABLE.has(err.code),
  describe: (err) => ({ code: err.code, reason: err.reason }),
};

export function createHisClient(opts: HisClientOptions): HisClient {
  const client = createServiceClient(
    {
      ...opts,
      service: 'HIS',
      maxResponseBytes: opts.maxResponseBytes ?? 1024 * 1024,
      keepAlive: { maxSockets: 4, idleMs: opts.idleSocketMs ?? 4000 },
      refusal: HisErrorBody,
    },
    HIS_ERRORS,
  );
  const call = <T,>(c: Call<T>): Promise<T> => client.call({ ...c, retryable: IDEMPOTENT_OPS.has(c.op) });

  return {
    departments: async () => (await call({ op: 'departments', method: 'GET', path: hisPaths.departments(), schema: DepartmentsResponse })).departments,
    doctors: async (departmentId) => {
      const { doctors } = await call({ op: 'doctors', method: 'GET', path: hisPaths.doctors(departmentId), schema: DoctorsResponse });
      // A doctor of another department would be offered under the wrong heading.
      if (doctors.some((d) => d.departmentId !== departmentId)) throw fail('HIS_BAD_RESPONSE', 'doctors', 'a doctor of another department was listed');
      return doctors;
    },
    slots: async (q: SlotQuery = {}) =>
      (
        await call({
          op: 'slots',
          method: 'GET',
          path: hisPaths.slots(),
          query: { department: q.departmentId, doctor: q.doctorId, from: q.from, days: q.days },
          schema: SlotsResponse,
        })
      ).slots,
    hold: (slotId, patient, requestId) =>
      call({
        op: 'hold',
        method: 'POST',
        path: hisPaths.holds(),
        // Built field by field: the same body on every attempt, and nothing the caller added by accident.
        body: { slotId, patient: { ssn: patient.ssn, name: patient.name, cardNumber: patient.cardNumber }, requestId },
        schema: HoldResponse,
        ssn: patient.ssn,
      }),
    register: (holdId, payment: Payment, requestId) =>
      call({
        op: 'register',
        method: 'POST',
        path: hisPaths.registrations(),
        body: { holdId, payment: { method: payment.method, txnId: payment.txnId, amountFen: payment.amountFen }, requestId },
        schema: RegistrationSchema,
      }),
    release: (holdId) => call({ op: 'release', method: 'POST', path: hisPaths.release(holdId), body: {}, schema: ReleaseResponse }),
    cancel: (regId, requestId) =>
      call({ op: 'cancel', method: 'POST', path: hisPaths.cancellations(regId), body: { requestId }, schema: CancellationResponse }),
    registrationsOf: async (patientId, date) =>
      (
        await call({
          op: 'registrationsOf',
          method: 'GET',
          path: hisPaths.patientRegistrations(patientId),
          query: { date },
          schema: RegistrationsResponse,
          ssn: patientId,
        })
      ).registrations,
    registration: (regId) => call({ op: 'registration', method: 'GET', path: hisPaths.registration(regId), schema: RegistrationSchema }),
    close: () => client.close(),
  };
}
