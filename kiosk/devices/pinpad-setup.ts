import type { Logger } from '../../drivers/common/log.js';
import { YktError } from '../../drivers/common/errors.js';
import { ecbEncrypt, kcv } from '../../drivers/pinpad/crypto.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import type { PinPadConfig } from '../config/schema.js';
import { DEMO_PIN_MASTER_KEY, DEMO_PIN_WORKING_KEY } from '../sim/demo-keys.js';

/**
 * Brings the pad to service: self-test, then the working PIN key loaded under the master key and
 * checked by its KCV. In sim mode this host also plays the key ceremony with test keys.
 */
export async function preparePinPad(pad: PinPad, cfg: PinPadConfig, sim: boolean, logger: Logger): Promise<void> {
  const info = await pad.reset();
  let cryptogram: Uint8Array;
  let expectedKcv: Uint8Array;
  if (sim && !cfg.workingKeyCryptogram) {
    await pad.loadMasterKey(cfg.masterKeyIndex, cfg.algorithm, DEMO_PIN_MASTER_KEY);
    cryptogram = ecbEncrypt(DEMO_PIN_MASTER_KEY, cfg.algorithm, DEMO_PIN_WORKING_KEY);
    expectedKcv = kcv(DEMO_PIN_WORKING_KEY, cfg.algorithm);
  } else {
    if (!cfg.workingKeyCryptogram || !cfg.workingKeyKcv) {
      throw new YktError('CONFIG_INVALID', 'devices.pinpad.workingKeyCryptogram and workingKeyKcv are required on real devices');
    }
    cryptogram = Uint8Array.from(Buffer.from(cfg.workingKeyCryptogram, 'hex'));
    expectedKcv = Uint8Array.from(Buffer.from(cfg.workingKeyKcv, 'hex'));
  }
  await pad.loadWorkingKey(cfg.masterKeyIndex, cfg.workingKeyIndex, cfg.algorithm, cryptogram, expectedKcv);
  logger.info({ serial: info.serial, firmware: info.firmware, algorithm: cfg.algorithm }, 'PIN pad ready');
}
