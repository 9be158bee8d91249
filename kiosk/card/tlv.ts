/** BER-TLV (FCI, EMV records) and the SSC's one-byte `<tag><len><value>` records. */
import { CardError } from './card-error.js';

export interface Tlv {
  tag: number;
  value: Uint8Array;
  constructed: boolean;
}

function bad(msg: string): CardError {
  return new CardError('CARD_BAD_DATA', `malformed TLV: ${msg}`);
}

/** Parses one level of BER-TLV. Tags up to 3 bytes, lengths up to 82 xx xx; 00/FF filler skipped. */
export function parseTlv(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x00 || bytes[i] === 0xff) {
      i++;
      continue;
    }
    const first = bytes[i++]!;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      do {
        if (i >= bytes.length) throw bad('truncated tag');
        tag = (tag << 8) | bytes[i]!;
      } while (bytes[i++]! & 0x80);
    }
    if (i >= bytes.length) throw bad('missing length');
    let len = bytes[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 2 || i + n > bytes.length) throw bad('bad length');
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | bytes[i++]!;
    }
    if (i + len > bytes.length) throw bad('value overruns');
    out.push({ tag, value: bytes.slice(i, i + len), constructed: (first & 0x20) !== 0 });
    i += len;
  }
  return out;
}

/** Depth-first search for a tag through constructed TLVs. */
export function findTag(bytes: Uint8Array, tag: number): Uint8Array | undefined {
  for (const t of parseTlv(bytes)) {
    if (t.tag === tag) return t.value;
    if (t.constructed) {
      const inner = findTag(t.value, tag);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** An SSC record `<tag = record number><len><value>`; the tag and length must match. */
export function parseSscRecord(bytes: Uint8Array, record: number): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== record || bytes[1] !== bytes.length - 2) {
    throw new CardError('CARD_BAD_DATA', `record ${record.toString(16).padStart(2, '0')} is not <tag><len><value>`);
  }
  return bytes.slice(2);
}
