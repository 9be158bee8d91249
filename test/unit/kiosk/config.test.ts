import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../../kiosk/config/load.js';

const tmp = mkdtempSync(join(tmpdir(), 'ykt-config-'));
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('config', () => {
  it('defaults to a simulated kiosk', () => {
    const c = parseConfig({});
    expect(c.mode).toBe('sim');
    expect(c.devices.reader.transport).toEqual({ kind: 'sim', path: 'sim:reader', baudRate: 115200 });
    expect(c.session.takeCardMs).toBe(30_000);
  });

  it('reads a serial reader from a file and applies overrides on top', () => {
    const p = write('ok.json', JSON.stringify({ terminalId: 'GD-SZ-0042', mode: 'hardware', devices: { reader: { transport: { kind: 'serial', path: '/dev/ykt-reader' } } } }));
    const c = loadConfig(p, { session: { takeCardMs: 5000 } });
    expect(c.terminalId).toBe('GD-SZ-0042');
    expect(c.devices.reader.transport).toEqual({ kind: 'serial', path: '/dev/ykt-reader', baudRate: 9600 });
    expect(c.session.takeCardMs).toBe(5000);
    expect(c.session.menuIdleMs).toBe(60_000);
  });

  it('names every bad field', () => {
    const p = write('bad.json', JSON.stringify({ devices: { reader: { transport: { kind: 'serial', path: '/dev/x', baudRate: 'fast' } } }, session: { takeCardMs: -1 }, colour: 'red' }));
    let err: unknown;
    try {
      loadConfig(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    expect(msg).toContain('devices.reader.transport.baudRate');
    expect(msg).toContain('session.takeCardMs');
    expect(msg).toContain('colour');
  });

  it('refuses a file that is not JSON or not there, with the path', () => {
    expect(() => loadConfig(write('garbage.json', '{ terminalId: '))).toThrow(/garbage\.json is not valid JSON/);
    expect(() => loadConfig(join(tmp, 'missing.json'))).toThrow(/cannot read config file .*missing\.json/);
    expect(() => loadConfig(write('array.json', '[1,2]'))).toThrow(/top level must be an object/);
  });

  it('rejects an unknown transport kind', () => {
    expect(() => parseConfig({ devices: { reader: { transport: { kind: 'bluetooth' } } } })).toThrow(ConfigError);
  });
});
