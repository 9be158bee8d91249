/**
 * Errors the reader API raises itself (the card, PIN pad, reader and link layers have their own).
 * Each has a return code in return-codes.ts, so a caller only ever sees the national codes.
 */
import { YktError } from '../../drivers/common/errors.js';

export type ReaderApiErrorCode =
  | 'READER_API_BUSY' // another holder (the kiosk's own session or another client) has the reader
  | 'READER_API_NO_CARD' // no card on the interfaces iType allows
  | 'READER_API_NOT_CONNECTED' // the reader is unplugged, still starting, or faulty
  | 'READER_API_BAD_PARAMETER' // iType out of range
  | 'READER_API_UNSUPPORTED' // a function of the national interface this terminal does not offer
  | 'READER_API_NOT_LOOPBACK'; // configuration: the API would listen beyond this machine

export type ReaderHolderKind = 'kiosk' | 'api';

export class ReaderApiError extends YktError {
  declare readonly code: ReaderApiErrorCode;
  constructor(code: ReaderApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Thrown at once (never queued) when the reader is held: a caller must not hang on the kiosk. */
export class ReaderBusyError extends ReaderApiError {
  constructor(readonly heldBy: ReaderHolderKind) {
    super(
      'READER_API_BUSY',
      heldBy === 'kiosk' ? 'the reader is in use by the terminal’s own session' : 'the reader is in use by another client',
    );
  }
}
