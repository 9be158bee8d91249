import { describe, expect, it } from 'vitest';
import type { PinSlot } from '../../../drivers/pinpad/codec.js';
import { weakPinReason, pinDigits } from '../../../drivers/pinpad/sim/pad-pin-slots.js';
import { PATH, hex, setup, type Harness } from './harness.js';

const SIX = { minLength: 6, maxLength: 6, autoEnd: true, timeoutSec: 30 };

/** One completed entry typed on the simulated pad, then stored in `slot`. */
async function enter(hs: Harness, digits: string, slot?: PinSlot, opts = SIX): Promise<void> {
  await hs.ok(hs.pad.startPinEntry(opts));
  expect(hs.sim.type(digits)).toEqual({ ok: true });
  if (!opts.autoEnd) hs.sim.press('enter');
  await hs.ok(hs.pad.waitForEntry());
  if (slot !== undefined) await hs.ok(hs.pad.storeEntry(slot));
}

async function journey(hs: Harness, old: string, next: string, confirm = next): Promise<void> {
  await enter(hs, old, 1);
  await enter(hs, next, 2);
  await enter(hs, confirm, 3);
}

async function refusal(hs: Harness, p: Promise<unknown>): Promise<{ code?: string; reason?: string }> {
  const r = await hs.run(p);
  expect(r.ok).toBe(false);
  if (r.ok) return {};
  const e = r.error as Error & { code?: string; reason?: string };
  return e.reason === undefined ? { code: e.code } : { code: e.code, reason: e.reason };
}

