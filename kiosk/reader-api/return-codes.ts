/**
 * Return codes of the national reader interface (SSCardDriver, /work/shared/spec/ssc-card.md) and
 * the one table that turns the project's typed errors into them. Hospital systems branch on these
 * numbers exactly as they do with the vendor DLL, so a code here is a wire contract: never reuse
 * one for another meaning. docs/reader-api.md lists them for callers.
 */
import { errorCodeOf } from '../card/card-error.js';

export const RC = {
  OK: 0,
  WRONG_CARD_TYPE: -1,
  NO_CARD: -2,
  CARD_NOT_POWERED: -3,
  CARD_NO_ANSWER: -4,
  READER_CONNECTION: -11,
  NOT_CONNECTED: -12,
  NOT_SUPPORTED: -13,
  BAD_PARAMETER: -14,
  BAD_CARD_ID: -20,
  NOT_GENUINE: -21,
  PIN_CANCELLED: -31,
  PIN_TIMEOUT: -32,
  PIN_LENGTH: -33,
  NEW_PINS_DIFFER: -34,
  INITIAL_PIN: -35,
  BACK_TO_INITIAL_PIN: -36,
  WRONG_PIN: -51,
  PIN_LOCKED: -52,
  NO_PSAM: -2201,
  PSAM_ALGORITHM: -2202,
  // Extensions of this terminal. The spec's codes are -1..-52, -2201/-2202 and -SW (≤ -24576 for
  // every 6xxx/9xxx word), so -90..-99 cannot collide with a code a DLL returns.
  READER_BUSY: -90,
  PIN_TOO_WEAK: -91,
  INTERNAL: -99,
} as const;

/** Codes this terminal adds to the spec's list (documented as such in docs/reader-api.md). */
export const EXTENSION_CODES: readonly number[] = [RC.READER_BUSY, RC.PIN_TOO_WEAK, RC.INTERNAL];

/**
 * Typed error code → return code. CARD_SW_xxxx, CARD_SECURITY (6982) and CARD_COMM are resolved in
 * returnCodeFor (they depend on the status word or the cause), the rest is this table.
 */
