/**
 * The calling discipline the backend and HIS clients share: one JSON exchange per attempt with its
 * own deadline (json-request.ts), validation of every answer against its schema, error answers
 * mapped to the service's typed errors, and retries with exponential backoff on the injected clock
 * (virtual in scenario runs) for the calls the caller marks retryable. Logs carry the operation and
 * a masked ssn, never URLs (they hold the ssn) or bodies (names).
 *
 * A service supplies its error constructors and how a refusal's `{error:{code,reason,message}}`
 * maps to its codes; everything else is here.
 */
import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import { realClock, type Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId } from '../../drivers/common/mask.js';
import { jsonRequest } from './json-request.js';

export interface ServiceCall<T> {
  op: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  ssn?: string;
  /** Repeating the call cannot do anything twice (a read, or a write the server dedupes). */
  retryable: boolean;
}

/** How the server words a refusal: the one error body both services use. */
export interface RefusalBody {
  error: { code: string; reason?: string; message: string };
}

export interface ServiceErrors<E extends Error> {
  timeout(op: string, message: string, cause: unknown): E;
  unavailable(op: string, message: string, cause?: unknown): E;
  badResponse(op: string, message: string, cause?: unknown): E;
  /** A refusal the server explained (not UNAVAILABLE, not 5xx). */
  refused(op: string, body: RefusalBody['error']): E;
  isOwn(err: unknown): err is E;
  /** Worth another attempt of a retryable call: the server or a proxy in between was unwell. */
  transient(err: E): boolean;
  /** Extra log fields of an error (e.g. its code and reason). */
  describe(err: E): Record<string, unknown>;
}

export interface ServiceClientOptions {
  /** Name in messages and logs ("backend", "HIS"). */
  service: string;
  baseUrl: string;
  /** Deadline for one attempt, connect to last byte (ms, real time). */
  timeoutMs: number;
  /** Extra attempts of a retryable call after the first (0 = no retry). */
  retries: number;
  /** First backoff delay (ms on `clock`); doubles per retry. Default 200. */
  backoffMs?: number;
  clock?: Clock;
  logger: Logger;
  /** TLS for an https baseUrl: CA to trust, and the terminal's certificate and key. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  maxResponseBytes: number;
  /** Counts HTTP requests on the wire (not backoffs), for a virtual-time runner. */
  inFlight?: { count: number };
  /** Also expire each attempt's deadline on `clock` (whichever comes first). Default false. */
  deadlineOnClock?: boolean;
  /** Pooled connections, dropped after this idle time (ms); absent: a connection per request. */
  keepAlive?: { maxSockets: number; idleMs: number };
  /** Parses a refusal's body (the service's own schema of RefusalBody). */
  refusal: z.ZodType<RefusalBody>;
}

export interface ServiceClient {
  call<T>(c: ServiceCall<T>): Promise<T>;
  /** Releases pooled sockets. */
  close(): void;
}

export function createServiceClient<E extends Error>(opts: ServiceClientOptions, errors: ServiceErrors<E>): ServiceClient {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw errors.unavailable('init', `${opts.service} baseUrl must be http(s): ${opts.baseUrl}`);
  }
  const clock = opts.clock ?? realClock;
  const log = opts.logger;
  const backoffMs = opts.backoffMs ?? 200;
  const maxBytes = opts.maxResponseBytes;
  const basePath = base.pathname.replace(/\/$/, '');
  const pool = opts.keepAlive
    ? { keepAlive: true, maxSockets: opts.keepAlive.maxSockets, timeout: opts.keepAlive.idleMs }
    : { keepAlive: false };
  const agent =
    base.protocol === 'https:'
      ? new https.Agent({ ...pool, ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key })
      : new http.Agent(pool);

  function networkError(op: string, err: Error, timedOut: boolean): E {
    if (timedOut) return errors.timeout(op, `${opts.service} did not answer within ${opts.timeoutMs} ms`, err);
    const code = (err as NodeJS.ErrnoException).code ?? err.name;
    return errors.unavailable(op, `${opts.service} unreachable (${code})`, err);
  }

  function attempt(c: ServiceCall<unknown>): Promise<{ status: number; text: string }> {
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
      tooLarge: () => errors.badResponse(c.op, `response larger than ${maxBytes} bytes`),
      network: (err, timedOut) => networkError(c.op, err, timedOut),
    });
  }

  function interpret<T>(c: ServiceCall<T>, status: number, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status >= 500) throw errors.unavailable(c.op, `${opts.service} answered HTTP ${status}`);
      throw errors.badResponse(c.op, `HTTP ${status} body is not JSON`);
    }
    if (status >= 200 && status < 300) {
      const r = c.schema.safeParse(json);
      if (!r.success) {
        const where = r.error.issues[0];
        throw errors.badResponse(c.op, `response does not match schema at ${where?.path.join('.') || '(root)'}: ${where?.message ?? ''}`);
      }
      return r.data;
    }
    const e = opts.refusal.safeParse(json);
    if (status >= 500 || (e.success && e.data.error.code === 'UNAVAILABLE')) {
      throw errors.unavailable(c.op, `${opts.service} answered HTTP ${status}${e.success ? `: ${e.data.error.message}` : ''}`);
    }
    if (!e.success) throw errors.badResponse(c.op, `HTTP ${status} with an unrecognised error body`);
    throw errors.refused(c.op, e.data.error);
  }

  async function call<T>(c: ServiceCall<T>): Promise<T> {
    const maxAttempts = c.retryable ? 1 + Math.max(0, opts.retries) : 1;
    const who = c.ssn ? { ssn: maskId(c.ssn) } : {};
    for (let n = 1; ; n++) {
      const started = Date.now();
      try {
        const { status, text } = await attempt(c as ServiceCall<unknown>);
        const out = interpret(c, status, text);
        log.debug({ op: c.op, ...who, status, ms: Date.now() - started, attempt: n }, `${opts.service} call`);
        return out;
      } catch (err) {
        const own = errors.isOwn(err) ? err : errors.badResponse(c.op, String(err), err);
        const retry = n < maxAttempts && errors.transient(own);
        log.warn({ op: c.op, ...who, ...errors.describe(own), attempt: n, retry, ms: Date.now() - started }, `${opts.service} call failed`);
        if (!retry) throw own;
        await new Promise<void>((resolve) => clock.setTimeout(resolve, backoffMs * 2 ** (n - 1)));
      }
    }
  }

  return { call, close: () => agent.destroy() };
}
