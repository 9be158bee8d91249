/**
 * The five functions against the simulated world: real drivers, fixture cards, the PSAM with the
 * demo keys, the simulated encrypting PIN pad. Outputs are compared byte for byte.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatCardBas } from '../../../kiosk/reader-api/functions.js';
import { RC } from '../../../kiosk/reader-api/return-codes.js';
import type { CardInfo } from '../../../kiosk/card/card-info.js';
import { setupWorld, until, type World } from './world.js';

/** test/fixtures/cards/valid.json (张三, generation 2) as the national interface prints it. */
const VALID_BAS =
  '110101|110101195001011234|A12345678|110101D15600000500101123|张三|594B542D5353432D32|2.00|20241231|20341231|YKT-SIM-0001|RDR-SIM-0001|';
/** valid-gen3.json (李秀英), read through the antenna. */
const GEN3_BAS =
  '330300|330302198507152348|B87654321|330300D15600000599110145|李秀英|594B542D5353432D33|3.00|20230601|20330601|YKT-SIM-0001|RDR-SIM-0001|';

let w: World | undefined;
async function world(): Promise<World> {
  w = await setupWorld();
  return w;
}
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('iReadCardBas', () => {
  it('contact (iType 1): the 11 fields of valid.json, byte-exact', async () => {
    const t = await world();
    await t.insert('valid');
    const { result } = await t.fns.call('his', 'iReadCardBas', { iType: 1 });
    expect(result).toEqual({ code: 0, output: VALID_BAS, message: 'ok (成功)' });
    expect(Buffer.from(result.output!, 'utf8').equals(Buffer.from(VALID_BAS, 'utf8'))).toBe(true);
    expect(result.output!.split('|')).toHaveLength(12);
  });

  it('contactless (iType 2) reads a tapped third-generation card', async () => {
    const t = await world();
    t.tap('valid-gen3');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 2 })).result.output).toBe(GEN3_BAS);
  });

  it('iType 3 prefers the card inside, iType 4 the card on the antenna', async () => {
    const t = await world();
    await t.insert('valid');
    t.tap('valid-gen3');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 3 })).result.output).toBe(VALID_BAS);
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 4 })).result.output).toBe(GEN3_BAS);
  });

  it('iType 3 falls back to the antenna when no card is inside', async () => {
    const t = await world();
    t.tap('valid-gen3');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 3 })).result.output).toBe(GEN3_BAS);
  });

  it('no card → -2, on every iType', async () => {
    const t = await world();
    for (const iType of [1, 2, 3, 4]) {
      expect((await t.fns.call('his', 'iReadCardBas', { iType })).result).toEqual({ code: -2, message: 'no card (无卡)' });
    }
  });

  it('a card on the antenna does not answer iType 1 (contact only) → -2', async () => {
    const t = await world();
    t.tap('valid-gen3');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.code).toBe(RC.NO_CARD);
  });

  it('a bank-only card (no social security application) → -1 wrong card type', async () => {
    const t = await world();
    await t.insert('bank-only');
    const out = await t.fns.call('his', 'iReadCardBas', { iType: 1 });
    expect(out.result.code).toBe(-1);
    expect(out.errorCode).toBe('CARD_NOT_SSC');
  });

  it('a damaged card → -4, a counterfeit → -21', async () => {
    const t = await world();
    await t.insert('damaged');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.code).toBe(-4);
    await t.reader.eject();
    t.world.take();
    await t.insert('not-genuine');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.code).toBe(-21);
  });

  it('no PSAM in the reader → -2201', async () => {
    const t = await world();
    t.world.reader.setPsam(1, null);
    await t.insert('valid');
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.code).toBe(-2201);
  });

  it('an expired card is still read: the caller judges the expiry date it gets', async () => {
    const t = await world();
    await t.insert('expired');
    const { result } = await t.fns.call('his', 'iReadCardBas', { iType: 1 });
    expect(result.code).toBe(0);
    expect(result.output!.split('|')[8]).toMatch(/^\d{8}$/);
  });

  it('iType outside 1..4, or missing → -14', async () => {
    const t = await world();
    for (const input of [{ iType: 0 }, { iType: 5 }, {}, { iType: '1' }]) {
      expect((await t.fns.call('his', 'iReadCardBas', input)).result.code).toBe(-14);
    }
  });

  it('an unplugged reader → -12', async () => {
    const t = await world();
    t.world.fault('reader', 'unplug');
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.code).toBe(-12);
  });
});

