/**
 * The national reader interface over local HTTP: `POST /v1/reader/{function}` with `{ "iType": n }`
 * and `Authorization: Bearer <client token>`, answering `{ code, output?, message }` where `output`
 * is the DLL's output buffer text. Every function result is HTTP 200 (the code carries the outcome,
 * as the DLL's return value does); 4xx means the request itself was wrong. docs/reader-api.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realClock, type Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskId, maskName } from '../../drivers/common/mask.js';
import { ReaderApiError } from './errors.js';
import { type CardAccess, type FunctionInput, NOT_OFFERED, createReaderFunctions, isReaderFunction } from './functions.js';
import { RateLimiter, TokenTable, bearerToken, isLoopbackHost, isLoopbackPeer } from './guard.js';
import { RC, messageFor } from './return-codes.js';

export interface ReaderApiServerOptions {
  /** Must be a loopback address (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Client name → bearer token. Names appear in logs; tokens never do. */
  tokens: Readonly<Record<string, string>>;
  access: CardAccess;
  logger: Logger;
  terminalId: string;
  deviceId: string;
  /** Browser origins (a B/S hospital system's page) allowed to call; others are refused. */
  allowedOrigins?: readonly string[];
  /** Per-client request budget (token bucket, default 10 a second). */
  maxRequestsPerSecond?: number;
  clock?: Clock;
}

export interface ReaderApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ApiAnswer {
  code: number;
  output?: string;
  message: string;
  triesLeft?: number;
}

const ROUTE = /^\/v1\/reader\/([^/]*)$/;
/** `{"iType":4}` is 12 bytes; anything near this limit is not a reader call. */
const MAX_BODY_BYTES = 1024;
/** Keys a caller might use to send a PIN: it gets told why that can never work here. */
const PIN_LIKE = /pin|pwd|pass/i;

class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function reply(res: ServerResponse, status: number, body: ApiAnswer): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ProtocolError(413, RC.BAD_PARAMETER, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProtocolError(400, RC.BAD_PARAMETER, 'body is not valid JSON');
  }
}

/** The body is `{ "iType": n }` or `{}` and nothing else: in particular, never a PIN. */
export function parseInput(body: unknown): FunctionInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProtocolError(400, RC.BAD_PARAMETER, 'body must be a JSON object such as {"iType":1}');
  }
  for (const key of Object.keys(body)) {
    if (key === 'iType') continue;
    if (PIN_LIKE.test(key)) {
      throw new ProtocolError(400, RC.BAD_PARAMETER, `field '${key}' refused: the PIN never crosses this API, the citizen types it on the PIN pad`);
    }
    throw new ProtocolError(400, RC.BAD_PARAMETER, `unknown field '${key}': the body carries iType only`);
  }
  const iType = (body as { iType?: unknown }).iType;
  // A number outside 1..4 is the function's -14 (HTTP 200, as the DLL answers); a non-integer is a malformed request.
  if (iType !== undefined && !Number.isInteger(iType)) throw new ProtocolError(400, RC.BAD_PARAMETER, 'iType must be an integer');
  return iType === undefined ? {} : { iType };
}

export async function createReaderApiServer(opts: ReaderApiServerOptions): Promise<ReaderApiServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new ReaderApiError('READER_API_NOT_LOOPBACK', `readerApi.host '${host}' is not a loopback address: the reader API serves this machine only (use 127.0.0.1 or ::1)`);
  }
  const log = opts.logger.child({ mod: 'reader-api' });
  const tokens = new TokenTable(opts.tokens);
  if (tokens.size === 0) log.warn('reader API has no client tokens: every call will be refused');
  const limiter = new RateLimiter(opts.maxRequestsPerSecond ?? 10, opts.clock ?? realClock);
  const origins = new Set(opts.allowedOrigins ?? []);
  const inFlight = new Set<string>();
  const fns = createReaderFunctions({ access: opts.access, terminalId: opts.terminalId, deviceId: opts.deviceId });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Defence in depth: the bind is loopback already, but a proxy or a future change must not widen it.
    if (!isLoopbackPeer(req.socket.remoteAddress)) throw new ProtocolError(403, RC.BAD_PARAMETER, 'the reader API serves this machine only');
    const origin = req.headers.origin;
    if (origin !== undefined) {
      // A web page the kiosk's browser (or any local browser) shows must not drive the reader,
      // unless it is the hospital system's own page, listed in the configuration.
      if (!origins.has(origin)) throw new ProtocolError(403, RC.BAD_PARAMETER, `origin ${origin} is not allowed`);
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const route = ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method === 'OPTIONS' && origin !== undefined && route) {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (!route) throw new ProtocolError(404, RC.NOT_SUPPORTED, 'no such route: POST /v1/reader/{function}');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new ProtocolError(405, RC.NOT_SUPPORTED, 'use POST');
    }
    const fn = route[1]!;
    const client = tokens.clientFor(bearerToken(req.headers.authorization));
    if (!client) {
      log.warn({ fn }, 'reader API call refused: missing or unknown token');
      res.setHeader('WWW-Authenticate', 'Bearer realm="reader-api"');
      throw new ProtocolError(401, RC.BAD_PARAMETER, 'missing or bad token');
    }
    if (!isReaderFunction(fn) && !NOT_OFFERED.includes(fn)) throw new ProtocolError(404, RC.NOT_SUPPORTED, `unknown function '${fn}'`);
    if (!limiter.take(client)) {
      res.setHeader('Retry-After', '1');
      throw new ProtocolError(429, RC.READER_BUSY, 'too many requests');
    }
    // One call per client at a time: a second one could only be refused by the arbiter anyway.
    if (inFlight.has(client)) throw new ProtocolError(429, RC.READER_BUSY, 'this client already has a call in progress');
    inFlight.add(client);
    try {
      const input = parseInput(await readBody(req));
      const abort = new AbortController();
      // A caller that hangs up during a PIN entry must not leave the pad waiting for the citizen.
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const started = Date.now();
      const outcome = await fns.call(client, fn, input, abort.signal);
      const r = outcome.result;
      log.info(
        {
          client,
          fn,
          iType: input.iType,
          code: r.code,
          ms: Date.now() - started,
          ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
          ...(outcome.holder ? { ssn: maskId(outcome.holder.ssn), holderName: maskName(outcome.holder.name) } : {}),
        },
        'reader API call',
      );
      if (outcome.error) log.error({ fn, err: (outcome.error as Error)?.message }, 'reader API call failed unexpectedly');
      reply(res, 200, r);
    } finally {
      inFlight.delete(client);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ProtocolError) {
        reply(res, err.status, { code: err.code, message: err.message });
        return;
      }
      log.error({ err: (err as Error)?.message }, 'reader API request failed');
      reply(res, 500, { code: RC.INTERNAL, message: messageFor(RC.INTERNAL) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url, clients: Object.keys(opts.tokens) }, 'reader API listening');

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
