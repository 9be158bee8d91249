/**
 * The simulated pad's key slots: master keys (loaded in clear at the key ceremony) and working keys
 * (loaded as cryptograms under a master key). Keys never leave the store; only KCVs do.
 */
import type { PinAlgorithm } from '../codec.js';
import { KEY_LENGTH, ecbDecrypt, kcv } from '../crypto.js';
import { PinPadError } from '../errors.js';

export const KEY_SLOTS = 16;

interface Slot {
  alg: PinAlgorithm;
  key: Uint8Array;
  kcv: Uint8Array;
}

export class PadKeyStore {
  private readonly masters = new Map<number, Slot>();
  private readonly working = new Map<number, Slot>();

  loadMaster(index: number, alg: PinAlgorithm, key: Uint8Array): Uint8Array {
    checkSlot(index);
    if (key.length !== KEY_LENGTH) throw new PinPadError('PINPAD_PARAMETER', { message: `key must be ${KEY_LENGTH} bytes` });
    return this.put(this.masters, index, alg, key.slice());
  }

  /** Decrypts the cryptogram under the master key (ECB) and stores the result. */
  loadWorking(masterIndex: number, workingIndex: number, alg: PinAlgorithm, cryptogram: Uint8Array): Uint8Array {
    checkSlot(workingIndex);
    const master = this.master(masterIndex, alg);
    if (cryptogram.length !== KEY_LENGTH) throw new PinPadError('PINPAD_PARAMETER', { message: `cryptogram must be ${KEY_LENGTH} bytes` });
    return this.put(this.working, workingIndex, alg, ecbDecrypt(master.key, alg, cryptogram));
  }

  /** A working key for `alg`, or the refusal the pad answers with. */
  workingKey(index: number, alg?: PinAlgorithm): { alg: PinAlgorithm; key: Uint8Array } {
    return this.get(this.working, index, alg);
  }

  slots(): { kind: 'master' | 'working'; index: number; alg: PinAlgorithm; kcv: string }[] {
    const list = (kind: 'master' | 'working', m: Map<number, Slot>) =>
      [...m.entries()].sort(([a], [b]) => a - b).map(([index, s]) => ({ kind, index, alg: s.alg, kcv: Buffer.from(s.kcv).toString('hex').toUpperCase() }));
    return [...list('master', this.masters), ...list('working', this.working)];
  }

  private master(index: number, alg: PinAlgorithm): Slot {
    return this.get(this.masters, index, alg);
  }

  private get(m: Map<number, Slot>, index: number, alg?: PinAlgorithm): Slot {
    checkSlot(index);
    const slot = m.get(index);
    if (!slot) throw new PinPadError('PINPAD_NO_KEY', { message: `no key in slot ${index}` });
    if (alg !== undefined && slot.alg !== alg) throw new PinPadError('PINPAD_ALGORITHM', { message: `slot ${index} holds a ${slot.alg} key` });
    return slot;
  }

  private put(m: Map<number, Slot>, index: number, alg: PinAlgorithm, key: Uint8Array): Uint8Array {
    m.get(index)?.key.fill(0);
    const slot = { alg, key, kcv: kcv(key, alg) };
    m.set(index, slot);
    return slot.kcv.slice();
  }
}

function checkSlot(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= KEY_SLOTS) throw new PinPadError('PINPAD_PARAMETER', { message: `key slot must be 0..${KEY_SLOTS - 1}` });
}
