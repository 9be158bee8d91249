/**
 * iVerifyPIN / iChangePIN with the simulated encrypting PIN pad: the citizen types on the pad, the
 * pad builds VERIFY / CHANGE PIN, and the API only learns the outcome. After every call the pad
 * holds no PIN (it refuses to build VERIFY).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RC } from '../../../kiosk/reader-api/return-codes.js';
import { setupWorld, type World } from './world.js';

let w: World | undefined;
async function world(card = 'valid'): Promise<World> {
  w = await setupWorld();
  await w.insert(card);
  return w;
}
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function padHoldsNoPin(t: World): Promise<void> {
  const r = await t.pinpad.buildVerifyApdu().then(
    () => 'built',
    (e: { code?: string }) => e.code,
  );
  expect(r).toBe('PINPAD_NO_PIN');
  expect(t.world.pinpad.pinSlots).toEqual([]);
}

describe('iVerifyPIN', () => {
  it('right PIN → 0', async () => {
    const t = await world();
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('123456');
    expect((await call).result).toEqual({ code: 0, message: 'ok (成功)' });
    expect(t.prompts).toEqual(['verify']);
    await padHoldsNoPin(t);
  });

  it('wrong PIN → -51 with the tries left; the right one afterwards resets the counter', async () => {
    const t = await world();
    let call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('111111');
    expect((await call).result).toEqual({ code: -51, message: 'wrong PIN (密码错误): 2 tries left (剩余2次)', triesLeft: 2 });
    await padHoldsNoPin(t);
    call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('123456');
    expect((await call).result.code).toBe(0);
  });

  it('the third wrong PIN locks the card: -52, and -52 from then on', async () => {
    const t = await world();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
      await t.typeWhenAsked('111111');
      codes.push((await call).result.code);
    }
    expect(codes).toEqual([-51, -51, -52, -52]);
  });

  it('a card already locked (pin-locked.json) → -52', async () => {
    const t = await world('pin-locked');
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('123456');
    expect((await call).result.code).toBe(RC.PIN_LOCKED);
  });

  it('the citizen presses cancel → -31, no try spent', async () => {
    const t = await world();
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('cancel');
    expect((await call).result.code).toBe(-31);
    expect(t.triesLeft('valid')).toBe(3);
    await padHoldsNoPin(t);
  });

  it('over the antenna (iType 2) as well', async () => {
    const t = await world();
    t.tap('valid-gen3');
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 2 });
    await t.typeWhenAsked('654321');
    expect((await call).result.code).toBe(0);
  });

  it('the caller going away stops the entry: the pad is idle and no try is spent', async () => {
    const t = await world();
    const abort = new AbortController();
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 }, abort.signal);
    await new Promise<void>((resolve) => {
      const poll = () => (t.world.pinpad.entry.phase === 'active' ? resolve() : setTimeout(poll, 2));
      poll();
    });
    t.world.keys('1234');
    abort.abort();
    expect((await call).result.code).toBe(-31);
    expect(t.world.pinpad.entry.phase).toBe('idle');
    expect(t.triesLeft('valid')).toBe(3);
  });

  it('no card → -2 before the citizen is asked for anything', async () => {
    w = await setupWorld();
    expect((await w.fns.call('his', 'iVerifyPIN', { iType: 3 })).result.code).toBe(-2);
    expect(w.prompts).toEqual([]);
  });
});

describe('iChangePIN', () => {
  async function change(t: World, entries: [string, string, string]): Promise<number> {
    const call = t.fns.call('his', 'iChangePIN', { iType: 1 });
    for (const e of entries) await t.typeWhenAsked(e);
    return (await call).result.code;
  }

  it('old, new, new again → 0; the card then takes the new PIN only', async () => {
    const t = await world();
    expect(await change(t, ['123456', '802417', '802417'])).toBe(0);
    expect(t.prompts).toEqual(['old', 'new', 'confirm']);
    await padHoldsNoPin(t);
    const call = t.fns.call('his', 'iVerifyPIN', { iType: 1 });
    await t.typeWhenAsked('802417');
    expect((await call).result.code).toBe(0);
  });

  it('the two new PINs differ → -34', async () => {
    const t = await world();
    expect(await change(t, ['123456', '802417', '802418'])).toBe(-34);
    await padHoldsNoPin(t);
  });

  it('back to the initial PIN → -36; a repeated-digit PIN → -91 (extension)', async () => {
    const t = await world('valid-gen3');
    expect(await change(t, ['654321', '123456', '123456'])).toBe(-36);
    expect(await change(t, ['654321', '888888', '888888'])).toBe(-91);
  });

  it('a wrong old PIN → -51: the card judges it inside CHANGE PIN', async () => {
    const t = await world();
    expect(await change(t, ['111111', '802417', '802417'])).toBe(-51);
    expect(t.triesLeft('valid')).toBe(2);
  });
});
