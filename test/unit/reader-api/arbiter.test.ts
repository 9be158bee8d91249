/** One holder at a time: API calls fail fast, the kiosk may wait, nobody slips in between. */
import { describe, expect, it } from 'vitest';
import { ReaderArbiter, arbitratedAccess } from '../../../kiosk/reader-api/arbiter.js';
import type { ReaderSession } from '../../../kiosk/reader-api/functions.js';

const code = (f: () => unknown) => {
  try {
    f();
    return 'acquired';
  } catch (e) {
    return `${(e as { code: string }).code}:${(e as { heldBy: string }).heldBy}`;
  }
};

describe('ReaderArbiter', () => {
  it('refuses a second holder at once, says which kind holds it, and frees on release', () => {
    const a = new ReaderArbiter();
    const release = a.tryAcquire({ kind: 'kiosk' });
    expect(code(() => a.tryAcquire({ kind: 'api', client: 'his' }))).toBe('READER_API_BUSY:kiosk');
    release();
    const r2 = a.tryAcquire({ kind: 'api', client: 'his' });
    expect(code(() => a.tryAcquire({ kind: 'api', client: 'lab' }))).toBe('READER_API_BUSY:api');
    expect(a.holder).toEqual({ kind: 'api', client: 'his' });
    r2();
    expect(a.holder).toBeUndefined();
  });

  it('release is idempotent: a late second call cannot free someone else’s hold', () => {
    const a = new ReaderArbiter();
    const r1 = a.tryAcquire({ kind: 'api', client: 'his' });
    r1();
    a.tryAcquire({ kind: 'kiosk' });
    r1();
    expect(a.holder).toEqual({ kind: 'kiosk' });
  });

  it('the kiosk waits for an API call, and API calls are refused while it waits', async () => {
    const a = new ReaderArbiter();
    const api = a.tryAcquire({ kind: 'api', client: 'his' });
    let kioskRelease: (() => void) | undefined;
    const waiting = a.acquire({ kind: 'kiosk' }).then((r) => (kioskRelease = r));
    api();
    expect(code(() => a.tryAcquire({ kind: 'api', client: 'lab' }))).toBe('READER_API_BUSY:kiosk');
    await waiting;
    expect(a.holder).toEqual({ kind: 'kiosk' });
    let free = false;
    const whenFree = a.whenFree().then(() => (free = true));
    await Promise.resolve();
    expect(free).toBe(false);
    kioskRelease!();
    await whenFree;
    expect(free).toBe(true);
  });

  it('an aborted wait leaves the queue', async () => {
    const a = new ReaderArbiter();
    const api = a.tryAcquire({ kind: 'api', client: 'his' });
    const ac = new AbortController();
    const waiting = a.acquire({ kind: 'kiosk' }, ac.signal);
    ac.abort(new Error('citizen left'));
    await expect(waiting).rejects.toThrow('citizen left');
    api();
    expect(code(() => a.tryAcquire({ kind: 'api', client: 'his' }))).toBe('acquired');
  });
});

describe('arbitratedAccess', () => {
  it('ends the session and releases the reader whether the call succeeds or fails', async () => {
    const a = new ReaderArbiter();
    let ended = 0;
    const access = arbitratedAccess(a, () => ({ end: async () => void ended++ }) as unknown as ReaderSession);
    await access.withReader('his', async () => 1);
    await expect(access.withReader('his', async () => Promise.reject(new Error('card gone')))).rejects.toThrow('card gone');
    expect(ended).toBe(2);
    expect(a.holder).toBeUndefined();
  });

  it('a session that cannot be opened still releases the reader', async () => {
    const a = new ReaderArbiter();
    const access = arbitratedAccess(a, () => {
      throw new Error('no reader');
    });
    await expect(access.withReader('his', async () => 1)).rejects.toThrow('no reader');
    expect(a.holder).toBeUndefined();
  });
});
