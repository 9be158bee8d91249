import { describe, expect, it } from 'vitest';
import type { PinAlgorithm } from '../../../drivers/pinpad/codec.js';
import { ecbEncrypt, kcv, mac } from '../../../drivers/pinpad/crypto.js';
import { decryptPinBlock } from '../../../drivers/pinpad/sim/bank-side.js';
import { PATH, h, hex, setup, type Harness } from './harness.js';

/** TEST KEYS ONLY. */
const MASTER = h('00112233445566778899AABBCCDDEEFF');
const WORKING = h('0123456789ABCDEFFEDCBA9876543210');
const PAN = '6222021234567890123';

async function loadKeys(hs: Harness, alg: PinAlgorithm, workingIndex = 1): Promise<void> {
  expect(hex(await hs.ok(hs.pad.loadMasterKey(0, alg, MASTER)))).toBe(hex(kcv(MASTER, alg)));
  await hs.ok(hs.pad.loadWorkingKey(0, workingIndex, alg, ecbEncrypt(MASTER, alg, WORKING), kcv(WORKING, alg)));
}

const SIX = { minLength: 6, maxLength: 6, autoEnd: true, timeoutSec: 30 };

describe('PIN pad driver against the simulator (SerialPortStream + SimPortRegistry + VirtualClock)', () => {
  it('opens with a reset: status ok, serial and firmware', async () => {
    const hs = await setup({ sim: { serial: 'EPP-42', firmware: 'FW 3.1' } });
    expect(hs.pad.status.state).toBe('ok');
    expect(hs.pad.deviceInfo).toEqual({ serial: 'EPP-42', firmware: 'FW 3.1' });
    expect(hs.tap.log[0]).toBe('>0200013103' + '31');
    expect(await hs.ok(hs.pad.reset())).toEqual({ serial: 'EPP-42', firmware: 'FW 3.1' });
  });

  it('loads a master key and a working key whose KCV matches', async () => {
    const hs = await setup();
    await loadKeys(hs, '3des');
    expect(hs.sim.keySlots()).toEqual([
      { kind: 'master', index: 0, alg: '3des', kcv: hex(kcv(MASTER, '3des')) },
      { kind: 'working', index: 1, alg: '3des', kcv: '08D7B4' },
    ]);
  });

  it('rejects a working key whose KCV differs, and refuses to use that slot', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.loadMasterKey(0, 'sm4', MASTER));
    const r = await hs.run(hs.pad.loadWorkingKey(0, 2, 'sm4', ecbEncrypt(MASTER, 'sm4', WORKING), h('000000')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('PINPAD_KCV_MISMATCH');
    const b = await hs.run(hs.pad.getPinBlock({ keyIndex: 2, pan: PAN }));
    expect(!b.ok && b.error.code).toBe('PINPAD_KCV_MISMATCH');
    // Wrong algorithm for the master slot: the pad refuses.
    const a = await hs.run(hs.pad.loadWorkingKey(0, 3, '3des', ecbEncrypt(MASTER, '3des', WORKING), kcv(WORKING, '3des')));
    expect(!a.ok && a.error.code).toBe('PINPAD_ALGORITHM');
    const n = await hs.run(hs.pad.loadWorkingKey(5, 3, '3des', ecbEncrypt(MASTER, '3des', WORKING), kcv(WORKING, '3des')));
    expect(!n.ok && n.error.code).toBe('PINPAD_NO_KEY');
  });

  it('secure entry (3DES): spec bytes on the wire, key events carry no digits, PIN block decrypts to the typed PIN', async () => {
    const hs = await setup();
    await loadKeys(hs, '3des');
    hs.tap.clear();
    await hs.ok(hs.pad.startPinEntry(SIX));
    expect(hs.tap.log[0]).toBe('>020005340606011E032F');
    const done = hs.pad.waitForEntry();
    expect(hs.sim.type('927451')).toEqual({ ok: true });
    expect(await hs.ok(done)).toEqual({ digits: 6 });
    expect(hs.keys).toEqual(Array(6).fill({ kind: 'digit' }));
    expect(hs.keys.every((k) => !('value' in k))).toBe(true);
    expect(hs.tap.log.filter((l) => l.startsWith('<')).slice(-6)).toEqual(Array(6).fill('<020002B02A0399'));
    expect(hs.entries.map((e) => `${e.phase}:${e.digits}`)).toEqual(['active:0', 'active:1', 'active:2', 'active:3', 'active:4', 'active:5', 'complete:6']);
    expect(hs.sim.press('1')).toEqual({ ok: false, reason: 'no secure PIN entry in progress (keyboard disabled)' });

    const block = await hs.ok(hs.pad.getPinBlock({ keyIndex: 1, pan: PAN }));
    expect(block).toHaveLength(8);
    expect(decryptPinBlock(WORKING, '3des', block, PAN)).toBe('927451');
    // The request carried the 12 account digits, never the PIN.
    expect(hs.tap.log.join(' ')).not.toContain(hex(Buffer.from('927451')));
    await hs.ok(hs.pad.stopEntry());
    expect(hs.pad.entry).toEqual({ phase: 'idle', digits: 0 });
  });

  it('SM4 entry with Enter, clear and a min length: 16-byte block', async () => {
    const hs = await setup();
    await loadKeys(hs, 'sm4', 4);
    await hs.ok(hs.pad.startPinEntry({ minLength: 4, maxLength: 12, autoEnd: false, timeoutSec: 60 }));
    hs.sim.type('123');
    hs.sim.press('enter'); // fewer than min: only a key press
    hs.sim.press('9');
    hs.sim.press('clear');
    hs.sim.type('45');
    hs.sim.press('F2');
    await hs.clock.advance(100);
    expect(hs.pad.entry.phase).toBe('active');
    expect(hs.pad.entry.digits).toBe(5);
    hs.sim.press('enter');
    expect(await hs.ok(hs.pad.waitForEntry())).toEqual({ digits: 5 });
    expect(hs.keys.map((k) => k.kind)).toEqual(['digit', 'digit', 'digit', 'enter', 'digit', 'clear', 'digit', 'digit', 'function', 'enter']);
    expect(hs.keys[8]).toEqual({ kind: 'function', fn: 2 });
    const block = await hs.ok(hs.pad.getPinBlock({ keyIndex: 4, pan: PAN }));
    expect(block).toHaveLength(16);
    expect(decryptPinBlock(WORKING, 'sm4', block, PAN)).toBe('12345');
  });

  it('offline: the pad builds VERIFY 00 20 00 00 03 <BCD>; 5 digits are F-padded', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('123456');
    await hs.ok(hs.pad.waitForEntry());
    const apdu = await hs.ok(hs.pad.buildVerifyApdu());
    expect(hex(apdu)).toBe('0020000003123456');
    apdu.fill(0);

    await hs.ok(hs.pad.startPinEntry({ minLength: 4, maxLength: 6, autoEnd: false, timeoutSec: 30 }));
    hs.sim.type('24680');
    hs.sim.press('enter');
    await hs.ok(hs.pad.waitForEntry());
    expect(hex(await hs.ok(hs.pad.buildVerifyApdu()))).toBe('002000000324680F');
  });

  it('before the entry completes the pad answers "no PIN"', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('12');
    const r = await hs.run(hs.pad.buildVerifyApdu());
    expect(!r.ok && r.error.code).toBe('PINPAD_NO_PIN');
  });

  it('cancel: the citizen presses cancel → PINPAD_CANCELLED, and the PIN is gone', async () => {
    const hs = await setup();
    await loadKeys(hs, '3des');
    await hs.ok(hs.pad.startPinEntry(SIX));
    const done = hs.pad.waitForEntry();
    hs.sim.type('12');
    hs.sim.press('cancel');
    const r = await hs.run(done);
    expect(!r.ok && r.error.code).toBe('PINPAD_CANCELLED');
    expect(hs.keys.map((k) => k.kind)).toEqual(['digit', 'digit', 'cancel']);
    expect(hs.pad.entry).toMatchObject({ phase: 'cancelled', digits: 0 });
    expect(hs.sim.entry).toMatchObject({ phase: 'cancelled', digits: 0 });
    const b = await hs.run(hs.pad.getPinBlock({ keyIndex: 1, pan: PAN }));
    expect(!b.ok && b.error.code).toBe('PINPAD_CANCELLED');
  });

  it('entry timeout: the host gives up after timeoutSec + grace, stops the pad → PINPAD_TIMEOUT', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.startPinEntry(SIX));
    const done = hs.pad.waitForEntry();
    hs.sim.type('12');
    const t0 = hs.clock.now();
    const r = await hs.run(done);
    expect(!r.ok && r.error.code).toBe('PINPAD_TIMEOUT');
    expect(hs.clock.now() - t0).toBeGreaterThanOrEqual(30_000);
    expect(hs.clock.now() - t0).toBeLessThanOrEqual(31_100);
    expect(hs.pad.entry.phase).toBe('timeout');
    await hs.clock.advance(100);
    expect(hs.sim.entry.phase).toBe('idle'); // the host's stop reached the pad
    const v = await hs.run(hs.pad.buildVerifyApdu());
    expect(!v.ok && v.error.code).toBe('PINPAD_TIMEOUT');
  });

  it('entry timeout reported by the pad before the host notices', async () => {
    const hs = await setup({ pad: { timeouts: { entryGraceMs: 60_000 } } });
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('1');
    await hs.clock.advance(30_500);
    expect(hs.sim.entry.phase).toBe('timeout');
    expect(hs.pad.entry.phase).toBe('active');
    const v = await hs.run(hs.pad.buildVerifyApdu());
    expect(!v.ok && v.error.code).toBe('PINPAD_TIMEOUT');
    expect(hs.pad.entry.phase).toBe('timeout');
  });

  it('plain mode: digits arrive with their value; refused during a secure entry', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.setPlainMode(true));
    hs.sim.press('7');
    hs.sim.press('enter');
    await hs.clock.advance(50);
    expect(hs.keys).toEqual([{ kind: 'digit', value: '7' }, { kind: 'enter' }]);
    await hs.ok(hs.pad.setPlainMode(false));
    expect(hs.sim.press('7').ok).toBe(false);
    await hs.ok(hs.pad.startPinEntry(SIX));
    const r = await hs.run(hs.pad.setPlainMode(true));
    expect(!r.ok && r.error.code).toBe('PINPAD_BUSY');
  });

  it('MAC over data with a working key matches the reference computation', async () => {
    const hs = await setup();
    await loadKeys(hs, '3des');
    const data = new Uint8Array(Buffer.from('0200 transaction 0001'));
    expect(hex(await hs.ok(hs.pad.mac(1, '3des', data)))).toBe(hex(mac(WORKING, '3des', data)));
    const r = await hs.run(hs.pad.mac(1, 'sm4', data));
    expect(!r.ok && r.error.code).toBe('PINPAD_ALGORITHM');
  });

  it('rejects bad parameters before the wire', async () => {
    const hs = await setup();
    hs.tap.clear();
    await expect(hs.pad.startPinEntry({ minLength: 3, maxLength: 6, autoEnd: true, timeoutSec: 30 })).rejects.toMatchObject({ code: 'PINPAD_PARAMETER' });
    await expect(hs.pad.getPinBlock({ keyIndex: 1, pan: '1234' })).rejects.toMatchObject({ code: 'PINPAD_PARAMETER' });
    await expect(hs.pad.loadMasterKey(16, 'sm4', MASTER)).rejects.toMatchObject({ code: 'PINPAD_PARAMETER' });
    await expect(hs.pad.waitForEntry()).rejects.toMatchObject({ code: 'PINPAD_NO_ENTRY' });
    expect(hs.tap.log).toEqual([]);
  });
});

