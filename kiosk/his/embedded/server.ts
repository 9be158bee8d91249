/**
 * The embedded HIS's HTTP face: the REST routes the HIS client calls (docs/his.md), request
 * validation at the edge, and injectable faults so that a slow, absent or garbling HIS is
 * exercised through the real client and the real network stack.
 */
import { parseOr, SEG, type Route as HttpRoute } from '../../http/routes.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { z } from 'zod';
import type { Logger } from '../../../drivers/common/log.js';
import { HttpError, readJson, sendJson } from '../../server/http-util.js';
import { CancelBody, HisRef, hisPaths, HoldBody, KebabId, RegisterBody, RegistrationsQuery, SlotsQuery, Ssn } from '../wire.js';
import { HisApiError } from './api-error.js';
import type { HisOperation } from './overrides.js';
import type { HisStore } from './store.js';

export interface HisFaults {
  /** The server never answers (the client's deadline fires). register and cancel are processed first: a lost answer. */
  timeoutOn?: HisOperation | '*';
  /** HTTP 503 with an UNAVAILABLE error body; nothing is processed. */
  failOn?: HisOperation | '*';
  /** HTTP 200 with a truncated JSON body; nothing is processed. */
  badResponseOn?: HisOperation | '*';
}

/**
 * Writes whose timeout is a lost answer: the registration (or cancellation) stands, the answer is
 * withheld. That is the case a paid registration has to survive, so the fault produces it rather
 * than the harmless one. Holds and releases are held unprocessed (a hold would only expire).
 */
const LOST_ANSWER_OPS: ReadonlySet<HisOperation> = new Set(['register', 'cancel']);

type Route = HttpRoute<HisOperation>;

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T =>
  parseOr(schema, value, what, (m) => new HisApiError(400, 'BAD_REQUEST', m, 'BAD_REQUEST'));

const seg = SEG;
const query = (u: URL) => Object.fromEntries(u.searchParams);

function routes(store: HisStore): Route[] {
  return [
    { op: 'departments', method: 'GET', pattern: /^\/v1\/departments$/, handle: () => ({ departments: store.departments() }) },
    {
      op: 'doctors',
      method: 'GET',
      pattern: new RegExp(`^/v1/departments/${seg}/doctors$`),
      handle: (p) => ({ doctors: store.doctors(parse(KebabId, p[0], 'departmentId')) }),
    },
    {
      op: 'slots',
      method: 'GET',
      pattern: /^\/v1\/slots$/,
      handle: (_p, u) => {
        const q = parse(SlotsQuery, query(u), 'query');
        return { slots: store.slots({ departmentId: q.department, doctorId: q.doctor, from: q.from, days: q.days }) };
      },
    },
    {
      op: 'hold',
      method: 'POST',
      pattern: /^\/v1\/holds$/,
      handle: async (_p, _u, req) => {
        const b = parse(HoldBody, await readJson(req), 'body');
        return store.hold(b.slotId, b.patient, b.requestId);
      },
    },
    {
      op: 'release',
      method: 'POST',
      pattern: new RegExp(`^/v1/holds/${seg}/release$`),
      handle: (p) => store.release(parse(HisRef, p[0], 'holdId')),
    },
    {
      op: 'register',
      method: 'POST',
      pattern: /^\/v1\/registrations$/,
      handle: async (_p, _u, req) => {
        const b = parse(RegisterBody, await readJson(req), 'body');
        return store.register(b.holdId, b.payment, b.requestId);
      },
    },
    {
      op: 'registration',
      method: 'GET',
      pattern: new RegExp(`^/v1/registrations/${seg}$`),
      handle: (p) => store.registration(parse(HisRef, p[0], 'regId')),
    },
    {
      op: 'cancel',
      method: 'POST',
      pattern: new RegExp(`^/v1/registrations/${seg}/cancellations$`),
      handle: async (p, _u, req) => store.cancel(parse(HisRef, p[0], 'regId'), parse(CancelBody, await readJson(req), 'body').requestId),
    },
    {
      op: 'registrationsOf',
      method: 'GET',
      pattern: new RegExp(`^/v1/patients/${seg}/registrations$`),
      handle: (p, u) => ({ registrations: store.registrationsOf(parse(Ssn, p[0], 'ssn'), parse(RegistrationsQuery, query(u), 'query').date) }),
    },
  ];
}

function errorBody(err: unknown): { status: number; body: unknown } | undefined {
  if (err instanceof HisApiError) {
    return { status: err.status, body: { error: { code: err.wireCode, ...(err.reason ? { reason: err.reason } : {}), message: err.message } } };
  }
  if (err instanceof HttpError) return { status: err.status, body: { error: { code: 'BAD_REQUEST', reason: err.code, message: err.message } } };
  return undefined;
}

export interface HisHttpServer {
  url: string;
  close(): Promise<void>;
  /** Requests held unanswered on purpose (timeout faults): not I/O a virtual-time runner should wait for. */
  withheld(): number;
}

export async function startHisServer(opts: { store: HisStore; logger: Logger; faults: HisFaults; host?: string; port?: number }): Promise<HisHttpServer> {
  const table = routes(opts.store);
  const log = opts.logger;
  const held = new Set<Socket>();
  const hits = (target: HisFaults[keyof HisFaults], op: HisOperation) => target === '*' || target === op;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://his.local');
    if (req.method === 'GET' && url.pathname === hisPaths.health) return sendJson(res, 200, { ok: true });
    let segments: string[] = [];
    let pathMatched = false;
    const route = table.find((r) => {
      const m = r.pattern.exec(url.pathname);
      if (!m) return false;
      pathMatched = true;
      if (r.method !== req.method) return false;
      segments = m.slice(1).map((s) => decodeURIComponent(s));
      return true;
    });
    if (!route) {
      return sendJson(res, pathMatched ? 405 : 404, {
        error: {
          code: pathMatched ? 'BAD_REQUEST' : 'NOT_FOUND',
          reason: pathMatched ? 'METHOD_NOT_ALLOWED' : 'NO_ROUTE',
          message: `no route ${req.method} ${url.pathname.replace(/\d{17}[\dX]/g, '…')}`,
        },
      });
    }
    const f = opts.faults;
    if (hits(f.timeoutOn, route.op)) {
      if (LOST_ANSWER_OPS.has(route.op)) {
        try {
          await route.handle(segments, url, req);
        } catch (err) {
          if (!errorBody(err)) log.error({ err }, 'embedded HIS internal error');
        }
      }
      held.add(req.socket);
      req.socket.once('close', () => held.delete(req.socket));
      log.debug({ op: route.op }, 'HIS fault: holding request');
      return;
    }
    if (hits(f.failOn, route.op)) return sendJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'HIS fault injected: unavailable' } });
    if (hits(f.badResponseOn, route.op)) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"slots": [{"id": "internal-');
      return;
    }
    sendJson(res, 200, await route.handle(segments, url, req));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = errorBody(err);
      if (!e) log.error({ err }, 'embedded HIS internal error');
      if (!res.headersSent) sendJson(res, e?.status ?? 500, e?.body ?? { error: { code: 'INTERNAL', message: 'internal error' } });
    });
  });
  // Clients pool connections for 4 s; the server keeps an idle one a little longer, so it is never the one to close first.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address}:${addr.port}`;
  log.info({ url }, 'embedded HIS listening');
  return {
    url,
    withheld: () => held.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
