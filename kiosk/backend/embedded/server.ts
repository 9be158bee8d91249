/**
 * The embedded backend's HTTP face: the REST routes the HTTP client calls (docs/backend.md), with
 * request validation at the edge and injectable faults so that timeouts, outages and garbage are
 * exercised through the real client and the real network stack.
 */
import { parseOr, SEG, type Route as HttpRoute } from '../../http/routes.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../../../drivers/common/log.js';
import { maskId } from '../../../drivers/common/mask.js';
import { HttpError, readJson, sendJson } from '../../server/http-util.js';
import {
  BlacklistQuery,
  CardNumber,
  ContributionsQuery,
  EcardJti,
  GateEventsBody,
  IssueEcardBody,
  LiftLossBody,
  MedicalDebitBody,
  MedicalReversalBody,
  MedicalTransactionsQuery,
  PostingsQuery,
  PostPremiumBody,
  ReportLossBody,
  Ssn,
  StatementBody,
} from '../wire.js';
import type { EcardIssuer } from './ecard-issuer.js';
import { GateEventLog } from './gate-events.js';
import type { BackendOperation } from './overrides.js';
import { ApiError, type BackendStore } from './store.js';

export interface BackendFaults {
  /**
   * The server never answers (the client's deadline fires). Most routes are held unprocessed;
   * postPremium and the medical account's debit and reversal are processed first and only their
   * answer withheld (LOST_ANSWER_OPS).
   */
  timeoutOn?: BackendOperation | '*';
  /** HTTP 503 with an UNAVAILABLE error body. */
  failOn?: BackendOperation | '*';
  /** HTTP 200 with a body that is not JSON. */
  badResponseOn?: BackendOperation | '*';
}

/**
 * Writes whose timeout fault is a lost answer: the posting is made, then the answer is withheld.
 * That is the case exactly-once has to survive (the client cannot tell it from a request that never
 * arrived), so the fault produces it rather than the harmless one.
 */
const LOST_ANSWER_OPS: ReadonlySet<BackendOperation> = new Set(['postPremium', 'medicalDebit', 'medicalReversal']);

type Route = HttpRoute<BackendOperation>;

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T =>
  parseOr(schema, value, what, (m) => new ApiError(400, 'BAD_REQUEST', m, 'BAD_REQUEST'));

const seg = SEG;

function routes(store: BackendStore, ecard?: EcardIssuer): Route[] {
  const gateLog = new GateEventLog(store.db);
  const holderCard = (p: string[]) => ({ ssn: parse(Ssn, p[0], 'ssn'), cardNumber: parse(CardNumber, p[1], 'cardNumber') });
  return [
    {
      op: 'cardStatus',
      method: 'GET',
      pattern: new RegExp(`^/v1/holders/${seg}/cards/${seg}/status$`),
      handle: (p) => {
        const { ssn, cardNumber } = holderCard(p);
        return store.cardStatus(ssn, cardNumber);
      },
    },
    {
      op: 'reportLoss',
      method: 'POST',
      pattern: new RegExp(`^/v1/holders/${seg}/cards/${seg}/loss-reports$`),
      handle: async (p, _u, req) => store.reportLoss({ ...holderCard(p), ...parse(ReportLossBody, await readJson(req), 'body') }),
    },
    {
      op: 'liftLoss',
      method: 'POST',
      pattern: new RegExp(`^/v1/holders/${seg}/cards/${seg}/loss-lifts$`),
      handle: async (p, _u, req) => store.liftLoss({ ...holderCard(p), ...parse(LiftLossBody, await readJson(req), 'body') }),
    },
    {
      op: 'holderProfile',
      method: 'GET',
      pattern: new RegExp(`^/v1/holders/${seg}$`),
      handle: (p) => store.holderProfile(parse(Ssn, p[0], 'ssn')),
    },
    {
      op: 'contributions',
      method: 'GET',
      pattern: new RegExp(`^/v1/holders/${seg}/contributions$`),
      handle: (p, u) => ({
        records: store.contributions(parse(Ssn, p[0], 'ssn'), parse(ContributionsQuery, Object.fromEntries(u.searchParams), 'query')),
      }),
    },
    {
      op: 'accountBalances',
      method: 'GET',
      pattern: new RegExp(`^/v1/holders/${seg}/accounts$`),
      handle: (p) => store.accountBalances(parse(Ssn, p[0], 'ssn')),
    },
    {
      op: 'statement',
      method: 'POST',
      pattern: new RegExp(`^/v1/holders/${seg}/statements$`),
      handle: async (p, _u, req) => store.statement(parse(Ssn, p[0], 'ssn'), parse(StatementBody, await readJson(req), 'body')),
    },
    {
      op: 'verifyStatement',
      method: 'GET',
      pattern: new RegExp(`^/v1/statements/${seg}/verification$`),
      handle: (p) => store.verifyStatement(parse(z.string().min(1).max(64), p[0], 'code')),
    },
    {
      op: 'blacklistSince',
      method: 'GET',
      pattern: /^\/v1\/blacklist$/,
      handle: (_p, u) => {
        const q = parse(BlacklistQuery, Object.fromEntries(u.searchParams), 'query');
        return store.blacklistSince(q.since, { cursor: q.cursor, limit: q.limit });
      },
    },
    {
      op: 'premiumsDue',
      method: 'GET',
      pattern: new RegExp(`^/v1/holders/${seg}/premiums-due$`),
      handle: (p) => ({ dues: store.premiumsDue(parse(Ssn, p[0], 'ssn')) }),
    },
    {
      op: 'postPremium',
      method: 'POST',
      pattern: /^\/v1\/premium-postings$/,
      handle: async (_p, _u, req) => store.postPremium(parse(PostPremiumBody, await readJson(req), 'body')),
    },
    {
      op: 'postingsOn',
      method: 'GET',
      pattern: /^\/v1\/premium-postings$/,
      handle: (_p, u) => ({ postings: store.postingsOn(parse(PostingsQuery, Object.fromEntries(u.searchParams), 'query').date) }),
    },
    // The medical personal account as a payment source (medical-account.ts, docs/payments.md).
    {
      op: 'medicalDebit',
      method: 'POST',
      pattern: new RegExp(`^/v1/holders/${seg}/medical-account/debits$`),
      handle: async (p, _u, req) => store.medicalAccount.debit(parse(Ssn, p[0], 'ssn'), parse(MedicalDebitBody, await readJson(req), 'body')),
    },
    {
      op: 'medicalReversal',
      method: 'POST',
      pattern: /^\/v1\/medical-account\/reversals$/,
      handle: async (_p, _u, req) => store.medicalAccount.reverse(parse(MedicalReversalBody, await readJson(req), 'body').txnId),
    },
    {
      op: 'medicalTransactionsOn',
      method: 'GET',
      pattern: /^\/v1\/medical-account\/transactions$/,
      handle: (_p, u) => store.medicalAccount.transactionsOn(parse(MedicalTransactionsQuery, Object.fromEntries(u.searchParams), 'query').date),
    },
    // Electronic card codes (docs/ecard.md). Issuing is the citizen's app's business; served here for demos and scenarios.
    {
      op: 'ecardStatus',
      method: 'GET',
      pattern: new RegExp(`^/v1/ecard/${seg}/status$`),
      handle: (p) => issuer(ecard).status(parse(EcardJti, p[0], 'jti')),
    },
    {
      op: 'uploadGateEvents',
      method: 'POST',
      pattern: new RegExp(`^/v1/terminals/${seg}/gate-events$`),
      handle: async (p, _u, req) => {
        const body = parse(GateEventsBody, await readJson(req), 'body');
        if (body.terminalId !== p[0]) throw new ApiError(400, 'BAD_REQUEST', 'terminalId in the body differs from the path');
        return gateLog.accept(body);
      },
    },
    {
      op: 'issueEcardCode',
      method: 'POST',
      pattern: /^\/v1\/ecard\/codes$/,
      handle: async (_p, _u, req) => {
        const { ssn, ...o } = parse(IssueEcardBody, await readJson(req), 'body');
        return issuer(ecard).issue(ssn, o);
      },
    },
  ];
}

