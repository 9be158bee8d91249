import type { SimChip } from '../../../drivers/card-reader/sim/chip/index.js';
import type { CardChannel } from '../../../kiosk/card/index.js';

export const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const hx = (b: Uint8Array): string =>
  Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

export class CodedError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** A channel over a simulated chip, as the reader driver would present it; records the APDUs. */
export function chipChannel(chip: SimChip): CardChannel & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async powerOn() {
      const atr = chip.powerOn();
      if (!atr) throw new CodedError('READER_NO_ATR');
      return atr;
    },
    async transmit(apdu) {
      sent.push(hx(apdu));
      return chip.transmit(apdu);
    },
  };
}

/** A PSAM port over a simulated PSAM, powered on. */
export function psamPort(psam: SimChip): { transmit(apdu: Uint8Array): Promise<Uint8Array>; sent: string[] } {
  psam.powerOn();
  const sent: string[] = [];
  return {
    sent,
    async transmit(apdu) {
      sent.push(hx(apdu));
      return psam.transmit(apdu);
    },
  };
}