describe('PIN change inside the pad (extension 3A..3D) — driver against the simulator', () => {
  it('old / new / confirm → check ok → the pad builds 80 5E 01 00 07 <old> FF <new> and clears its slots', async () => {
    const hs = await setup();
    hs.tap.clear();
    await enter(hs, '135790', 1);
    await enter(hs, '246813', 2);
    await enter(hs, '246813', 3);
    expect(hs.sim.pinSlots).toEqual([1, 2, 3]);
    await hs.ok(hs.pad.checkNewPin());
    const apdu = await hs.ok(hs.pad.buildChangePinApdu());
    expect(hex(apdu)).toBe('805E010007135790FF246813');
    apdu.fill(0);
    expect(hs.sim.pinSlots).toEqual([]);

    // Exact frames of the extension on the wire; key events carried no digit.
    const ext = hs.tap.log.filter((l) => /^.0200..3[ABC]/.test(l));
    expect(ext).toEqual([
      '>0200023B010339',
      '<0200023B000338',
      '>0200023B02033A',
      '<0200023B000338',
      '>0200023B03033B',
      '<0200023B000338',
      '>0200013C033C',
      '<0200023C00033F',
      '>0200013A033A',
      '<02000E3A00805E010007135790FF2468130399',
    ]);
    expect(hs.keys.every((k) => k.kind === 'digit' && !('value' in k))).toBe(true);
    expect(hs.keys).toHaveLength(18);

    // Built once: the slots are gone.
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
  });

  it('other PIN lengths are F-padded like VERIFY', async () => {
    const hs = await setup();
    const free = { minLength: 4, maxLength: 12, autoEnd: false, timeoutSec: 30 };
    await enter(hs, '2580', 1, free);
    await enter(hs, '97315', 2, free);
    await enter(hs, '97315', 3, free);
    expect(hex(await hs.ok(hs.pad.buildChangePinApdu()))).toBe('805E0100062580FF97315F');
  });

  it('the two new entries differ → PINPAD_PIN_MISMATCH; slots 2 and 3 are wiped, the old PIN stays', async () => {
    const hs = await setup();
    await journey(hs, '135790', '246813', '246831');
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_MISMATCH' });
    expect(hs.sim.pinSlots).toEqual([1]);
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
    expect(hs.sim.pinSlots).toEqual([1]);
    // The citizen types the new PIN twice again.
    await enter(hs, '246813', 2);
    await enter(hs, '246813', 3);
    await hs.ok(hs.pad.checkNewPin());
    expect(hex(await hs.ok(hs.pad.buildChangePinApdu()))).toBe('805E010007135790FF246813');
  });

  it.each([
    ['000000', 'repeated'],
    ['111111', 'repeated'],
    ['123456', 'initial'],
    ['234567', 'sequence'],
    ['654321', 'sequence'],
    ['789012', undefined], // no wrap-around
  ])('new PIN %s → %s', async (pin, reason) => {
    const hs = await setup();
    await journey(hs, '135790', pin);
    if (reason === undefined) {
      await hs.ok(hs.pad.checkNewPin());
      return;
    }
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_WEAK', reason });
    expect(hs.sim.pinSlots).toEqual([1]);
  });

  it('same as the old PIN → weak (same-as-old); changing away from the initial PIN is fine', async () => {
    const hs = await setup();
    await journey(hs, '135790', '135790');
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_WEAK', reason: 'same-as-old' });
    // Old PIN = the initial PIN (the usual first change); new = initial again → 'initial' wins.
    await hs.ok(hs.pad.clearSlots());
    await journey(hs, '123456', '123456');
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_WEAK', reason: 'initial' });
    await journey(hs, '123456', '802468');
    expect(hex(await hs.ok(hs.pad.buildChangePinApdu()))).toBe('805E010007123456FF802468');
  });

  it('the initial PIN is configurable in the pad', async () => {
    const hs = await setup({ sim: { initialPin: '888888' } });
    await journey(hs, '135790', '888888');
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_WEAK', reason: 'initial' });
    await journey(hs, '135790', '123456');
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_PIN_WEAK', reason: 'sequence' });
  });

  it('the pad re-checks before building: skipping checkNewPin does not get a weak PIN onto the card', async () => {
    const hs = await setup();
    await journey(hs, '135790', '222222');
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_PIN_WEAK', reason: 'repeated' });
    await journey(hs, '135790', '246813', '246800');
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_PIN_MISMATCH' });
  });

  it('building or checking without entries is refused (PINPAD_SLOT_EMPTY)', async () => {
    const hs = await setup();
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
    await enter(hs, '246813', 2);
    expect(await refusal(hs, hs.pad.checkNewPin())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
    await enter(hs, '246813', 3);
    await hs.ok(hs.pad.checkNewPin()); // no old PIN yet: same-as-old is judged when building
    expect(await refusal(hs, hs.pad.buildChangePinApdu())).toEqual({ code: 'PINPAD_SLOT_EMPTY' });
    expect(hs.sim.pinSlots).toEqual([2, 3]);
  });

  it('storing needs a completed entry: no PIN, cancelled, and a bad slot number', async () => {
    const hs = await setup();
    expect(await refusal(hs, hs.pad.storeEntry(1))).toEqual({ code: 'PINPAD_NO_PIN' });
    await hs.ok(hs.pad.startPinEntry(SIX));
    hs.sim.type('12');
    expect(await refusal(hs, hs.pad.storeEntry(1))).toEqual({ code: 'PINPAD_NO_PIN' });
    hs.sim.press('cancel');
    await hs.clock.advance(50);
    hs.tap.clear();
    expect(await refusal(hs, hs.pad.storeEntry(1))).toEqual({ code: 'PINPAD_CANCELLED' });
    await expect(hs.pad.storeEntry(4 as PinSlot)).rejects.toMatchObject({ code: 'PINPAD_PARAMETER' });
    expect(hs.tap.log).toEqual([]); // both refused by the host without a round trip
    expect(hs.sim.pinSlots).toEqual([]);
  });

  it('slots survive new entries but not stop, reset, clearSlots or power loss', async () => {
    const hs = await setup();
    const fill = async () => {
      await journey(hs, '135790', '246813');
      expect(hs.sim.pinSlots).toEqual([1, 2, 3]);
    };
    await fill();
    await hs.ok(hs.pad.stopEntry());
    expect(hs.sim.pinSlots).toEqual([]);
    await fill();
    await hs.ok(hs.pad.reset());
    expect(hs.sim.pinSlots).toEqual([]);
    await fill();
    await hs.ok(hs.pad.clearSlots());
    expect(hs.sim.pinSlots).toEqual([]);
    await fill();
    hs.registry.unplug(PATH);
    hs.registry.replug(PATH);
    await hs.clock.runUntil(() => hs.pad.status.state === 'ok', 20_000);
    expect(hs.sim.pinSlots).toEqual([]);
  });
});

describe('weak-PIN rules (pad side)', () => {
  const judge = (pin: string, old?: string, initial = '123456') => weakPinReason(pinDigits(pin), { initial: pinDigits(initial), old: old ? pinDigits(old) : undefined });
  it('order: initial, same-as-old, repeated, sequence', () => {
    expect(judge('123456', '123456')).toBe('initial');
    expect(judge('111111', '111111')).toBe('same-as-old');
    expect(judge('999999')).toBe('repeated');
    expect(judge('3456')).toBe('sequence');
    expect(judge('9876543210')).toBe('sequence');
    expect(judge('1234567', undefined, '000000')).toBe('sequence');
    expect(judge('123465')).toBeUndefined();
    expect(judge('112233')).toBeUndefined();
    expect(judge('901234')).toBeUndefined();
  });
});

describe('logs', () => {
  it('at debug level a whole PIN change never logs the old or new PIN or the CHANGE PIN APDU', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const hs = await setup({ pad: { logger }, sim: { logger } });
    await journey(hs, '975310', '864208', '864207');
    await hs.run(hs.pad.checkNewPin());
    await enter(hs, '864208', 2);
    await enter(hs, '864208', 3);
    await hs.ok(hs.pad.checkNewPin());
    const apdu = await hs.ok(hs.pad.buildChangePinApdu());
    expect(hex(apdu)).toBe('805E010007975310FF864208');
    await hs.ok(hs.pad.stopEntry());
    const text = lines.join('').toUpperCase();
    expect(lines.length).toBeGreaterThan(20);
    expect(text).toContain('MASKED');
    for (const secret of ['975310', '864208', '864207', hex(Buffer.from('975310')), hex(Buffer.from('864208')), hex(apdu), '975310FF864208']) {
      expect(text).not.toContain(secret.toUpperCase());
    }
  });
});
