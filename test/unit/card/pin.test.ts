import { describe, expect, it } from 'vitest';
import { presentPinCommand, PinError } from '../../../kiosk/card/pin.js';

const answering = (hex: string) => {
  const sent: string[] = [];
  return {
    sent,
    transmit: async (a: Uint8Array) => {
      sent.push(Buffer.from(a).toString('hex'));
      return Uint8Array.from(Buffer.from(hex, 'hex'));
    },
  };
};

describe('presentPinCommand', () => {
  it('sends the pad-built VERIFY once and zeroes it', async () => {
    const card = answering('9000');
    const apdu = Uint8Array.from(Buffer.from('0020000003123456', 'hex'));
    await presentPinCommand(card, apdu);
    expect(card.sent).toEqual(['0020000003123456']);
    expect([...apdu].every((b) => b === 0)).toBe(true);
  });

  it('maps 63Cx to PIN_WRONG with tries left, 63C0 and 6983 to PIN_LOCKED', async () => {
    const wrong = await presentPinCommand(answering('63C2'), new Uint8Array(8)).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(PinError);
    expect((wrong as PinError).code).toBe('PIN_WRONG');
    expect((wrong as PinError).triesLeft).toBe(2);
    await expect(presentPinCommand(answering('63C0'), new Uint8Array(8))).rejects.toMatchObject({ code: 'PIN_LOCKED' });
    await expect(presentPinCommand(answering('6983'), new Uint8Array(8))).rejects.toMatchObject({ code: 'PIN_LOCKED' });
    await expect(presentPinCommand(answering('6A82'), new Uint8Array(8))).rejects.toMatchObject({ code: 'CARD_SW_6A82' });
  });

  it('zeroes the command even when the reader fails', async () => {
    const apdu = Uint8Array.from([0, 0x20, 0, 0, 3, 0x12, 0x34, 0x56]);
    const failing = { transmit: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'READER_CARD_REMOVED' })) };
    await expect(presentPinCommand(failing, apdu)).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect([...apdu].every((b) => b === 0)).toBe(true);
  });
});
