/**
 * Frame codec of the reference encrypting PIN pad (devices.md §2). Pure functions shared by the
 * driver, the stream decoder and the simulator, so both ends of the simulated wire agree by
 * construction and the byte-exact tests pin them to the spec.
 *
 * Frame (both ways): STX(02) LEN(2, big-endian) CMD DATA… ETX(03) BCC, LEN = 1 + |DATA|,
 * BCC = XOR of STX..ETX. Replies: CMD ST DATA… (ST 00 = ok). Key events: B0 <key code>.
 *
 * The spec names each command's fields but not their byte layout; ours is documented per encoder
 * below and in docs/pinpad.md.
 */

export const STX = 0x02;
export const ETX = 0x03;
/** STX + LEN(2) + CMD. */
export const HEADER_LENGTH = 4;
/** STX + LEN(2) + CMD + ETX + BCC. */
export const FRAME_OVERHEAD = 6;

export const PINPAD_COMMANDS = {
  reset: 0x31,
  loadMasterKey: 0x32,
  loadWorkingKey: 0x33,
  startEntry: 0x34,
  getPinBlock: 0x35,
  buildVerify: 0x36,
  stopEntry: 0x37,
  plainMode: 0x38,
  mac: 0x39,
  // PIN change extension (ours; devices.md §2 has no such commands — docs/pinpad.md).
  buildChangePin: 0x3a,
  storeEntry: 0x3b,
  checkNewPin: 0x3c,
  clearSlots: 0x3d,
} as const satisfies Record<string, number>;
export type PinPadCommandName = keyof typeof PINPAD_COMMANDS;

export const KEY_EVENT = 0xb0;

/** Key codes of a B0 frame (secure mode). Plain mode reports digits as ASCII '0'..'9'. */
export const KEY_CODES = { digit: 0x2a, clear: 0x08, cancel: 0x1b, enter: 0x0d, f1: 0xf1, f2: 0xf2, f3: 0xf3, f4: 0xf4 } as const;

export const ALGORITHM_BYTE = { '3des': 0x01, sm4: 0x02 } as const;
export type PinAlgorithm = keyof typeof ALGORITHM_BYTE;

export const PIN_BLOCK_FORMAT_ISO0 = 0x00;

export function algorithmOf(byte: number): PinAlgorithm | undefined {
  if (byte === ALGORITHM_BYTE['3des']) return '3des';
  if (byte === ALGORITHM_BYTE.sm4) return 'sm4';
  return undefined;
}

export function commandName(cmd: number): PinPadCommandName | undefined {
  for (const [name, c] of Object.entries(PINPAD_COMMANDS)) if (c === cmd) return name as PinPadCommandName;
  return undefined;
}

/** One frame as it crosses the wire; what CMD/DATA mean depends on the direction. */
export interface PinPadFrame {
  cmd: number;
  data: Uint8Array;
}

export function bcc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i];
  return x;
}

export function encodeFrame(cmd: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const len = 1 + data.length;
  if (len > 0xffff) throw new RangeError(`frame data too long: ${data.length}`);
  const out = new Uint8Array(len + 5);
  out[0] = STX;
  out[1] = len >> 8;
  out[2] = len & 0xff;
  out[3] = cmd;
  out.set(data, 4);
  out[out.length - 2] = ETX;
  out[out.length - 1] = bcc(out, 0, out.length - 1);
  return out;
}

export type DecodeResult = { ok: true; frame: PinPadFrame } | { ok: false; reason: string };

/** Decodes exactly one complete frame. */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (bytes.length < FRAME_OVERHEAD) return { ok: false, reason: 'too short' };
  if (bytes[0] !== STX) return { ok: false, reason: 'no STX' };
  const len = (bytes[1] << 8) | bytes[2];
  if (len < 1) return { ok: false, reason: 'zero length' };
  if (len + 5 !== bytes.length) return { ok: false, reason: `length ${len} does not match ${bytes.length} bytes` };
  if (bytes[bytes.length - 2] !== ETX) return { ok: false, reason: 'no ETX' };
  if (bcc(bytes, 0, bytes.length - 1) !== bytes[bytes.length - 1]) return { ok: false, reason: 'BCC mismatch' };
  return { ok: true, frame: { cmd: bytes[3], data: bytes.slice(4, bytes.length - 2) } };
}

