import { describe, expect, it } from 'vitest';
import { encodeCommand, encodeResponse } from '../../../drivers/card-reader/codec.js';
import { FAKE_ATR, FakeChip, SELECT_SSSE } from './fake-chip.js';
import { PATH, hex, setup } from './harness.js';

const NONE = { position: 'none', binFull: false, insertionEnabled: false };

describe('card reader driver against the simulator (SerialPortStream + SimPortRegistry + VirtualClock)', () => {
  it('opens, reports ok and the sensors', async () => {
    const h = await setup();
    expect(h.reader.status.state).toBe('ok');
    expect(await h.ok(h.reader.getSensors())).toEqual(NONE);
    // The status exchange on the wire, byte for byte: CMD → ACK → ENQ → answer.
    expect(h.tap.log.slice(-4)).toEqual(['>F20000034331300 3B0'.replace(' ', ''), '<06', '>05', '<F200000650313030303003' + '96']);
  });

  it('insert → card-inserted; power on → ATR; SELECT round trip with the exact spec bytes', async () => {
    const h = await setup();
    const chip = new FakeChip('zhang');
    expect(h.sim.insert(chip)).toEqual({ ok: false, reason: 'insertion is disabled (shutter closed)' });
    expect(await h.ok(h.reader.enableInsertion())).toEqual({ ...NONE, insertionEnabled: true });
    expect(h.sim.insert(chip)).toEqual({ ok: true });
    await h.clock.advance(50);
    expect(h.events).toEqual(['card-inserted']);
    expect(h.sim.insert(new FakeChip('other')).ok).toBe(false);
    // Unsolicited event and the host's ACK.
    expect(h.tap.log.slice(-2)).toEqual(['<' + hex(encodeResponse(0x31, 0x30, { kind: 'positive', sensors: { position: 'inside', binFull: false, insertionEnabled: true } })), '>06']);

    await h.ok(h.reader.disableInsertion());
    expect([...(await h.ok(h.reader.powerOn()))]).toEqual([...FAKE_ATR]);
    expect(chip.powered).toBe(true);
    h.tap.clear();
    const rapdu = await h.ok(h.reader.transmit(SELECT_SSSE));
    expect(hex(rapdu)).toBe('9000');
    expect(h.tap.log).toEqual([
      '>F20000174351330' + '0A404000F7378312E73682EC9E7BBE1B1A3D5CF0335',
      '<06',
      '>05',
      '<F200000850513332303090000369',
    ]);
    expect(hex(chip.seen[0])).toBe(hex(SELECT_SSSE));
  });

  it('eject → card at the gate → take → card-removed (unsolicited while insertion is enabled)', async () => {
    const h = await setup();
    const chip = new FakeChip('zhang');
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(chip);
    await h.clock.advance(20);
    const s = await h.ok(h.reader.eject());
    expect(s.position).toBe('gate');
    expect(h.events).toEqual(['card-inserted', 'card-at-gate']);
    expect(h.sim.take()).toEqual({ ok: true });
    expect(h.sim.take().ok).toBe(false);
    await h.clock.advance(20);
    expect(h.events).toEqual(['card-inserted', 'card-at-gate', 'card-removed']);
    expect(h.sim.position).toBe('none');
    expect(h.sim.chip).toBeNull();
  });

  it('with insertion disabled the take is seen by polling the sensors', async () => {
    const h = await setup();
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('zhang'));
    await h.clock.advance(20);
    await h.ok(h.reader.disableInsertion());
    await h.ok(h.reader.eject());
    h.sim.take();
    await h.clock.advance(1000);
    expect(h.events).toEqual(['card-inserted', 'card-at-gate']);
    expect((await h.ok(h.reader.getSensors())).position).toBe('none');
    expect(h.events).toEqual(['card-inserted', 'card-at-gate', 'card-removed']);
  });

  it('retain → card-retained, the bin fills and reports bin-full', async () => {
    const h = await setup({ sim: { binCapacity: 1 } });
    const chip = new FakeChip('lost');
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(chip);
    await h.clock.advance(20);
    const s = await h.ok(h.reader.retain());
    expect(s).toEqual({ position: 'none', binFull: true, insertionEnabled: true });
    expect(h.events).toEqual(['card-inserted', 'card-retained']);
    expect(h.sim.retainedChips).toEqual([chip]);
    expect(h.reader.status.state).toBe('bin-full');
    h.sim.insert(new FakeChip('second'));
    await h.clock.advance(20);
    const r = await h.run(h.reader.retain());
    expect(!r.ok && r.error.code).toBe('READER_BIN_FULL');
  });

  it('negative answers: wrong position, no ATR, PSAM absent', async () => {
    const h = await setup();
    const r1 = await h.run(h.reader.powerOn());
    expect(!r1.ok && r1.error.code).toBe('READER_WRONG_POSITION');
    expect(h.reader.status.state).toBe('ok');
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('damaged', null));
    await h.clock.advance(20);
    const r2 = await h.run(h.reader.powerOn());
    expect(!r2.ok && r2.error.code).toBe('READER_NO_ATR');
    const r3 = await h.run(h.reader.psamPowerOn(2));
    expect(!r3.ok && r3.error.code).toBe('READER_PSAM_ABSENT');
  });

  it('PSAM power on and APDU carry the slot digit', async () => {
    const h = await setup();
    const psam = new FakeChip('psam', Uint8Array.of(0x3b, 0x00));
    h.sim.setPsam(1, psam);
    expect(hex(await h.ok(h.reader.psamPowerOn(1)))).toBe('3B00');
    h.tap.clear();
    expect(hex(await h.ok(h.reader.psamTransmit(1, Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x08))))).toBe('01020304050607089000');
    expect(h.tap.log[0]).toBe('>' + hex(encodeCommand(0x52, 0x33, Uint8Array.of(0x31, 0x00, 0x84, 0x00, 0x00, 0x08))));
  });

  it('contactless: no card in the field, then activate / APDU / deactivate', async () => {
    const h = await setup();
    const r = await h.run(h.reader.contactlessActivate());
    expect(!r.ok && r.error.code).toBe('READER_NO_CONTACTLESS');
    const chip = new FakeChip('gen3', Uint8Array.of(0x78, 0x80, 0x70));
    h.sim.setFieldCard({ chip, type: 'A', uid: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) });
    const card = await h.ok(h.reader.contactlessActivate());
    expect(card.type).toBe('A');
    expect(hex(card.uid)).toBe('DEADBEEF');
    expect(hex(card.ats)).toBe('788070');
    expect(hex(await h.ok(h.reader.contactlessTransmit(SELECT_SSSE)))).toBe('9000');
    await h.ok(h.reader.contactlessDeactivate());
    expect(chip.powered).toBe(false);
  });
});

