import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SimPanelApi, SnapshotHub } from './hub.js';
import { sendJson, sendText } from './http-util.js';
import { handleSimApi } from './sim-api.js';
import { SnapshotRelay } from './snapshot-relay.js';
import { isFile, notBuiltPage, resolveInside, sendFile } from './static.js';

export interface UiServerOptions {
  /** Defaults to 127.0.0.1: the kiosk browser runs on the same machine. */
  host?: string;
  /** 0 picks an ephemeral port (tests). */
  port: number;
  /** The Vite build output (dist/ui). */
  staticDir: string;
  logger: Logger;
  hub: SnapshotHub;
  /** Only in simulator mode: enables `/sim` and `/sim/api/*`. */
  sim?: SimPanelApi;
}

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // The sim panel frames the kiosk page, so same-origin framing stays allowed.
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'",
};

export async function createUiServer(opts: UiServerOptions): Promise<UiServer> {
  const log = opts.logger.child({ mod: 'ui-server' });
  const staticDir = path.resolve(opts.staticDir);
  const relay = new SnapshotRelay({ hub: opts.hub, logger: log });

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    route(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function page(res: ServerResponse, file: string, head: boolean): Promise<void> {
    const abs = path.join(staticDir, file);
    if (!(await sendFile(res, abs, head))) sendText(res, 503, notBuiltPage(staticDir), 'text/html; charset=utf-8');
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';

    if (p === '/healthz') {
      sendJson(res, 200, { ok: true, clients: relay.clientCount });
      return;
    }
    if (p.startsWith('/sim/api/')) {
      if (opts.sim && (await handleSimApi(req, res, p, opts.sim, log))) return;
      sendJson(res, 404, { ok: false, message: opts.sim ? `no such sim endpoint: ${p}` : 'simulator not enabled' });
      return;
    }
    if (method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'method not allowed');
      return;
    }
    if (p === '/' || p === '/index.html') return page(res, 'index.html', head);
    if (p === '/sim' || p === '/sim.html' || p === '/sim/') {
      if (!opts.sim) {
        sendText(res, 404, 'simulator not enabled');
        return;
      }
      // The build uses relative asset URLs; they only resolve from `/sim`, not `/sim/`.
      if (p === '/sim/') {
        res.writeHead(301, { Location: '/sim' });
        res.end();
        return;
      }
      return page(res, 'sim.html', head);
    }
    const file = resolveInside(staticDir, p);
    if (file && !file.endsWith('.html') && (await isFile(file)) && (await sendFile(res, file, head))) return;
    sendText(res, 404, 'not found');
  }

  server.on('upgrade', (req, socket, head) => {
    const p = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (p !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    relay.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (err, socket) => {
    log.debug({ err }, 'http client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(new YktError('UI_LISTEN_FAILED', `UI server cannot listen on ${host}:${opts.port}: ${err.code ?? err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost === '[::]' ? '[::1]' : shownHost}:${addr.port}`;
  log.info({ url, staticDir, sim: Boolean(opts.sim) }, 'ui server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await relay.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // The sim API holds rendered receipt pictures in a temp directory.
        await opts.sim?.dispose?.().catch((err: unknown) => log.warn({ err }, 'sim api dispose failed'));
      })();
      return closing;
    },
  };
}
