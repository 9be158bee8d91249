/**
 * HTTP JSON client for the social security backend (the real agency gateway, or the embedded one).
 *
 * - Every request has its own deadline (AbortController, real time: it bounds network I/O).
 * - GETs are retried, with exponential backoff on the injected Clock (so scenario runs on virtual
 *   time do not wait), and so is postPremium, the one write that is idempotent by a key the caller
 *   chose for the money (txnId): repeating it with the same body cannot post twice. Other writes
 *   are never retried here: they carry a requestId and the caller repeats it when it wants to.
 * - Every response is validated; whatever does not match becomes BACKEND_BAD_RESPONSE.
 * - Logs carry the operation and a masked ssn, never URLs (they hold the ssn) or bodies (names).
 */
import { jsonRequest } from '../http/json-request.js';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import { realClock, type Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId } from '../../drivers/common/mask.js';
import {
  BackendError,
  type BackendErrorCode,
  type BlacklistDelta,
  type BlacklistPage,
  type BlacklistPageQuery,
  type ContributionQuery,
  type MedicalAccountApi,
  type MedicalDebitRequest,
  type PostPremiumRequest,
  type SocialSecurityBackend,
  type StatementRequest,
} from './interface.js';
import {
  AccountsResponse,
  BlacklistResponse,
  CardStatusResponse,
  ContributionsResponse,
  EcardStatusResponse,
  GateEventsResponse,
  ErrorResponse,
  HolderProfileResponse,
  LossResponse,
  MedicalDebitResponse,
  MedicalReversalResponse,
  PostingsResponse,
  PostPremiumResponse,
  PremiumsDueResponse,
  StatementResponse,
  VerificationResponse,
  paths,
} from './wire.js';

export interface BackendClientOptions {
  baseUrl: string;
  /** Deadline for one attempt, connect to last byte (ms, real time). */
  timeoutMs: number;
  /** Extra attempts for GETs and postPremium after the first (0 = no retry). */
  retries: number;
  /** First backoff delay (ms on `clock`); doubles per retry. Default 200. */
  backoffMs?: number;
  clock?: Clock;
  logger: Logger;
  /** Mutual TLS for an https baseUrl: CA to trust, and the terminal's certificate and key. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Largest response accepted (bytes). Default 4 MiB: a 50-year detail is ~300 KB. */
  maxResponseBytes?: number;
  /**
   * Counts HTTP requests on the wire (not the backoff between retries): a virtual-time runner
   * waits for these in real time, while a backoff runs on `clock` like any other timer.
   */
  inFlight?: { count: number };
  /**
   * Also expire each attempt's deadline on `clock` (whichever comes first): a virtual-time runner
   * then does not wait in real time for an answer a fault holds back. Default false.
   */
  deadlineOnClock?: boolean;
}

export interface BackendClient extends SocialSecurityBackend, MedicalAccountApi {
  /** Releases the TLS agent's sockets. */
  close(): void;
}

type Method = 'GET' | 'POST';

interface Call<T> {
  op: string;
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  ssn?: string;
  /** A write that may be repeated with the same body (the server dedupes it): retried like a GET. */
  idempotentWrite?: boolean;
}

/** Codes worth another attempt (of a GET or an idempotent write): the server or a proxy in between was unwell. */
const RETRYABLE_CODES: ReadonlySet<BackendErrorCode> = new Set(['BACKEND_TIMEOUT', 'BACKEND_UNAVAILABLE']);

