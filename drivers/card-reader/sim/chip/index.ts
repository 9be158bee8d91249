export type { SimChip } from './chip-interface.js';
export { createSimCard, SSSE_DF_NAME, type SimCard, type SimCardOptions } from './sim-card.js';
export { createSimPsam, PSAM_AID, PSAM_ATR } from './psam.js';
export {
  DEMO_KEYS,
  ALGORITHM_ID,
  algorithmForGeneration,
  cryptogram,
  deriveCardKey,
  diversificationFactor,
  masterKey,
  type CardAlgorithm,
  type MasterKeys,
  type SimKeySet,
} from './keys.js';
export { buildAtr } from './atr.js';
export { UNIONPAY_DEBIT_AID } from './financial.js';
export { cardIdCodeOf } from './ssc-files.js';
