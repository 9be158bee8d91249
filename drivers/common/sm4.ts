/**
 * SM4 block encryption (GB/T 32907), ECB without padding: the one part of sm-crypto the PIN pad and
 * the simulated cards use.
 *
 * Loaded at first use, and only SM4: sm-crypto's index also loads SM2 with its bignum library,
 * which is most of the package's start-up cost and memory, for an algorithm nothing here calls.
 * The package is CommonJS, so a synchronous require keeps these functions synchronous.
 */
import { createRequire } from 'node:module';
import type smCrypto from 'sm-crypto';

type Sm4 = typeof smCrypto.sm4;

let loaded: Sm4 | undefined;

function sm4(): Sm4 {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    try {
      loaded = require('sm-crypto/src/sm4/index.js') as Sm4;
    } catch {
      // A future layout of the package: fall back to its public entry point.
      loaded = (require('sm-crypto') as typeof smCrypto).sm4;
    }
  }
  return loaded;
}

/** ECB, no padding: `data` must be whole 16-byte blocks under a 16-byte key. */
export function sm4Ecb(mode: 'enc' | 'dec', key: Uint8Array, data: Uint8Array): Uint8Array {
  const opts = { padding: 'none', output: 'array' } as const;
  const out = mode === 'enc' ? sm4().encrypt(Array.from(data), Array.from(key), opts) : sm4().decrypt(Array.from(data), Array.from(key), opts);
  return Uint8Array.from(out);
}
