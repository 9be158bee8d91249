/**
 * The embedded bank's HTTP face (docs/bank.md): request validation at the edge, the ledger behind
 * it, and faults injected where a real network would put them, so that timeouts, lost answers and
 * dropped connections are exercised through the real gateway client and the real network stack.
 *
 * Listening goes through a separate net.Server that hands sockets to the HTTP server: "unplugging"
 * the bank closes only that listener (new connections are refused, as with a bank that is down)
 * and re-opens it on the same port, while the HTTP server and its held requests live on.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { z } from 'zod';
import type { Logger } from '../../../drivers/common/log.js';
import { maskAccount } from '../../../drivers/common/mask.js';
import { HttpError, readJson, sendJson } from '../../server/http-util.js';
import { bankPaths, DebitBody, ReversalBody, TransactionsQuery } from '../wire.js';
import type { FaultSwitch } from './faults.js';
import type { BankOperation } from './overrides.js';
import { BankApiError, type BankStore } from './store.js';

export interface BankHttpServer {
  url: string;
  /** Requests held open on purpose by a timeout or lost-response fault, not yet given up by their client. */
  withheld(): number;
  /** Opens or closes the listener to match the faults (called when they change). */
  syncListening(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new BankApiError(400, 'BAD_REQUEST', 'BAD_REQUEST', `${what}${i?.path.length ? '.' + i.path.join('.') : ''}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

const ROUTES: readonly { op: BankOperation; method: 'GET' | 'POST'; path: string }[] = [
  { op: 'debit', method: 'POST', path: bankPaths.debit },
  { op: 'reversal', method: 'POST', path: bankPaths.reversal },
  { op: 'transactions', method: 'GET', path: bankPaths.transactions },
];

function errorAnswer(err: unknown, log: Logger): Answer {
  if (err instanceof BankApiError) return { status: err.status, body: { error: { code: err.wireCode, reason: err.reason, message: err.message } } };
  if (err instanceof HttpError) return { status: err.status, body: { error: { code: 'BAD_REQUEST', reason: err.code, message: err.message } } };
  log.error({ err }, 'embedded bank internal error');
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}

export async function startBankServer(opts: {
  store: BankStore;
  faults: FaultSwitch;
  logger: Logger;
  host?: string;
  port?: number;
}): Promise<BankHttpServer> {
  const { store, faults } = opts;
  const log = opts.logger;
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();
  let closed = false;

  /** Keeps the request open with no answer until its client gives up (or the bank closes). */
  function hold(req: IncomingMessage, op: BankOperation, why: string): void {
    const s = req.socket;
    held.add(s);
    s.once('close', () => held.delete(s));
    log.debug({ op, fault: why }, 'bank fault: answer withheld');
  }

  async function answerFor(op: BankOperation, req: IncomingMessage, url: URL, declineReason: string | undefined): Promise<Answer> {
    switch (op) {
      case 'debit': {
        const b = parse(DebitBody, await readJson(req), 'body');
        const r = store.debit(b, declineReason ? { declineAll: declineReason } : {});
        // Never the PIN block; the PAN masked like a receipt.
        log.debug({ op, txnId: b.txnId, pan: maskAccount(b.pan), amountFen: b.amountFen, outcome: r.outcome, reason: r.declineReason }, 'bank debit');
        return { status: 200, body: r };
      }
      case 'reversal': {
        const b = parse(ReversalBody, await readJson(req), 'body');
        const r = store.reverse(b);
        log.debug({ op, txnId: b.txnId, reversed: r.reversed }, 'bank reversal');
        return { status: 200, body: r };
      }
      case 'transactions': {
        const { date } = parse(TransactionsQuery, Object.fromEntries(url.searchParams), 'query');
        return { status: 200, body: { date, ...store.transactionsOn(date) } };
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bank.local');
    if (req.method === 'GET' && url.pathname === bankPaths.health) return sendJson(res, 200, { ok: true });
    const onPath = ROUTES.filter((r) => r.path === url.pathname);
    const route = onPath.find((r) => r.method === req.method);
    if (!route) {
      const wrongMethod = onPath.length > 0;
      return sendJson(res, wrongMethod ? 405 : 404, {
        error: { code: wrongMethod ? 'BAD_REQUEST' : 'NOT_FOUND', reason: wrongMethod ? 'METHOD_NOT_ALLOWED' : 'NO_ROUTE', message: `no route ${req.method} ${url.pathname}` },
      });
    }
    const { verdict, declineReason } = faults.take(route.op);
    if (verdict === 'fail') {
      log.debug({ op: route.op }, 'bank fault: connection dropped');
      req.socket.destroy();
      return;
    }
    if (verdict === 'timeout') return hold(req, route.op, 'timeout');
    let answer: Answer;
    try {
      answer = await answerFor(route.op, req, url, declineReason);
    } catch (err) {
      answer = errorAnswer(err, log);
    }
    if (verdict === 'lostResponse') return hold(req, route.op, 'lostResponse');
    sendJson(res, answer.status, answer.body);
  }

  const http = createHttpServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const a = errorAnswer(err, log);
      if (!res.headersSent) sendJson(res, a.status, a.body);
    });
  });

  let listener: NetServer | undefined;
  let port = opts.port ?? 0;

  function listen(): Promise<void> {
    const l = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      http.emit('connection', socket);
    });
    listener = l;
    return new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => {
        if (listener === l) listener = undefined;
        reject(err);
      };
      l.once('error', failed);
      l.listen(port, host, () => {
        l.off('error', failed);
        port = (l.address() as AddressInfo).port;
        // Unplugged (or closed) again before the bind completed: this listener is no longer wanted.
        if (listener !== l) l.close();
        resolve();
      });
    });
  }

  function unlisten(): void {
    listener?.close();
    listener = undefined;
  }

  await listen();
  const url = `http://${host}:${port}`;
  log.info({ url }, 'embedded bank listening');

  return {
    url,
    withheld: () => held.size,
    syncListening() {
      if (closed) return;
      if (faults.refusesConnections()) {
        if (listener) {
          unlisten();
          log.debug('bank fault: unplugged (connections refused)');
        }
      } else if (!listener) {
        listen().catch((err: unknown) => log.error({ err, port }, 'embedded bank could not listen again on its port'));
      }
    },
    close: async () => {
      closed = true;
      const l = listener;
      listener = undefined;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (l ? l.close(() => resolve()) : resolve()));
      http.close();
    },
  };
}
