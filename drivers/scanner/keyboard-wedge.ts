/**
 * Keyboard-wedge scanners: the code arrives as USB boot keyboard input reports, one key at a time,
 * ended by Enter. Pure: reports and time in, codes out.
 *
 * Report (8 bytes, boot protocol): byte 0 modifiers (bit 1 left Shift, bit 5 right Shift; bits 0/4
 * Ctrl, 2/6 Alt, 3/7 GUI), byte 1 reserved, bytes 2..7 up to six key usage ids (usage page 0x07)
 * of the keys held down, 00 for none. A key counts when it newly appears in a report (compared with
 * the previous report), so a held key, a key-up report (all zero) and a key still listed while the
 * next one goes down are not counted twice; the same character twice needs a release in between.
 * Reports with ErrorRollOver (01) in the key array are phantom states and are ignored.
 *
 * Layout: US. The table below is written by hand from the HID Usage Tables (§10, Keyboard/Keypad
 * page); keypad keys assume Num Lock on. Enter (28) and Keypad Enter (58) end a code. A key with no
 * character here (Esc, F-keys, Caps Lock, arrows…) or pressed with Ctrl/Alt/GUI makes the whole code
 * SCANNER_UNMAPPED_KEY: a wrong character must not pass as a right one.
 */
import type { CodecEvent, ScanCodec } from './text.js';
import { DEFAULT_INTER_BYTE_MS, DEFAULT_MAX_CODE_BYTES } from './serial-codec.js';

export const USAGE_ENTER = 0x28;
export const USAGE_KEYPAD_ENTER = 0x58;
export const MOD_LEFT_SHIFT = 0x02;
export const MOD_RIGHT_SHIFT = 0x20;
const MOD_SHIFT = MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT;
/** Ctrl, Alt and GUI, left and right. */
const MOD_OTHER = 0xff & ~MOD_SHIFT;
const ERROR_ROLL_OVER = 0x01;
const POST_FAIL = 0x02;
const ERROR_UNDEFINED = 0x03;

/** [usage, unshifted, shifted]; keypad keys give the same character either way. */
const KEYS: ReadonlyArray<readonly [number, string, string]> = [
  ...Array.from({ length: 26 }, (_, i) => [0x04 + i, String.fromCharCode(0x61 + i), String.fromCharCode(0x41 + i)] as const),
  [0x1e, '1', '!'],
  [0x1f, '2', '@'],
  [0x20, '3', '#'],
  [0x21, '4', '$'],
  [0x22, '5', '%'],
  [0x23, '6', '^'],
  [0x24, '7', '&'],
  [0x25, '8', '*'],
  [0x26, '9', '('],
  [0x27, '0', ')'],
  [0x2b, '\t', '\t'],
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  // Non-US # and ~: the US layout (and Linux) reads it as the backslash key. Listed after 0x31 so
  // the simulator types backslash with 0x31.
  [0x32, '\\', '|'],
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x59, '1', '1'],
  [0x5a, '2', '2'],
  [0x5b, '3', '3'],
  [0x5c, '4', '4'],
  [0x5d, '5', '5'],
  [0x5e, '6', '6'],
  [0x5f, '7', '7'],
  [0x60, '8', '8'],
  [0x61, '9', '9'],
  [0x62, '0', '0'],
  [0x63, '.', '.'],
];

const UNSHIFTED = new Map<number, string>(KEYS.map(([u, c]) => [u, c]));
const SHIFTED = new Map<number, string>(KEYS.map(([u, , c]) => [u, c]));
/** Character → the key a US keyboard types it with (main block first, never the keypad). */
const BY_CHAR = new Map<string, { usage: number; shift: boolean }>();
for (const [usage, plain, shifted] of KEYS) {
  if (!BY_CHAR.has(plain)) BY_CHAR.set(plain, { usage, shift: false });
  if (!BY_CHAR.has(shifted)) BY_CHAR.set(shifted, { usage, shift: true });
}

/** The character a key types with these modifiers, or undefined (unmapped key, Ctrl/Alt/GUI held). */
export function usageToChar(usage: number, modifiers: number): string | undefined {
  if (modifiers & MOD_OTHER) return undefined;
  return (modifiers & MOD_SHIFT ? SHIFTED : UNSHIFTED).get(usage);
}