function issuer(ecard: EcardIssuer | undefined): EcardIssuer {
  if (!ecard) throw new ApiError(404, 'NOT_FOUND', 'this backend does not serve electronic card codes');
  return ecard;
}

export interface BackendHttpServer {
  url: string;
  faults: BackendFaults;
  close(): Promise<void>;
  /** Requests held unanswered on purpose (timeout faults): not I/O a virtual-time runner should wait for. */
  withheld(): number;
}

export async function startBackendServer(opts: {
  store: BackendStore;
  logger: Logger;
  host?: string;
  port?: number;
  faults: BackendFaults;
  /** Requests wait for this (a deferred seed) before they are routed. */
  seeded?: () => Promise<void>;
  /** Serves the /v1/ecard routes; without it they answer NOT_FOUND. */
  ecard?: EcardIssuer;
}): Promise<BackendHttpServer> {
  const table = routes(opts.store, opts.ecard);
  const log = opts.logger;
  const held = new Set<Socket>();
  const state: BackendHttpServer = { url: '', faults: opts.faults, close: async () => {}, withheld: () => held.size };
  const hits = (target: BackendFaults[keyof BackendFaults], op: BackendOperation) => target === '*' || target === op;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (opts.seeded) await opts.seeded();
    const url = new URL(req.url ?? '/', 'http://backend.local');
    if (req.method === 'GET' && url.pathname === '/v1/health') return sendJson(res, 200, { ok: true });
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
        error: { code: pathMatched ? 'BAD_REQUEST' : 'NOT_FOUND', message: `no route ${req.method} ${url.pathname.replace(/\d{17}[\dX]/g, maskId)}` },
      });
    }
    const f = state.faults;
    if (hits(f.timeoutOn, route.op)) {
      if (LOST_ANSWER_OPS.has(route.op)) {
        // Do the work (a posting stands, a rejection is decided), then lose the answer.
        try {
          await route.handle(segments, url, req);
        } catch (err) {
          if (!(err instanceof ApiError || err instanceof HttpError)) log.error({ err }, 'embedded backend internal error');
        }
      }
      // Hold the socket open and never answer; close() destroys it.
      held.add(req.socket);
      req.socket.once('close', () => held.delete(req.socket));
      log.debug({ op: route.op }, 'backend fault: holding request');
      return;
    }
    if (hits(f.failOn, route.op)) {
      return sendJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'backend fault injected: unavailable' } });
    }
    if (hits(f.badResponseOn, route.op)) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"status": "norm');
      return;
    }
    const body = await route.handle(segments, url, req);
    sendJson(res, 200, body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiError) {
        sendJson(res, err.status, { error: { code: err.wireCode, ...(err.reason ? { reason: err.reason } : {}), message: err.message } });
      } else if (err instanceof HttpError) {
        sendJson(res, err.status, { error: { code: 'BAD_REQUEST', reason: err.code, message: err.message } });
      } else {
        log.error({ err }, 'embedded backend internal error');
        sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  state.url = `http://${addr.address}:${addr.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of held) s.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  log.info({ url: state.url }, 'embedded backend listening');
  return state;
}
