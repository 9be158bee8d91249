import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Logger } from '../../drivers/common/log.js';
import type { SimPanelApi } from './hub.js';
import { HttpError, readJson, sendJson } from './http-util.js';
import { SimFaultBody, SimInsertBody, SimKeysBody, SimPassBody, SimScanBody, SimTakeBody, SimTakeReceiptBody, SimTapBody, type SimResult } from './sim-protocol.js';

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

/**
 * `GET /sim/api/receipt.png`: the last printed document as the paper would look. The id is the
 * document's content hash, so it doubles as a strong ETag and a panel polling with If-None-Match
 * gets a 304 without a byte of PNG.
 */
async function sendReceiptPng(req: IncomingMessage, res: ServerResponse, sim: SimPanelApi, head: boolean, log: Logger): Promise<void> {
  let png: Awaited<ReturnType<SimPanelApi['receiptPng']>>;
  try {
    png = await sim.receiptPng();
  } catch (err) {
    log.error({ err }, 'sim: receipt render failed');
    throw new HttpError(500, 'RENDER_FAILED', `cannot render the receipt: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!png) {
    sendJson(res, 404, { ok: false, message: 'nothing printed yet: the simulated printer has no document' });
    return;
  }
  const etag = `"${png.id}"`;
  const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'X-Receipt-Id': png.id };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const { size } = await stat(png.file);
  res.writeHead(200, { ...headers, 'Content-Type': 'image/png', 'Content-Length': size });
  if (head) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(png.file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
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
  const allowed: Record<string, string> = {
    state: 'GET',
    insert: 'POST',
    take: 'POST',
    fault: 'POST',
    keys: 'POST',
    'take-receipt': 'POST',
    tap: 'POST',
    scan: 'POST',
    pass: 'POST',
    'receipt.png': 'GET',
  };
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
      case 'take-receipt':
        parseBody(SimTakeReceiptBody, await readJson(req));
        log.info('sim: take receipt');
        sendResult(res, await sim.takeReceipt());
        break;
      case 'tap': {
        const b = parseBody(SimTapBody, await readJson(req));
        log.info({ card: b.card, holdMs: b.holdMs }, 'sim: tap card');
        sendResult(res, await sim.tap(b.card, b.holdMs));
        break;
      }
      case 'scan': {
        const b = parseBody(SimScanBody, await readJson(req));
        // A code identifies a citizen: log its kind, never its text.
        log.info('ecard' in b ? { ecard: b.ecard, variant: b.variant } : { textLength: b.text.length }, 'sim: scan');
        sendResult(res, await sim.scan(b));
        break;
      }
      case 'pass': {
        const b = parseBody(SimPassBody, await readJson(req));
        log.info({ tailgate: b.tailgate }, 'sim: walk through the gate');
        sendResult(res, await sim.pass(b.tailgate));
        break;
      }
      case 'receipt.png':
        await sendReceiptPng(req, res, sim, method === 'HEAD', log);
        break;
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
