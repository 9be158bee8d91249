/**
 * Frame codec of the reference gate (turnstile) I/O board (devices.md §5). Pure functions shared by
 * the driver, the stream decoder and the simulator, so both ends of the simulated wire agree by
 * construction and the byte-exact tests pin them to the spec.
 *
 * Frame (both ways): STX(02) CMD DATA… ETX(03) BCC — no length byte; BCC = XOR of STX..ETX.
 * CMD is an ASCII capital letter and DATA printable ASCII, so neither can hold STX, ETX, ACK or NAK:
 * that is what lets the decoder find the end of a frame without a length.
 * Single bytes ACK(06) / NAK(15) answer a command (and the host ACKs each event frame).
 *
 * The spec names the commands and events; their DATA and the status reply are ours (docs/gate.md).
 */

export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
/** STX + CMD + ETX + BCC. */
export const FRAME_OVERHEAD = 4;
/** Longest DATA the decoder waits for; a longer body is taken as corruption. */
export const MAX_DATA = 8;

const ch = (c: string): number => c.charCodeAt(0);

/** Host → board. */
export const GATE_COMMANDS = {
  open: ch('O'),
  close: ch('C'),
  lights: ch('L'),
  alarm: ch('A'),
  status: ch('S'),
} as const satisfies Record<string, number>;
export type GateCommandName = keyof typeof GATE_COMMANDS;

/** Board → host, unsolicited (the status reply `S` is not an event). */
export const GATE_EVENTS = {
  passage: ch('P'),
  tailgating: ch('T'),
  fault: ch('F'),
} as const satisfies Record<string, number>;
export type GateEventName = keyof typeof GATE_EVENTS;

export type Direction = 'in' | 'out';
export type Lights = 'green' | 'red' | 'off';
/** The board's own state word: the arms, or a fault it reported. */
export type BoardState = 'closed' | 'open-in' | 'open-out' | 'fault';

export interface BoardStatus {
  state: BoardState;
  lights: Lights;
  alarm: boolean;
}

export const DIRECTION_BYTE: Readonly<Record<Direction, number>> = { in: ch('1'), out: ch('2') };
export const LIGHTS_BYTE: Readonly<Record<Lights, number>> = { green: ch('G'), red: ch('R'), off: ch('0') };
export const ALARM_BYTE = { on: ch('1'), off: ch('0') } as const;
export const STATE_BYTE: Readonly<Record<BoardState, number>> = { closed: ch('0'), 'open-in': ch('1'), 'open-out': ch('2'), fault: ch('9') };

function reverse<K extends string>(table: Readonly<Record<K, number>>, byte: number): K | undefined {
  for (const [k, v] of Object.entries(table) as [K, number][]) if (v === byte) return k;
  return undefined;
}

export const directionOf = (b: number): Direction | undefined => reverse(DIRECTION_BYTE, b);
export const lightsOf = (b: number): Lights | undefined => reverse(LIGHTS_BYTE, b);
export const stateOf = (b: number): BoardState | undefined => reverse(STATE_BYTE, b);

export function commandName(cmd: number): GateCommandName | undefined {
  return reverse(GATE_COMMANDS, cmd);
}

export function eventName(cmd: number): GateEventName | undefined {
  return reverse(GATE_EVENTS, cmd);
}

/** One frame as it crosses the wire; what CMD/DATA mean depends on the direction. */
export interface GateFrame {
  cmd: number;
  data: Uint8Array;
}

export function bcc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i];
  return x;
}

/** CMD bytes: 'A'..'Z'. */
export const isCommandByte = (b: number): boolean => b >= 0x41 && b <= 0x5a;
/** DATA bytes: printable ASCII. */
export const isDataByte = (b: number): boolean => b >= 0x20 && b <= 0x7e;

export function encodeFrame(cmd: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (!isCommandByte(cmd)) throw new RangeError(`gate CMD must be 'A'..'Z', got 0x${cmd.toString(16)}`);
  if (data.length > MAX_DATA) throw new RangeError(`gate frame data too long: ${data.length}`);
  if (!data.every(isDataByte)) throw new RangeError('gate frame data must be printable ASCII');
  const out = new Uint8Array(data.length + FRAME_OVERHEAD);
  out[0] = STX;
  out[1] = cmd;
  out.set(data, 2);
  out[out.length - 2] = ETX;
  out[out.length - 1] = bcc(out, 0, out.length - 1);
  return out;
}

export type DecodeResult = { ok: true; frame: GateFrame } | { ok: false; reason: string };

/** Decodes exactly one complete frame. */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (bytes.length < FRAME_OVERHEAD) return { ok: false, reason: 'too short' };
  if (bytes[0] !== STX) return { ok: false, reason: 'no STX' };
  if (bytes.length > MAX_DATA + FRAME_OVERHEAD) return { ok: false, reason: 'too long' };
  if (bytes[bytes.length - 2] !== ETX) return { ok: false, reason: 'no ETX' };
  if (bcc(bytes, 0, bytes.length - 1) !== bytes[bytes.length - 1]) return { ok: false, reason: 'BCC mismatch' };
  if (!isCommandByte(bytes[1])) return { ok: false, reason: 'bad CMD' };
  const data = bytes.slice(2, bytes.length - 2);
  if (!data.every(isDataByte)) return { ok: false, reason: 'non-ASCII data' };
  return { ok: true, frame: { cmd: bytes[1], data } };
}

