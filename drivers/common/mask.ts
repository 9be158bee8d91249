/**
 * Personal data masking for logs, journal and receipts: ID numbers keep the first 6 and last 4
 * characters, names keep the first character (the family name).
 */
export function maskId(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Bank account numbers keep the first 6 and last 4 digits, like a card receipt. */
export const maskAccount = maskId;

const HEX = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * Hex for frame traces. APDUs and responses may carry a PIN (VERIFY), a PIN block or personal
 * records; a trace shows only the header of such a frame and its length, never the payload.
 */
export function traceHex(bytes: Uint8Array, opts: { keepHead?: number } = {}): string {
  const head = opts.keepHead ?? bytes.length;
  if (head >= bytes.length) return HEX(bytes);
  return `${HEX(bytes.subarray(0, head))}…(+${bytes.length - head} bytes masked)`;
}
