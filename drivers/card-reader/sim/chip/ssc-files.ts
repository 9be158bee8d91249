/**
 * The SSSE application's elementary files, built once from a resolved card profile. Each record
 * is stored as its value only; the card adds `<tag><length>` when it answers READ RECORD.
 */
import type { ResolvedCardProfile } from '../card-profile.js';
import { encodeAn, encodeCn, splitGbk } from './codec.js';

export const EF_CARD = 0xef05;
export const EF_HOLDER = 0xef06;
export const EF_EXTRA = 0xef0d;

/** 卡类别: the spec gives no list; "1" (social security card) is our documented choice. */
export const CARD_TYPE = '1';
/** The national application-provider part of the card identification code. */
export const RID_PART = 'D156000005';

export type RecordMap = ReadonlyMap<number, Uint8Array>;

export interface SscFiles {
  readonly cardIdCode: string;
  readonly files: ReadonlyMap<number, RecordMap>;
}

export function cardIdCodeOf(p: ResolvedCardProfile): string {
  return `${p.region}${RID_PART}${p.serial}`;
}

export function buildSscFiles(p: ResolvedCardProfile): SscFiles {
  const cardIdCode = cardIdCodeOf(p);
  const ef05 = new Map<number, Uint8Array>([
    [0x01, encodeCn(cardIdCode, 16)],
    [0x02, encodeAn(CARD_TYPE, 1)],
    [0x03, encodeAn(p.specVersion, 4)],
    // The initializing organization: region code + six zeros (the real numbering is not public).
    [0x04, encodeCn(`${p.region}000000`, 12)],
    [0x05, encodeCn(p.issueDate, 4)],
    [0x06, encodeCn(p.expiry, 4)],
    [0x07, encodeAn(p.cardNumber, 9)],
  ]);
  // A generation-2 card has no 4E: a name beyond 30 GBK bytes is truncated, as on real cards.
  const [nameHead, nameRest] = splitGbk(p.name, 30);
  const ef06 = new Map<number, Uint8Array>([
    [0x08, encodeAn(p.ssn, 18)],
    [0x09, padTo(nameHead, 30)],
    [0x0a, encodeAn(p.sex, 1)],
    [0x0b, encodeCn(p.ethnicity, 1)],
    [0x0c, encodeCn(p.ssn.slice(0, 6), 3)],
    [0x0d, encodeCn(p.birthDate, 4)],
  ]);
  if (p.generation === 3) ef06.set(0x4e, encodeAn(nameRest, 20));
  const ef0d = new Map<number, Uint8Array>([
    [0xea, encodeAn(`${p.region}${p.serial.slice(-6)}`, 12)],
    [0xeb, encodeCn(p.region, 3)],
  ]);
  return {
    cardIdCode,
    files: new Map([
      [EF_CARD, ef05],
      [EF_HOLDER, ef06],
      [EF_EXTRA, ef0d],
    ]),
  };
}

function padTo(b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  out.set(b.subarray(0, n), 0);
  return out;
}