describe('faults', () => {
  it('garble: the corrupted reply is dropped, the command retransmitted and answered', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('garble');
    expect((await hs.ok(hs.pad.reset())).serial).toBe('SIMEPP0001');
    expect(hs.tap.log.filter((l) => l === '>020001310331')).toHaveLength(2);
    expect(hs.pad.status.state).toBe('ok');
  });

  it('a garbled key event is dropped: the host count lags, the pad stays authoritative for the PIN', async () => {
    const hs = await setup();
    await loadKeys(hs, '3des');
    await hs.ok(hs.pad.startPinEntry({ minLength: 4, maxLength: 12, autoEnd: false, timeoutSec: 30 }));
    hs.sim.inject('garble');
    hs.sim.type('13579');
    await hs.clock.advance(100);
    expect(hs.pad.entry.digits).toBe(4);
    expect(hs.sim.entry.digits).toBe(5);
    hs.sim.press('enter');
    expect(await hs.ok(hs.pad.waitForEntry())).toEqual({ digits: 4 });
    const block = await hs.ok(hs.pad.getPinBlock({ keyIndex: 1, pan: PAN }));
    expect(decryptPinBlock(WORKING, '3des', block, PAN)).toBe('13579');
  });

  it('silent pad: 1 + 3 transmissions, LINK_TIMEOUT, status fault; clear() and a reset bring it back', async () => {
    const hs = await setup();
    hs.tap.clear();
    hs.sim.inject('silent');
    const r = await hs.run(hs.pad.reset());
    expect(!r.ok && r.error.code).toBe('LINK_TIMEOUT');
    expect(hs.tap.log.filter((l) => l.startsWith('>'))).toHaveLength(4);
    expect(hs.pad.status.state).toBe('fault');
    expect(hs.pad.status.lastFault?.code).toBe('LINK_TIMEOUT');
    expect(hs.sim.press('1').ok).toBe(false);
    hs.sim.clear();
    await hs.ok(hs.pad.reset());
    expect(hs.statuses.map((s) => s.state)).toEqual(['ok', 'fault', 'ok']);
  });

  it('unplug during an entry → unplugged, the waiter is rejected; replug → reconnect, reset → ok', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.startPinEntry(SIX));
    const done = hs.pad.waitForEntry();
    hs.sim.type('12');
    await hs.clock.advance(20);
    hs.registry.unplug(PATH);
    const r = await hs.run(done);
    expect(!r.ok && r.error.message).toMatch(/unplugged/);
    // A coded link error, so the citizen's screen and the operator see why (not INTERNAL).
    expect(!r.ok && r.error.code).toBe('LINK_DISCONNECTED');
    expect(hs.pad.status.state).toBe('unplugged');
    expect(hs.pad.entry.phase).toBe('idle');
    hs.registry.replug(PATH);
    await hs.clock.runUntil(() => hs.pad.status.state === 'ok', 20_000);
    expect(hs.pad.status.state).toBe('ok');
    expect(hs.sim.entry.phase).toBe('idle');
  });
});

