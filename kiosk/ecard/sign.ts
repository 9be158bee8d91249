/** Signing side of the e-card code: the issuer (the embedded backend, tests) holds the private key. */
import { sign } from 'node:crypto';
import { assembleEcardCode, ecardSigningInput, encodeEcardPayload, type EcardClaims } from './format.js';
import { ecardPrivateKey, type EcardKeyInput } from './keys.js';

/** The code text for these claims, signed with `privateKey` (which must be the key `claims.kid` names). */
export function signEcardCode(claims: EcardClaims, privateKey: EcardKeyInput): string {
  const payload = encodeEcardPayload(claims);
  // Ed25519 hashes internally: the algorithm argument must be null.
  const signature = sign(null, ecardSigningInput(payload), ecardPrivateKey(privateKey));
  return assembleEcardCode(payload, signature);
}
