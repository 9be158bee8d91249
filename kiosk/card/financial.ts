/**
 * The card's bank account, read from the UnionPay debit application on the same chip (ssc-card.md,
 * "Other applications on the same chip"): SELECT the application, GET PROCESSING OPTIONS, READ
 * RECORD along the AFL, PAN from tag 5A and expiry from 5F24. Only what a debit request needs: no
 * offline data authentication, no cardholder verification (online PIN goes to the bank as a PIN
 * block, never as a VERIFY to this application).
 *
 * Afterwards the social security application is selected again: VERIFY / CHANGE PIN and EF reads
 * are sent without a SELECT of their own, and would otherwise land in the debit application.
 */
import { readRecord, selectByName, UNIONPAY_DEBIT_AID, type Response } from './apdu.js';
import { unpackBcd } from './bcd.js';
import { CardError, cardSwError, mapCardChannelError } from './card-error.js';
import { type CardChannel, exchange } from './channel.js';
import { selectSsse } from './read-card.js';
import { findTag, parseTlv } from './tlv.js';

export interface FinancialAccount {
  /** Primary account number, 13–19 digits. */
  pan: string;
  /** YYMM: the application expires after the last day of that month. */
  expiry: string;
}

/** Records read along the AFL at most: a confused card must not keep the reader busy. */
const MAX_RECORDS = 16;

function send(channel: CardChannel, command: Uint8Array): Promise<Response> {
  return exchange(channel, command, mapCardChannelError);
}

const cannotPay = (message: string, sw?: number) => new CardError('CARD_NO_FINANCIAL', message, sw === undefined ? undefined : { sw });

/**
 * The PDOL's data: the terminal sends zeros of each requested length. Enough for a contact debit
 * application to hand out its records; the values only matter to the cryptogram, which this read
 * never asks for.
 */
function pdolData(fci: Uint8Array): Uint8Array {
  let dol: Uint8Array | undefined;
  try {
    dol = findTag(fci, 0x9f38);
  } catch {
    dol = undefined;
  }
  if (!dol) return new Uint8Array(0);
  let total = 0;
  for (let i = 0; i < dol.length; ) {
    // A DOL entry is a BER tag (more bytes follow while b8 is set) and a one-byte length.
    const first = dol[i++]!;
    if ((first & 0x1f) === 0x1f) {
      let more = true;
      while (more && i < dol.length) more = (dol[i++]! & 0x80) !== 0;
    }
    total += dol[i++] ?? 0;
  }
  // The whole template must fit a short APDU (Lc ≤ 255 with the 83 tag and length).
  if (total > 250) throw new CardError('CARD_BAD_DATA', `PDOL asks for ${total} bytes`);
  return new Uint8Array(total);
}

/** `80 A8 00 00 Lc 83 L <PDOL data> 00`. */
function gpoCommand(data: Uint8Array): Uint8Array {
  const template = [0x83, data.length, ...data];
  return Uint8Array.from([0x80, 0xa8, 0x00, 0x00, template.length, ...template, 0x00]);
}

/** The AFL from a GPO answer: format 1 (`80`: AIP ‖ AFL) or format 2 (`77` with `94`). */
function aflOf(gpo: Uint8Array): Uint8Array {
  const top = parseTlv(gpo)[0];
  let afl: Uint8Array | undefined;
  if (top?.tag === 0x80) afl = top.value.slice(2);
  else if (top?.tag === 0x77) afl = findTag(top.value, 0x94);
  if (!afl || afl.length === 0 || afl.length % 4 !== 0) throw new CardError('CARD_BAD_DATA', 'GET PROCESSING OPTIONS: no usable AFL');
  return afl;
}

/** (sfi, record) pairs in AFL order. */
function aflRecords(afl: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < afl.length; i += 4) {
    const sfi = afl[i]! >> 3;
    const first = afl[i + 1]!;
    const last = afl[i + 2]!;
    if (sfi < 1 || sfi > 30 || first < 1 || last < first) throw new CardError('CARD_BAD_DATA', 'AFL entry does not decode');
    for (let r = first; r <= last; r++) out.push([sfi, r]);
  }
  return out;
}

