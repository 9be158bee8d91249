import { describe, expect, it } from 'vitest';
import { type CardProfile, resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { DEMO_KEYS, type SimKeySet, createSimCard, createSimPsam } from '../../../drivers/card-reader/sim/chip/index.js';
import { authenticateCard, readCardInfo } from '../../../kiosk/card/index.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';
import { CodedError, chipChannel, h, psamPort } from './helpers.js';

const fixtures = loadFixtureCards();
const RANDOM = h('0011223344556677');

async function setup(p: CardProfile, psamKeys: SimKeySet = DEMO_KEYS) {
  const channel = chipChannel(createSimCard(resolveCardProfile(p), DEMO_KEYS));
  const info = await readCardInfo(channel);
  channel.sent.length = 0;
  return { channel, info, psam: psamPort(createSimPsam(psamKeys)) };
}

describe('authenticateCard (internal authentication with the PSAM)', () => {
  it('genuine gen-2 card (3DES): resolves, with the exact PSAM dialogue', async () => {
    const { channel, info, psam } = await setup(fixtures['valid']!);
    await expect(authenticateCard(channel, psam, info, { random: RANDOM })).resolves.toBeUndefined();
    expect(psam.sent).toEqual([
      '00 A4 04 00 06 D1 56 00 00 05 90',
      '80 1A 01 01 08 56 00 00 05 00 10 11 23',
      '80 FA 00 00 08 00 11 22 33 44 55 66 77',
      '00 C0 00 00 08',
    ]);
    expect(channel.sent).toEqual([
      '00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF',
      '00 88 00 00 10 56 00 00 05 00 10 11 23 00 11 22 33 44 55 66 77',
    ]);
  });
  it('genuine gen-3 card (SM4): resolves, PSAM told algorithm 04', async () => {
    const { channel, info, psam } = await setup(fixtures['valid-gen3']!);
    await expect(authenticateCard(channel, psam, info)).resolves.toBeUndefined();
    expect(psam.sent[1]).toBe('80 1A 01 04 08 56 00 00 05 99 11 01 45');
  });
  it('long-name gen-3 card authenticates too', async () => {
    const { channel, info, psam } = await setup(fixtures['long-name']!);
    await expect(authenticateCard(channel, psam, info)).resolves.toBeUndefined();
  });
  it.each([
    ['3DES', fixtures['not-genuine']!],
    ['SM4', { ...fixtures['not-genuine']!, generation: 3 as const }],
  ])('not-genuine card (%s) → CARD_NOT_GENUINE', async (_alg, profile) => {
    const { channel, info, psam } = await setup(profile);
    await expect(authenticateCard(channel, psam, info)).rejects.toMatchObject({ code: 'CARD_NOT_GENUINE' });
  });
  it('a PSAM of another issuer (other master keys) → CARD_NOT_GENUINE', async () => {
    const other: SimKeySet = {
      des3: { internalAuth: h('00112233445566778899AABBCCDDEEFF'), externalAuth: DEMO_KEYS.des3.externalAuth },
      sm4: DEMO_KEYS.sm4,
    };
    const { channel, info, psam } = await setup(fixtures['valid']!, other);
    await expect(authenticateCard(channel, psam, info)).rejects.toMatchObject({ code: 'CARD_NOT_GENUINE' });
  });
  it('falls back to the spec version when CardInfo has no algorithm', async () => {
    const { channel, info, psam } = await setup(fixtures['valid-gen3']!);
    const { algorithm: _a, generation: _g, ...bare } = info;
    await expect(authenticateCard(channel, psam, bare)).resolves.toBeUndefined();
  });
});

describe('authenticateCard: PSAM and card failures', () => {
  it('no PSAM (READER_PSAM_ABSENT) → PSAM_ABSENT, and the card is not asked', async () => {
    const { channel, info } = await setup(fixtures['valid']!);
    const psam = { transmit: () => Promise.reject(new CodedError('READER_PSAM_ABSENT')) };
    await expect(authenticateCard(channel, psam, info)).rejects.toMatchObject({ code: 'PSAM_ABSENT' });
    expect(channel.sent).toEqual([]);
  });
  it('PSAM link failure or refusal → PSAM_FAILED', async () => {
    const { channel, info } = await setup(fixtures['valid']!);
    const broken = { transmit: () => Promise.reject(new CodedError('LINK_TIMEOUT')) };
    await expect(authenticateCard(channel, broken, info)).rejects.toMatchObject({ code: 'PSAM_FAILED' });
    const wrongPsam = { transmit: async () => h('6A82') };
    await expect(authenticateCard(channel, wrongPsam, info)).rejects.toMatchObject({ code: 'PSAM_FAILED', sw: 0x6a82 });
    const unpowered = { transmit: (a: Uint8Array) => Promise.resolve(createSimPsam(DEMO_KEYS).transmit(a)) };
    await expect(authenticateCard(channel, unpowered, info)).rejects.toMatchObject({ code: 'PSAM_FAILED', sw: 0x6f00 });
  });
  it('card removed during INTERNAL AUTHENTICATE → CARD_REMOVED', async () => {
    const { info, psam } = await setup(fixtures['valid']!);
    const sim = createSimCard(resolveCardProfile(fixtures['valid']!), DEMO_KEYS);
    sim.powerOn();
    const channel = {
      powerOn: async () => sim.powerOn()!,
      transmit: async (a: Uint8Array) => {
        if (a[1] === 0x88) throw new CodedError('READER_CARD_REMOVED');
        return sim.transmit(a);
      },
    };
    await expect(authenticateCard(channel, psam, info)).rejects.toMatchObject({ code: 'CARD_REMOVED' });
  });
  it('a card refusing INTERNAL AUTHENTICATE → CARD_SW_xxxx', async () => {
    const { info, psam } = await setup(fixtures['valid']!);
    const sim = createSimCard(resolveCardProfile(fixtures['valid']!), DEMO_KEYS);
    sim.powerOn();
    const channel = {
      powerOn: async () => sim.powerOn()!,
      transmit: async (a: Uint8Array) => (a[1] === 0x88 ? h('6D00') : sim.transmit(a)),
    };
    await expect(authenticateCard(channel, psam, info)).rejects.toMatchObject({ code: 'CARD_SW_6D00' });
  });
});
