/**
 * HTTP JSON client of the payment gateway (the card's bank, or the embedded one): `POST /debit`,
 * `POST /reversal`, and `GET /transactions` for reconciliation. docs/bank.md.
 *
 * - One attempt per call, always. A debit is never retried here (exactly-once lives in the payment
 *   engine, which reverses whatever it cannot be sure of); a reversal is retried by the engine.
 * - Errors say what the terminal can know about the money:
 *     BANK_UNREACHABLE   no connection was made, so the request never left: nothing was debited;
 *     BANK_REJECTED      the bank answered 4xx with a reason: it refused the request itself;
 *     BANK_TIMEOUT       no complete answer in time: the bank may have debited;
 *     BANK_BAD_RESPONSE  connection dropped after the request was sent, 5xx, not JSON, not the
 *                        schema, or an answer for another txnId: the bank may have debited.
 * - The deadline runs on real time (it bounds socket I/O) and also on the injected clock, the first
 *   to expire winning: in production both are the same; in a scenario run on virtual time, a request
 *   the embedded bank holds on purpose times out when the runner moves virtual time on.
 * - Logs: operation, txnId, PAN masked (first 6, last 4), amount, outcome, duration. Never the PIN
 *   block, never a body.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { z } from 'zod';
import { realClock, type Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskAccount } from '../../drivers/common/mask.js';
import {
  BankErrorResponse,
  bankPaths,
  BusinessDate,
  DebitResponse,
  ReversalResponse,
  TransactionsResponse,
  type DebitBody,
} from '../bank/wire.js';
import { PaymentError, type DebitRequest, type DebitResult, type PaymentErrorCode, type PaymentGateway, type ReversalResult } from './gateway.js';

export interface GatewayClientOptions {
  baseUrl: string;
  /** Deadline of one request, connect to last byte (ms). */
  timeoutMs: number;
  /** A second deadline of the same length on this clock (the scenario runner's virtual time). */
  clock?: Clock;
  logger: Logger;
  /** Mutual TLS for an https baseUrl: CA to trust, and the terminal's certificate and key (PEM). */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Largest answer accepted (bytes). Default 1 MiB (a day's transactions of a terminal). */
  maxResponseBytes?: number;
}

export interface GatewayClient extends PaymentGateway {
  /** The bank's record of one business day (Beijing time), for the reconciliation report. */
  transactionsOn(date: string): Promise<TransactionsResponse>;
}

/** BANK_REJECTED with the bank's reason (`TXN_ID_REUSED`, `BAD_REQUEST`, `TERMINAL_MISMATCH`, …). */
export class BankRejectedError extends PaymentError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super('BANK_REJECTED', message);
  }
}

type Op = 'debit' | 'reversal' | 'transactions';

interface Call<T> {
  op: Op;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** For the log line. */
  txnId?: string;
  pan?: string;
}