describe('faults', () => {
  it('garble: the corrupted answer is NAKed by the host and the clean resend accepted', async () => {
    const h = await setup();
    h.sim.inject('garble');
    h.tap.clear();
    expect(await h.ok(h.reader.getSensors())).toEqual(NONE);
    expect(h.tap.log.filter((l) => l.startsWith('>'))).toEqual(['>F2000003433130' + '03B0', '>05', '>15']);
    const answers = h.tap.log.filter((l) => l.startsWith('<F2'));
    expect(answers).toHaveLength(2);
    expect(answers[0]).not.toBe(answers[1]);
    expect(answers[1]).toBe('<F200000650313030303003' + '96');
    expect(h.reader.status.state).toBe('ok');
  });

  it('nak: the command is retransmitted once and succeeds', async () => {
    const h = await setup();
    h.sim.inject('nak');
    h.tap.clear();
    await h.ok(h.reader.getSensors());
    expect(h.tap.log.slice(0, 4)).toEqual(['>F2000003433130' + '03B0', '<15', '>F2000003433130' + '03B0', '<06']);
    expect(h.reader.status.state).toBe('ok');
  });

  it('silent: 1 + 3 transmissions, LINK_NO_ACK, status fault; clear() and a probe bring it back', async () => {
    const h = await setup();
    h.sim.inject('silent');
    h.tap.clear();
    const t0 = h.clock.now();
    const r = await h.run(h.reader.getSensors());
    expect(!r.ok && r.error.code).toBe('LINK_NO_ACK');
    expect(h.tap.log).toEqual(Array(4).fill('>F2000003433130' + '03B0'));
    // 4 ACK windows of 300 ms (+ the frame's wire time allowance).
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(1200);
    expect(h.clock.now() - t0).toBeLessThan(1300);
    expect(h.reader.status.state).toBe('fault');
    expect(h.reader.status.lastFault?.code).toBe('LINK_NO_ACK');
    h.sim.clear();
    await h.ok(h.reader.getSensors());
    expect(h.reader.status.state).toBe('ok');
    expect(h.statuses.map((s) => s.state)).toEqual(['ok', 'fault', 'ok']);
  });

  it('unplug → unplugged, in-flight command rejected; reconnect with backoff after replug → ok', async () => {
    const h = await setup();
    const attempts: { attempt: number; delayMs: number; at: number }[] = [];
    h.reader.on('reconnecting', (i: { attempt: number; delayMs: number }) => attempts.push({ ...i, at: h.clock.now() }));
    let reconnected = false;
    h.reader.on('reconnected', () => (reconnected = true));
    h.sim.setDelays({ motor: 300 });
    const pending = h.reader.initialize('eject');
    await h.clock.advance(5);
    h.registry.unplug(PATH);
    const r = await h.run(pending);
    expect(!r.ok && r.error.code).toBe('LINK_DISCONNECTED');
    expect(h.reader.status.state).toBe('unplugged');
    const r2 = await h.run(h.reader.getSensors());
    expect(!r2.ok && r2.error.code).toBe('LINK_DISCONNECTED');
    await h.clock.advance(4000);
    expect(attempts.map((a) => a.delayMs)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(reconnected).toBe(false);
    h.registry.replug(PATH);
    await h.clock.runUntil(() => h.reader.status.state === 'ok', 10_000);
    expect(reconnected).toBe(true);
    expect(h.reader.status.state).toBe('ok');
    expect(h.statuses.map((s) => s.state)).toEqual(['ok', 'unplugged', 'ok']);
    expect(await h.ok(h.reader.getSensors())).toEqual(NONE);
  });

  it('open while unplugged rejects with LINK_OPEN_FAILED and comes up later by itself', async () => {
    const h = await setup({ open: false });
    h.registry.unplug(PATH);
    const r = await h.run(h.reader.open());
    expect(!r.ok && r.error.code).toBe('LINK_OPEN_FAILED');
    expect(h.reader.status.state).toBe('unplugged');
    h.registry.replug(PATH);
    await h.clock.runUntil(() => h.reader.status.state === 'ok', 10_000);
    expect(h.reader.status.state).toBe('ok');
  });

  it('jam: the motor move answers 04, status jam until a motor move succeeds', async () => {
    const h = await setup();
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('zhang'));
    await h.clock.advance(20);
    h.sim.inject('jam');
    const r = await h.run(h.reader.eject());
    expect(!r.ok && r.error.code).toBe('READER_JAMMED');
    expect(h.reader.status).toMatchObject({ state: 'jam', lastFault: { code: 'READER_JAMMED' } });
    await h.ok(h.reader.getSensors());
    expect(h.reader.status.state).toBe('jam');
    expect((await h.ok(h.reader.eject())).position).toBe('gate');
    expect(h.reader.status.state).toBe('ok');
  });

  it('card-pulled: the APDU answers 12 and card-removed is emitted', async () => {
    const h = await setup();
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('zhang'));
    await h.clock.advance(20);
    await h.ok(h.reader.powerOn());
    h.sim.inject('card-pulled');
    const r = await h.run(h.reader.transmit(SELECT_SSSE));
    expect(!r.ok && r.error.code).toBe('READER_CARD_REMOVED');
    await h.clock.advance(50);
    expect(h.events).toEqual(['card-inserted', 'card-removed']);
    expect(h.sim.position).toBe('none');
  });

  it('response timeout: LINK_TIMEOUT after the per-command timeout, EOT sent, late answer never arrives', async () => {
    const h = await setup({ reader: { timeouts: { motorMs: 500 } }, sim: { delays: { motor: 2000 } } });
    h.tap.clear();
    const t0 = h.clock.now();
    const r = await h.run(h.reader.initialize('eject'));
    expect(!r.ok && r.error.code).toBe('LINK_TIMEOUT');
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(500);
    expect(h.clock.now() - t0).toBeLessThan(600);
    await h.clock.advance(3000);
    expect(h.tap.log.filter((l) => l.startsWith('>')).slice(-1)).toEqual(['>04']);
    expect(h.tap.log.filter((l) => l.startsWith('<F2'))).toEqual([]);
    expect(h.reader.status.state).toBe('fault');
  });

  it('cancel: EOT stops a command in progress', async () => {
    const h = await setup({ sim: { delays: { motor: 1000 } } });
    const p = h.reader.initialize('eject');
    await h.clock.advance(100);
    h.reader.cancel();
    const r = await h.run(p);
    expect(!r.ok && r.error.code).toBe('LINK_CANCELED');
    await h.clock.advance(2000);
    expect(h.tap.log.at(-1)).toBe('>04');
    expect(await h.ok(h.reader.getSensors())).toEqual(NONE);
  });

  it('commands queue: one at a time, answers matched in order', async () => {
    const h = await setup();
    const [a, b, c] = [h.reader.getSensors(), h.reader.enableInsertion(), h.reader.getSensors()];
    expect(h.reader.busy()).toBe(true);
    const all = await h.ok(Promise.all([a, b, c]));
    expect(all.map((s) => s.insertionEnabled)).toEqual([false, true, true]);
    expect(h.reader.busy()).toBe(false);
  });
});

