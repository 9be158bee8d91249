/** Electronic social security card codes (电子社保卡二维码): format, verification, online check. docs/ecard.md. */
export { checkEcardCode, type EcardCheck, type EcardCheckOptions, type EcardHolder } from './check.js';
export { EcardConfigSchema, trustedEcardKeys, type EcardConfig } from './config.js';
export { ECARD_ERROR_CODES, ECARD_REASONS, EcardError, isEcardError, type EcardErrorCode, type EcardLang } from './errors.js';
export {
  ECARD_MAX_LENGTH,
  ECARD_PREFIX,
  EcardClaimsSchema,
  assembleEcardCode,
  ecardSigningInput,
  encodeEcardPayload,
  parseEcardCode,
  type EcardClaims,
  type ParsedEcardCode,
} from './format.js';
export { ecardPrivateKey, ecardPublicKey, loadEcardPublicKeys, type EcardKeyInput } from './keys.js';
export { signEcardCode } from './sign.js';
export { ECARD_DEFAULT_SKEW_MS, assertEcardCode, verifyEcardCode, type EcardVerification, type EcardVerifyOptions } from './verify.js';
