import { YktError } from '../../drivers/common/errors.js';

/** A PSAM that does not power on: absent (out of service) or failing. */
export function mapPsamPowerError(e: unknown): YktError {
  const code = (e as { code?: string }).code;
  if (code === 'READER_PSAM_ABSENT') return new YktError('PSAM_ABSENT', 'no PSAM in the reader: card functions out of service');
  return new YktError('PSAM_FAILED', `PSAM power-on failed (${code ?? 'unknown'})`);
}
