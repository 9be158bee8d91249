/**
 * Reading the social security application: power on, SELECT SSSE, EF05 records 01–07, EF06
 * records 08, 09, (4E on 3.xx cards), 0A–0D. Optional records answering 6A83 are skipped; the
 * records a flow cannot work without (01, 06, 07, 08, 09) fail the read.
 */
import { EF05, EF06, type Response, readRecord, selectByName, selectEf, SSSE_AID } from './apdu.js';
import { atrHistoricalBytes } from './atr.js';
import { bcdDate, unpackBcd } from './bcd.js';
import { CardError, cardSwError, mapCardChannelError } from './card-error.js';
import type { CardInfo } from './card-info.js';
import { type CardChannel, exchange } from './channel.js';
import { decodeAn } from './text.js';
import { findTag, parseSscRecord } from './tlv.js';

const MANDATORY = new Set([0x01, 0x06, 0x07, 0x08, 0x09]);
const ALGORITHM_BY_ID: ReadonlyMap<number, '3des' | 'sm4'> = new Map([
  [0x01, '3des'],
  [0x04, 'sm4'],
]);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const recName = (r: number) => `record ${r.toString(16).toUpperCase().padStart(2, '0')}`;

function send(channel: CardChannel, command: Uint8Array): Promise<Response> {
  return exchange(channel, command, mapCardChannelError);
}

export async function powerOnCard(channel: CardChannel): Promise<Uint8Array> {
  let atr: Uint8Array;
  try {
    atr = await channel.powerOn();
  } catch (err) {
    throw mapCardChannelError(err);
  }
  if (atr.length === 0) throw new CardError('CARD_NO_ATR', 'the card answered reset with an empty ATR');
  return atr;
}

/** SELECT SSSE; resolves with the FCI. 6A82/6A81 mean the chip has no social security application. */
export async function selectSsse(channel: CardChannel): Promise<Uint8Array> {
  const r = await send(channel, selectByName(SSSE_AID));
  if (r.sw === 0x6a82 || r.sw === 0x6a81) {
    throw new CardError('CARD_NOT_SSC', 'no social security application on this card (bank-only card?)', { sw: r.sw });
  }
  if (r.sw !== 0x9000) throw cardSwError(r.sw, 'SELECT SSSE');
  return r.data;
}

export async function selectFile(channel: CardChannel, fid: number): Promise<void> {
  const r = await send(channel, selectEf(fid));
  if (r.sw !== 0x9000) throw cardSwError(r.sw, `SELECT ${fid.toString(16).toUpperCase()}`);
}

/** One record's value; undefined for an absent optional record. */
async function read(channel: CardChannel, record: number): Promise<Uint8Array | undefined> {
  const r = await send(channel, readRecord(record));
  if (r.sw === 0x6a83 && !MANDATORY.has(record)) return undefined;
  if (r.sw !== 0x9000) throw cardSwError(r.sw, `READ ${recName(record)}`);
  return parseSscRecord(r.data, record);
}

export async function readAll(channel: CardChannel, records: number[]): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  for (const rec of records) {
    const v = await read(channel, rec);
    if (v) out.set(rec, v);
  }
  return out;
}

export function algorithmFromFci(fci: Uint8Array): '3des' | 'sm4' | undefined {
  try {
    const v = findTag(fci, 0x9f0c);
    // 9F0C carries `86 01 XX`: XX is the algorithm identifier.
    return v && v.length >= 3 && v[0] === 0x86 ? ALGORITHM_BY_ID.get(v[2]!) : undefined;
  } catch {
    return undefined; // an odd FCI must not make a readable card unusable
  }
}

function mandatoryDate(v: Uint8Array | undefined, what: string): string {
  const d = v && bcdDate(v);
  if (!d) throw new CardError('CARD_BAD_DATA', `${what} is not a date`);
  return d;
}

function mandatoryText(v: Uint8Array | undefined, what: string): string {
  const t = v ? decodeAn(v) : '';
  if (!t) throw new CardError('CARD_BAD_DATA', `${what} is empty`);
  return t;
}

function sexOf(v: Uint8Array | undefined): CardInfo['sex'] {
  const s = v ? decodeAn(v) : '';
  return s === '1' ? 'male' : s === '2' ? 'female' : 'unknown';
}

export async function readCardInfo(channel: CardChannel): Promise<CardInfo> {
  const atr = await powerOnCard(channel);
  const fci = await selectSsse(channel);
  await selectFile(channel, EF05);
  const card = await readAll(channel, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
  const specVersion = card.has(0x03) ? decodeAn(card.get(0x03)!) : '';
  const generation: 2 | 3 = specVersion.startsWith('3') ? 3 : 2;
  await selectFile(channel, EF06);
  const holderRecords = [0x08, 0x09, ...(generation === 3 ? [0x4e] : []), 0x0a, 0x0b, 0x0c, 0x0d];
  const holder = await readAll(channel, holderRecords);

  const cardIdCode = unpackBcd(card.get(0x01)!);
  if (!/^\d{6}[0-9A-F]{10,}$/.test(cardIdCode)) throw new CardError('CARD_BAD_DATA', 'card identification code does not decode');
  const ssn = mandatoryText(holder.get(0x08), 'social security number');
  const nameTail = holder.get(0x4e);
  const name = mandatoryText(holder.get(0x09), 'name') + (nameTail ? decodeAn(nameTail) : '');
  const opt = (m: Map<number, Uint8Array>, rec: number, f: (b: Uint8Array) => string | null) => {
    const v = m.get(rec);
    return (v && f(v)) || '';
  };
  const historical = atrHistoricalBytes(atr);
  return {
    cardIdCode,
    regionCode: cardIdCode.slice(0, 6),
    cardType: opt(card, 0x02, decodeAn),
    specVersion,
    issuerCode: opt(card, 0x04, unpackBcd),
    issueDate: opt(card, 0x05, bcdDate),
    expiryDate: mandatoryDate(card.get(0x06), 'expiry date'),
    cardNumber: mandatoryText(card.get(0x07), 'card number'),
    ssn,
    name,
    sex: sexOf(holder.get(0x0a)),
    ethnicity: opt(holder, 0x0b, unpackBcd),
    // The citizen ID number encodes the birth date, so a card without record 0D still has one.
    birthDate: opt(holder, 0x0d, bcdDate) || ssnBirthDate(ssn),
    atrHistorical: historical ? hex(historical) : '',
    birthplace: opt(holder, 0x0c, unpackBcd),
    generation,
    algorithm: algorithmFromFci(fci) ?? (generation === 3 ? 'sm4' : '3des'),
  };
}

function ssnBirthDate(ssn: string): string {
  const d = ssn.slice(6, 14);
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '';
}
