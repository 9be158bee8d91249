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
}
