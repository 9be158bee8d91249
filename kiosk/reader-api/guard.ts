/**
 * The reader API's gatekeeping: loopback only, one bearer token per client compared in constant
 * time, and a per-client request budget. Kept apart from the HTTP plumbing so each rule is tested
 * on its own.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Clock } from '../../drivers/common/clock.js';

/**
 * Only literal loopback addresses: a name ("localhost") is resolved by whatever the machine's
 * resolver says, and an unspecified address (0.0.0.0, ::) listens on every interface.
 */
export function isLoopbackHost(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

/** A peer address as Node reports it (IPv4, IPv6, or IPv4-mapped IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  return address !== undefined && isLoopbackHost(address);
}

/** Below this a token can be guessed or was typed by hand; config.ts asks for more. */
export const MIN_TOKEN_LENGTH = 16;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Client tokens, held as SHA-256 digests: equal-length buffers for timingSafeEqual whatever the
 * presented token's length, and no clear token kept around to end up in a heap dump or a log.
 */
export class TokenTable {
  private readonly entries: Array<{ client: string; digest: Buffer }>;

  constructor(tokens: Readonly<Record<string, string>>) {
    this.entries = Object.entries(tokens).map(([client, token]) => {
      if (token.length < MIN_TOKEN_LENGTH) throw new RangeError(`the token of client '${client}' is shorter than ${MIN_TOKEN_LENGTH} characters`);
      return { client, digest: digest(token) };
    });
    const seen = new Set(this.entries.map((e) => e.digest.toString('hex')));
    if (seen.size !== this.entries.length) throw new RangeError('two clients share a token: each client needs its own');
  }

  get size(): number {
    return this.entries.length;
  }

  /** The client whose token this is. Compares against every entry, so timing tells nothing. */
  clientFor(presented: string | undefined): string | undefined {
    if (presented === undefined) return undefined;
    const d = digest(presented);
    let found: string | undefined;
    for (const e of this.entries) if (timingSafeEqual(d, e.digest) && found === undefined) found = e.client;
    return found;
  }
}

/** `Authorization: Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
  return m ? m[1] : undefined;
}

/**
 * Token bucket per client: `perSecond` requests a second with bursts of as many. A runaway poll
 * loop in a hospital system must not keep the reader (and the kiosk's citizens) from being served.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one request from the client's budget; false when the budget is spent. */
  take(client: string): boolean {
    const now = this.clock.now();
    const b = this.buckets.get(client) ?? { tokens: this.perSecond, at: now };
    b.tokens = Math.min(this.perSecond, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
