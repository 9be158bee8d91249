import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { scannerBusFromConfig } from '../../../drivers/scanner/bus.js';
import { createScanner } from '../../../drivers/scanner/driver.js';
import { HidScannerSim } from '../../../drivers/scanner/sim/hid-scanner-sim.js';
import { hidSetup, settle } from './harness.js';

const URL_CODE = 'https://si.example.gov.cn/v?c=AbC_-9.x&d={"k":[1,2],"n":"Z"}%20#top';

describe('scanner driver over a HID keyboard wedge', () => {
  it('types the code key by key and delivers it at Enter', async () => {
    const t = await hidSetup('keyboard');
    expect(t.scanner.bus).toBe('hid-keyboard');
    expect(t.scanner.status.state).toBe('ok');
    t.sim.scan(URL_CODE);
    // Two reports per character plus Enter, 1 ms apart.
    await t.clock.advance(2 * (URL_CODE.length + 1));
    expect(t.scans).toEqual([{ text: URL_CODE, bus: 'hid-keyboard' }]);
    expect(t.errors).toEqual([]);
    expect(t.importer).not.toHaveBeenCalled();
  });

  it('an electronic card code (docs/ecard.md example) typed in full', async () => {
    const code =
      'YKTEC1.eyJraWQiOiJkZW1vLTEiLCJjaWQiOiIzMzAzMDBEMTU2MDAwMDA1OTkxMTAxNDUiLCJjbm8iOiJCODc2NTQzMjEiLCJubSI6IuadjioqIiwiaWF0IjoxNzY3NTc0ODAwLCJleHAiOjE3Njc1NzQ4NjAsImp0aSI6IjZjZjE4MzQyZWRjNzQzNTMifQ.GFwNxuyF6hnJjYgXTL2RdcsK_XpkMYyNdiUpjnexLmTU9Uj_5VoCLA63UnEf-qyQTCPDEYv4NDPycLH_WxNTAw';
    const t = await hidSetup('keyboard');
    t.sim.scan(code);
    await t.clock.advance(2 * (code.length + 1));
    expect(t.scans.map((s) => s.text)).toEqual([code]);
    expect(t.logs.join('\n')).not.toContain(code.slice(7, 40));
  });

  it('numbered reports of a composite device', async () => {
    const t = await hidSetup('keyboard', { sim: { reportId: 1 } });
    t.sim.scan('Ab9');
    await t.clock.advance(50);
    expect(t.scans.map((s) => s.text)).toEqual(['Ab9']);
  });

  it('garble: another character, or an unmapped key (scan-error)', async () => {
    const t = await hidSetup('keyboard');
    t.sim.garble('alter');
    t.sim.scan('ABCDEF');
    t.sim.garble('invalid');
    t.sim.scan('ABCDEF');
    await t.clock.advance(100);
    expect(t.scans.map((s) => s.text)).toEqual(['ABCAEF']);
    expect(t.errors).toMatchObject([{ code: 'SCANNER_UNMAPPED_KEY', bus: 'hid-keyboard', length: 7 }]);
  });

  it('a disabled scanner drops codes', async () => {
    const t = await hidSetup('keyboard');
    t.scanner.disable();
    t.sim.scan('abc');
    await t.clock.advance(50);
    expect(t.scans).toEqual([]);
    t.scanner.enable();
    t.sim.scan('def');
    await t.clock.advance(50);
    expect(t.scans.map((s) => s.text)).toEqual(['def']);
  });

  it('unplug: error event → unplugged; replug → a new handle, reconnected', async () => {
    const t = await hidSetup('keyboard');
    const reconnecting: unknown[] = [];
    t.scanner.on('reconnecting', (i) => reconnecting.push(i));
    t.sim.scan('abcdef');
    await t.clock.advance(5); // half typed
    t.sim.unplug();
    expect(t.scanner.status).toMatchObject({ state: 'unplugged', lastFault: { code: 'SCANNER_DISCONNECTED' } });
    await t.clock.advance(1);
    expect(t.sim.handles[0].closed).toBe(true);
    await t.clock.advance(700);
    expect(reconnecting.length).toBeGreaterThanOrEqual(3);
    expect(t.sim.handles).toHaveLength(1);
    t.sim.replug();
    await t.clock.runUntil(() => t.reconnects > 0, 1000);
    expect(t.scanner.status.state).toBe('ok');
    expect(t.sim.handles).toHaveLength(2);
    expect(t.statuses).toEqual(['ok', 'unplugged', 'ok']);
    t.sim.scan('xyz');
    await t.clock.advance(50);
    expect(t.scans.map((s) => s.text)).toEqual(['xyz']);
    // A second error on the dead handle is harmless.
    t.sim.handles[0].emit('error', new Error('again'));
    expect(t.scanner.status.state).toBe('ok');
    await t.scanner.close();
    expect(t.sim.handles[1].closed).toBe(true);
    expect(t.clock.pendingTimers()).toBe(0);
  });
});

