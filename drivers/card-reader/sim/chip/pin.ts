/**
 * The card's PIN and try counter. The counter lives in the chip (it survives power cycles and
 * re-insertion), so it is kept by the card object, not by the session.
 */
import { type CommandApdu, SW, respond } from './apdu.js';

export const MAX_PIN_TRIES = 3;

export interface PinState {
  pin: string;
  tries: number;
  /** What a successful VERIFY resets the counter to. */
  readonly max: number;
}

/** Packed BCD, F-padded, 4 to 12 digits; null when the bytes are not a PIN. */
export function decodePinBcd(b: Uint8Array): string | null {
  const digits = Buffer.from(b).toString('hex').toUpperCase().replace(/F+$/, '');
  return /^\d{4,12}$/.test(digits) ? digits : null;
}

function check(state: PinState, candidate: string): Uint8Array | null {
  if (state.tries <= 0) return respond(SW.AUTH_BLOCKED);
  if (candidate !== state.pin) {
    state.tries -= 1;
    // The try that exhausts the counter still answers 63C0; only later attempts get 6983.
    return respond(0x63c0 | state.tries);
  }
  state.tries = state.max;
  return null;
}

/** VERIFY `00 20 00 00 03 <BCD>`; returns the answer and whether the PIN was verified. */
export function verify(state: PinState, cmd: CommandApdu): [Uint8Array, boolean] {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) return [respond(SW.WRONG_P1P2), false];
  if (cmd.data.length < 2 || cmd.data.length > 6) return [respond(SW.WRONG_LENGTH), false];
  const candidate = decodePinBcd(cmd.data);
  if (candidate === null) return [respond(SW.WRONG_DATA), false];
  const fail = check(state, candidate);
  return fail ? [fail, false] : [respond(SW.OK), true];
}

/** CHANGE PIN `80 5E 01 00 Lc <old BCD> FF <new BCD>`. FF never occurs inside a BCD PIN. */
export function changePin(state: PinState, cmd: CommandApdu): Uint8Array {
  if (cmd.p1 !== 0x01 || cmd.p2 !== 0x00) return respond(SW.WRONG_P1P2);
  const sep = cmd.data.indexOf(0xff);
  const oldPin = sep > 0 ? decodePinBcd(cmd.data.subarray(0, sep)) : null;
  const newPin = sep > 0 ? decodePinBcd(cmd.data.subarray(sep + 1)) : null;
  if (oldPin === null || newPin === null) return respond(SW.WRONG_DATA);
  const fail = check(state, oldPin);
  if (fail) return fail;
  state.pin = newPin;
  return respond(SW.OK);
}
