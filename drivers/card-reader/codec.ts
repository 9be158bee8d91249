/**
 * Frame codec of the reference motorized reader (devices.md §1). Pure functions: the driver, the
 * stream decoder and the simulator all use these, so both ends of the simulated wire agree by
 * construction and the byte-exact tests pin them to the spec.
 */
import type { CardPosition, ContactlessCard, ReaderSensors } from './interface.js';

export const STX = 0xf2;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
export const ENQ = 0x05;
export const EOT = 0x04;
export const DEFAULT_ADDRESS = 0x00;

const TYPE_C = 0x43;
const TYPE_P = 0x50;
const TYPE_N = 0x4e;

/** CM PM of every command in the table of devices.md §1. */
export const READER_COMMANDS = {
  initEject: [0x30, 0x30],
  initRetain: [0x30, 0x31],
  initKeep: [0x30, 0x33],
  status: [0x31, 0x30],
  moveToRead: [0x32, 0x30],
  retain: [0x32, 0x33],
  eject: [0x32, 0x39],
  enableInsertion: [0x33, 0x30],
  disableInsertion: [0x33, 0x31],
  powerOn: [0x51, 0x30],
  powerOff: [0x51, 0x31],
  apdu: [0x51, 0x33],
  psamPowerOn: [0x52, 0x30],
  psamApdu: [0x52, 0x33],
  contactlessActivate: [0x60, 0x30],
  contactlessApdu: [0x60, 0x33],
  contactlessDeactivate: [0x60, 0x31],
} as const satisfies Record<string, readonly [number, number]>;
export type ReaderCommandName = keyof typeof READER_COMMANDS;

export function commandName(cm: number, pm: number): ReaderCommandName | undefined {
  for (const [name, [c, p]] of Object.entries(READER_COMMANDS)) {
    if (c === cm && p === pm) return name as ReaderCommandName;
  }
  return undefined;
}

/** Commands whose DATA (and answer DATA) may carry personal data or a PIN: traces show headers only. */
export function isApduCommand(cm: number, pm: number): boolean {
  return pm === 0x33 && (cm === 0x51 || cm === 0x52 || cm === 0x60);
}

export type ReaderFrame =
  | { type: 'C'; address: number; cm: number; pm: number; data: Uint8Array }
  | { type: 'P'; address: number; cm: number; pm: number; st: Uint8Array; data: Uint8Array }
  | { type: 'N'; address: number; cm: number; pm: number; e1e0: string };

export function bcc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i];
  return x;
}

/** STX ADDR LEN(2) body ETX BCC, LEN = body length. */
function frame(body: Uint8Array, address: number): Uint8Array {
  if (body.length > 0xffff) throw new RangeError(`frame body too long: ${body.length}`);
  const out = new Uint8Array(body.length + 6);
  out[0] = STX;
  out[1] = address;
  out[2] = body.length >> 8;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  out[out.length - 2] = ETX;
  out[out.length - 1] = bcc(out, 0, out.length - 1);
  return out;
}

export function encodeCommand(cm: number, pm: number, data: Uint8Array = new Uint8Array(0), address = DEFAULT_ADDRESS): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = TYPE_C;
  body[1] = cm;
  body[2] = pm;
  body.set(data, 3);
  return frame(body, address);
}

export type ResponseOutcome =
  | { kind: 'positive'; sensors: ReaderSensors; data?: Uint8Array }
  | { kind: 'negative'; e1e0: string };

export function encodeResponse(cm: number, pm: number, outcome: ResponseOutcome, address = DEFAULT_ADDRESS): Uint8Array {
  if (outcome.kind === 'negative') {
    if (!/^\d\d$/.test(outcome.e1e0)) throw new RangeError(`E1E0 must be two ASCII digits: ${outcome.e1e0}`);
    return frame(Uint8Array.of(TYPE_N, cm, pm, outcome.e1e0.charCodeAt(0), outcome.e1e0.charCodeAt(1)), address);
  }
  const data = outcome.data ?? new Uint8Array(0);
  const body = new Uint8Array(6 + data.length);
  body.set([TYPE_P, cm, pm, ...encodeSensors(outcome.sensors)]);
  body.set(data, 6);
  return frame(body, address);
}

export type DecodeResult = { ok: true; frame: ReaderFrame } | { ok: false; reason: string };

