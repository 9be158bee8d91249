import { YktError } from '../../drivers/common/errors.js';

export type PrintFormatErrorCode = 'PRINT_BAD_AMOUNT' | 'PRINT_BAD_MONTH' | 'PRINT_BAD_TIME' | 'PRINT_BAD_WIDTH';

/**
 * A value that cannot be put on paper as it stands. Raised before a single byte is sent: a statement
 * with a made-up amount or date must not print at all rather than print wrong.
 */
export class PrintFormatError extends YktError {
  declare readonly code: PrintFormatErrorCode;
  constructor(code: PrintFormatErrorCode, message: string) {
    super(code, message);
  }
}