// ---- replies --------------------------------------------------------------------------------

export interface PinPadReply {
  cmd: number;
  status: number;
  data: Uint8Array;
}

export function encodeReply(cmd: number, status: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(1 + data.length);
  body[0] = status;
  body.set(data, 1);
  const out = encodeFrame(cmd, body);
  body.fill(0);
  return out;
}

/** A frame from the pad, read as a reply; undefined when it has no status byte. */
export function parseReply(frame: PinPadFrame): PinPadReply | undefined {
  if (frame.cmd === KEY_EVENT || frame.data.length < 1) return undefined;
  return { cmd: frame.cmd, status: frame.data[0], data: frame.data.subarray(1) };
}

// ---- key events -----------------------------------------------------------------------------

/** What a key press means to the host. `value` only exists in plain (operator) mode. */
export type KeyPress =
  | { kind: 'digit'; value?: string }
  | { kind: 'clear' }
  | { kind: 'cancel' }
  | { kind: 'enter' }
  | { kind: 'function'; fn: number };

export function encodeKeyEvent(code: number): Uint8Array {
  return encodeFrame(KEY_EVENT, Uint8Array.of(code));
}

export function parseKeyCode(code: number): KeyPress | undefined {
  switch (code) {
    case KEY_CODES.digit:
      return { kind: 'digit' };
    case KEY_CODES.clear:
      return { kind: 'clear' };
    case KEY_CODES.cancel:
      return { kind: 'cancel' };
    case KEY_CODES.enter:
      return { kind: 'enter' };
  }
  if (code >= KEY_CODES.f1 && code <= KEY_CODES.f4) return { kind: 'function', fn: code - 0xf0 };
  if (code >= 0x30 && code <= 0x39) return { kind: 'digit', value: String.fromCharCode(code) };
  return undefined;
}

export function parseKeyEvent(frame: PinPadFrame): KeyPress | undefined {
  if (frame.cmd !== KEY_EVENT || frame.data.length !== 1) return undefined;
  return parseKeyCode(frame.data[0]);
}

// ---- command payloads (host → pad) ----------------------------------------------------------

export interface EntryParams {
  minLength: number;
  maxLength: number;
  autoEnd: boolean;
  timeoutSec: number;
}

/** 34: min, max, auto-end (01/00), timeout seconds — the spec's worked example. */
export function encodeEntryParams(p: EntryParams): Uint8Array {
  return Uint8Array.of(p.minLength, p.maxLength, p.autoEnd ? 1 : 0, p.timeoutSec);
}

export function decodeEntryParams(d: Uint8Array): EntryParams | undefined {
  if (d.length !== 4 || (d[2] !== 0 && d[2] !== 1)) return undefined;
  return { minLength: d[0], maxLength: d[1], autoEnd: d[2] === 1, timeoutSec: d[3] };
}

/** 32: master index, algorithm, key (16). */
export function encodeLoadMasterKey(index: number, alg: PinAlgorithm, key: Uint8Array): Uint8Array {
  return Uint8Array.of(index, ALGORITHM_BYTE[alg], ...key);
}

/** 33: master index, working index, algorithm, cryptogram (16). */
export function encodeLoadWorkingKey(masterIndex: number, workingIndex: number, alg: PinAlgorithm, cryptogram: Uint8Array): Uint8Array {
  return Uint8Array.of(masterIndex, workingIndex, ALGORITHM_BYTE[alg], ...cryptogram);
}

/** 35: working key index, format (00), the 12 account digits in ASCII. */
export function encodeGetPinBlock(keyIndex: number, account12: string): Uint8Array {
  if (!/^\d{12}$/.test(account12)) throw new RangeError('account field must be 12 digits');
  return Uint8Array.of(keyIndex, PIN_BLOCK_FORMAT_ISO0, ...Buffer.from(account12, 'ascii'));
}