describe('faults during an entry', () => {
  it('a pad that goes silent mid-entry is a fault, not the citizen being slow: LINK_TIMEOUT after the host timer, status fault', async () => {
    const hs = await setup();
    await hs.ok(hs.pad.startPinEntry(SIX));
    const done = hs.pad.waitForEntry();
    hs.sim.type('12');
    await hs.clock.advance(20);
    hs.sim.inject('silent');
    const t0 = hs.clock.now();
    const r = await hs.run(done);
    expect(!r.ok && r.error.code).toBe('LINK_TIMEOUT');
    // timeoutSec + grace, then the stop's 1 + 3 transmissions of 1 s each.
    expect(hs.clock.now() - t0).toBeGreaterThanOrEqual(31_000 + 4_000 - 20);
    expect(hs.clock.now() - t0).toBeLessThanOrEqual(31_000 + 4_200);
    expect(hs.pad.status.state).toBe('fault');
    expect(hs.pad.entry.phase).toBe('timeout');
    const v = await hs.run(hs.pad.buildVerifyApdu());
    expect(!v.ok && v.error.code).toBe('PINPAD_TIMEOUT');
  });

  it('a reply that arrives after its command was retransmitted is wiped too (it may be a VERIFY APDU)', async () => {
    // The host waits only 10 ms (+ wire time) for the VERIFY: it retransmits before the first reply
    // is through, the first reply answers the retransmission, the second one arrives unsolicited.
    const hs = await setup({ pad: { timeouts: { perCommand: { buildVerify: 10 } } } });
    const late: { data: Uint8Array; raw: Uint8Array | undefined }[] = [];
    // Test-only peek at the link: listeners run in order, so this one sees what the driver left.
    const link = (hs.pad as unknown as { link: { on(e: 'event', fn: (f: { cmd: number; data: Uint8Array }, raw?: Uint8Array) => void): void } }).link;
    link.on('event', (f, raw) => {
      if (f.cmd === 0x36) late.push({ data: f.data, raw });
    });
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('123456');
    await hs.ok(hs.pad.waitForEntry());
    const apdu = await hs.ok(hs.pad.buildVerifyApdu());
    expect(hex(apdu)).toBe('0020000003123456');
    apdu.fill(0);
    await hs.clock.advance(3_000);
    expect(late).toHaveLength(1);
    expect(late[0].data).toHaveLength(9);
    expect([...late[0].data].every((b) => b === 0)).toBe(true);
    expect(late[0].raw && [...late[0].raw].every((b) => b === 0)).toBe(true);
  });
});

describe('logs', () => {
  it('at debug level a full entry never logs the PIN digits, the PIN block, the VERIFY APDU or a clear key', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const hs = await setup({ pad: { logger }, sim: { logger } });
    await loadKeys(hs, '3des');
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('927451');
    await hs.ok(hs.pad.waitForEntry());
    const block = await hs.ok(hs.pad.getPinBlock({ keyIndex: 1, pan: PAN }));
    const apdu = await hs.ok(hs.pad.buildVerifyApdu());
    await hs.ok(hs.pad.stopEntry());
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(text).toContain('"frame"');
    expect(text).toContain('masked');
    for (const secret of ['927451', hex(Buffer.from('927451')), hex(block), hex(apdu), hex(apdu.subarray(5)), hex(MASTER), hex(WORKING), '123456789012']) {
      expect(text.toUpperCase()).not.toContain(secret.toUpperCase());
    }
    expect(text).toContain('"phase":"complete","digits":6');
  });
});
