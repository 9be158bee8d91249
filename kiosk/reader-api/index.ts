export { ReaderArbiter, arbitratedAccess, type OpenedSession, type ReaderHolder, type Release } from './arbiter.js';
export { ReaderApiConfigSchema, type ReaderApiConfig } from './config.js';
export { createDriverSession, type DriverSessionDeps, type PinPrompt } from './driver-session.js';
export { ReaderApiError, ReaderBusyError, type ReaderApiErrorCode } from './errors.js';
export {
  READER_FUNCTIONS,
  createReaderFunctions,
  formatCardBas,
  type CardAccess,
  type CardInterface,
  type FunctionResult,
  type IType,
  type ReaderFunctionName,
  type ReaderInfo,
  type ReaderSession,
} from './functions.js';
export { RC, ERROR_RETURN_CODES, EXTENSION_CODES, messageFor, returnCodeFor } from './return-codes.js';
export { createReaderApiServer, type ReaderApiServer, type ReaderApiServerOptions } from './server.js';
