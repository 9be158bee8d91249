/** Command APDU builders for the SSC and the PSAM, and status word handling. */
import { CardError } from './card-error.js';

/** GBK bytes of `sx1.sh.社会保障`, the DF name of the social security application (SSSE). */
export const SSSE_AID = Uint8Array.from([
  0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf,
]);
export const UNIONPAY_DEBIT_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01]);
export const PSAM_AID = Uint8Array.from([0xd1, 0x56, 0x00, 0x00, 0x05, 0x90]);

export const EF05 = 0xef05;
export const EF06 = 0xef06;
export const EF0D = 0xef0d;

export interface Response {
  data: Uint8Array;
  sw: number;
}

export function splitSw(rapdu: Uint8Array): Response {
  if (rapdu.length < 2) throw new CardError('CARD_COMM', `R-APDU of ${rapdu.length} bytes has no status word`);
  const n = rapdu.length - 2;
  return { data: rapdu.slice(0, n), sw: (rapdu[n]! << 8) | rapdu[n + 1]! };
}

function apdu(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Uint8Array {
  const out = [cla, ins, p1, p2];
  if (data && data.length > 0) out.push(data.length, ...data);
  if (le !== undefined) out.push(le & 0xff);
  return Uint8Array.from(out);
}

/** `00 A4 04 00 Lc <name> [Le]`. The SSSE select is sent without Le, as in ssc-card.md. */
export function selectByName(name: Uint8Array, le?: number): Uint8Array {
  return apdu(0x00, 0xa4, 0x04, 0x00, name, le);
}

/** `00 A4 02 00 02 <fid>`: P1 = 02 (EF under the current DF); cards also accept 00. */
export function selectEf(fid: number): Uint8Array {
  return apdu(0x00, 0xa4, 0x02, 0x00, Uint8Array.from([fid >> 8, fid & 0xff]));
}

/** `00 B2 <record> <SFI<<3 | 4> <Le>`; SFI 0 = the current EF. */
export function readRecord(record: number, le = 0, sfi = 0): Uint8Array {
  return apdu(0x00, 0xb2, record, (sfi << 3) | 0x04, undefined, le);
}

export function getResponse(le: number): Uint8Array {
  return apdu(0x00, 0xc0, 0x00, 0x00, undefined, le);
}

/** `00 88 00 00 10 <factor 8><random 8>`. */
export function internalAuthenticate(factor: Uint8Array, random: Uint8Array): Uint8Array {
  return apdu(0x00, 0x88, 0x00, 0x00, Uint8Array.from([...factor, ...random]));
}

/** PSAM key usage in P1 of the diversification command. */
export const PSAM_KEY_INTERNAL_AUTH = 0x01;

/** PSAM `80 1A <usage> <algorithm id> 08 <factor>`: derive the card key for the next 80 FA. */
export function psamDiversify(usage: number, algorithmId: number, factor: Uint8Array): Uint8Array {
  return apdu(0x80, 0x1a, usage, algorithmId, factor);
}

/** PSAM `80 FA 00 00 08 <data>`: encrypt under the diversified key (answer via GET RESPONSE). */
export function psamEncrypt(data: Uint8Array): Uint8Array {
  return apdu(0x80, 0xfa, 0x00, 0x00, data);
}
