/**
 * ATRs of the simulated cards. Both are T=1 (TD1 = 81, TD2 = 31), IFSC 254 (TA3 = FE),
 * BWI 4 / CWI 5 (TB3 = 45), with proprietary historical bytes (first byte not 00/10/8x, so
 * ISO 7816-4 leaves the format to the issuer) and a TCK. Generation 3 adds TA1 = 95 (Fi 512,
 * Di 16) because third-generation chips negotiate a faster contact speed.
 *
 *   gen 2: 3B E9 00 00 81 31 FE 45 "YKT-SSC-2" TCK
 *   gen 3: 3B F9 95 00 00 81 31 FE 45 "YKT-SSC-3" TCK
 */

export const HISTORICAL_GEN2 = new Uint8Array(Buffer.from('YKT-SSC-2', 'ascii'));
export const HISTORICAL_GEN3 = new Uint8Array(Buffer.from('YKT-SSC-3', 'ascii'));

export function buildAtr(generation: 2 | 3): Uint8Array {
  const hist = generation === 3 ? HISTORICAL_GEN3 : HISTORICAL_GEN2;
  const iface = generation === 3 ? [0x95, 0x00, 0x00, 0x81, 0x31, 0xfe, 0x45] : [0x00, 0x00, 0x81, 0x31, 0xfe, 0x45];
  const t0 = (generation === 3 ? 0xf0 : 0xe0) | hist.length;
  const body = [t0, ...iface, ...hist];
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([0x3b, ...body, tck]);
}