/** Errors of name resolution and connection set-up: the request cannot have left. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function createGatewayClient(opts: GatewayClientOptions): GatewayClient {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new PaymentError('BANK_UNREACHABLE', `bank baseUrl must be http(s): ${opts.baseUrl}`);
  }
  const isHttps = base.protocol === 'https:';
  const clock = opts.clock ?? realClock;
  const log = opts.logger;
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  const basePath = base.pathname.replace(/\/$/, '');
  // No keep-alive: a pooled socket the bank already closed would turn a debit into an ambiguous
  // "socket hang up" (outcome unknown, a needless reversal); a fresh connection per request keeps
  // "was anything sent?" answerable.
  const agent = isHttps
    ? new https.Agent({ keepAlive: false, ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key })
    : new http.Agent({ keepAlive: false });

  const fail = (code: PaymentErrorCode, message: string, cause?: unknown) => new PaymentError(code, message, cause === undefined ? undefined : { cause });

  /** One request: status and raw body, or TIMEOUT / UNREACHABLE / BAD_RESPONSE. */
  function send(c: Call<unknown>): Promise<{ status: number; text: string }> {
    const url = new URL(basePath + c.path, base);
    for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
    const payload = c.body === undefined ? undefined : Buffer.from(JSON.stringify(c.body), 'utf8');
    const ac = new AbortController();
    let timedOut = false;
    // Whether the connection was made: from then on, bytes of the request may have reached the bank.
    let connected = false;
    const expire = () => {
      timedOut = true;
      ac.abort();
    };
    const realTimer = setTimeout(expire, opts.timeoutMs);
    realTimer.unref?.();
    const clockTimer = clock === realClock ? undefined : clock.setTimeout(expire, opts.timeoutMs);

    const networkError = (err: Error): PaymentError => {
      if (timedOut) return fail('BANK_TIMEOUT', `bank did not answer within ${opts.timeoutMs} ms`, err);
      const code = (err as NodeJS.ErrnoException).code ?? err.name;
      if (!connected || NOT_SENT.has(code)) return fail('BANK_UNREACHABLE', `bank unreachable (${code})`, err);
      return fail('BANK_BAD_RESPONSE', `connection lost after the request was sent (${code})`, err);
    };

    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        {
          method: c.method,
          agent,
          signal: ac.signal,
          headers: {
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              res.destroy();
              reject(fail('BANK_BAD_RESPONSE', `answer larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(networkError(err)));
          // A body cut short (the bank died, or our deadline) may end with 'close' and no 'error'.
          res.on('close', () => {
            if (!res.complete) reject(networkError(new Error('answer cut short')));
          });
        },
      );
      req.on('socket', (socket: Socket) => {
        if (!socket.connecting) connected = true;
        else socket.once(isHttps ? 'secureConnect' : 'connect', () => (connected = true));
      });
      req.on('error', (err) => reject(networkError(err)));
      req.end(payload);
    }).finally(() => {
      clearTimeout(realTimer);
      clock.clearTimeout(clockTimer);
      // The debit body carries the PIN block: do not leave it in a buffer longer than the request.
      payload?.fill(0);
    });
  }

  function interpret<T>(c: Call<T>, status: number, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail('BANK_BAD_RESPONSE', `HTTP ${status} answer is not JSON`);
    }
    if (status === 200) {
      const r = c.schema.safeParse(json);
      if (!r.success) {
        const where = r.error.issues[0];
        throw fail('BANK_BAD_RESPONSE', `answer does not match the schema at ${where?.path.join('.') || '(root)'}: ${where?.message ?? ''}`);
      }
      if (c.txnId !== undefined && (r.data as { txnId?: string }).txnId !== c.txnId) {
        throw fail('BANK_BAD_RESPONSE', 'answer is for another transaction');
      }
      return r.data;
    }
    const e = BankErrorResponse.safeParse(json);
    // Only a 4xx that names its reason is a refusal; a 5xx (or a 4xx we cannot read) may come after
    // the bank acted, so the outcome stays unknown.
    if (status >= 400 && status < 500 && e.success && e.data.error.reason) {
      throw new BankRejectedError(e.data.error.reason, `bank refused the ${c.op}: ${e.data.error.message}`);
    }
    throw fail('BANK_BAD_RESPONSE', `bank answered HTTP ${status}${e.success ? ` (${e.data.error.code})` : ''}`);
  }

  async function call<T>(c: Call<T>): Promise<T> {
    const started = Date.now();
    const who = { op: c.op, ...(c.txnId ? { txnId: c.txnId } : {}), ...(c.pan ? { pan: maskAccount(c.pan) } : {}) };
    try {
      const { status, text } = await send(c as Call<unknown>);
      const out = interpret(c, status, text);
      const outcome = (out as { outcome?: string; reversed?: boolean }).outcome ?? (out as { reversed?: boolean }).reversed;
      log.debug({ ...who, status, outcome, ms: Date.now() - started }, 'bank call');
      return out;
    } catch (err) {
      const pe = err instanceof PaymentError ? err : fail('BANK_BAD_RESPONSE', String(err), err);
      log.warn({ ...who, code: pe.code, ...(pe instanceof BankRejectedError ? { reason: pe.reason } : {}), ms: Date.now() - started }, 'bank call failed');
      throw pe;
    }
  }

  return {
    debit(req: DebitRequest): Promise<DebitResult> {
      // Named fields only: nothing the caller adds to the object travels by accident.
      const body: DebitBody = {
        txnId: req.txnId,
        terminalId: req.terminalId,
        pan: req.pan,
        expiry: req.expiry,
        amountFen: req.amountFen,
        pinBlock: req.pinBlock,
        description: req.description,
      };
      return call({ op: 'debit', method: 'POST', path: bankPaths.debit, body, schema: DebitResponse, txnId: req.txnId, pan: req.pan });
    },
    reverse(txnId: string, terminalId: string): Promise<ReversalResult> {
      return call({ op: 'reversal', method: 'POST', path: bankPaths.reversal, body: { txnId, terminalId }, schema: ReversalResponse, txnId });
    },
    async transactionsOn(date: string): Promise<TransactionsResponse> {
      if (!BusinessDate.safeParse(date).success) throw new BankRejectedError('BAD_REQUEST', `not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
      return call({ op: 'transactions', method: 'GET', path: bankPaths.transactions, query: { date }, schema: TransactionsResponse });
    },
    close: () => agent.destroy(),
  };
}
