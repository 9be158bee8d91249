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
import { jsonRequest } from '../http/json-request.js';
import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import { realClock, type Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId } from '../../drivers/common/mask.js';
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

interface Call<T> {
  op: Op;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  ssn?: string;
}

export function createHisClient(opts: HisClientOptions): HisClient {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new HisError('HIS_UNAVAILABLE', 'init', `HIS baseUrl must be http(s): ${opts.baseUrl}`);
  }
  const isHttps = base.protocol === 'https:';
  const clock = opts.clock ?? realClock;
  const log = opts.logger;
  const backoffMs = opts.backoffMs ?? 200;
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  const basePath = base.pathname.replace(/\/$/, '');
  const agentOpts = { keepAlive: true, maxSockets: 4, timeout: opts.idleSocketMs ?? 4000 };
  const agent = isHttps
    ? new https.Agent({ ...agentOpts, ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key })
    : new http.Agent(agentOpts);

  const fail = (code: HisErrorCode, op: string, message: string, extra?: { reason?: string; cause?: unknown }) =>
    new HisError(code, op, message, extra);

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  function networkError(op: string, err: Error, timedOut: boolean): HisError {
    if (timedOut) return fail('HIS_TIMEOUT', op, `HIS did not answer within ${opts.timeoutMs} ms`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code ?? err.name;
    return fail('HIS_UNAVAILABLE', op, `HIS unreachable (${code})`, { cause: err });
  }

  /** One attempt: resolves with status and raw body, or rejects with TIMEOUT/UNAVAILABLE/BAD_RESPONSE. */
  function attempt(c: Call<unknown>): Promise<{ status: number; text: string }> {
    const url = new URL(basePath + c.path, base);
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return jsonRequest({
      url,
      method: c.method,
      body: c.body,
      agent,
      timeoutMs: opts.timeoutMs,
      ...(opts.deadlineOnClock ? { deadlineOn: clock } : {}),
      ...(opts.inFlight ? { inFlight: opts.inFlight } : {}),
      maxBytes,
      tooLarge: () => fail('HIS_BAD_RESPONSE', c.op, `response larger than ${maxBytes} bytes`),
      network: (err, timedOut) => networkError(c.op, err, timedOut),
    });
  }

  function interpret<T>(c: Call<T>, status: number, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status >= 500) throw fail('HIS_UNAVAILABLE', c.op, `HIS answered HTTP ${status}`);
      throw fail('HIS_BAD_RESPONSE', c.op, `HTTP ${status} body is not JSON`);
    }
    if (status >= 200 && status < 300) {
      const r = c.schema.safeParse(json);
      if (!r.success) {
        const where = r.error.issues[0];
        throw fail('HIS_BAD_RESPONSE', c.op, `response does not match schema at ${where?.path.join('.') || '(root)'}: ${where?.message ?? ''}`);
      }
      return r.data;
    }
    const e = HisErrorBody.safeParse(json);
    if (status >= 500 || (e.success && e.data.error.code === 'UNAVAILABLE')) {
      throw fail('HIS_UNAVAILABLE', c.op, `HIS answered HTTP ${status}${e.success ? `: ${e.data.error.message}` : ''}`);
    }
    if (!e.success) throw fail('HIS_BAD_RESPONSE', c.op, `HTTP ${status} with an unrecognised error body`);
    const { code, reason, message } = e.data.error;
    if (DIRECT_CODES.has(code)) throw fail(code as HisErrorCode, c.op, message, reason === undefined ? undefined : { reason });
    throw fail('REJECTED', c.op, message, { reason: reason ?? 'BAD_REQUEST' });
  }

  async function call<T>(c: Call<T>): Promise<T> {
    const maxAttempts = IDEMPOTENT_OPS.has(c.op) ? 1 + Math.max(0, opts.retries) : 1;
    const who = c.ssn ? { ssn: maskId(c.ssn) } : {};
    for (let n = 1; ; n++) {
      const started = Date.now();
      try {
        const { status, text } = await attempt(c as Call<unknown>);
        const out = interpret(c, status, text);
        log.debug({ op: c.op, ...who, status, ms: Date.now() - started, attempt: n }, 'HIS call');
        return out;
      } catch (err) {
        const he = err instanceof HisError ? err : fail('HIS_BAD_RESPONSE', c.op, String(err), { cause: err });
        const retry = n < maxAttempts && RETRYABLE.has(he.code);
        log.warn({ op: c.op, ...who, code: he.code, reason: he.reason, attempt: n, retry, ms: Date.now() - started }, 'HIS call failed');
        if (!retry) throw he;
        await sleep(backoffMs * 2 ** (n - 1));
      }
    }
  }

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
    close: () => agent.destroy(),
  };
}
