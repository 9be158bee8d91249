import { describe, expect, it } from 'vitest';
import type { BindingInterface } from '../../../drivers/serial/binding-types.js';
import { listSerialPorts } from '../../../drivers/serial/serial-list.js';

const failing = (err: Error): BindingInterface => ({ list: () => Promise.reject(err), open: () => Promise.reject(err) });

describe('listSerialPorts', () => {
  it('turns a missing udevadm into SERIAL_LIST_UNAVAILABLE', async () => {
    const enoent = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', syscall: 'spawn udevadm', path: 'udevadm' });
    const err = await listSerialPorts(failing(enoent)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERIAL_LIST_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/udevadm/);
  });

  it('reports other failures as SERIAL_LIST_FAILED', async () => {
    const err = await listSerialPorts(failing(new Error('boom'))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERIAL_LIST_FAILED' });
  });

  it('passes a good list through', async () => {
    const ok: BindingInterface = {
      list: async () => [{ path: '/dev/ttyS0', manufacturer: undefined, serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: undefined, vendorId: undefined }],
      open: () => Promise.reject(new Error('no')),
    };
    expect((await listSerialPorts(ok)).map((p) => p.path)).toEqual(['/dev/ttyS0']);
  });
});
