/**
 * A simulated social security card: a small ISO 7816-4 file system (MF, the SSSE application,
 * EF05/EF06/EF0D, optionally the UnionPay debit application), PIN, and internal/external
 * authentication with diversified keys. Status words follow docs/card-application.md.
 */
import { randomBytes } from 'node:crypto';
import { maskId } from '../../../common/mask.js';
import type { ResolvedCardProfile } from '../card-profile.js';
import { type CommandApdu, SW, bytesEqual, parseCommand, respond, respondWithLe } from './apdu.js';
import { buildAtr } from './atr.js';
import type { SimChip } from './chip-interface.js';
import { UNIONPAY_DEBIT_AID, financialCommand, unionPayFci } from './financial.js';
import { ALGORITHM_ID, type SimKeySet, algorithmForGeneration, cryptogram, deriveCardKey, diversificationFactor, masterKey } from './keys.js';
import { MAX_PIN_TRIES, type PinState, changePin, verify } from './pin.js';
import { EF_CARD, EF_HOLDER, buildSscFiles } from './ssc-files.js';

/** GBK bytes of `sx1.sh.社会保障`, the SSSE application's DF name. */
export const SSSE_DF_NAME = Uint8Array.from([
  0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf,
]);

export interface SimCardOptions {
  /**
   * Some 3.00 cards refuse EF05 records 05/06 and all of EF06 with 6982 until external
   * authentication succeeded (ssc-card.md, uncertain). Off by default.
   */
  protectedReads?: boolean;
  /** Source of GET CHALLENGE randoms (tests inject a fixed one). */
  random?: (n: number) => Uint8Array;
}

export interface SimCard extends SimChip {
  readonly profile: ResolvedCardProfile;
  readonly pinTriesLeft: number;
  /** 卡识别码 as stored in EF05 record 01. */
  readonly cardIdCode: string;
}

type Selected = 'mf' | 'ssse' | 'unionpay';

interface Session {
  selected: Selected;
  currentEf: number | null;
  challenge: Uint8Array | null;
  externalAuthenticated: boolean;
}

const ISO_CLA = 0x00;
const PROPRIETARY_CLA = 0x80;
/** Which class each supported instruction wants; any other class answers 6E00. */
const INS_CLASS: ReadonlyMap<number, number> = new Map([
  [0xa4, ISO_CLA], [0xb2, ISO_CLA], [0x20, ISO_CLA], [0x84, ISO_CLA], [0x88, ISO_CLA], [0x82, ISO_CLA],
  [0x5e, PROPRIETARY_CLA], [0xa8, PROPRIETARY_CLA],
]);

function ssseFci(algorithmId: number): Uint8Array {
  const a5 = [0x9f, 0x0c, 0x03, 0x86, 0x01, algorithmId];
  return Uint8Array.from([0x6f, 2 + SSSE_DF_NAME.length + 2 + a5.length, 0x84, SSSE_DF_NAME.length, ...SSSE_DF_NAME, 0xa5, a5.length, ...a5]);
}

const complement = (b: Uint8Array) => b.map((v) => ~v & 0xff);

