/**
 * The host's PIN actors (kiosk/session/pin-actors.ts) against the real driver and the simulated pad:
 * what they leave in the pad. A completed PIN stays in the pad's buffer until a stop (37), so every
 * path that is done with a PIN must stop the entry; the probe is `buildVerifyApdu()`, which a pad
 * holding no PIN refuses with PINPAD_NO_PIN.
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import type { CardReader } from '../../../drivers/card-reader/interface.js';
import { pinActors } from '../../../kiosk/session/pin-actors.js';
import { hex, setup, type Harness } from './harness.js';

const ENTRY = { minLength: 6, maxLength: 6, timeoutSec: 30 };

/** A card that knows its PIN and counts tries: only `transmit` is used by the PIN actors. */
function fakeCard(pin = '123456') {
  const sent: string[] = [];
  let tries = 3;
  const reader = {
    transmit: async (apdu: Uint8Array): Promise<Uint8Array> => {
      const h = hex(apdu);
      sent.push(h);
      if (h.startsWith('805E0100')) return Uint8Array.of(0x90, 0x00);
      if (h === `0020000003${pin}`) return Uint8Array.of(0x90, 0x00);
      tries--;
      return Uint8Array.of(0x63, 0xc0 | tries);
    },
  };
  return { sent, reader: reader as unknown as CardReader };
}

function start<L extends AnyActorLogic>(logic: L, input: unknown) {
  const actor = createActor(logic, { input } as never);
  actor.subscribe({ error: () => undefined });
  actor.start();
  return actor;
}

/** Lets the virtual clock run until the pad has answered whatever is queued. */
async function settle(hs: Harness): Promise<void> {
  await hs.clock.runUntil(() => !hs.pad.busy(), 5_000);
  await hs.clock.advance(50);
}

/** Whether the host has sent the pad a frame whose CMD (and DATA) start with `cmdHex`. */
function sentToPad(hs: Harness, cmdHex: string): boolean {
  return hs.tap.log.some((l) => l.startsWith('>') && l.slice(7).startsWith(cmdHex));
}

async function padHoldsNoPin(hs: Harness): Promise<void> {
  const r = await hs.run(hs.pad.buildVerifyApdu());
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe('PINPAD_NO_PIN');
  expect(hs.sim.entry.phase).toBe('idle');
  expect(hs.sim.pinSlots).toEqual([]);
}

async function typeWhenAsked(hs: Harness, digits: string): Promise<void> {
  await hs.clock.runUntil(() => hs.sim.entry.phase === 'active', 5_000);
  expect(hs.sim.type(digits)).toEqual({ ok: true });
  hs.sim.press('enter');
}

describe('PIN actors leave no PIN in the pad', () => {
  it('verifyPin, right PIN: the VERIFY reaches the card, then the pad is stopped before the actor resolves', async () => {
    const hs = await setup();
    const card = fakeCard();
    const actors = pinActors({ reader: card.reader, pinpad: hs.pad, entry: ENTRY });
    const actor = start(actors.verifyPin, { purpose: 'session' });
    await typeWhenAsked(hs, '123456');
    await hs.ok(toPromise(actor));
    expect(card.sent).toEqual(['0020000003123456']);
    // Stopped before resolving: the pad was already idle when the flow moved on.
    expect(hs.sim.entry.phase).toBe('idle');
    await padHoldsNoPin(hs);
  });

  it('verifyPin, wrong PIN: PIN_WRONG with tries left, and the wrong PIN is wiped as well', async () => {
    const hs = await setup();
    const card = fakeCard();
    const actors = pinActors({ reader: card.reader, pinpad: hs.pad, entry: ENTRY });
    const actor = start(actors.verifyPin, { purpose: 'session' });
    await typeWhenAsked(hs, '654321');
    const r = await hs.run(toPromise(actor));
    expect(!r.ok && r.error.code).toBe('PIN_WRONG');
    expect(!r.ok && (r.error as Error & { triesLeft?: number }).triesLeft).toBe(2);
    await padHoldsNoPin(hs);
  });

  it('verifyPin abandoned (finish) after the entry completed: no VERIFY is sent, no try is spent, the pad is wiped', async () => {
    const hs = await setup({ sim: { responseDelayMs: 200 } });
    const card = fakeCard();
    const actors = pinActors({ reader: card.reader, pinpad: hs.pad, entry: ENTRY });
    const actor = start(actors.verifyPin, { purpose: 'session' });
    await typeWhenAsked(hs, '654321');
    // The pad takes 200 ms to answer the build (36): the citizen leaves meanwhile.
    expect(await hs.clock.runUntil(() => sentToPad(hs, '36'), 1_000)).toBe(true);
    await hs.clock.advance(20);
    actor.stop();
    await settle(hs);
    expect(card.sent).toEqual([]);
    await padHoldsNoPin(hs);
  });

  it('capturePin abandoned while the entry is being stored: the journey’s slots are wiped', async () => {
    const hs = await setup({ sim: { responseDelayMs: 200 } });
    const actors = pinActors({ reader: fakeCard().reader, pinpad: hs.pad, entry: ENTRY });
    const old = start(actors.capturePin, { phase: 'old' });
    await typeWhenAsked(hs, '135790');
    await hs.ok(toPromise(old));
    expect(hs.sim.pinSlots).toEqual([1]);
    const next = start(actors.capturePin, { phase: 'new' });
    await typeWhenAsked(hs, '246813');
    // storeEntry(2) (3B 02) is on its way; the citizen touches cancel.
    expect(await hs.clock.runUntil(() => sentToPad(hs, '3B02'), 1_000)).toBe(true);
    await hs.clock.advance(20);
    next.stop();
    await settle(hs);
    await padHoldsNoPin(hs);
  });

  it('the whole change: applyPinChange sends CHANGE PIN, then the pad holds neither PIN (buffer and slots)', async () => {
    const hs = await setup();
    const card = fakeCard();
    const actors = pinActors({ reader: card.reader, pinpad: hs.pad, entry: ENTRY });
    for (const [phase, digits] of [['old', '123456'], ['new', '274916'], ['confirm', '274916']] as const) {
      const a = start(actors.capturePin, { phase });
      await typeWhenAsked(hs, digits);
      await hs.ok(toPromise(a));
    }
    expect(hs.sim.pinSlots).toEqual([1, 2, 3]);
    await hs.ok(toPromise(start(actors.applyPinChange, undefined)));
    expect(card.sent).toEqual(['805E010007123456FF274916']);
    await padHoldsNoPin(hs);
  });

  it('a pad unplugged before the entry: the actor rejects at once with LINK_DISCONNECTED (the flow shows "PIN services unavailable")', async () => {
    const hs = await setup();
    hs.registry.unplug('sim:pinpad');
    await hs.clock.advance(10);
    const actors = pinActors({ reader: fakeCard().reader, pinpad: hs.pad, entry: ENTRY });
    const t0 = hs.clock.now();
    const r = await hs.run(toPromise(start(actors.verifyPin, { purpose: 'session' })));
    expect(!r.ok && r.error.code).toBe('LINK_DISCONNECTED');
    expect(hs.clock.now() - t0).toBeLessThan(100);
  });
});
