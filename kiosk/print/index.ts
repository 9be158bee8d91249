/** Printed documents: domain objects → Receipt (drivers/printer encodes them). */
export { statementReceipt, statementQrPayload, type StatementReceiptOptions } from './statement-receipt.js';
export { STATEMENT_STRINGS, type PrintLang, type StatementStrings } from './strings.js';
export { CST_OFFSET_MINUTES, localTime, month, padEnd, padStart, printable, wrap, yuan } from './format.js';
export { PrintFormatError, type PrintFormatErrorCode } from './errors.js';
export { SAMPLE_EMPLOYER, SAMPLE_VERIFY_URL_BASE, sampleStatement } from './sample-statement.js';
