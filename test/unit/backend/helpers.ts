import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, TimerHandle } from '../../../drivers/common/clock.js';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedBackend, type EmbeddedBackend, type EmbeddedBackendOptions } from '../../../kiosk/backend/embedded/index.js';
import { createBackendClient, type BackendClient, type BackendClientOptions } from '../../../kiosk/backend/http-client.js';
import { BackendError } from '../../../kiosk/backend/interface.js';

export const ZHANG = { ssn: '110101195001011234', cardNumber: 'A12345678' };
export const LI = { ssn: '330302198507152348', cardNumber: 'B87654321' };
export const RESIDENT = { ssn: '650102197804058138', cardNumber: 'X65010219' };
export const SUN = { ssn: '110106196811094116', cardNumber: 'A12345678' };
/** An active urban employee (her employer pays): nothing due at a kiosk. */
export const ZHAO = { ssn: '110102197208153010', cardNumber: 'A12345678' };

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

export interface Rig {
  backend: EmbeddedBackend;
  client: BackendClient;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function startRig(
  opts: Partial<EmbeddedBackendOptions> = {},
  clientOpts: Partial<BackendClientOptions> = {},
): Promise<Rig> {
  const clock = opts.clock instanceof VirtualClock ? opts.clock : new VirtualClock();
  const backend = await createEmbeddedBackend({ dbFile: ':memory:', logger: silentLogger, ...opts, clock });
  const client = createBackendClient({ baseUrl: backend.url, timeoutMs: 2000, retries: 0, clock: new RecordingClock(), logger: silentLogger, ...clientOpts });
  return {
    backend,
    client,
    clock,
    close: async () => {
      client.close();
      await backend.close();
    },
  };
}

/** A tiny server answering every request with the handler's result; counts hits per method. */
export async function fakeServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Awaits a promise that must reject with a BackendError; returns it (fails the test otherwise). */
export async function backendError(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BackendError) return e;
    throw new Error(`expected a BackendError, got ${String(e)}`);
  }
  throw new Error('expected the call to fail, it succeeded');
}