export const ERROR_RETURN_CODES: Readonly<Record<string, number>> = {
  // kiosk/card CardError
  CARD_NO_ATR: RC.CARD_NO_ANSWER,
  CARD_NOT_SSC: RC.WRONG_CARD_TYPE, // a bank-only card: no social security application
  CARD_NO_FINANCIAL: RC.WRONG_CARD_TYPE,
  CARD_REMOVED: RC.NO_CARD,
  CARD_COMM: RC.CARD_NO_ANSWER,
  CARD_BAD_DATA: RC.BAD_CARD_ID, // a record that does not decode: the card's data is not valid
  CARD_NOT_GENUINE: RC.NOT_GENUINE,
  PSAM_ABSENT: RC.NO_PSAM,
  PSAM_FAILED: RC.NO_PSAM, // a PSAM that does not work is, to the caller, no PSAM (6A86 → -2202 below)
  // kiosk/card PinError and the session's PIN outcomes (kiosk/session/pin-actors.ts)
  PIN_WRONG: RC.WRONG_PIN,
  PIN_LOCKED: RC.PIN_LOCKED,
  PIN_CANCELLED: RC.PIN_CANCELLED,
  PIN_TIMEOUT: RC.PIN_TIMEOUT,
  PIN_MISMATCH: RC.NEW_PINS_DIFFER,
  PIN_WEAK: RC.PIN_TOO_WEAK, // reason 'initial' → -36 below
  // drivers/pinpad PinPadError
  PINPAD_CANCELLED: RC.PIN_CANCELLED,
  PINPAD_TIMEOUT: RC.PIN_TIMEOUT,
  PINPAD_NO_PIN: RC.PIN_CANCELLED, // the entry was stopped before a PIN was complete
  PINPAD_PIN_LENGTH: RC.PIN_LENGTH,
  PINPAD_PIN_MISMATCH: RC.NEW_PINS_DIFFER,
  PINPAD_PIN_WEAK: RC.PIN_TOO_WEAK,
  PINPAD_BUSY: RC.READER_BUSY,
  PINPAD_PARAMETER: RC.READER_CONNECTION,
  PINPAD_UNDEFINED_COMMAND: RC.READER_CONNECTION,
  PINPAD_NO_KEY: RC.READER_CONNECTION,
  PINPAD_ALGORITHM: RC.READER_CONNECTION,
  PINPAD_HARDWARE: RC.READER_CONNECTION,
  PINPAD_UNKNOWN_ERROR: RC.READER_CONNECTION,
  PINPAD_BAD_ANSWER: RC.READER_CONNECTION,
  PINPAD_KCV_MISMATCH: RC.READER_CONNECTION,
  PINPAD_NO_ENTRY: RC.READER_CONNECTION,
  PINPAD_SLOT_EMPTY: RC.READER_CONNECTION,
  // drivers/card-reader ReaderError
  READER_NO_ATR: RC.CARD_NO_ANSWER,
  READER_CARD_COMM: RC.CARD_NO_ANSWER,
  READER_CARD_REMOVED: RC.NO_CARD,
  READER_WRONG_POSITION: RC.NO_CARD, // no card where the command needs one
  READER_NO_CONTACTLESS: RC.NO_CARD,
  READER_CONTACTLESS_COMM: RC.CARD_NO_ANSWER,
  READER_PSAM_ABSENT: RC.NO_PSAM,
  READER_PSAM_COMM: RC.NO_PSAM,
  READER_UNDEFINED_COMMAND: RC.NOT_SUPPORTED,
  READER_PARAMETER: RC.BAD_PARAMETER,
  READER_MOTOR: RC.READER_CONNECTION,
  READER_JAMMED: RC.READER_CONNECTION,
  READER_BIN_FULL: RC.READER_CONNECTION,
  READER_UNKNOWN_ERROR: RC.READER_CONNECTION,
  READER_BAD_ANSWER: RC.READER_CONNECTION,
  // drivers/serial LinkError / TransportError: gone is "not connected", garbled is "connection error"
  LINK_DISCONNECTED: RC.NOT_CONNECTED,
  LINK_CLOSED: RC.NOT_CONNECTED,
  LINK_OPEN_FAILED: RC.NOT_CONNECTED,
  LINK_NO_ACK: RC.READER_CONNECTION,
  LINK_NAK: RC.READER_CONNECTION,
  LINK_TIMEOUT: RC.READER_CONNECTION,
  LINK_GARBLED: RC.READER_CONNECTION,
  LINK_CANCELED: RC.READER_CONNECTION,
  TRANSPORT_OPEN_FAILED: RC.NOT_CONNECTED,
  TRANSPORT_NOT_OPEN: RC.NOT_CONNECTED,
  TRANSPORT_WRITE_FAILED: RC.READER_CONNECTION,
  // kiosk/reader-api ReaderApiError
  READER_API_BUSY: RC.READER_BUSY,
  READER_API_NO_CARD: RC.NO_CARD,
  READER_API_NOT_CONNECTED: RC.NOT_CONNECTED,
  READER_API_BAD_PARAMETER: RC.BAD_PARAMETER,
  READER_API_UNSUPPORTED: RC.NOT_SUPPORTED,
};

