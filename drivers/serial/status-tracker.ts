/**
 * Device status bookkeeping every serial driver needs: one state word, the last fault, an event
 * only on a change, and the mapping of link failures to `fault` / `unplugged`. Device-agnostic on
 * purpose (candidate for drivers/common; the reader driver has the same logic inline).
 */
import type { Clock } from '../common/clock.js';
import type { DeviceFault, DeviceState, DeviceStatus } from '../common/device-status.js';
import { errorCode } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { LINK_FAULT_CODES, LinkError } from './errors.js';

export function faultOf(err: unknown): { code: string; message: string } {
  return { code: errorCode(err), message: err instanceof Error ? err.message : String(err) };
}

export class DeviceStatusTracker {
  private current: DeviceStatus = { state: 'starting' };

  constructor(
    private readonly device: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onChange: (status: DeviceStatus) => void,
  ) {}

  get status(): DeviceStatus {
    return { ...this.current };
  }

  get state(): DeviceState {
    return this.current.state;
  }

  set(state: DeviceState, fault?: { code: string; message: string }): void {
    const lastFault: DeviceFault | undefined = fault ? { ...fault, at: this.clock.now() } : this.current.lastFault;
    const changed = state !== this.current.state;
    this.current = lastFault ? { state, lastFault } : { state };
    // A repeated failure in the same state updates lastFault without a new event.
    if (!changed) return;
    this.logger.info({ dev: this.device, state, fault: fault?.code }, 'device status');
    this.onChange(this.status);
  }

  /** The device answered: whatever the link trouble was, it is over. */
  answered(): void {
    if (this.current.state === 'fault' || this.current.state === 'unplugged' || this.current.state === 'starting') this.set('ok');
  }

  /** A command failed on the link: handshake failures mean `fault`, a vanished port `unplugged`. */
  linkFailed(err: unknown): void {
    const code = errorCode(err);
    if (err instanceof LinkError && LINK_FAULT_CODES.has(code)) this.set('fault', faultOf(err));
    else if (code === 'LINK_DISCONNECTED') this.set('unplugged', faultOf(err));
  }
}
