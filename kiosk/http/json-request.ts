import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../drivers/common/clock.js';

export interface JsonRequest {
  url: URL;
  method: string;
  body?: unknown;
  agent: http.Agent;
  timeoutMs: number;
  /** Also enforce the deadline on this clock (the scenario runner's virtual time). */
  deadlineOn?: Clock;
  /** Counts requests on the wire while they are. */
  inFlight?: { count: number };
  maxBytes: number;
  /** The error for an answer over maxBytes. */
  tooLarge(): Error;
  /** The error for a failed connection or a cut answer; `timedOut` when our deadline cut it. */
  network(err: Error, timedOut: boolean): Error;
}

/**
 * One HTTP exchange with a JSON service (the social security backend, the HIS): resolves with the
 * status and the raw body; the caller validates it. Real-time deadline always, plus the virtual one
 * when given; an answer is read only up to maxBytes.
 */
export function jsonRequest(r: JsonRequest): Promise<{ status: number; text: string }> {
  const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
  const ac = new AbortController();
  let timedOut = false;
  const expire = () => {
    timedOut = true;
    ac.abort();
  };
  const timer = setTimeout(expire, r.timeoutMs);
  timer.unref?.();
  const vtimer = r.deadlineOn?.setTimeout(expire, r.timeoutMs);
  if (r.inFlight) r.inFlight.count++;
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (r.url.protocol === 'https:' ? https : http).request(
      r.url,
      {
        method: r.method,
        agent: r.agent,
        signal: ac.signal,
        headers: {
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > r.maxBytes) {
            res.destroy();
            reject(r.tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(r.network(err, timedOut)));
        // A body cut short (server died, or our deadline) may end with 'close' and no 'error'.
        res.on('close', () => {
          if (!res.complete) reject(r.network(new Error('response cut short'), timedOut));
        });
      },
    );
    req.on('error', (err) => reject(r.network(err, timedOut)));
    if (payload !== undefined) req.write(payload);
    req.end();
  }).finally(() => {
    clearTimeout(timer);
    if (vtimer !== undefined) r.deadlineOn?.clearTimeout(vtimer);
    if (r.inFlight) r.inFlight.count--;
  });
}