export function createBackendClient(opts: BackendClientOptions): BackendClient {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new BackendError('BACKEND_UNAVAILABLE', 'init', `backend baseUrl must be http(s): ${opts.baseUrl}`);
  }
  const isHttps = base.protocol === 'https:';
  const clock = opts.clock ?? realClock;
  const log = opts.logger;
  const backoffMs = opts.backoffMs ?? 200;
  const maxBytes = opts.maxResponseBytes ?? 4 * 1024 * 1024;
  const basePath = base.pathname.replace(/\/$/, '');
  // No keep-alive: a kiosk sends a handful of requests per visit, and a stale pooled socket would
  // turn a POST into an ambiguous "socket hang up".
  const agent = isHttps
    ? new https.Agent({ keepAlive: false, ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key })
    : new http.Agent({ keepAlive: false });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  function fail(code: BackendErrorCode, op: string, message: string, extra?: { reason?: string; cause?: unknown }): BackendError {
    return new BackendError(code, op, message, extra);
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
      tooLarge: () => fail('BACKEND_BAD_RESPONSE', c.op, `response larger than ${maxBytes} bytes`),
      network: (err, timedOut) => networkError(c.op, err, timedOut),
    });
  }

  function networkError(op: string, err: Error, timedOut: boolean): BackendError {
    if (timedOut) return fail('BACKEND_TIMEOUT', op, `backend did not answer within ${opts.timeoutMs} ms`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code ?? err.name;
    return fail('BACKEND_UNAVAILABLE', op, `backend unreachable (${code})`, { cause: err });
  }

  function interpret<T>(c: Call<T>, status: number, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status >= 500) throw fail('BACKEND_UNAVAILABLE', c.op, `backend answered HTTP ${status}`);
      throw fail('BACKEND_BAD_RESPONSE', c.op, `HTTP ${status} body is not JSON`);
    }
    if (status >= 200 && status < 300) {
      const r = c.schema.safeParse(json);
      if (!r.success) {
        const where = r.error.issues[0];
        throw fail('BACKEND_BAD_RESPONSE', c.op, `response does not match schema at ${where?.path.join('.') || '(root)'}: ${where?.message ?? ''}`);
      }
      return r.data;
    }
    const e = ErrorResponse.safeParse(json);
    if (status >= 500 || (e.success && e.data.error.code === 'UNAVAILABLE')) {
      throw fail('BACKEND_UNAVAILABLE', c.op, `backend answered HTTP ${status}${e.success ? `: ${e.data.error.message}` : ''}`);
    }
    if (!e.success) throw fail('BACKEND_BAD_RESPONSE', c.op, `HTTP ${status} with an unrecognised error body`);
    const { code, reason, message } = e.data.error;
    switch (code) {
      case 'NOT_FOUND':
        throw fail('BACKEND_NOT_FOUND', c.op, message);
      case 'LOSS_NOT_LIFTABLE':
        throw fail('LOSS_NOT_LIFTABLE', c.op, message, { reason: reason ?? 'NOT_LIFTABLE' });
      case 'BAD_REQUEST':
        throw fail('BACKEND_REJECTED', c.op, message, { reason: reason ?? 'BAD_REQUEST' });
      default:
        throw fail('BACKEND_REJECTED', c.op, message, { reason: reason ?? 'REJECTED' });
    }
  }

  async function call<T>(c: Call<T>): Promise<T> {
    const maxAttempts = c.method === 'GET' || c.idempotentWrite ? 1 + Math.max(0, opts.retries) : 1;
    const who = c.ssn ? { ssn: maskId(c.ssn) } : {};
    for (let n = 1; ; n++) {
      const started = Date.now();
      try {
        const { status, text } = await attempt(c as Call<unknown>);
        const out = interpret(c, status, text);
        log.debug({ op: c.op, ...who, status, ms: Date.now() - started, attempt: n }, 'backend call');
        return out;
      } catch (err) {
        const be = err instanceof BackendError ? err : fail('BACKEND_BAD_RESPONSE', c.op, String(err), { cause: err });
        const retry = n < maxAttempts && RETRYABLE_CODES.has(be.code);
        log.warn({ op: c.op, ...who, code: be.code, reason: be.reason, attempt: n, retry, ms: Date.now() - started }, 'backend call failed');
        if (!retry) throw be;
        await sleep(backoffMs * 2 ** (n - 1));
      }
    }
  }

  const blacklistPage = (q: BlacklistPageQuery): Promise<BlacklistPage> =>
    call({
      op: 'blacklistSince',
      method: 'GET',
      path: paths.blacklist(),
      query: { since: q.since, cursor: q.cursor, limit: q.limit },
      schema: BlacklistResponse,
    });

  /** All pages of one answer; a full list whose version moves between pages is fetched again (3 tries). */
  async function wholeBlacklist(since: number): Promise<BlacklistDelta> {
    for (let attempt = 1; ; attempt++) {
      let page = await blacklistPage({ since });
      const out: BlacklistDelta = { version: page.version, full: page.full, add: page.add, remove: page.remove };
      let consistent = true;
      while (consistent && page.next !== undefined) {
        page = await blacklistPage({ since, cursor: page.next });
        consistent = page.full && page.version === out.version;
        if (consistent) out.add = out.add.concat(page.add);
      }
      if (consistent) return out;
      if (attempt === 3) throw fail('BACKEND_UNAVAILABLE', 'blacklistSince', 'blacklist kept changing during a full download');
    }
  }

  return {
    cardStatus: (ssn, cardNumber) =>
      call({ op: 'cardStatus', method: 'GET', path: paths.cardStatus(ssn, cardNumber), schema: CardStatusResponse, ssn }),
    reportLoss: (r) =>
      call({
        op: 'reportLoss',
        method: 'POST',
        path: paths.lossReports(r.ssn, r.cardNumber),
        body: { kind: r.kind, terminalId: r.terminalId, requestId: r.requestId },
        schema: LossResponse,
        ssn: r.ssn,
      }),
    liftLoss: (r) =>
      call({
        op: 'liftLoss',
        method: 'POST',
        path: paths.lossLifts(r.ssn, r.cardNumber),
        body: { terminalId: r.terminalId, requestId: r.requestId },
        schema: LossResponse,
        ssn: r.ssn,
      }),
    holderProfile: (ssn) => call({ op: 'holderProfile', method: 'GET', path: paths.holder(ssn), schema: HolderProfileResponse, ssn }),
    contributions: async (ssn, q: ContributionQuery = {}) =>
      (
        await call({
          op: 'contributions',
          method: 'GET',
          path: paths.contributions(ssn),
          query: { type: q.type, fromYear: q.fromYear, toYear: q.toYear },
          schema: ContributionsResponse,
          ssn,
        })
      ).records,
    accountBalances: (ssn) => call({ op: 'accountBalances', method: 'GET', path: paths.accounts(ssn), schema: AccountsResponse, ssn }),
    statement: (ssn, r: StatementRequest) =>
      call({
        op: 'statement',
        method: 'POST',
        path: paths.statements(ssn),
        body: { kind: r.kind, months: r.months, terminalId: r.terminalId, requestId: r.requestId ?? randomUUID() },
        schema: StatementResponse,
        ssn,
      }),
    verifyStatement: (code) => call({ op: 'verifyStatement', method: 'GET', path: paths.verification(code), schema: VerificationResponse }),
    blacklistSince: wholeBlacklist,
    blacklistPage,
    premiumsDue: async (ssn) =>
      (await call({ op: 'premiumsDue', method: 'GET', path: paths.premiumsDue(ssn), schema: PremiumsDueResponse, ssn })).dues,
    postPremium: (r: PostPremiumRequest) =>
      call({
        op: 'postPremium',
        method: 'POST',
        path: paths.premiumPostings(),
        // Built field by field: the same body on every attempt, and nothing the caller added by accident.
        body: {
          txnId: r.txnId,
          ssn: r.ssn,
          item: r.item,
          choiceId: r.choiceId,
          periods: r.periods,
          amountFen: r.amountFen,
          terminalId: r.terminalId,
          bankRef: r.bankRef,
          paidAt: r.paidAt,
        },
        schema: PostPremiumResponse,
        ssn: r.ssn,
        idempotentWrite: true,
      }),
    postingsOn: async (date) =>
      (await call({ op: 'postingsOn', method: 'GET', path: paths.premiumPostings(), query: { date }, schema: PostingsResponse })).postings,
    ecardStatus: (jti) => call({ op: 'ecardStatus', method: 'GET', path: paths.ecardStatus(jti), schema: EcardStatusResponse }),
    // The medical account's debit is never retried here (like a bank debit: a doubt is reversed by
    // the payment engine, never resent); its reversal is idempotent by txnId and retried like a GET.
    debitMedicalAccount: (r: MedicalDebitRequest) =>
      call({
        op: 'medicalDebit',
        method: 'POST',
        path: paths.medicalDebits(r.ssn),
        body: { txnId: r.txnId, amountFen: r.amountFen, terminalId: r.terminalId, description: r.description },
        schema: MedicalDebitResponse,
        ssn: r.ssn,
      }),
    reverseMedicalDebit: (txnId: string) =>
      call({ op: 'medicalReversal', method: 'POST', path: paths.medicalReversals(), body: { txnId }, schema: MedicalReversalResponse, idempotentWrite: true }),
    uploadGateEvents: (req) =>
      call({ op: 'uploadGateEvents', method: 'POST', path: paths.gateEvents(req.terminalId), body: req, schema: GateEventsResponse, idempotentWrite: true }),
    close: () => agent.destroy(),
  };
}
