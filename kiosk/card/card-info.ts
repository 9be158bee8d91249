/** What the host knows about a card after reading EF05/EF06 (dates as YYYY-MM-DD). */
export interface CardInfo {
  /** 卡识别码: region code + D156000005 + serial (hex digits as printed on the chip). */
  cardIdCode: string;
  regionCode: string;
  cardType: string;
  specVersion: string;
  issuerCode: string;
  issueDate: string;
  expiryDate: string;
  cardNumber: string;
  ssn: string;
  name: string;
  sex: 'male' | 'female' | 'unknown';
  ethnicity: string;
  birthDate: string;
  /** ATR historical bytes, hex (the national interface returns them). */
  atrHistorical: string;
  /** 出生地 region code (EF06 record 0C); '' when the card does not carry it. */
  birthplace?: string;
  /** Card generation, from the spec version (3.xx → 3). Always set by readCardInfo. */
  generation?: 2 | 3;
  /**
   * Authentication algorithm: the FCI's `9F0C 03 86 01 XX` (01 → 3DES, 04 → SM4), else by
   * generation. Always set by readCardInfo; authenticateCard falls back to the generation.
   */
  algorithm?: '3des' | 'sm4';
}
