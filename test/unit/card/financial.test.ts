import { describe, expect, it } from 'vitest';
import { type CardProfile, resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { DEMO_KEYS, createSimCard } from '../../../drivers/card-reader/sim/chip/index.js';
import { readFinancialAccount } from '../../../kiosk/card/financial.js';
import { type CardChannel, CardError, presentPinCommand, readCardInfo } from '../../../kiosk/card/index.js';
import { verifyApdu } from '../../../drivers/pinpad/crypto.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';
import { CodedError, chipChannel, h, hx } from './helpers.js';

const fixtures = loadFixtureCards();
const SELECT_UNIONPAY = '00 A4 04 00 08 A0 00 00 03 33 01 01 01 00';
const GPO = '80 A8 00 00 02 83 00 00';
const READ_SFI1_REC1 = '00 B2 01 0C 00';
const SELECT_SSSE = '00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF';

function simChannel(p: CardProfile) {
  const chip = createSimCard(resolveCardProfile(p), DEMO_KEYS);
  chip.powerOn();
  return chipChannel(chip);
}

async function cardError(p: Promise<unknown>): Promise<CardError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CardError);
  return e as CardError;
}

/** Rewrites the answer to commands whose hex starts with `prefix`; everything else passes through. */
function rewrite(inner: CardChannel & { sent: string[] }, prefix: string, answer: string): CardChannel & { sent: string[] } {
  return {
    sent: inner.sent,
    powerOn: () => inner.powerOn(),
    async transmit(apdu) {
      const real = await inner.transmit(apdu);
      return hx(apdu).startsWith(prefix) ? h(answer) : real;
    },
  };
}

