/** The one error type the embedded HIS turns into a wire error body (HTTP status, code, reason). */
import { YktError } from '../../../drivers/common/errors.js';
import type { HisWireCode } from '../wire.js';

export class HisApiError extends YktError {
  constructor(
    readonly status: number,
    readonly wireCode: HisWireCode,
    message: string,
    readonly reason?: string,
  ) {
    super(`HIS_API_${wireCode}`, message);
  }
}