const MESSAGES: Readonly<Record<number, string>> = {
  [RC.OK]: 'ok (成功)',
  [RC.WRONG_CARD_TYPE]: 'not a social security card (卡类型不对)',
  [RC.NO_CARD]: 'no card (无卡)',
  [RC.CARD_NOT_POWERED]: 'card not powered (卡片未上电)',
  [RC.CARD_NO_ANSWER]: 'the card does not answer (卡片无应答)',
  [RC.READER_CONNECTION]: 'reader connection error (读卡器连接错误)',
  [RC.NOT_CONNECTED]: 'reader not connected (未建立连接)',
  [RC.NOT_SUPPORTED]: 'command not supported (不支持该操作)',
  [RC.BAD_PARAMETER]: 'bad parameter (参数错误)',
  [RC.BAD_CARD_ID]: 'the card’s data is not valid (卡识别码或卡数据错误)',
  [RC.NOT_GENUINE]: 'internal authentication failed: the card is not genuine (内部认证失败)',
  [RC.PIN_CANCELLED]: 'PIN entry cancelled (用户取消密码输入)',
  [RC.PIN_TIMEOUT]: 'PIN entry timed out (密码输入超时)',
  [RC.PIN_LENGTH]: 'wrong PIN length (密码长度错误)',
  [RC.NEW_PINS_DIFFER]: 'the two new PINs differ (两次输入的新密码不一致)',
  [RC.INITIAL_PIN]: 'the initial PIN may not be used (初始密码不允许使用)',
  [RC.BACK_TO_INITIAL_PIN]: 'may not change back to the initial PIN (不能修改为初始密码)',
  [RC.WRONG_PIN]: 'wrong PIN (密码错误)',
  [RC.PIN_LOCKED]: 'PIN locked (密码已锁)',
  [RC.NO_PSAM]: 'no usable PSAM (无PSAM卡)',
  [RC.PSAM_ALGORITHM]: 'PSAM does not support the algorithm (PSAM卡算法不支持)',
  [RC.READER_BUSY]: 'reader busy: held by another user (读卡器忙)',
  [RC.PIN_TOO_WEAK]: 'the new PIN is too weak (新密码过于简单)',
  [RC.INTERNAL]: 'unexpected error in the terminal (终端内部错误)',
};

/** The caller-facing text of a code; negative status words read as "card status word 6A82". */
export function messageFor(code: number): string {
  const m = MESSAGES[code];
  if (m) return m;
  if (code <= -0x6000 && code >= -0xffff) return `card status word ${(-code).toString(16).toUpperCase()} (卡片返回状态字)`;
  return `error ${code}`;
}

function field<T>(err: unknown, name: string): T | undefined {
  return typeof err === 'object' && err !== null && name in err ? ((err as Record<string, unknown>)[name] as T) : undefined;
}

/** A card status word carried by a CardError (`sw`), or spelled in its code (CARD_SW_6A82). */
function cardSw(err: unknown, code: string): number | undefined {
  const sw = field<number>(err, 'sw');
  if (typeof sw === 'number' && (code.startsWith('CARD_SW_') || code === 'CARD_SECURITY')) return sw;
  const m = /^CARD_SW_([0-9A-F]{4})$/.exec(code);
  return m ? parseInt(m[1]!, 16) : undefined;
}

/** The national return code for whatever a function failed with. Unknown errors are -99, not 0. */
export function returnCodeFor(err: unknown): number {
  const code = errorCodeOf(err);
  if (code === undefined) return RC.INTERNAL;
  if (code === 'CARD_SECURITY') return -(field<number>(err, 'sw') ?? 0x6982);
  const sw = cardSw(err, code);
  if (sw !== undefined) return -sw;
  if (code === 'CARD_COMM') {
    // The card layer folds every transport failure into CARD_COMM; the caller must still be able to
    // tell a dead link (-11/-12) from a card that stopped answering (-4).
    const below = returnCodeFor(field(err, 'cause'));
    return below === RC.NOT_CONNECTED || below === RC.READER_CONNECTION ? below : RC.CARD_NO_ANSWER;
  }
  if (code === 'PSAM_FAILED' && field<number>(err, 'sw') === 0x6a86) return RC.PSAM_ALGORITHM;
  if ((code === 'PIN_WEAK' || code === 'PINPAD_PIN_WEAK') && field<string>(err, 'reason') === 'initial') return RC.BACK_TO_INITIAL_PIN;
  return ERROR_RETURN_CODES[code] ?? RC.INTERNAL;
}
