/**
 * A simulated PSAM (the issuer's secure access module in the reader's SAM slot). It holds the
 * master keys and reproduces a card's internal-authentication cryptogram:
 *
 *   00 A4 04 00 06 D1 56 00 00 05 90           SELECT the PSAM application        → 9000
 *   80 1A <usage> <alg> 08 <factor 8>          diversify (PBOC "general DES init") → 9000
 *        usage 01 = internal auth key, 02 = external auth key; alg 01 = 3DES, 04 = SM4
 *   80 FA 00 00 08 <data 8>                    encrypt with the diversified key    → 6108
 *   00 C0 00 00 08                             GET RESPONSE                        → 8 bytes 9000
 *
 * `80 1A` was chosen over the `BF DE` of ssc-card.md because its parameters are documented (PBOC
 * PSAM), and it pairs naturally with `80 FA`. A PSAM without selection, or 80 FA without a
 * diversified key, answers 6985.
 */
import { type CommandApdu, SW, bytesEqual, parseCommand, respond } from './apdu.js';
import type { SimChip } from './chip-interface.js';
import { ALGORITHM_ID, type CardAlgorithm, type MasterKeys, type SimKeySet, cryptogram, deriveCardKey, masterKey } from './keys.js';

export const PSAM_AID = Uint8Array.from([0xd1, 0x56, 0x00, 0x00, 0x05, 0x90]);
/** T=0 PSAM ATR (historical bytes "YKT-PSAM"). */
export const PSAM_ATR = Uint8Array.from([0x3b, 0x68, 0x00, 0x00, ...Buffer.from('YKT-PSAM', 'ascii')]);

const USAGE: ReadonlyMap<number, keyof MasterKeys> = new Map([
  [0x01, 'internalAuth'],
  [0x02, 'externalAuth'],
]);
const ALGORITHM: ReadonlyMap<number, CardAlgorithm> = new Map(
  (Object.entries(ALGORITHM_ID) as [CardAlgorithm, number][]).map(([alg, id]) => [id, alg]),
);

export function createSimPsam(keys: SimKeySet): SimChip {
  let powered = false;
  let selected = false;
  let session: { key: Uint8Array; alg: CardAlgorithm } | null = null;
  let pending: Uint8Array | null = null;

  function reset(): void {
    selected = false;
    session = null;
    pending = null;
  }

  function diversify(cmd: CommandApdu): Uint8Array {
    const usage = USAGE.get(cmd.p1);
    const alg = ALGORITHM.get(cmd.p2);
    if (!usage || !alg) return respond(SW.WRONG_P1P2);
    if (cmd.data.length !== 8) return respond(SW.WRONG_LENGTH);
    session = { key: deriveCardKey(masterKey(keys, alg, usage), cmd.data, alg), alg };
    return respond(SW.OK);
  }

  function encrypt(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return respond(SW.WRONG_P1P2);
    if (cmd.data.length !== 8) return respond(SW.WRONG_LENGTH);
    if (!session) return respond(SW.CONDITIONS_NOT_SATISFIED);
    pending = cryptogram(session.key, cmd.data, session.alg);
    // Like a T=0 PSAM: the result waits for GET RESPONSE.
    return respond(0x6100 | pending.length);
  }

  function getResponse(cmd: CommandApdu): Uint8Array {
    if (!pending) return respond(SW.CONDITIONS_NOT_SATISFIED);
    if (cmd.le !== null && cmd.le !== 0 && cmd.le !== pending.length) return respond(0x6c00 | pending.length);
    const out = pending;
    pending = null;
    return respond(SW.OK, out);
  }

  function dispatch(cmd: CommandApdu): Uint8Array {
    if (cmd.cla === 0x00 && cmd.ins === 0xa4) {
      if (cmd.p1 !== 0x04) return respond(SW.WRONG_P1P2);
      if (!bytesEqual(cmd.data, PSAM_AID)) return respond(SW.FILE_NOT_FOUND);
      reset();
      selected = true;
      return respond(SW.OK);
    }
    if (cmd.cla === 0x00 && cmd.ins === 0xc0) return getResponse(cmd);
    if (cmd.ins !== 0x1a && cmd.ins !== 0xfa) return respond(cmd.cla === 0x00 || cmd.cla === 0x80 ? SW.INS_NOT_SUPPORTED : SW.CLA_NOT_SUPPORTED);
    if (cmd.cla !== 0x80) return respond(SW.CLA_NOT_SUPPORTED);
    if (!selected) return respond(SW.CONDITIONS_NOT_SATISFIED);
    pending = null;
    return cmd.ins === 0x1a ? diversify(cmd) : encrypt(cmd);
  }

  return {
    label: 'psam:demo-keys',
    powerOn() {
      powered = true;
      reset();
      return PSAM_ATR;
    },
    powerOff() {
      powered = false;
      reset();
    },
    transmit(apdu) {
      if (!powered) return respond(SW.NO_PRECISE_DIAGNOSIS);
      const cmd = parseCommand(apdu);
      return cmd ? dispatch(cmd) : respond(SW.WRONG_LENGTH);
    },
  };
}
