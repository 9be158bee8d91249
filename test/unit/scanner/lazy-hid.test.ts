import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { SimPortRegistry } from '../../../drivers/serial/sim-binding.js';
import { scannerBusFromConfig } from '../../../drivers/scanner/bus.js';
import { createScanner } from '../../../drivers/scanner/driver.js';
import { HidScannerSim } from '../../../drivers/scanner/sim/hid-scanner-sim.js';
import { SerialScannerSim } from '../../../drivers/scanner/sim/serial-scanner-sim.js';
import { settle } from './harness.js';

/** Counts real imports of node-hid by any module (the spy importer below covers the injected path). */
const hidModule = vi.hoisted(() => ({ imports: 0 }));
vi.mock('node-hid', () => {
  hidModule.imports++;
  return { HIDAsync: { open: async () => Promise.reject(new Error('mocked node-hid: no device')) } };
});

describe('node-hid is loaded only for a HID scanner', () => {
  it('a serial scanner never imports node-hid: constructed, opened, scanning, unplugged, closed', async () => {
    const clock = new VirtualClock();
    const registry = new SimPortRegistry(clock);
    const sim = new SerialScannerSim().attach(registry);
    const importer = vi.fn(async (name: string) => import(name));
    const bus = scannerBusFromConfig({ kind: 'sim', path: 'sim:scanner' }, { logger: silentLogger, simRegistry: registry, importer });
    const scanner = createScanner({ bus, clock, logger: silentLogger, backoff: { initialMs: 50 } });
    const scans: string[] = [];
    scanner.on('scan', (s: { text: string }) => scans.push(s.text));
    await settle(clock, scanner.open());
    sim.scan('SERIAL');
    await clock.advance(20);
    sim.unplug();
    await clock.advance(200);
    sim.replug();
    await clock.runUntil(() => scanner.status.state === 'ok', 1000);
    await scanner.close();
    expect(scans).toEqual(['SERIAL']);
    expect(importer).not.toHaveBeenCalled();
    expect(hidModule.imports).toBe(0);
  });

  it('a HID scanner imports it at open(), not when constructed', async () => {
    const clock = new VirtualClock();
    const sim = new HidScannerSim({ clock, mode: 'keyboard' });
    const openSpy = vi.fn(async (_vid: number, _pid: number) => sim.open());
    const importer = vi.fn(async () => ({ HIDAsync: { open: openSpy } }));
    const bus = scannerBusFromConfig({ kind: 'hid', mode: 'keyboard', vendorId: 0x05e0, productId: 0x1200 }, { logger: silentLogger, importer });
    const scanner = createScanner({ bus, clock, logger: silentLogger });
    expect(importer).not.toHaveBeenCalled();
    await settle(clock, scanner.open());
    expect(importer).toHaveBeenCalledTimes(1);
    expect(importer).toHaveBeenCalledWith('node-hid');
    expect(openSpy).toHaveBeenCalledWith(0x05e0, 0x1200);
    const scans: string[] = [];
    scanner.on('scan', (s: { text: string }) => scans.push(s.text));
    sim.scan('hid');
    await clock.advance(20);
    expect(scans).toEqual(['hid']);
    await scanner.close();
  });

  it('the default importer goes through the real module loader (here: the mocked node-hid)', async () => {
    const clock = new VirtualClock();
    const bus = scannerBusFromConfig({ kind: 'hid', mode: 'pos', vendorId: 1, productId: 2, path: '/dev/hidraw9' }, { logger: silentLogger });
    const scanner = createScanner({ bus, clock, logger: silentLogger });
    expect(hidModule.imports).toBe(0);
    await expect(settle(clock, scanner.open())).rejects.toMatchObject({ code: 'HID_OPEN_FAILED' });
    expect(hidModule.imports).toBe(1);
    expect(scanner.status.state).toBe('unplugged');
    await scanner.close();
  });

  it('node-hid or libusb missing: HID_UNAVAILABLE naming libusb, status fault, no retry loop', async () => {
    const clock = new VirtualClock();
    const importer = vi.fn(async () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file');
    });
    const bus = scannerBusFromConfig({ kind: 'hid', mode: 'pos', vendorId: 1, productId: 2 }, { logger: silentLogger, importer });
    const scanner = createScanner({ bus, clock, logger: silentLogger });
    const err = await settle(clock, scanner.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HID_UNAVAILABLE' });
    expect((err as Error).message).toContain('libusb-1.0-0');
    expect(scanner.status).toMatchObject({ state: 'fault', lastFault: { code: 'HID_UNAVAILABLE' } });
    expect(clock.pendingTimers()).toBe(0);
  });
});
