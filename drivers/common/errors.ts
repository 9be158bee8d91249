/**
 * Every error the host raises on purpose carries a stable code, so flows, the UI, logs and the
 * scenario runner can branch on it without parsing messages.
 */
export class YktError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A device did not answer, answered garbage beyond retries, or went away. */
export class DeviceError extends YktError {
  readonly device: string;
  constructor(device: string, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.device = device;
  }
}

export function errorCode(err: unknown): string {
  return err instanceof YktError ? err.code : 'INTERNAL';
}
