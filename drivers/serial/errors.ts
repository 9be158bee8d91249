import { DeviceError } from '../common/errors.js';

/** Codes raised by the byte transports (serial, HID, simulator binding). */
export type TransportErrorCode =
  | 'HID_UNAVAILABLE'
  | 'HID_OPEN_FAILED'
  | 'SERIAL_LIST_UNAVAILABLE'
  | 'SERIAL_LIST_FAILED'
  | 'TRANSPORT_OPEN_FAILED'
  | 'TRANSPORT_NOT_OPEN'
  | 'TRANSPORT_WRITE_FAILED'
  | 'SIM_REGISTRY_MISSING';

export class TransportError extends DeviceError {
  declare readonly code: TransportErrorCode;
  constructor(device: string, code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(device, code, message, options);
  }
}

/** Codes raised by the frame link when the handshake fails beyond its retries. */
export type LinkErrorCode =
  | 'LINK_NO_ACK'
  | 'LINK_NAK'
  | 'LINK_TIMEOUT'
  | 'LINK_GARBLED'
  | 'LINK_DISCONNECTED'
  | 'LINK_CANCELED'
  | 'LINK_CLOSED'
  | 'LINK_OPEN_FAILED';

export class LinkError extends DeviceError {
  declare readonly code: LinkErrorCode;
  constructor(device: string, code: LinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(device, code, message, options);
  }
}

/** Link failures that mean "the device is there but does not talk properly". */
export const LINK_FAULT_CODES: ReadonlySet<string> = new Set(['LINK_NO_ACK', 'LINK_NAK', 'LINK_TIMEOUT', 'LINK_GARBLED']);
