import { describe, expect, it } from 'vitest';
import { codeFingerprint } from '../../../drivers/scanner/text.js';
import { serialSetup, settle } from './harness.js';

const CODE = 'YKT1.eyJjIjoiMzMwMTAwMTk5MDAxMDExMjM0In0.q-_9A?x=1&y=%2F';

describe('scanner driver over the serial simulator', () => {
  it('a scan crosses the 9600 baud wire and arrives as one scan event', async () => {
    const t = await serialSetup();
    expect(t.scanner.status.state).toBe('ok');
    expect(t.scanner.bus).toBe('serial');
    const start = t.clock.now();
    t.sim.scan(CODE);
    await t.clock.runUntil(() => t.scans.length > 0, 1000);
    expect(t.scans).toEqual([{ text: CODE, bus: 'serial' }]);
    // Wire time: (length + CR) × 10 bits at 9600 baud.
    expect(t.clock.now() - start).toBe(Math.ceil(((CODE.length + 1) * 10 * 1000) / 9600));
    expect(t.registry.wireBytes('sim:scanner').toHost).toBe(CODE.length + 1);
    t.sim.scan('张三', { terminator: 'CRLF' });
    t.sim.scan('B', { terminator: 'LF' });
    await t.clock.advance(50);
    expect(t.scans.slice(1).map((s) => s.text)).toEqual(['张三', 'B']);
    expect(t.errors).toEqual([]);
    await t.scanner.close();
  });

  it('garble: a changed byte gives another text, invalid UTF-8 a scan-error', async () => {
    const t = await serialSetup();
    t.sim.garble('alter');
    t.sim.scan('ABCDEF');
    t.sim.garble('invalid');
    t.sim.scan('ABCDEF');
    t.sim.scan('ABCDEF');
    await t.clock.advance(100);
    expect(t.scans.map((s) => s.text)).toEqual(['ABCEEF', 'ABCDEF']);
    expect(t.errors).toHaveLength(1);
    expect(t.errors[0]).toMatchObject({ code: 'SCANNER_INVALID_UTF8', bus: 'serial', length: 6 });
    expect(t.errors[0].message).toMatch(/not valid UTF-8/);
    const line = t.logs.find((l) => l.includes('SCANNER_INVALID_UTF8'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 50, msg: 'code rejected', len: 6 });
  });

  it('a disabled scanner drops codes; enabling mid-code drops that code too', async () => {
    const t = await serialSetup();
    t.scanner.disable();
    expect(t.scanner.enabled).toBe(false);
    t.sim.scan('FIRST');
    t.sim.garble('invalid');
    t.sim.scan('BAD');
    await t.clock.advance(50);
    expect(t.scans).toEqual([]);
    expect(t.errors).toEqual([]);
    expect(t.logs.some((l) => l.includes('code dropped: scanner disabled'))).toBe(true);
    t.sim.sendRaw(Buffer.from('HALF'));
    await t.clock.advance(10);
    t.scanner.enable();
    t.sim.sendRaw(Buffer.from('WAY\r'));
    await t.clock.advance(20);
    expect(t.scans).toEqual([]);
    t.sim.scan('SECOND');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['SECOND']);
  });

  it('starts disabled when asked to', async () => {
    const t = await serialSetup({ driver: { enabled: false } });
    t.sim.scan('X');
    await t.clock.advance(20);
    expect(t.scans).toEqual([]);
    t.scanner.enable();
    t.sim.scan('Y');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['Y']);
  });

  it('the inter-byte timeout discards a partial code with a warning', async () => {
    const t = await serialSetup();
    t.sim.sendRaw(Buffer.from('PARTIAL'));
    await t.clock.advance(20);
    expect(t.scanner.busy()).toBe(true);
    await t.clock.advance(100);
    expect(t.scanner.busy()).toBe(false);
    expect(t.clock.pendingTimers()).toBe(0);
    const warn = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'partial code discarded after inter-byte timeout');
    expect(warn).toMatchObject({ level: 40, len: 7 });
    t.sim.scan('NEXT');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['NEXT']);
  });

  it('a code longer than maxLength is dropped with a warning and a scan-error', async () => {
    const t = await serialSetup({ driver: { maxLength: 16 } });
    t.sim.scan('A'.repeat(40));
    t.sim.scan('SHORT');
    await t.clock.advance(100);
    expect(t.scans.map((s) => s.text)).toEqual(['SHORT']);
    expect(t.errors).toMatchObject([{ code: 'SCANNER_TOO_LONG', length: 17 }]);
    expect(t.logs.some((l) => JSON.parse(l).level === 40 && l.includes('SCANNER_TOO_LONG'))).toBe(true);
  });

  it('logs carry the length and a hash prefix, never the code', async () => {
    const t = await serialSetup();
    const secret = '330100199001011234-ZHANGSAN';
    t.sim.scan(secret);
    await t.clock.advance(50);
    expect(t.scans).toHaveLength(1);
    const all = t.logs.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain('330100199001011234');
    const fp = codeFingerprint(secret);
    expect(fp.sha).toMatch(/^[0-9a-f]{8}$/);
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'code scanned');
    expect(line).toMatchObject({ dev: 'scanner', bus: 'serial', len: secret.length, sha: fp.sha });
  });

  it('unplug: status unplugged, codes meanwhile lost; replug: reconnected with backoff', async () => {
    const t = await serialSetup();
    const reconnecting: unknown[] = [];
    t.scanner.on('reconnecting', (i) => reconnecting.push(i));
    t.sim.sendRaw(Buffer.from('HALF'));
    await t.clock.advance(10);
    t.sim.unplug();
    await t.clock.advance(1);
    expect(t.scanner.status).toMatchObject({ state: 'unplugged', lastFault: { code: 'SCANNER_DISCONNECTED' } });
    t.sim.scan('LOST');
    await t.clock.advance(1000);
    expect(reconnecting.length).toBeGreaterThan(2);
    expect(reconnecting[0]).toEqual({ attempt: 1, delayMs: 100 });
    expect(t.scanner.status.lastFault?.code).toBe('TRANSPORT_OPEN_FAILED');
    t.sim.replug();
    await t.clock.runUntil(() => t.reconnects > 0, 1000);
    expect(t.scanner.status.state).toBe('ok');
    expect(t.statuses).toEqual(['ok', 'unplugged', 'ok']);
    // The half code from before the unplug does not prefix the next one.
    t.sim.scan('AFTER');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['AFTER']);
    await t.scanner.close();
    expect(t.clock.pendingTimers()).toBe(0);
  });

  it('open() on an unplugged port rejects, then the driver reconnects by itself', async () => {
    const t = await serialSetup({ open: false });
    t.sim.unplug();
    await expect(settle(t.clock, t.scanner.open())).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    expect(t.scanner.status.state).toBe('unplugged');
    t.sim.replug();
    await t.clock.runUntil(() => t.scanner.status.state === 'ok', 2000);
    expect(t.reconnects).toBe(1);
    t.sim.scan('HELLO');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['HELLO']);
  });

  it('close() stops delivering and reconnecting', async () => {
    const t = await serialSetup();
    t.sim.unplug();
    await t.clock.advance(5);
    await t.scanner.close();
    expect(t.clock.pendingTimers()).toBe(0);
    t.sim.replug();
    await t.clock.advance(2000);
    expect(t.reconnects).toBe(0);
  });

  it('rejects bad options', async () => {
    const { scannerBusFromConfig } = await import('../../../drivers/scanner/bus.js');
    const { createScanner } = await import('../../../drivers/scanner/driver.js');
    const t = await serialSetup({ open: false });
    const bus = scannerBusFromConfig({ kind: 'sim', path: 'sim:scanner' }, { logger: t.scanner['logger'], simRegistry: t.registry });
    expect(() => createScanner({ bus, clock: t.clock, logger: t.scanner['logger'], maxLength: 0 })).toThrow(expect.objectContaining({ code: 'SCANNER_PARAMETER' }));
    expect(() => scannerBusFromConfig({ kind: 'sim', path: 'x' }, { logger: t.scanner['logger'] })).toThrow(expect.objectContaining({ code: 'SIM_REGISTRY_MISSING' }));
  });
});