// ---- commands (host → board) ----------------------------------------------------------------

export type GateCommand =
  | { kind: 'open'; direction: Direction }
  | { kind: 'close' }
  | { kind: 'lights'; lights: Lights }
  | { kind: 'alarm'; on: boolean }
  | { kind: 'status' };

/** `O` + '1' in / '2' out — the spec's worked example `02 4F 31 03 7F` is open inward. */
export function encodeCommand(c: GateCommand): Uint8Array {
  switch (c.kind) {
    case 'open':
      return encodeFrame(GATE_COMMANDS.open, Uint8Array.of(DIRECTION_BYTE[c.direction]));
    case 'close':
      return encodeFrame(GATE_COMMANDS.close);
    case 'lights':
      return encodeFrame(GATE_COMMANDS.lights, Uint8Array.of(LIGHTS_BYTE[c.lights]));
    case 'alarm':
      return encodeFrame(GATE_COMMANDS.alarm, Uint8Array.of(c.on ? ALARM_BYTE.on : ALARM_BYTE.off));
    case 'status':
      return encodeFrame(GATE_COMMANDS.status);
  }
}

/** A host frame read as a command (the board's side); undefined when CMD or DATA is not valid. */
export function parseCommand(f: GateFrame): GateCommand | undefined {
  const d = f.data;
  switch (commandName(f.cmd)) {
    case 'open': {
      const direction = d.length === 1 ? directionOf(d[0]) : undefined;
      return direction ? { kind: 'open', direction } : undefined;
    }
    case 'close':
      return d.length === 0 ? { kind: 'close' } : undefined;
    case 'lights': {
      const lights = d.length === 1 ? lightsOf(d[0]) : undefined;
      return lights ? { kind: 'lights', lights } : undefined;
    }
    case 'alarm':
      if (d.length !== 1 || (d[0] !== ALARM_BYTE.on && d[0] !== ALARM_BYTE.off)) return undefined;
      return { kind: 'alarm', on: d[0] === ALARM_BYTE.on };
    case 'status':
      return d.length === 0 ? { kind: 'status' } : undefined;
    default:
      return undefined;
  }
}

// ---- status reply (board → host, ours) ------------------------------------------------------

/** `S <state> <lights> <alarm>`: the board answers `S` with this frame instead of an ACK. */
export function encodeStatusReply(s: BoardStatus): Uint8Array {
  return encodeFrame(GATE_COMMANDS.status, Uint8Array.of(STATE_BYTE[s.state], LIGHTS_BYTE[s.lights], s.alarm ? ALARM_BYTE.on : ALARM_BYTE.off));
}

export function parseStatusReply(f: GateFrame): BoardStatus | undefined {
  if (f.cmd !== GATE_COMMANDS.status || f.data.length !== 3) return undefined;
  const state = stateOf(f.data[0]);
  const lights = lightsOf(f.data[1]);
  const a = f.data[2];
  if (!state || !lights || (a !== ALARM_BYTE.on && a !== ALARM_BYTE.off)) return undefined;
  return { state, lights, alarm: a === ALARM_BYTE.on };
}

// ---- events (board → host) ------------------------------------------------------------------

export type GateEvent =
  | { kind: 'passage'; direction?: Direction }
  | { kind: 'tailgating'; direction?: Direction }
  | { kind: 'fault'; code: string };

/**
 * `P` / `T` carry no data on the reference board (`02 50 03 51`); a board that adds the direction
 * byte ('1' / '2') is read too. `F` carries two ASCII digits (errors.ts GATE_FAULT_TABLE).
 */
export function encodeEvent(e: GateEvent): Uint8Array {
  switch (e.kind) {
    case 'passage':
    case 'tailgating': {
      const data = e.direction ? Uint8Array.of(DIRECTION_BYTE[e.direction]) : undefined;
      return encodeFrame(GATE_EVENTS[e.kind], data);
    }
    case 'fault':
      if (!/^\d{2}$/.test(e.code)) throw new RangeError(`fault code must be two digits, got ${e.code}`);
      return encodeFrame(GATE_EVENTS.fault, new Uint8Array(Buffer.from(e.code, 'ascii')));
  }
}

export function parseEvent(f: GateFrame): GateEvent | undefined {
  const d = f.data;
  const kind = eventName(f.cmd);
  switch (kind) {
    case 'passage':
    case 'tailgating': {
      if (d.length === 0) return { kind };
      const direction = d.length === 1 ? directionOf(d[0]) : undefined;
      return direction ? { kind, direction } : undefined;
    }
    case 'fault': {
      const code = Buffer.from(d).toString('ascii');
      return /^\d{2}$/.test(code) ? { kind: 'fault', code } : undefined;
    }
    default:
      return undefined;
  }
}
