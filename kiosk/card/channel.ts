/** The minimal card channel the application layer needs, and the T=0-style answer handling. */
import { type Response, getResponse, splitSw } from './apdu.js';

/** What `readCardInfo` needs from a reader; the CardReader driver satisfies it. */
export interface CardChannel {
  powerOn(): Promise<Uint8Array>;
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export interface ApduPort {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/** GET RESPONSE chains longer than this mean a confused card, not more data. */
const MAX_CHAINED = 8;

/**
 * Sends one command and resolves the transport-level status words: 61xx is followed by GET
 * RESPONSE (answers concatenated), 6Cxx resends the command once with the Le the card asked for.
 * Transport rejections go through `mapError` so the caller decides card vs PSAM codes.
 */
export async function exchange(port: ApduPort, command: Uint8Array, mapError: (err: unknown) => Error): Promise<Response> {
  const send = async (c: Uint8Array) => {
    try {
      return splitSw(await port.transmit(c));
    } catch (err) {
      throw mapError(err);
    }
  };
  let r = await send(command);
  if (r.sw >> 8 === 0x6c && command.length >= 5) r = await send(withLe(command, r.sw & 0xff));
  const chunks: Uint8Array[] = [r.data];
  for (let n = 0; r.sw >> 8 === 0x61 && n < MAX_CHAINED; n++) {
    r = await send(getResponse(r.sw & 0xff));
    chunks.push(r.data);
  }
  return { data: Uint8Array.from(chunks.flatMap((c) => Array.from(c))), sw: r.sw };
}

/** The command with its Le replaced (case 2 and 4) or added (case 3). */
function withLe(command: Uint8Array, le: number): Uint8Array {
  const hasLe = command.length === 5 || command.length === 6 + command[4]!;
  const out = hasLe ? command.slice() : Uint8Array.from([...command, 0]);
  out[out.length - 1] = le;
  return out;
}
