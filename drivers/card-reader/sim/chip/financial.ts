/**
 * The UnionPay debit application on the same chip, kept to what a host needs to find the bank
 * account: SELECT answers an FCI, GET PROCESSING OPTIONS a fixed format-1 answer, and READ RECORD
 * SFI 1 record 1 carries the PAN (5A) and the expiry (5F24). Payments come in a later issue.
 */
import type { ResolvedCardProfile } from '../card-profile.js';
import { type CommandApdu, SW, respond, respondWithLe } from './apdu.js';

export const UNIONPAY_DEBIT_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01]);

export type Financial = Exclude<ResolvedCardProfile['financial'], false>;

function tlv(tag: number[], value: Uint8Array | number[]): number[] {
  const v = Array.from(value);
  return [...tag, v.length, ...v];
}

export function unionPayFci(): Uint8Array {
  const label = Array.from(Buffer.from('UnionPay Debit', 'ascii'));
  const a5 = [...tlv([0x50], label), ...tlv([0x87], [0x01])];
  return Uint8Array.from(tlv([0x6f], [...tlv([0x84], UNIONPAY_DEBIT_AID), ...tlv([0xa5], a5)]));
}

/** 5F24 is YYMMDD: the card is valid through the last day of its YYMM month. */
function expiryYymmdd(yymm: string): string {
  const yy = Number(yymm.slice(0, 2));
  const mm = Number(yymm.slice(2, 4));
  const lastDay = new Date(Date.UTC(2000 + yy, mm, 0)).getUTCDate();
  return `${yymm}${String(lastDay).padStart(2, '0')}`;
}

export function financialRecord(f: Financial): Uint8Array {
  const pan = f.pan.length % 2 ? `${f.pan}F` : f.pan;
  const body = [...tlv([0x5a], Buffer.from(pan, 'hex')), ...tlv([0x5f, 0x24], Buffer.from(expiryYymmdd(f.expiry), 'hex'))];
  return Uint8Array.from(tlv([0x70], body));
}

/** Commands while the UnionPay application is selected; null = not handled here. */
export function financialCommand(cmd: CommandApdu, f: Financial): Uint8Array | null {
  if (cmd.cla === 0x80 && cmd.ins === 0xa8) {
    // Format 1: AIP 1800 (SDA + cardholder verification), AFL = SFI 1, records 1..1.
    return respondWithLe(cmd, Uint8Array.from([0x80, 0x06, 0x18, 0x00, 0x08, 0x01, 0x01, 0x00]));
  }
  if (cmd.cla === 0x00 && cmd.ins === 0xb2) {
    if ((cmd.p2 & 0x07) !== 0x04) return respond(SW.WRONG_P1P2);
    if (cmd.p2 >> 3 !== 1 || cmd.p1 !== 1) return respond(SW.RECORD_NOT_FOUND);
    return respondWithLe(cmd, financialRecord(f));
  }
  return null;
}
