export type { CardInfo } from './card-info.js';
export type { CardChannel, ApduPort } from './channel.js';
export { CardError, type CardErrorCode } from './card-error.js';
export { readCardInfo, powerOnCard, selectSsse } from './read-card.js';
export { checkValidity } from './validity.js';
export { authenticateCard, diversificationFactor, type AuthenticateOptions } from './authenticate.js';
export { presentPinCommand, PinError, type PinErrorCode } from './pin.js';
