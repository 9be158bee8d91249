/**
 * Chip-side APDU parsing shared by the simulated card and PSAM. Short APDUs only: neither chip
 * needs extended length, and a real SSC answers extended APDUs with 6700 too.
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected response length; null when the command carries no Le, 0 for Le = 00 (up to 256). */
  le: number | null;
}

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  WRONG_P1P2: 0x6a86,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/** Returns null for a malformed APDU (the chip answers 6700). */
export function parseCommand(apdu: Uint8Array): CommandApdu | null {
  if (apdu.length < 4) return null;
  const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
  const head = { cla, ins, p1, p2 };
  if (apdu.length === 4) return { ...head, data: new Uint8Array(0), le: null };
  if (apdu.length === 5) return { ...head, data: new Uint8Array(0), le: apdu[4]! };
  const lc = apdu[4]!;
  if (lc === 0) return null; // extended length
  if (apdu.length === 5 + lc) return { ...head, data: apdu.slice(5), le: null };
  if (apdu.length === 6 + lc) return { ...head, data: apdu.slice(5, 5 + lc), le: apdu[5 + lc]! };
  return null;
}

export function respond(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/**
 * Answers `data` honouring Le the way the SSC does: Le 00 (or absent) takes the whole answer, the
 * exact length is accepted, anything else gets 6Cxx with the right length.
 */
export function respondWithLe(cmd: CommandApdu, data: Uint8Array): Uint8Array {
  if (cmd.le === null || cmd.le === 0 || cmd.le === data.length) return respond(SW.OK, data);
  return respond(0x6c00 | (data.length & 0xff));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
