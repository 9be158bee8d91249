import { describe, expect, it } from 'vitest';
import { backoffDelay, socketUrl } from '../../../ui/src/connection.js';
import { HostClock, secondsLeft } from '../../../ui/src/host-clock.js';

describe('reconnect backoff', () => {
  const o = { firstMs: 500, maxMs: 8000 };
  it('doubles from the first delay up to the cap', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, o, mid))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
  it('jitters within ±20%', () => {
    expect(backoffDelay(3, o, () => 0)).toBe(1600);
    expect(backoffDelay(3, o, () => 1)).toBe(2400);
  });
});

describe('host clock and countdown', () => {
  it('follows the host clock, not the browser clock', () => {
    const c = new HostClock();
    c.sync(1_000_000, 5_000);
    expect(c.now(6_000)).toBe(1_001_000);
  });
  it('rounds seconds up and never goes negative', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 20_000)).toBe(0);
  });
});

describe('socket url', () => {
  it('uses the page host and matches the page scheme', () => {
    expect(socketUrl({ protocol: 'http:', host: 'kiosk:8080' } as Location)).toBe('ws://kiosk:8080/ws');
    expect(socketUrl({ protocol: 'https:', host: 'kiosk' } as Location)).toBe('wss://kiosk/ws');
  });
});
