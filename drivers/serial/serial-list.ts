import type { BindingInterface, PortInfo } from './binding-types.js';
import { TransportError } from './errors.js';
import { loadDefaultSerialBinding } from './serialport-transport.js';

/**
 * Lists serial ports. On Linux serialport asks `udevadm`; minimal images (containers, kiosks built
 * without udev) lack it, which surfaces as a bare spawn ENOENT. Turn that into a clear, typed error.
 */
export async function listSerialPorts(binding?: BindingInterface): Promise<PortInfo[]> {
  const b = binding ?? (await loadDefaultSerialBinding());
  try {
    return await b.list();
  } catch (err) {
    const e = err as { code?: string; path?: string; syscall?: string; message?: string };
    const text = `${e.message ?? String(err)} ${e.path ?? ''} ${e.syscall ?? ''}`;
    if (e.code === 'ENOENT' || /udevadm/.test(text)) {
      throw new TransportError(
        'serial',
        'SERIAL_LIST_UNAVAILABLE',
        'cannot list serial ports: `udevadm` (package udev) is not available on this system. ' +
          'Install udev, or configure the port path explicitly (e.g. /dev/ttyUSB0).',
        { cause: err },
      );
    }
    throw new TransportError('serial', 'SERIAL_LIST_FAILED', `cannot list serial ports: ${e.message ?? String(err)}`, { cause: err });
  }
}