/** How a US keyboard types `ch` (used by the simulator); undefined for characters it cannot type. */
export function keyForChar(ch: string): { usage: number; shift: boolean } | undefined {
  return BY_CHAR.get(ch);
}

export interface KeyboardWedgeOptions {
  /** Longest code accepted, in characters (default 4096). */
  maxLength?: number;
  /** A code whose last report is older than this is discarded (default 100 ms). */
  interByteMs?: number;
  /** Set when the keyboard's input report is numbered (composite devices): reports with another id are ignored. */
  reportId?: number;
}

export class KeyboardWedgeDecoder implements ScanCodec {
  private pressed: number[] = [];
  private chars: string[] = [];
  /** Keys typed for the code in progress, mapped or not. */
  private count = 0;
  private unmapped?: { usage: number; modifiers: number };
  private discarding = false;
  private lastAt = 0;
  private readonly maxLength: number;
  private readonly interByteMs: number;

  constructor(private readonly opts: KeyboardWedgeOptions = {}) {
    this.maxLength = Math.max(1, opts.maxLength ?? DEFAULT_MAX_CODE_BYTES);
    this.interByteMs = opts.interByteMs ?? DEFAULT_INTER_BYTE_MS;
  }

  push(report: Uint8Array, now: number): CodecEvent[] {
    let r = report;
    if (this.opts.reportId !== undefined) {
      if (r[0] !== this.opts.reportId) return [];
      r = r.subarray(1);
    }
    if (r.length < 3) return [];
    const keys = [...r.subarray(2, 8)].filter((k) => k !== 0);
    if (keys.some((k) => k === ERROR_ROLL_OVER || k === POST_FAIL || k === ERROR_UNDEFINED)) return [];
    const out = this.expire(now);
    for (const k of keys) if (!this.pressed.includes(k)) this.press(k, r[0], out);
    this.pressed = keys;
    this.lastAt = now;
    return out;
  }

  expire(now: number): CodecEvent[] {
    if (!this.busy() || now - this.lastAt < this.interByteMs) return [];
    const length = this.count;
    this.clear();
    this.discarding = false;
    return length > 0 ? [{ kind: 'discarded', length }] : [];
  }

  nextDeadline(): number | undefined {
    return this.busy() ? this.lastAt + this.interByteMs : undefined;
  }

  abandon(): void {
    if (this.count === 0) return;
    this.clear();
    this.discarding = true;
  }

  reset(): void {
    this.clear();
    this.discarding = false;
    this.pressed = [];
  }

  private press(usage: number, modifiers: number, out: CodecEvent[]): void {
    if (usage === USAGE_ENTER || usage === USAGE_KEYPAD_ENTER) {
      if (!this.discarding && this.count > 0) out.push(this.finish());
      this.clear();
      this.discarding = false;
      return;
    }
    if (this.discarding) return;
    const ch = usageToChar(usage, modifiers);
    if (ch === undefined) this.unmapped ??= { usage, modifiers };
    else this.chars.push(ch);
    if (++this.count > this.maxLength) {
      out.push({ kind: 'error', code: 'SCANNER_TOO_LONG', length: this.count, detail: `no Enter within ${this.maxLength} keys` });
      this.clear();
      this.discarding = true;
    }
  }

  private finish(): CodecEvent {
    if (this.unmapped === undefined) return { kind: 'code', text: this.chars.join('') };
    const { usage, modifiers } = this.unmapped;
    const x = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
    const detail = modifiers & MOD_OTHER ? `key ${x(usage)} with Ctrl/Alt/GUI (modifiers ${x(modifiers)})` : `key ${x(usage)} has no character in the US layout table`;
    return { kind: 'error', code: 'SCANNER_UNMAPPED_KEY', length: this.count, detail };
  }

  private busy(): boolean {
    return this.count > 0 || this.discarding;
  }

  private clear(): void {
    this.chars = [];
    this.count = 0;
    this.unmapped = undefined;
  }
}