describe('sharing the reader', () => {
  it('while the kiosk’s own session holds it: -90 at once, and served again once released', async () => {
    const t = await world();
    await t.insert('valid');
    const release = t.arbiter.tryAcquire({ kind: 'kiosk' });
    const out = await t.fns.call('his', 'iReadCardBas', { iType: 1 });
    expect(out.result).toEqual({ code: -90, message: 'reader busy: held by another user (读卡器忙)' });
    expect(out.errorCode).toBe('READER_API_BUSY');
    release();
    expect((await t.fns.call('his', 'iReadCardBas', { iType: 1 })).result.output).toBe(VALID_BAS);
  });

  it('while another client waits for a PIN: -90 for everyone else, every function', async () => {
    const t = await world();
    await t.insert('valid');
    const verify = t.fns.call('his-a', 'iVerifyPIN', { iType: 1 });
    await until(() => t.world.pinpad.entry.phase === 'active');
    for (const fn of ['iReadCardBas', 'iGetCardType', 'iGetReaderInfo', 'iVerifyPIN']) {
      expect((await t.fns.call('his-b', fn, { iType: 1 })).result.code).toBe(-90);
    }
    await t.typeWhenAsked('123456');
    expect((await verify).result.code).toBe(0);
    expect(t.arbiter.holder).toBeUndefined();
  });

  it('leaves nothing powered: the user card is off after a call', async () => {
    const t = await world();
    await t.insert('valid');
    await t.fns.call('his', 'iReadCardBas', { iType: 1 });
    const r = await t.reader.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00)).then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    );
    expect(r).toBe('READER_CARD_COMM'); // the reader refuses APDUs to an unpowered card
  });
});

describe('iGetCardType and iGetReaderInfo', () => {
  it('iGetCardType: 1 for a card inside, 2 for one on the antenna, -2 for none', async () => {
    const t = await world();
    expect((await t.fns.call('his', 'iGetCardType', {})).result.code).toBe(-2);
    t.tap('valid-gen3');
    expect((await t.fns.call('his', 'iGetCardType', {})).result.output).toBe('2');
    await t.insert('valid');
    expect((await t.fns.call('his', 'iGetCardType', {})).result.output).toBe('1');
    expect((await t.fns.call('his', 'iGetCardType', { iType: 4 })).result.output).toBe('2');
  });

  it('iGetReaderInfo: reader serial | PSAM terminal number |; -2201 without a PSAM', async () => {
    const t = await world();
    expect((await t.fns.call('his', 'iGetReaderInfo', {})).result).toEqual({ code: 0, output: 'RDR-SIM-0001|YKT-SIM-0001|', message: 'ok (成功)' });
    t.world.reader.setPsam(1, null);
    expect((await t.fns.call('his', 'iGetReaderInfo', {})).result.code).toBe(-2201);
  });

  it('functions of the interface this terminal does not offer → -13', async () => {
    const t = await world();
    expect((await t.fns.call('his', 'iReloadPIN', { iType: 1 })).result.code).toBe(-13);
    expect((await t.fns.call('his', 'iDoDebit', { iType: 1 })).result.code).toBe(-13);
  });
});

describe('formatCardBas', () => {
  const info: CardInfo = {
    cardIdCode: '330300D15600000599110145',
    regionCode: '330300',
    cardType: '1',
    specVersion: '3.00',
    issuerCode: '330300000000',
    issueDate: '',
    expiryDate: '2033-06-01',
    cardNumber: 'B87654321',
    ssn: '330302198507152348',
    name: '李秀英',
    sex: 'female',
    ethnicity: '01',
    birthDate: '1985-07-15',
    atrHistorical: '594B542D5353432D33',
  };

  it('an absent issue date is an empty field, dates are YYYYMMDD', () => {
    expect(formatCardBas(info, { terminalId: 'T1', deviceId: 'D1' })).toBe(
      '330300|330302198507152348|B87654321|330300D15600000599110145|李秀英|594B542D5353432D33|3.00||20330601|T1|D1|',
    );
  });

  it('refuses a field holding the separator', () => {
    expect(() => formatCardBas({ ...info, name: 'a|b' }, { terminalId: 'T1', deviceId: 'D1' })).toThrow(/separator/);
  });
});
