/** The one table from the project's typed errors to the national interface's return codes. */
import { describe, expect, it } from 'vitest';
import { CardError, cardSwError } from '../../../kiosk/card/card-error.js';
import { PinError } from '../../../kiosk/card/pin.js';
import { ReaderError } from '../../../drivers/card-reader/errors.js';
import { PinPadError } from '../../../drivers/pinpad/errors.js';
import { LinkError, TransportError } from '../../../drivers/serial/errors.js';
import { YktError } from '../../../drivers/common/errors.js';
import { PinFlowError } from '../../../kiosk/session/pin-actors.js';
import { ReaderApiError, ReaderBusyError } from '../../../kiosk/reader-api/errors.js';
import { ERROR_RETURN_CODES, EXTENSION_CODES, RC, messageFor, returnCodeFor } from '../../../kiosk/reader-api/return-codes.js';

/** Every code the spec lists (ssc-card.md, "The national reader interface"). */
const SPEC_CODES = [0, -1, -2, -3, -4, -11, -12, -13, -14, -15, -20, -21, -22, -24, -25, -31, -32, -33, -34, -35, -36, -41, -42, -51, -52, -2201, -2202];

describe('returnCodeFor', () => {
  it.each([
    ['CARD_NOT_SSC (bank-only card)', new CardError('CARD_NOT_SSC', 'x', { sw: 0x6a82 }), -1],
    ['CARD_NO_ATR', new CardError('CARD_NO_ATR', 'x'), -4],
    ['CARD_REMOVED', new CardError('CARD_REMOVED', 'x'), -2],
    ['CARD_NOT_GENUINE', new CardError('CARD_NOT_GENUINE', 'x'), -21],
    ['CARD_BAD_DATA', new CardError('CARD_BAD_DATA', 'x'), -20],
    ['PSAM_ABSENT', new CardError('PSAM_ABSENT', 'x'), -2201],
    ['PSAM_ABSENT from the PSAM power-on', new YktError('PSAM_ABSENT', 'x'), -2201],
    ['PSAM_FAILED', new CardError('PSAM_FAILED', 'x', { sw: 0x6985 }), -2201],
    ['PSAM_FAILED 6A86 (algorithm)', new CardError('PSAM_FAILED', 'x', { sw: 0x6a86 }), -2202],
    ['card SW 6A82', cardSwError(0x6a82, 'READ'), -27266],
    ['card SW 6A83', cardSwError(0x6a83, 'READ'), -0x6a83],
    ['card SW spelled in the code only', new YktError('CARD_SW_6D00', 'x'), -0x6d00],
    ['CARD_SECURITY (6982)', cardSwError(0x6982, 'READ'), -0x6982],
    ['PIN_WRONG', new PinError('PIN_WRONG', 'x', 2), -51],
    ['PIN_LOCKED', new PinError('PIN_LOCKED', 'x', 0), -52],
    ['PIN_CANCELLED (flow)', new PinFlowError('PIN_CANCELLED', 'x'), -31],
    ['PIN_TIMEOUT (flow)', new PinFlowError('PIN_TIMEOUT', 'x'), -32],
    ['PINPAD_CANCELLED', new PinPadError('PINPAD_CANCELLED'), -31],
    ['PINPAD_TIMEOUT', new PinPadError('PINPAD_TIMEOUT'), -32],
    ['PINPAD_PIN_LENGTH', new PinPadError('PINPAD_PIN_LENGTH'), -33],
    ['PINPAD_PIN_MISMATCH', new PinPadError('PINPAD_PIN_MISMATCH'), -34],
    ['PINPAD_PIN_WEAK initial', new PinPadError('PINPAD_PIN_WEAK', { reason: 'initial' }), -36],
    ['PINPAD_PIN_WEAK repeated (extension)', new PinPadError('PINPAD_PIN_WEAK', { reason: 'repeated' }), -91],
    ['PIN_WEAK initial (flow)', new PinFlowError('PIN_WEAK', 'x', { reason: 'initial' }), -36],
    ['PINPAD_HARDWARE', new PinPadError('PINPAD_HARDWARE'), -11],
    ['READER_NO_ATR', new ReaderError('READER_NO_ATR'), -4],
    ['READER_CARD_REMOVED', new ReaderError('READER_CARD_REMOVED'), -2],
    ['READER_NO_CONTACTLESS', new ReaderError('READER_NO_CONTACTLESS'), -2],
    ['READER_PSAM_ABSENT', new ReaderError('READER_PSAM_ABSENT'), -2201],
    ['READER_UNDEFINED_COMMAND', new ReaderError('READER_UNDEFINED_COMMAND'), -13],
    ['READER_JAMMED', new ReaderError('READER_JAMMED'), -11],
    ['LINK_DISCONNECTED', new LinkError('reader', 'LINK_DISCONNECTED', 'x'), -12],
    ['LINK_CLOSED', new LinkError('reader', 'LINK_CLOSED', 'x'), -12],
    ['LINK_TIMEOUT', new LinkError('reader', 'LINK_TIMEOUT', 'x'), -11],
    ['LINK_GARBLED', new LinkError('reader', 'LINK_GARBLED', 'x'), -11],
    ['TRANSPORT_NOT_OPEN', new TransportError('reader', 'TRANSPORT_NOT_OPEN', 'x'), -12],
    ['READER_API_BUSY', new ReaderBusyError('kiosk'), -90],
    ['READER_API_NO_CARD', new ReaderApiError('READER_API_NO_CARD', 'x'), -2],
    ['READER_API_NOT_CONNECTED', new ReaderApiError('READER_API_NOT_CONNECTED', 'x'), -12],
    ['READER_API_BAD_PARAMETER', new ReaderApiError('READER_API_BAD_PARAMETER', 'x'), -14],
    ['READER_API_UNSUPPORTED', new ReaderApiError('READER_API_UNSUPPORTED', 'x'), -13],
  ])('%s → %i', (_what, err, code) => {
    expect(returnCodeFor(err)).toBe(code);
  });

  it('CARD_COMM tells a dead link from a silent card by its cause', () => {
    const comm = (cause?: unknown) => new CardError('CARD_COMM', 'x', { cause });
    expect(returnCodeFor(comm(new LinkError('reader', 'LINK_DISCONNECTED', 'x')))).toBe(-12);
    expect(returnCodeFor(comm(new LinkError('reader', 'LINK_NO_ACK', 'x')))).toBe(-11);
    expect(returnCodeFor(comm(new ReaderError('READER_CARD_COMM')))).toBe(-4);
    expect(returnCodeFor(comm())).toBe(-4);
  });

  it('anything unknown is -99, never 0', () => {
    expect(returnCodeFor(new Error('boom'))).toBe(-99);
    expect(returnCodeFor(new YktError('SOMETHING_NEW', 'x'))).toBe(-99);
    expect(returnCodeFor(undefined)).toBe(-99);
  });
});

describe('the code list', () => {
  it('maps only to codes of the spec, negative status words, or the documented extensions', () => {
    for (const [err, code] of Object.entries(ERROR_RETURN_CODES)) {
      expect(SPEC_CODES.includes(code) || EXTENSION_CODES.includes(code), `${err} → ${code}`).toBe(true);
    }
  });

  it('extensions lie outside the spec’s list and the status-word range', () => {
    for (const c of EXTENSION_CODES) {
      expect(SPEC_CODES).not.toContain(c);
      expect(c).toBeGreaterThan(-0x6000);
    }
    expect(RC.READER_BUSY).toBe(-90);
  });

  it('every code has a message; status words read as such', () => {
    for (const code of [...Object.values(RC)]) expect(messageFor(code)).not.toMatch(/^error /);
    expect(messageFor(-27266)).toBe('card status word 6A82 (卡片返回状态字)');
  });
});
