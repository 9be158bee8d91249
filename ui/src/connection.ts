import { HostSnapshot, type Intent } from '../../flows/view/protocol.js';

export type LinkState = 'connecting' | 'open' | 'down';

export interface ConnectionHandlers {
  onSnapshot(s: HostSnapshot): void;
  onLinkState(state: LinkState, attempt: number): void;
}

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
}

/** Reconnect delays: doubling, capped, with jitter so a restarted host is not hit in lockstep. */
export function backoffDelay(attempt: number, o: BackoffOptions, rand: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * rand()));
}

/** `/ws` on the page's own host, so the same build works behind any host name or port. */
export function socketUrl(loc: Location = location): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}/ws`;
}

/**
 * The UI's only link to the host. Every inbound message is validated against the protocol; the
 * socket is re-opened with backoff whenever it drops, forever — a kiosk has nobody to press F5.
 */
export class HostConnection {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
    private readonly backoff: BackoffOptions = { firstMs: 500, maxMs: 8000 },
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  /** False when the link is down: the caller shows the connecting state instead of pretending. */
  send(intent: Intent): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(intent));
    return true;
  }

  private open(): void {
    this.attempt++;
    this.handlers.onLinkState('connecting', this.attempt);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      console.error('[ykt] cannot open socket', err);
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello' } satisfies Intent));
    };
    ws.onmessage = (ev: MessageEvent) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.retry();
    };
    // An error is always followed by close, which schedules the retry.
    ws.onerror = () => undefined;
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn('[ykt] host sent non-JSON');
      return;
    }
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'error') {
      console.warn('[ykt] host refused a message:', (msg as { message?: unknown }).message);
      return;
    }
    const r = HostSnapshot.safeParse(msg);
    if (!r.success) {
      console.error('[ykt] invalid snapshot ignored', r.error.issues);
      return;
    }
    // Only a valid snapshot proves the link works; then the backoff starts over.
    if (this.attempt !== 0) {
      this.attempt = 0;
      this.handlers.onLinkState('open', 0);
    }
    this.handlers.onSnapshot(r.data);
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt + 1, this.backoff);
    this.handlers.onLinkState('down', this.attempt);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
