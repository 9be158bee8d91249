/**
 * Ed25519 keys for e-card codes, given as KeyObjects or PEM text (config carries PEM). PEM is
 * parsed once per text: a gate verifies a code per passenger and must not re-parse keys each time.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { YktError } from '../../drivers/common/errors.js';

export type EcardKeyInput = KeyObject | string;

const publicCache = new Map<string, KeyObject>();
const privateCache = new Map<string, KeyObject>();

function checkEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new YktError('ECARD_KEY_INVALID', `${what} is a ${key.asymmetricKeyType ?? key.type} key, e-card codes use Ed25519`);
  }
  return key;
}

function load(input: EcardKeyInput, cache: Map<string, KeyObject>, kind: 'public' | 'private', what: string): KeyObject {
  if (input instanceof KeyObject) {
    // A private key can stand in for its public half (tests, the issuer verifying its own output).
    if (kind === 'public' && input.type === 'private') return checkEd25519(createPublicKey(input), what);
    if (input.type !== kind) throw new YktError('ECARD_KEY_INVALID', `${what} is a ${input.type} key, expected ${kind}`);
    return checkEd25519(input, what);
  }
  let key = cache.get(input);
  if (!key) {
    try {
      key = kind === 'public' ? createPublicKey(input) : createPrivateKey(input);
    } catch (err) {
      throw new YktError('ECARD_KEY_INVALID', `${what} is not a PEM ${kind} key`, { cause: err });
    }
    checkEd25519(key, what);
    cache.set(input, key);
  }
  return key;
}

export function ecardPublicKey(input: EcardKeyInput, what = 'e-card public key'): KeyObject {
  return load(input, publicCache, 'public', what);
}

export function ecardPrivateKey(input: EcardKeyInput, what = 'e-card private key'): KeyObject {
  return load(input, privateCache, 'private', what);
}

/** Validates a key set (config load): throws ECARD_KEY_INVALID naming the bad kid. */
export function loadEcardPublicKeys(keys: Readonly<Record<string, EcardKeyInput>>): Record<string, KeyObject> {
  return Object.fromEntries(Object.entries(keys).map(([kid, k]) => [kid, ecardPublicKey(k, `e-card public key ${kid}`)]));
}
