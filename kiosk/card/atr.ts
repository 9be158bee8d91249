/** ATR parsing, just enough to return the historical bytes (the national interface reports them). */

/**
 * Walks the interface bytes (TA/TB/TC/TD chains) to find the K historical bytes. Returns null on
 * an ATR too short for what T0 announces.
 */
export function atrHistoricalBytes(atr: Uint8Array): Uint8Array | null {
  if (atr.length < 2) return null;
  const k = atr[1]! & 0x0f;
  let y = atr[1]! >> 4;
  let i = 2;
  for (;;) {
    const present = [1, 2, 4].filter((bit) => y & bit).length;
    const hasTd = (y & 8) !== 0;
    i += present;
    if (!hasTd) break;
    if (i >= atr.length) return null;
    y = atr[i]! >> 4;
    i++;
  }
  return i + k <= atr.length ? atr.slice(i, i + k) : null;
}
