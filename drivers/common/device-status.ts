/**
 * Device status as the operator, the flows and the scenario runner see it (XFS4IoT-style: one
 * status word per device, plus the last fault). Strings are stable: scenarios compare them.
 */
export type DeviceState =
  | 'ok'
  | 'unplugged' // the port/HID device is gone; reconnecting with backoff
  | 'fault' // present but not answering correctly after retries
  | 'starting'
  | 'not-configured'
  | 'paper-out'
  | 'paper-low'
  | 'cover-open'
  | 'jam'
  | 'bin-full';

export interface DeviceFault {
  code: string;
  message: string;
  at: number;
}

export interface DeviceStatus {
  state: DeviceState;
  lastFault?: DeviceFault;
}
