/**
 * SIMULATORS AND TESTS ONLY: the bank's side of an online PIN, i.e. what the issuer's HSM does with
 * a PIN block. Nothing in the kiosk host may import this — the host never needs, and must never
 * be able, to turn a PIN block back into a PIN. It lives under sim/ so an import from production
 * code stands out in review.
 */
import type { PinAlgorithm } from '../codec.js';
import { accountDigits, ecbDecrypt, pinFromClearBlock } from '../crypto.js';

/** The PIN inside an encrypted format-0 block, or undefined when the block does not decode. */
export function decryptPinBlock(key: Uint8Array, alg: PinAlgorithm, block: Uint8Array, pan: string): string | undefined {
  const clear = ecbDecrypt(key, alg, block);
  try {
    return pinFromClearBlock(clear, accountDigits(pan), alg);
  } finally {
    clear.fill(0);
  }
}

/** Whether the block carries `expectedPin` (the simulated bank's PIN check). */
export function verifyPinBlock(key: Uint8Array, alg: PinAlgorithm, block: Uint8Array, pan: string, expectedPin: string): boolean {
  return decryptPinBlock(key, alg, block, pan) === expectedPin;
}