function panOf(v: Uint8Array): string {
  const pan = unpackBcd(v);
  if (!/^\d{13,19}$/.test(pan)) throw new CardError('CARD_BAD_DATA', 'account number (5A) does not decode');
  return pan;
}

/** 5F24 is YYMMDD (the last valid day); the debit request wants YYMM. */
function expiryOf(v: Uint8Array): string {
  const d = unpackBcd(v);
  if (!/^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(d)) throw new CardError('CARD_BAD_DATA', 'application expiry (5F24) does not decode');
  return d.slice(0, 4);
}

/** Track 2 equivalent (57): `PAN D YYMM …`, used when a card leaves 5A or 5F24 out of its records. */
function fromTrack2(v: Uint8Array): Partial<FinancialAccount> {
  const m = /^(\d{13,19})D(\d{4})/.exec(Buffer.from(v).toString('hex').toUpperCase());
  return m ? { pan: m[1]!, expiry: m[2]! } : {};
}

async function readAccount(channel: CardChannel): Promise<FinancialAccount> {
  const sel = await send(channel, selectByName(UNIONPAY_DEBIT_AID, 0x00));
  // 6A82 / 6A81: no such application. 6283: the application is blocked. Either way it cannot pay.
  if (sel.sw === 0x6a82 || sel.sw === 0x6a81) throw cannotPay('no UnionPay debit application on this card', sel.sw);
  if (sel.sw === 0x6283) throw cannotPay('the UnionPay debit application is blocked', sel.sw);
  if (sel.sw !== 0x9000) throw cardSwError(sel.sw, 'SELECT UnionPay debit');

  const gpo = await send(channel, gpoCommand(pdolData(sel.data)));
  // 6985: "conditions of use not satisfied" — the card will not transact at this terminal.
  if (gpo.sw === 0x6985) throw cannotPay('the debit application refuses this terminal (6985)', gpo.sw);
  if (gpo.sw !== 0x9000) throw cardSwError(gpo.sw, 'GET PROCESSING OPTIONS');

  const found: Partial<FinancialAccount> = {};
  let track2: Partial<FinancialAccount> = {};
  for (const [sfi, rec] of aflRecords(aflOf(gpo.data)).slice(0, MAX_RECORDS)) {
    const r = await send(channel, readRecord(rec, 0x00, sfi));
    if (r.sw !== 0x9000) throw cardSwError(r.sw, `READ RECORD SFI ${sfi} record ${rec}`);
    const body = findTag(r.data, 0x70);
    if (!body) throw new CardError('CARD_BAD_DATA', `SFI ${sfi} record ${rec} is not a 70 template`);
    const pan = findTag(body, 0x5a);
    const exp = findTag(body, 0x5f24);
    const t2 = findTag(body, 0x57);
    if (pan) found.pan = panOf(pan);
    if (exp) found.expiry = expiryOf(exp);
    if (t2) track2 = fromTrack2(t2);
    // Stop as soon as both are known: every record costs time at 9600 baud.
    if (found.pan && found.expiry) break;
  }
  const pan = found.pan ?? track2.pan;
  const expiry = found.expiry ?? track2.expiry;
  if (!pan || !expiry) throw new CardError('CARD_BAD_DATA', 'the debit application records carry no account number or expiry');
  return { pan, expiry };
}

/**
 * The bank account of the card in the reader (already powered on and read). A card without a
 * debit application, or whose application refuses to work here, is `CARD_NO_FINANCIAL`.
 */
export async function readFinancialAccount(channel: CardChannel): Promise<FinancialAccount> {
  let account: FinancialAccount;
  try {
    account = await readAccount(channel);
  } catch (err) {
    // Leave the chip as the rest of the card layer expects it, unless it is gone anyway.
    if (!(err instanceof CardError && (err.code === 'CARD_REMOVED' || err.code === 'CARD_COMM'))) {
      await reselectSsse(channel).catch(() => undefined);
    }
    throw err;
  }
  await reselectSsse(channel);
  return account;
}

/** SELECT SSSE again; a bank-only card has none, and then there is nothing to go back to. */
async function reselectSsse(channel: CardChannel): Promise<void> {
  try {
    await selectSsse(channel);
  } catch (err) {
    if (err instanceof CardError && err.code === 'CARD_NOT_SSC') return;
    throw err;
  }
}
