import type { EventEmitter } from 'node:events';

/**
 * A byte pipe to one device, whatever the bus (serial port, USB HID reports, simulator binding).
 * Codecs and link layers only ever see this, so a codec never knows which bus carries it.
 *
 * Events:
 *  - 'data' (chunk: Buffer)          bytes received from the device
 *  - 'disconnect' (err: Error)       the device went away (unplugged, port error)
 *  - 'open' ()                        (re)opened
 */
export interface ByteTransport extends EventEmitter {
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
}

/** How a device is reached, as written in the config file. */
export type TransportConfig =
  | { kind: 'serial'; path: string; baudRate: number; rtscts?: boolean }
  | { kind: 'hid'; vendorId: number; productId: number; path?: string }
  | { kind: 'sim'; path: string; baudRate: number };
