export { sessionMachine, type SessionMachine } from './machine.js';
export {
  DEFAULT_SESSION_CONFIG,
  MENU_WARNING_MS,
  SessionConfigSchema,
  StatusAction,
  menuWarningMs,
  resolveSessionConfig,
  type SessionConfig,
} from './config.js';
export {
  classifyPinError,
  classifyReadError,
  toSessionError,
  type PinFailure,
  type ReadFailure,
  type SessionError,
} from './errors.js';
export { MENU_SERVICES, offeredServices, serviceAvailable, unavailableBecause, type MenuService } from './services.js';
export { isCardless, isTapSession } from './cardless.js';
export * from './types.js';
export { screenOf, cardPlace, type SessionSnapshot } from './snapshot.js';
export * from './register-types.js';
export { HOLD_STATES, regControl } from './register.js';