/** Decodes one complete frame (exactly the bytes of the frame). */
export function decodeFrame(bytes: Uint8Array, address = DEFAULT_ADDRESS): DecodeResult {
  if (bytes.length < 9) return { ok: false, reason: 'too short' };
  if (bytes[0] !== STX) return { ok: false, reason: 'no STX' };
  if (bytes[1] !== address) return { ok: false, reason: `address ${bytes[1]}` };
  const len = (bytes[2] << 8) | bytes[3];
  if (len + 6 !== bytes.length) return { ok: false, reason: `length ${len} does not match ${bytes.length} bytes` };
  if (bytes[bytes.length - 2] !== ETX) return { ok: false, reason: 'no ETX' };
  if (bcc(bytes, 0, bytes.length - 1) !== bytes[bytes.length - 1]) return { ok: false, reason: 'BCC mismatch' };
  // Indexes into `bytes` rather than a body view and array destructuring (which iterates): every
  // answer the host waits for is decoded here, on the way to the next command's bytes.
  const type = bytes[4];
  const cm = bytes[5];
  const pm = bytes[6];
  const end = 4 + len;
  switch (type) {
    case TYPE_C:
      return { ok: true, frame: { type: 'C', address, cm, pm, data: bytes.slice(7, end) } };
    case TYPE_P:
      if (len < 6) return { ok: false, reason: 'positive answer without status bytes' };
      if (!isStatusTriple(bytes, 7)) return { ok: false, reason: 'status bytes out of range' };
      return { ok: true, frame: { type: 'P', address, cm, pm, st: bytes.slice(7, 10), data: bytes.slice(10, end) } };
    case TYPE_N: {
      if (len !== 5) return { ok: false, reason: 'negative answer of wrong length' };
      const e1e0 = String.fromCharCode(bytes[7], bytes[8]);
      if (!/^\d\d$/.test(e1e0)) return { ok: false, reason: 'E1E0 not digits' };
      return { ok: true, frame: { type: 'N', address, cm, pm, e1e0 } };
    }
    default:
      return { ok: false, reason: `unknown frame type ${type}` };
  }
}

const POSITIONS: readonly CardPosition[] = ['none', 'gate', 'inside'];

function isStatusTriple(st: Uint8Array, at = 0): boolean {
  const s0 = st[at];
  const s1 = st[at + 1];
  const s2 = st[at + 2];
  return s0 >= 0x30 && s0 <= 0x32 && (s1 === 0x30 || s1 === 0x31) && (s2 === 0x30 || s2 === 0x31);
}

/** ST0..ST2 (ASCII digits) → sensors. Callers pass bytes already checked by decodeFrame. */
export function parseSensors(st: Uint8Array): ReaderSensors {
  if (st.length < 3 || !isStatusTriple(st)) throw new RangeError('invalid status bytes');
  return { position: POSITIONS[st[0] - 0x30], binFull: st[1] === 0x31, insertionEnabled: st[2] === 0x31 };
}

export function encodeSensors(s: ReaderSensors): Uint8Array {
  return Uint8Array.of(0x30 + POSITIONS.indexOf(s.position), s.binFull ? 0x31 : 0x30, s.insertionEnabled ? 0x31 : 0x30);
}

/**
 * Contactless activation DATA (the spec says "type + UID + ATS" without a layout; ours):
 * type ('A' | 'B' in ASCII), UID length (1 byte), UID, then the ATS to the end.
 */
export function encodeContactless(card: ContactlessCard): Uint8Array {
  return Uint8Array.of(card.type.charCodeAt(0), card.uid.length, ...card.uid, ...card.ats);
}

export function decodeContactless(data: Uint8Array): ContactlessCard | undefined {
  if (data.length < 2) return undefined;
  const type = String.fromCharCode(data[0]);
  const n = data[1];
  if ((type !== 'A' && type !== 'B') || data.length < 2 + n) return undefined;
  return { type, uid: data.slice(2, 2 + n), ats: data.slice(2 + n) };
}

/**
 * How many leading bytes of a frame a debug trace may show. APDU commands keep STX..PM, their
 * positive answers STX..ST2; everything else is free of personal data and shown whole.
 */
export function traceHeadFor(raw: Uint8Array): number {
  if (raw.length < 9 || raw[0] !== STX) return raw.length;
  const [type, cm, pm] = [raw[4], raw[5], raw[6]];
  if (!isApduCommand(cm, pm) && !(cm === 0x51 && pm === 0x30) && !(cm === 0x52 && pm === 0x30)) return raw.length;
  if (type === TYPE_C) return 7;
  if (type === TYPE_P) return 10;
  return raw.length;
}
