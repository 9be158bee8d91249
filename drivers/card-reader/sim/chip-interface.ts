export interface SimChip {
  readonly label: string;
  /** ATR, or null when the chip does not answer reset (damaged card). */
  powerOn(): Uint8Array | null;
  powerOff(): void;
  /** C-APDU → R-APDU (data + SW1 SW2). */
  transmit(apdu: Uint8Array): Uint8Array;
}