export function decodeGetPinBlock(d: Uint8Array): { keyIndex: number; format: number; account12: string } | undefined {
  if (d.length !== 14) return undefined;
  const account12 = Buffer.from(d.subarray(2)).toString('ascii');
  if (!/^\d{12}$/.test(account12)) return undefined;
  return { keyIndex: d[0], format: d[1], account12 };
}

/** 39: working key index, algorithm, data. */
export function encodeMac(keyIndex: number, alg: PinAlgorithm, data: Uint8Array): Uint8Array {
  return Uint8Array.of(keyIndex, ALGORITHM_BYTE[alg], ...data);
}

/** PIN slots of the change-PIN extension: 1 = old PIN, 2 = new PIN, 3 = the new PIN confirmed. */
export const PIN_SLOTS = { old: 1, new: 2, confirm: 3 } as const;
export type PinSlot = (typeof PIN_SLOTS)[keyof typeof PIN_SLOTS];

export function isPinSlot(n: unknown): n is PinSlot {
  return n === 1 || n === 2 || n === 3;
}

/** 3B: one byte, the slot (01..03) the completed entry is copied into. */
export function encodeStoreEntry(slot: PinSlot): Uint8Array {
  if (!isPinSlot(slot)) throw new RangeError(`PIN slot must be 1..3, got ${String(slot)}`);
  return Uint8Array.of(slot);
}

export function decodeStoreEntry(d: Uint8Array): PinSlot | undefined {
  return d.length === 1 && isPinSlot(d[0]) ? d[0] : undefined;
}

/** 31 reply data: serial and firmware, each as length-prefixed ASCII. */
export function encodeDeviceInfo(info: { serial: string; firmware: string }): Uint8Array {
  const s = Buffer.from(info.serial, 'ascii');
  const f = Buffer.from(info.firmware, 'ascii');
  if (s.length > 255 || f.length > 255) throw new RangeError('serial/firmware too long');
  return Uint8Array.of(s.length, ...s, f.length, ...f);
}

export function decodeDeviceInfo(d: Uint8Array): { serial: string; firmware: string } | undefined {
  if (d.length < 2) return undefined;
  const sl = d[0];
  if (d.length < 2 + sl) return undefined;
  const fl = d[1 + sl];
  if (d.length !== 2 + sl + fl) return undefined;
  const ascii = (b: Uint8Array) => Buffer.from(b).toString('ascii');
  return { serial: ascii(d.subarray(1, 1 + sl)), firmware: ascii(d.subarray(2 + sl)) };
}

// ---- traces ---------------------------------------------------------------------------------

/** Commands whose host → pad DATA is secret or personal: clear master key, cryptogram, account. */
const SECRET_COMMAND_DATA: ReadonlySet<number> = new Set([PINPAD_COMMANDS.loadMasterKey, PINPAD_COMMANDS.loadWorkingKey, PINPAD_COMMANDS.getPinBlock, PINPAD_COMMANDS.mac]);
/** Replies whose DATA is the PIN (VERIFY / CHANGE PIN APDU) or the PIN block. */
const SECRET_REPLY_DATA: ReadonlySet<number> = new Set([PINPAD_COMMANDS.getPinBlock, PINPAD_COMMANDS.buildVerify, PINPAD_COMMANDS.buildChangePin]);

/** Leading bytes of a host → pad frame a debug trace may show. */
export function traceHeadForCommand(raw: Uint8Array): number {
  if (raw.length < FRAME_OVERHEAD || raw[0] !== STX) return Math.min(raw.length, 1);
  return SECRET_COMMAND_DATA.has(raw[3]) ? HEADER_LENGTH : raw.length;
}

/**
 * Leading bytes of a pad → host frame a debug trace may show: PIN block, VERIFY and CHANGE PIN
 * replies keep CMD+ST only; key events keep their code unless it is a plain-mode digit.
 */
export function traceHeadForReply(raw: Uint8Array): number {
  if (raw.length < FRAME_OVERHEAD || raw[0] !== STX) return Math.min(raw.length, 1);
  if (raw[3] === KEY_EVENT) return raw[4] >= 0x30 && raw[4] <= 0x39 ? HEADER_LENGTH : raw.length;
  return SECRET_REPLY_DATA.has(raw[3]) ? HEADER_LENGTH + 1 : raw.length;
}