describe('readFinancialAccount through the simulated chip', () => {
  it('valid-gen3 (李秀英): PAN and YYMM expiry, the exact APDU sequence, SSSE selected again', async () => {
    const ch = simChannel(fixtures['valid-gen3']!);
    expect(await readFinancialAccount(ch)).toEqual({ pan: '6217002330012345671', expiry: '3306' });
    expect(ch.sent).toEqual([SELECT_UNIONPAY, GPO, READ_SFI1_REC1, SELECT_SSSE]);
  });

  it('the default card: 19-digit PAN (F-padded BCD), expiry 3012', async () => {
    expect(await readFinancialAccount(simChannel(fixtures.valid!))).toEqual({ pan: '6217000010012345678', expiry: '3012' });
  });

  it('even-length PAN, 30-day month', async () => {
    expect(await readFinancialAccount(simChannel({ financial: { pan: '6217000010012345', expiry: '2906' } }))).toEqual({
      pan: '6217000010012345',
      expiry: '2906',
    });
  });

  it('afterwards the social security application answers as before (EF reads, VERIFY)', async () => {
    const chip = createSimCard(resolveCardProfile(fixtures.valid!), DEMO_KEYS);
    const ch = chipChannel(chip);
    const info = await readCardInfo(ch);
    await readFinancialAccount(ch);
    expect(hx(await ch.transmit(h('00 A4 02 00 02 EF 05')))).toBe('90 00');
    await expect(presentPinCommand(ch, verifyApdu('123456'))).resolves.toBeUndefined();
    expect(info.cardNumber).toBe('A12345678');
  });

  it('a card without the debit application: CARD_NO_FINANCIAL, and SSSE is selected again', async () => {
    const ch = simChannel({ financial: false });
    const e = await cardError(readFinancialAccount(ch));
    expect(e.code).toBe('CARD_NO_FINANCIAL');
    expect(e.sw).toBe(0x6a82);
    expect(ch.sent).toEqual([SELECT_UNIONPAY, SELECT_SSSE]);
  });

  it('a bank-only card (no SSSE): the account is read; there is nothing to re-select', async () => {
    const ch = simChannel(fixtures['bank-only']!);
    expect(await readFinancialAccount(ch)).toEqual({ pan: '6217000010012345678', expiry: '3012' });
    expect(ch.sent.at(-1)).toBe(SELECT_SSSE);
  });

  it('a blocked application (6283) and a GPO refusal (6985) are CARD_NO_FINANCIAL too', async () => {
    const blocked = rewrite(simChannel({}), '00 A4 04 00 08', '62 83');
    expect((await cardError(readFinancialAccount(blocked))).code).toBe('CARD_NO_FINANCIAL');
    const refused = rewrite(simChannel({}), '80 A8', '69 85');
    expect((await cardError(readFinancialAccount(refused))).code).toBe('CARD_NO_FINANCIAL');
    expect(refused.sent.at(-1)).toBe(SELECT_SSSE);
  });

  it('a GPO answer in format 2 (77 … 94 AFL) is followed the same way', async () => {
    const ch = rewrite(simChannel({}), '80 A8', '77 0A 82 02 18 00 94 04 08 01 01 00 90 00');
    expect(await readFinancialAccount(ch)).toEqual({ pan: '6217000010012345678', expiry: '3012' });
    expect(ch.sent).toContain(READ_SFI1_REC1);
  });

  it('a PDOL in the FCI: the GPO carries zeros of the requested lengths', async () => {
    // FCI with PDOL 9F38 06: 9F66 04 (TTQ), 9F02 06 (amount) → 10 bytes of data.
    const fci = '6F 15 84 08 A0 00 00 03 33 01 01 01 A5 09 9F 38 06 9F 66 04 9F 02 06 90 00';
    const inner = simChannel({});
    const ch: CardChannel & { sent: string[] } = {
      sent: inner.sent,
      powerOn: () => inner.powerOn(),
      async transmit(apdu) {
        const s = hx(apdu);
        if (s === SELECT_UNIONPAY) {
          await inner.transmit(apdu);
          return h(fci);
        }
        // The simulated application ignores the PDOL data; pass the GPO on in its plain form.
        if (s.startsWith('80 A8')) {
          inner.sent.push(s);
          return inner.transmit(h(GPO));
        }
        return inner.transmit(apdu);
      },
    };
    expect(await readFinancialAccount(ch)).toEqual({ pan: '6217000010012345678', expiry: '3012' });
    expect(ch.sent).toContain('80 A8 00 00 0C 83 0A 00 00 00 00 00 00 00 00 00 00 00');
  });

  it('records without 5A / 5F24: the Track 2 equivalent (57) stands in; with nothing at all, CARD_BAD_DATA', async () => {
    const track2 = rewrite(simChannel({}), '00 B2', '70 0D 57 0B 62 17 00 00 10 01 23 45 D3 01 22 90 00');
    expect(await readFinancialAccount(track2)).toEqual({ pan: '6217000010012345', expiry: '3012' });
    const empty = rewrite(simChannel({}), '00 B2', '70 03 9F 08 00 90 00');
    expect((await cardError(readFinancialAccount(empty))).code).toBe('CARD_BAD_DATA');
    const garbage = rewrite(simChannel({}), '00 B2', '70 0A 5A 02 12 3F 5F 24 03 30 12 31 90 00');
    expect((await cardError(readFinancialAccount(garbage))).code).toBe('CARD_BAD_DATA');
  });

  it('a card pulled out mid-read is CARD_REMOVED, without a re-select attempt', async () => {
    const inner = simChannel({});
    const ch: CardChannel & { sent: string[] } = {
      sent: inner.sent,
      powerOn: () => inner.powerOn(),
      async transmit(apdu) {
        if (hx(apdu).startsWith('80 A8')) throw new CodedError('READER_CARD_REMOVED');
        return inner.transmit(apdu);
      },
    };
    expect((await cardError(readFinancialAccount(ch))).code).toBe('CARD_REMOVED');
    expect(ch.sent).toEqual([SELECT_UNIONPAY]);
  });
});
