import type { SimChip } from '../../../drivers/card-reader/sim/chip-interface.js';

export const FAKE_ATR = Uint8Array.from([0x3b, 0x6c, 0x00, 0x02, 0x86, 0x38, 0x31, 0x32, 0x33]);
export const SELECT_SSSE = Uint8Array.from([
  0x00, 0xa4, 0x04, 0x00, 0x0f, 0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf,
]);

/** A chip that knows one APDU (SELECT of the social security application) and records the rest. */
export class FakeChip implements SimChip {
  powered = false;
  readonly seen: Uint8Array[] = [];
  constructor(
    readonly label: string,
    private readonly atr: Uint8Array | null = FAKE_ATR,
  ) {}

  powerOn(): Uint8Array | null {
    if (!this.atr) return null;
    this.powered = true;
    return this.atr;
  }

  powerOff(): void {
    this.powered = false;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    this.seen.push(apdu.slice());
    if (Buffer.from(apdu).equals(Buffer.from(SELECT_SSSE))) return Uint8Array.of(0x90, 0x00);
    if (apdu[1] === 0x84) return Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00);
    return Uint8Array.of(0x6a, 0x82);
  }
}
