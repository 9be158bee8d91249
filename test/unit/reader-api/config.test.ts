/** The readerApi config section and the gatekeeping helpers it relies on. */
import { describe, expect, it } from 'vitest';
import { ReaderApiConfigSchema } from '../../../kiosk/reader-api/config.js';
import { RateLimiter, TokenTable, bearerToken, isLoopbackHost, isLoopbackPeer } from '../../../kiosk/reader-api/guard.js';

const TOKEN_A = 'a'.repeat(16) + '0123456789abcdef0123';
const TOKEN_B = 'b'.repeat(40);

describe('ReaderApiConfigSchema', () => {
  it('defaults: off, 127.0.0.1:8741, no clients', () => {
    expect(ReaderApiConfigSchema.parse({})).toEqual({
      enabled: false,
      host: '127.0.0.1',
      port: 8741,
      tokens: {},
      allowedOrigins: [],
      maxRequestsPerSecond: 10,
    });
  });

  it('refuses a non-loopback host', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'localhost', 'kiosk.example']) {
      const r = ReaderApiConfigSchema.safeParse({ host });
      expect(r.success, host).toBe(false);
      if (!r.success) expect(r.error.issues[0]!.message).toMatch(/loopback/);
    }
    expect(ReaderApiConfigSchema.parse({ host: '::1' }).host).toBe('::1');
  });

  it('refuses short tokens, shared tokens, and an enabled API without clients', () => {
    expect(ReaderApiConfigSchema.safeParse({ tokens: { his: 'short' } }).success).toBe(false);
    expect(ReaderApiConfigSchema.safeParse({ tokens: { his: TOKEN_A, lab: TOKEN_A } }).success).toBe(false);
    expect(ReaderApiConfigSchema.safeParse({ enabled: true }).success).toBe(false);
    expect(ReaderApiConfigSchema.safeParse({ enabled: true, tokens: { his: TOKEN_A, lab: TOKEN_B } }).success).toBe(true);
  });

  it('is strict: a misspelt key is an error, not silently ignored', () => {
    expect(ReaderApiConfigSchema.safeParse({ prot: 1 }).success).toBe(false);
  });
});

describe('guard', () => {
  it('loopback means a literal loopback address', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'localhost', ''].some(isLoopbackHost)).toBe(false);
    expect(isLoopbackPeer(undefined)).toBe(false);
  });

  it('tokens: the right client, nobody for a wrong, empty or prefix token', () => {
    const t = new TokenTable({ his: TOKEN_A, lab: TOKEN_B });
    expect(t.clientFor(TOKEN_A)).toBe('his');
    expect(t.clientFor(TOKEN_B)).toBe('lab');
    expect(t.clientFor(TOKEN_A.slice(0, -1))).toBeUndefined();
    expect(t.clientFor('')).toBeUndefined();
    expect(t.clientFor(undefined)).toBeUndefined();
    expect(() => new TokenTable({ his: 'too-short' })).toThrow(/shorter/);
  });

  it('bearer header parsing', () => {
    expect(bearerToken(`Bearer ${TOKEN_A}`)).toBe(TOKEN_A);
    expect(bearerToken(`bearer  ${TOKEN_A}`)).toBe(TOKEN_A);
    expect(bearerToken(`Basic ${TOKEN_A}`)).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('rate limit: a burst of N, then one per 1/N s', () => {
    let now = 0;
    const r = new RateLimiter(3, { now: () => now, setTimeout: () => ({ __timer: true }) as never, clearTimeout: () => undefined });
    expect([r.take('his'), r.take('his'), r.take('his'), r.take('his')]).toEqual([true, true, true, false]);
    expect(r.take('lab')).toBe(true);
    now += 334;
    expect([r.take('his'), r.take('his')]).toEqual([true, false]);
  });
});
