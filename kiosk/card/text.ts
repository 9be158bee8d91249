/** `an` values: ASCII, or GBK for names, zero-padded to the record length. */
import iconv from 'iconv-lite';

/**
 * Strips trailing 00 (and FF, which some personalizers use) before decoding: neither byte can be
 * part of a GBK character, so this never cuts a name.
 */
export function decodeAn(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0xff)) end--;
  return iconv.decode(Buffer.from(bytes.subarray(0, end)), 'gbk').trim();
}

export function encodeGbk(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gbk'));
}