export function createSimCard(profile: ResolvedCardProfile, keys: SimKeySet, options: SimCardOptions = {}): SimCard {
  const { cardIdCode, files } = buildSscFiles(profile);
  const alg = algorithmForGeneration(profile.generation);
  const factor = diversificationFactor(cardIdCode);
  // A counterfeit card was personalized without the issuer's keys: model it with the complement.
  const master = (usage: 'internalAuth' | 'externalAuth') =>
    profile.genuine ? masterKey(keys, alg, usage) : complement(masterKey(keys, alg, usage));
  const internalKey = deriveCardKey(master('internalAuth'), factor, alg);
  const externalKey = deriveCardKey(master('externalAuth'), factor, alg);
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const pin: PinState = { pin: profile.pin, tries: profile.pinTriesLeft, max: Math.max(MAX_PIN_TRIES, profile.pinTriesLeft) };
  let powered = false;
  let s: Session = freshSession();

  function freshSession(): Session {
    return { selected: 'mf', currentEf: null, challenge: null, externalAuthenticated: false };
  }

  function select(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 === 0x04) {
      if (bytesEqual(cmd.data, SSSE_DF_NAME) && profile.ssc) {
        s = { ...s, selected: 'ssse', currentEf: null };
        return respondWithLe(cmd, ssseFci(ALGORITHM_ID[alg]));
      }
      if (bytesEqual(cmd.data, UNIONPAY_DEBIT_AID) && profile.financial) {
        s = { ...s, selected: 'unionpay', currentEf: null };
        return respondWithLe(cmd, unionPayFci());
      }
      return respond(SW.FILE_NOT_FOUND);
    }
    if (cmd.p1 !== 0x00 && cmd.p1 !== 0x02) return respond(SW.WRONG_P1P2);
    if (cmd.data.length === 0 && cmd.p1 === 0x00) return selectMf();
    if (cmd.data.length !== 2) return respond(SW.WRONG_LENGTH);
    const fid = (cmd.data[0]! << 8) | cmd.data[1]!;
    if (fid === 0x3f00) return selectMf();
    if (s.selected !== 'ssse' || !files.has(fid)) return respond(SW.FILE_NOT_FOUND);
    s.currentEf = fid;
    return respond(SW.OK);
  }

  function selectMf(): Uint8Array {
    s = { ...s, selected: 'mf', currentEf: null };
    return respond(SW.OK);
  }

  function isProtected(ef: number, rec: number): boolean {
    if (!options.protectedReads || s.externalAuthenticated) return false;
    return ef === EF_HOLDER || (ef === EF_CARD && (rec === 0x05 || rec === 0x06));
  }

  function readRecord(cmd: CommandApdu): Uint8Array {
    if ((cmd.p2 & 0x07) !== 0x04) return respond(SW.WRONG_P1P2);
    const sfi = cmd.p2 >> 3;
    if (sfi !== 0) {
      // P2 = SFI<<3 | 4 reads (and selects) the EF by short file identifier, e.g. `00 B2 07 2C`.
      const fid = 0xef00 | sfi;
      if (s.selected !== 'ssse' || !files.has(fid)) return respond(SW.FILE_NOT_FOUND);
      s.currentEf = fid;
    }
    if (s.currentEf === null) return respond(SW.NO_CURRENT_EF);
    const value = files.get(s.currentEf)?.get(cmd.p1);
    if (!value) return respond(SW.RECORD_NOT_FOUND);
    if (isProtected(s.currentEf, cmd.p1)) return respond(SW.SECURITY_NOT_SATISFIED);
    return respondWithLe(cmd, Uint8Array.from([cmd.p1, value.length, ...value]));
  }

  function getChallenge(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return respond(SW.WRONG_P1P2);
    if (cmd.le !== 4 && cmd.le !== 8) return respond(SW.WRONG_LENGTH);
    s.challenge = random(cmd.le);
    return respond(SW.OK, s.challenge);
  }

  function internalAuthenticate(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0) return respond(SW.WRONG_P1P2);
    if (cmd.data.length !== 16) return respond(SW.WRONG_LENGTH);
    if (s.selected !== 'ssse') return respond(SW.CONDITIONS_NOT_SATISFIED);
    // The factor in the command is not checked: the card's key is already diversified, and a
    // host that sends the wrong factor simply gets a cryptogram its PSAM will not reproduce.
    return respondWithLe(cmd, cryptogram(internalKey, cmd.data.subarray(8, 16), alg));
  }

  function externalAuthenticate(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0) return respond(SW.WRONG_P1P2);
    if (cmd.data.length !== 16) return respond(SW.WRONG_LENGTH);
    const challenge = s.challenge;
    s.challenge = null; // a challenge is good for one attempt
    if (s.selected !== 'ssse' || challenge?.length !== 8 || !bytesEqual(challenge, cmd.data.subarray(8, 16))) {
      return respond(SW.CONDITIONS_NOT_SATISFIED);
    }
    if (!bytesEqual(cryptogram(externalKey, challenge, alg), cmd.data.subarray(0, 8))) return respond(0x6300);
    s.externalAuthenticated = true;
    return respond(SW.OK);
  }

  function dispatch(cmd: CommandApdu): Uint8Array {
    if (cmd.cla !== ISO_CLA && cmd.cla !== PROPRIETARY_CLA && cmd.cla !== 0x84) return respond(SW.CLA_NOT_SUPPORTED);
    if (s.selected === 'unionpay' && profile.financial) {
      const answer = financialCommand(cmd, profile.financial);
      if (answer) return answer;
    }
    const wantedCla = INS_CLASS.get(cmd.ins);
    if (wantedCla === undefined) return respond(SW.INS_NOT_SUPPORTED);
    if (wantedCla !== cmd.cla) return respond(SW.CLA_NOT_SUPPORTED);
    switch (cmd.ins) {
      case 0xa4: return select(cmd);
      case 0xb2: return readRecord(cmd);
      case 0x20: return verify(pin, cmd)[0];
      case 0x5e: return changePin(pin, cmd);
      case 0x84: return getChallenge(cmd);
      case 0x88: return internalAuthenticate(cmd);
      case 0x82: return externalAuthenticate(cmd);
      default: return respond(SW.INS_NOT_SUPPORTED); // GPO outside the UnionPay application
    }
  }

  return {
    label: `ssc-g${profile.generation}:${maskId(profile.ssn)}`,
    profile,
    cardIdCode,
    get pinTriesLeft() {
      return pin.tries;
    },
    powerOn() {
      if (profile.damaged) return null;
      powered = true;
      s = freshSession();
      return buildAtr(profile.generation);
    },
    powerOff() {
      powered = false;
      s = freshSession();
    },
    transmit(apdu) {
      if (!powered) return respond(SW.NO_PRECISE_DIAGNOSIS);
      const cmd = parseCommand(apdu);
      return cmd ? dispatch(cmd) : respond(SW.WRONG_LENGTH);
    },
  };
}