describe('at 9600 baud', () => {
  it('a long APDU does not trip the ACK window (it is widened by the frame wire time)', async () => {
    const h = await setup({ baudRate: 9600 });
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('zhang'));
    await h.clock.advance(50);
    await h.ok(h.reader.powerOn());
    // Extended-length APDU: 407 bytes of data, 416 bytes of frame = 433 ms on the wire at 9600 Bd.
    const apdu = Uint8Array.from([0x00, 0xdc, 0x01, 0x04, 0x00, 0x01, 0x97, ...new Array(400).fill(0x41)]);
    h.tap.clear();
    const t0 = h.clock.now();
    const r = await h.ok(h.reader.transmit(apdu));
    expect(hex(r)).toBe('6A82');
    // One transmission only, although the frame alone outlasts the 300 ms ACK window.
    expect(h.tap.log.filter((l) => l.startsWith('>F2'))).toHaveLength(1);
    const wire = ((apdu.length + 9 + 1 + 1 + 11 + 2) * 10 * 1000) / 9600;
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(Math.floor(wire));
    expect(h.registry.inFlight()).toBe(0);
  });
});

describe('debug frame traces', () => {
  it('show APDU headers only: a VERIFY never leaks its PIN digits, the card data never leaks', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const h = await setup({ reader: { logger }, sim: { logger } });
    await h.ok(h.reader.enableInsertion());
    h.sim.insert(new FakeChip('zhang'));
    await h.clock.advance(20);
    await h.ok(h.reader.powerOn());
    await h.ok(h.reader.transmit(Uint8Array.of(0x00, 0x20, 0x00, 0x00, 0x03, 0x12, 0x34, 0x56)));
    const text = lines.join('');
    expect(text).toContain('"F200000B435133…(+10 bytes masked)"'); // the VERIFY frame: header only
    expect(text).toContain('masked');
    expect(text).not.toMatch(/123456/);
    expect(text).not.toContain('3B6C0002'); // ATR (historical bytes carry card data) masked too
  });
});
