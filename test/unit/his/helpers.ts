import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../../drivers/common/clock.js';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedHis, type EmbeddedHis, type EmbeddedHisOptions } from '../../../kiosk/his/embedded/index.js';
import { createHisClient, type HisClient, type HisClientOptions } from '../../../kiosk/his/http-client.js';
import { HisError, type Patient, type Payment, type Slot } from '../../../kiosk/his/interface.js';

export const ZHANG: Patient = { ssn: '110101195001011234', name: '张三', cardNumber: 'A12345678' };
export const LI: Patient = { ssn: '330302198507152348', name: '李秀英', cardNumber: 'B87654321' };
export const WANG: Patient = { ssn: '110105196003022011', name: '王建国', cardNumber: 'A12345678' };
export const ZHAO: Patient = { ssn: '110102197208153010', name: '赵丽', cardNumber: 'A12345678' };

/** The VirtualClock's default start: Monday 2026-01-05 09:00 in Shanghai. */
export const TODAY = '2026-01-05';

let seq = 0;
/** A fresh requestId / txnId (8–64 chars). */
export function rid(prefix = 'req'): string {
  return `${prefix}-${String(++seq).padStart(8, '0')}`;
}

export function pay(slot: Pick<Slot, 'fee'>, method: Payment['method'] = 'bank-card'): Payment {
  return { method, txnId: rid('txn'), amountFen: slot.fee.totalFen };
}

/** A clock whose timers fire on the next turn of the event loop, recording the delays asked for. */
export class RecordingClock implements Clock {
  readonly delays: number[] = [];
  now(): number {
    return Date.UTC(2026, 0, 5, 1, 0, 0);
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return setImmediate(fn) as unknown as TimerHandle;
  }
  clearTimeout(): void {}
}

export interface HisRig {
  his: EmbeddedHis;
  client: HisClient;
  clock: VirtualClock;
  /** Another terminal: its own client (own connection pool) against the same HIS. */
  newClient(o?: Partial<HisClientOptions>): HisClient;
  close(): Promise<void>;
}

export async function startHisRig(opts: Partial<EmbeddedHisOptions> = {}, clientOpts: Partial<HisClientOptions> = {}): Promise<HisRig> {
  const clock = opts.clock instanceof VirtualClock ? opts.clock : new VirtualClock();
  const his = await createEmbeddedHis({ dbFile: ':memory:', logger: silentLogger, ...opts, clock });
  const clients: HisClient[] = [];
  const newClient = (o: Partial<HisClientOptions> = {}) => {
    const c = createHisClient({ baseUrl: his.url, timeoutMs: 2000, retries: 0, clock: new RecordingClock(), logger: silentLogger, ...clientOpts, ...o });
    clients.push(c);
    return c;
  };
  const client = newClient();
  return {
    his,
    client,
    clock,
    newClient,
    close: async () => {
      for (const c of clients) c.close();
      await his.close();
    },
  };
}

/** A tiny server answering every request with the handler's result; counts hits and connections. */
export async function fakeServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Awaits a promise that must reject with a HisError; returns it (fails the test otherwise). */
export async function hisError(p: Promise<unknown>): Promise<HisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HisError) return e;
    throw new Error(`expected a HisError, got ${String(e)}`);
  }
  throw new Error('expected the call to fail, it succeeded');
}
