/** The one error type the embedded server turns into a wire error body (HTTP status, code, reason). */
import { YktError } from '../../../drivers/common/errors.js';
import type { ErrorResponse } from '../wire.js';

type WireCode = ErrorResponse['error']['code'];

/** An answer the server turns into an error response: HTTP status, wire code and reason. */
export class ApiError extends YktError {
  constructor(
    readonly status: number,
    readonly wireCode: WireCode,
    message: string,
    readonly reason?: string,
  ) {
    super(`BACKEND_API_${wireCode}`, message);
  }
}
