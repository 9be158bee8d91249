export { sessionMachine, type SessionMachine } from './machine.js';
export {
  DEFAULT_SESSION_CONFIG,
  MENU_WARNING_MS,
  SessionConfigSchema,
  menuWarningMs,
  resolveSessionConfig,
  type SessionConfig,
} from './config.js';
export { classifyReadError, toSessionError, type ReadFailure, type SessionError } from './errors.js';
export * from './types.js';
export { screenOf, cardPlace, type SessionSnapshot } from './snapshot.js';