describe('scanner driver over a HID POS scanner', () => {
  it('a long UTF-8 code in several reports, with its symbology', async () => {
    const t = await hidSetup('pos');
    expect(t.scanner.bus).toBe('hid-pos');
    const text = `电子社保卡:${'Q'.repeat(150)}:张三`;
    t.sim.scan(text);
    await t.clock.advance(10);
    expect(t.scans).toEqual([{ text, symbology: ']Q1', bus: 'hid-pos' }]);
  });

  it('garble: a changed byte, or invalid UTF-8 (scan-error)', async () => {
    const t = await hidSetup('pos', { sim: { symbology: ']d1' } });
    t.sim.garble('alter');
    t.sim.scan('ABCDEF');
    t.sim.garble('invalid');
    t.sim.scan('ABCDEF');
    await t.clock.advance(10);
    expect(t.scans).toEqual([{ text: 'ABCEEF', symbology: ']d1', bus: 'hid-pos' }]);
    expect(t.errors).toMatchObject([{ code: 'SCANNER_INVALID_UTF8', bus: 'hid-pos', length: 6 }]);
  });

  it('a multi-report code cut by the unplug is not glued to the next one', async () => {
    const t = await hidSetup('pos', { sim: { reportIntervalMs: 4 } });
    t.sim.scan('A'.repeat(120));
    await t.clock.advance(5); // first report in
    t.sim.unplug();
    t.sim.replug();
    await t.clock.runUntil(() => t.reconnects > 0, 1000);
    t.sim.scan('NEXT');
    await t.clock.advance(20);
    expect(t.scans.map((s) => s.text)).toEqual(['NEXT']);
  });

  it('open() fails while unplugged, then reconnects through the opener', async () => {
    const t = await hidSetup('pos', { open: false });
    t.sim.unplug();
    await expect(settle(t.clock, t.scanner.open())).rejects.toMatchObject({ code: 'HID_OPEN_FAILED' });
    expect(t.scanner.status.state).toBe('unplugged');
    t.sim.replug();
    await t.clock.runUntil(() => t.scanner.status.state === 'ok', 2000);
    t.sim.scan('OK');
    await t.clock.advance(10);
    expect(t.scans.map((s) => s.text)).toEqual(['OK']);
  });

  it('through scannerBusFromConfig with a hidFactory (the simulated kiosk)', async () => {
    const clock = new VirtualClock();
    const sim = new HidScannerSim({ clock, mode: 'pos' });
    const bus = scannerBusFromConfig({ kind: 'hid', mode: 'pos', vendorId: 0x0c2e, productId: 0x0b61 }, { logger: silentLogger, hidFactory: sim.factory });
    const scanner = createScanner({ bus, clock, logger: silentLogger });
    const scans: string[] = [];
    scanner.on('scan', (s: { text: string }) => scans.push(s.text));
    await settle(clock, scanner.open());
    sim.scan('via factory');
    await clock.advance(5);
    expect(scans).toEqual(['via factory']);
    await scanner.close();
  });
});
