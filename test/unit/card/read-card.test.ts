import { describe, expect, it } from 'vitest';
import { type CardProfile, resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { DEMO_KEYS, type SimCardOptions, createSimCard } from '../../../drivers/card-reader/sim/chip/index.js';
import { type CardChannel, type CardInfo, checkValidity, readCardInfo } from '../../../kiosk/card/index.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';
import { CodedError, chipChannel, h, hx } from './helpers.js';

const fixtures = loadFixtureCards();
const simOf = (p: CardProfile, o?: SimCardOptions) => createSimCard(resolveCardProfile(p), DEMO_KEYS, o);
const channelOf = (handle: string) => chipChannel(simOf(fixtures[handle]!));

/** Wraps a channel and lets a test rewrite individual answers (keyed by the APDU's hex). */
function tamper(inner: CardChannel, rewrite: (apdu: string, answer: Uint8Array) => Uint8Array): CardChannel {
  return {
    powerOn: () => inner.powerOn(),
    async transmit(apdu) {
      return rewrite(hx(apdu), await inner.transmit(apdu));
    },
  };
}

const VALID: CardInfo = {
  cardIdCode: '110101D15600000500101123',
  regionCode: '110101',
  cardType: '1',
  specVersion: '2.00',
  issuerCode: '110101000000',
  issueDate: '2024-12-31',
  expiryDate: '2034-12-31',
  cardNumber: 'A12345678',
  ssn: '110101195001011234',
  name: '张三',
  sex: 'male',
  ethnicity: '01',
  birthDate: '1950-01-01',
  atrHistorical: hx(Buffer.from('YKT-SSC-2')).replace(/ /g, ''),
  birthplace: '110101',
  generation: 2,
  algorithm: '3des',
};

describe('readCardInfo against the simulated card', () => {
  it('valid (张三): the whole CardInfo and the exact APDU sequence', async () => {
    const ch = channelOf('valid');
    expect(await readCardInfo(ch)).toEqual(VALID);
    expect(ch.sent).toEqual([
      '00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF',
      '00 A4 02 00 02 EF 05',
      ...[1, 2, 3, 4, 5, 6, 7].map((r) => `00 B2 0${r} 04 00`),
      '00 A4 02 00 02 EF 06',
      ...['08', '09', '0A', '0B', '0C', '0D'].map((r) => `00 B2 ${r} 04 00`),
    ]);
  });
  it('valid-gen3 (李秀英): generation 3, SM4, reads 4E', async () => {
    const ch = channelOf('valid-gen3');
    expect(await readCardInfo(ch)).toEqual({
      ...VALID,
      cardIdCode: '330300D15600000599110145',
      regionCode: '330300',
      specVersion: '3.00',
      issuerCode: '330300000000',
      issueDate: '2023-06-01',
      expiryDate: '2033-06-01',
      cardNumber: 'B87654321',
      ssn: '330302198507152348',
      name: '李秀英',
      sex: 'female',
      birthDate: '1985-07-15',
      atrHistorical: hx(Buffer.from('YKT-SSC-3')).replace(/ /g, ''),
      birthplace: '330302',
      generation: 3,
      algorithm: 'sm4',
    });
    expect(ch.sent).toContain('00 B2 4E 04 00');
  });
  it('long-name: record 09 + 4E give the full name', async () => {
    const info = await readCardInfo(channelOf('long-name'));
    expect(info.name).toBe('阿卜杜热西提·阿卜杜热合曼·买买提明');
    expect(info.ethnicity).toBe('05');
  });
  it.each(['pin-locked', 'blacklisted', 'not-genuine', 'expired'])('%s reads normally (the chip does not know)', async (k) => {
    const info = await readCardInfo(channelOf(k));
    expect(info.ssn).toBe(fixtures[k]!.ssn);
    expect(info.name).toBe(fixtures[k]!.name);
  });
  it('damaged → CARD_NO_ATR; bank-only → CARD_NOT_SSC', async () => {
    await expect(readCardInfo(channelOf('damaged'))).rejects.toMatchObject({ code: 'CARD_NO_ATR', name: 'CardError' });
    await expect(readCardInfo(channelOf('bank-only'))).rejects.toMatchObject({ code: 'CARD_NOT_SSC', sw: 0x6a82 });
  });
  it('protected 3.00 records → CARD_SECURITY', async () => {
    const ch = chipChannel(simOf(fixtures['valid-gen3']!, { protectedReads: true }));
    await expect(readCardInfo(ch)).rejects.toMatchObject({ code: 'CARD_SECURITY', sw: 0x6982 });
  });
});

describe('readCardInfo: tolerance and status words', () => {
  const base = () => chipChannel(simOf(fixtures['valid']!));
  it('optional records answering 6A83 are skipped (birth date falls back to the ssn)', async () => {
    const ch = tamper(base(), (a, r) => (/^00 B2 (02|03|04|05|0A|0B|0C|0D) /.test(a) ? h('6A83') : r));
    const info = await readCardInfo(ch);
    expect(info).toMatchObject({ cardType: '', specVersion: '', issuerCode: '', issueDate: '', sex: 'unknown' });
    expect(info).toMatchObject({ ethnicity: '', birthplace: '', birthDate: '1950-01-01', generation: 2, algorithm: '3des' });
  });
  it.each(['01', '06', '07', '08', '09'])('mandatory record %s answering 6A83 fails with CARD_SW_6A83', async (rec) => {
    const ch = tamper(base(), (a, r) => (a.startsWith(`00 B2 ${rec} `) ? h('6A83') : r));
    await expect(readCardInfo(ch)).rejects.toMatchObject({ code: 'CARD_SW_6A83', sw: 0x6a83 });
  });
  it('other status words map to CARD_SW_xxxx; 6A81 on SELECT SSSE is CARD_NOT_SSC', async () => {
    const ef = tamper(base(), (a, r) => (a === '00 A4 02 00 02 EF 06' ? h('6A82') : r));
    await expect(readCardInfo(ef)).rejects.toMatchObject({ code: 'CARD_SW_6A82' });
    const sel = tamper(base(), (a, r) => (a.startsWith('00 A4 04') ? h('6A81') : r));
    await expect(readCardInfo(sel)).rejects.toMatchObject({ code: 'CARD_NOT_SSC' });
    const odd = tamper(base(), (a, r) => (a.startsWith('00 A4 04') ? h('6283') : r));
    await expect(readCardInfo(odd)).rejects.toMatchObject({ code: 'CARD_SW_6283' });
  });
  it('SELECT SSSE answering 61xx is followed by GET RESPONSE', async () => {
    const inner = base();
    let fci = new Uint8Array(0);
    const ch = tamper(inner, (a, r) => {
      if (a.startsWith('00 A4 04')) {
        fci = r.slice(0, -2);
        return Uint8Array.from([0x61, fci.length]);
      }
      if (a === `00 C0 00 00 ${hx(Uint8Array.of(fci.length))}`) return Uint8Array.from([...fci, 0x90, 0x00]);
      return r;
    });
    expect(await readCardInfo(ch)).toEqual(VALID);
  });
  it('a record answering 6Cxx is read again with the right Le', async () => {
    const inner = base();
    const sent: string[] = [];
    const ch = tamper(inner, (a, r) => {
      sent.push(a);
      return a === '00 B2 01 04 00' ? h('6C12') : r;
    });
    expect((await readCardInfo(ch)).cardIdCode).toBe(VALID.cardIdCode);
    expect(sent).toContain('00 B2 01 04 12');
  });
  it('a record with the wrong tag is CARD_BAD_DATA', async () => {
    const ch = tamper(base(), (a, r) => (a.startsWith('00 B2 07 ') ? h('0809413132333435363738 9000') : r));
    await expect(readCardInfo(ch)).rejects.toMatchObject({ code: 'CARD_BAD_DATA' });
  });
});

describe('readCardInfo: reader errors', () => {
  const failing = (powerOn: () => Promise<Uint8Array>, transmit?: () => Promise<Uint8Array>): CardChannel => {
    const sim = chipChannel(simOf(fixtures['valid']!));
    return { powerOn, transmit: transmit ?? ((a) => sim.transmit(a)) };
  };
  it('READER_NO_ATR or an empty ATR → CARD_NO_ATR', async () => {
    await expect(readCardInfo(failing(() => Promise.reject(new CodedError('READER_NO_ATR'))))).rejects.toMatchObject({ code: 'CARD_NO_ATR' });
    await expect(readCardInfo(failing(async () => new Uint8Array(0)))).rejects.toMatchObject({ code: 'CARD_NO_ATR' });
  });
  it('READER_CARD_REMOVED → CARD_REMOVED (at power on and mid-read)', async () => {
    await expect(readCardInfo(failing(() => Promise.reject(new CodedError('READER_CARD_REMOVED'))))).rejects.toMatchObject({
      code: 'CARD_REMOVED',
    });
    const sim = simOf(fixtures['valid']!);
    let n = 0;
    const ch: CardChannel = {
      powerOn: async () => sim.powerOn()!,
      transmit: async (a) => {
        if (++n === 5) throw new CodedError('READER_CARD_REMOVED');
        return sim.transmit(a);
      },
    };
    const err = await readCardInfo(ch).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CARD_REMOVED' });
    expect((err as Error).cause).toMatchObject({ code: 'READER_CARD_REMOVED' });
  });
  it('any other reader failure → CARD_COMM', async () => {
    const ch = failing(async () => h('3B00'), () => Promise.reject(new CodedError('LINK_TIMEOUT')));
    await expect(readCardInfo(ch)).rejects.toMatchObject({ code: 'CARD_COMM' });
    const plain = failing(async () => h('3B00'), () => Promise.reject(new Error('boom')));
    await expect(readCardInfo(plain)).rejects.toMatchObject({ code: 'CARD_COMM' });
  });
});

describe('checkValidity', () => {
  it('expired card → CARD_EXPIRED; valid through the expiry day itself', async () => {
    const expired = await readCardInfo(channelOf('expired'));
    expect(() => checkValidity(expired, new Date(2025, 0, 1))).toThrow(expect.objectContaining({ code: 'CARD_EXPIRED' }));
    expect(() => checkValidity(expired, new Date(2020, 11, 31, 23, 59))).not.toThrow();
    expect(() => checkValidity(expired, new Date(2021, 0, 1, 0, 0))).toThrow(expect.objectContaining({ code: 'CARD_EXPIRED' }));
    expect(() => checkValidity(VALID, new Date(2025, 0, 1))).not.toThrow();
    expect(() => checkValidity({ ...VALID, expiryDate: '' }, new Date())).toThrow(expect.objectContaining({ code: 'CARD_BAD_DATA' }));
  });
});
