import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { HostSnapshot, Intent } from '../../flows/view/protocol.js';
import type { Logger } from '../../drivers/common/log.js';
import type { SnapshotHub } from './hub.js';

/** Intents are tiny; a bigger frame is a bug or abuse and ws closes the socket with 1009. */
const MAX_FRAME_BYTES = 4 * 1024;
/** A kiosk browser that vanished (cable, crash) would otherwise hold a socket open forever. */
const PING_EVERY_MS = 15_000;
/** Snapshots are whole states, so a client this far behind is better dropped and reconnected. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface RelayOptions {
  hub: SnapshotHub;
  logger: Logger;
  pingEveryMs?: number;
}

/**
 * Relays host snapshots to every connected UI and UI intents to the host. One hub subscription
 * for all clients: each snapshot is validated and serialized once, and not at all while no UI is
 * connected.
 *
 * The `ws` module (and the zlib and crypto bindings it pulls in) is loaded at the first upgrade
 * request, not at start-up: the host is ready, and serving the page, some 30 ms sooner, and the
 * kiosk browser's first connection waits for it once.
 */
export class SnapshotRelay {
  private wss?: WebSocketServer;
  private loading?: Promise<WebSocketServer>;
  private closed = false;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly unsubscribe: () => void;
  private readonly pinger: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(private readonly opts: RelayOptions) {
    this.log = opts.logger;
    this.unsubscribe = opts.hub.subscribe((s) => this.broadcast(s));
    this.pinger = setInterval(() => this.heartbeat(), opts.pingEveryMs ?? PING_EVERY_MS);
    this.pinger.unref();
  }

  get clientCount(): number {
    return this.wss?.clients.size ?? 0;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.wss) {
      this.upgrade(this.wss, req, socket, head);
      return;
    }
    this.server().then(
      (wss) => {
        if (this.closed) socket.destroy();
        else this.upgrade(wss, req, socket, head);
      },
      (err: unknown) => {
        this.log.error({ err }, 'websocket server could not be loaded');
        socket.destroy();
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.pinger);
    const wss = this.wss ?? (await this.loading?.catch(() => undefined));
    if (!wss) return;
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    // Clients that do not complete the close handshake promptly are cut off.
    for (const ws of wss.clients) ws.terminate();
  }

  private server(): Promise<WebSocketServer> {
    this.loading ??= import('ws').then(({ WebSocketServer }) => {
      const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
      wss.on('connection', (ws, req) => this.onConnection(ws, req));
      this.wss = wss;
      return wss;
    });
    return this.loading;
  }

  private upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }

  /** Returns the wire text, or undefined when the host produced a snapshot that breaks the contract. */
  private serialize(s: HostSnapshot): string | undefined {
    const r = HostSnapshot.safeParse(s);
    if (!r.success) {
      this.log.error({ issues: r.error.issues, seq: s?.seq }, 'host produced an invalid snapshot; not sent');
      return undefined;
    }
    return JSON.stringify(r.data);
  }

  private broadcast(s: HostSnapshot): void {
    // Validating and serializing a snapshot nobody receives would be work on every state change.
    if (!this.wss || this.wss.clients.size === 0) return;
    const text = this.serialize(s);
    if (text === undefined) return;
    for (const ws of this.wss.clients) this.send(ws, text);
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn('ui client too slow; dropping it so it reconnects');
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  private sendCurrent(ws: WebSocket): void {
    let snap: HostSnapshot;
    try {
      snap = this.opts.hub.current();
    } catch (err) {
      this.log.error({ err }, 'hub.current() failed');
      return;
    }
    const text = this.serialize(snap);
    if (text !== undefined) this.send(ws, text);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const peer = req.socket.remoteAddress;
    this.log.info({ peer, clients: this.clientCount }, 'ui client connected');
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data, isBinary) => this.onMessage(ws, data, isBinary));
    ws.on('error', (err) => this.log.warn({ err, peer }, 'ui socket error'));
    ws.on('close', (code) => this.log.info({ peer, code }, 'ui client disconnected'));
    this.sendCurrent(ws);
  }

  private onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const reject = (message: string, detail?: unknown): void => {
      this.log.warn({ detail }, `ui message rejected: ${message}`);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'error', message }));
    };
    if (isBinary) return reject('binary frames are not accepted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawText(data));
    } catch {
      return reject('message is not valid JSON');
    }
    const r = Intent.safeParse(parsed);
    if (!r.success) {
      return reject(`not a valid intent: ${r.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`);
    }
    try {
      this.opts.hub.intent(r.data);
    } catch (err) {
      this.log.error({ err, intent: r.data }, 'hub rejected intent');
      return reject('the host could not handle this intent');
    }
    // A hello asks for the current state, e.g. after the page woke from sleep.
    if (r.data.type === 'hello') this.sendCurrent(ws);
  }

  private heartbeat(): void {
    if (!this.wss) return;
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
