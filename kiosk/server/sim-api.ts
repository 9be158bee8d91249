import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Logger } from '../../drivers/common/log.js';
import type { SimPanelApi } from './hub.js';
import { HttpError, readJson, sendJson } from './http-util.js';
import { SimFaultBody, SimInsertBody, SimKeysBody, SimTakeBody, type SimResult } from './sim-protocol.js';

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const detail = r.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  throw new HttpError(400, 'BAD_REQUEST', `invalid body — ${detail}`);
}

/** ok:false is an answer the simulator gave (e.g. "no card at the gate"), not a server failure. */
function sendResult(res: ServerResponse, r: SimResult): void {
  sendJson(res, r.ok ? 200 : 409, r);
}

/** Handles `/sim/api/*`. Returns false when the path is not part of the API. */
export async function handleSimApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  sim: SimPanelApi,
  log: Logger,
): Promise<boolean> {
  const route = pathname.slice('/sim/api/'.length);
  const method = req.method ?? 'GET';
  const allowed: Record<string, string> = { state: 'GET', insert: 'POST', take: 'POST', fault: 'POST', keys: 'POST' };
  const want = allowed[route];
  if (!want) return false;
  if (method !== want && !(want === 'GET' && method === 'HEAD')) {
    res.setHeader('Allow', want);
    sendJson(res, 405, { ok: false, message: `${pathname} takes ${want}` });
    return true;
  }
  try {
    switch (route) {
      case 'state':
        sendJson(res, 200, sim.state());
        break;
      case 'insert': {
        const b = parseBody(SimInsertBody, await readJson(req));
        log.info({ card: b.card }, 'sim: insert card');
        sendResult(res, await sim.insert(b.card));
        break;
      }
      case 'take':
        parseBody(SimTakeBody, await readJson(req));
        log.info('sim: take card');
        sendResult(res, await sim.take());
        break;
      case 'keys': {
        const b = parseBody(SimKeysBody, await readJson(req));
        // Never log which digits: the simulated pad is the only place they exist.
        log.info({ keys: /^\d+$/.test(b.keys) ? `${b.keys.length} digits` : b.keys }, 'sim: PIN pad keys');
        sendResult(res, await sim.keys(b.keys));
        break;
      }
      case 'fault': {
        const b = parseBody(SimFaultBody, await readJson(req));
        log.info({ device: b.device, kind: b.kind }, 'sim: inject fault');
        sendResult(res, await sim.fault(b.device, b.kind));
        break;
      }
    }
  } catch (err) {
    if (err instanceof HttpError) {
      sendJson(res, err.status, { ok: false, message: err.message });
    } else {
      log.error({ err, route }, 'sim api failed');
      sendJson(res, 500, { ok: false, message: err instanceof Error ? err.message : 'internal error' });
    }
  }
  return true;
}
