import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedHis } from '../../../kiosk/his/embedded/index.js';
import { createHisClient } from '../../../kiosk/his/http-client.js';
import { hisError, pay, RecordingClock, rid, startHisRig, ZHANG, type HisRig } from './helpers.js';

let rig: HisRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const FREE = 'internal-4-20260105-1000';

describe('embedded HIS faults through the real client', () => {
  it('times out within the deadline when the HIS holds a request, counting it as withheld', async () => {
    rig = await startHisRig({}, { timeoutMs: 300 });
    rig.his.faults.set({ timeoutOn: 'slots' });
    const t0 = Date.now();
    const pending = hisError(rig.client.slots());
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.his.withheld()).toBe(1);
    const err = await pending;
    expect(err).toMatchObject({ code: 'HIS_TIMEOUT', op: 'slots' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect((await rig.client.departments()).length).toBe(6); // other routes answer
    rig.his.faults.clear();
    expect(rig.his.faults.current()).toEqual({});
    expect((await rig.client.slots({ days: 1 })).length).toBeGreaterThan(0);
  });

  it('loses the answer of a register that stood; the same requestId later gets that registration', async () => {
    const backoff = new RecordingClock();
    rig = await startHisRig({}, { timeoutMs: 200, retries: 2, clock: backoff });
    const h = await rig.client.hold(FREE, ZHANG, rid());
    const payment = pay(h.slot);
    const req = rid();
    rig.his.faults.set({ timeoutOn: 'register' });
    expect((await hisError(rig.client.register(h.holdId, payment, req))).code).toBe('HIS_TIMEOUT');
    expect(backoff.delays).toEqual([200, 400]); // retried: register is idempotent by requestId
    expect(rig.his.registrations()).toHaveLength(1); // processed once, answers lost three times
    rig.his.faults.clear();
    const reg = await rig.client.register(h.holdId, payment, req);
    expect(reg.regId).toBe(rig.his.registrations()[0]!.regId);
    expect(rig.his.registrations()).toHaveLength(1);
  });

  it('answers 503 on failOn without processing anything; retries then HIS_UNAVAILABLE', async () => {
    const backoff = new RecordingClock();
    rig = await startHisRig({ seed: { failOn: 'hold' } }, { retries: 1, clock: backoff });
    expect(rig.his.faults.current()).toEqual({ failOn: 'hold' });
    expect(await hisError(rig.client.hold(FREE, ZHANG, rid()))).toMatchObject({ code: 'HIS_UNAVAILABLE', op: 'hold' });
    expect(backoff.delays).toEqual([200]);
    expect(rig.his.store.activeHolds()).toBe(0);
    rig.his.faults.set({ failOn: '*' });
    expect((await hisError(rig.client.departments())).code).toBe('HIS_UNAVAILABLE');
  });

  it('garbles the body on badResponseOn: HIS_BAD_RESPONSE, not retried', async () => {
    const backoff = new RecordingClock();
    rig = await startHisRig({}, { retries: 3, clock: backoff });
    rig.his.faults.set({ badResponseOn: '*' });
    expect(await hisError(rig.client.slots())).toMatchObject({ code: 'HIS_BAD_RESPONSE' });
    expect(backoff.delays).toEqual([]);
    rig.his.faults.set({ badResponseOn: 'hold' });
    expect((await hisError(rig.client.hold(FREE, ZHANG, rid()))).code).toBe('HIS_BAD_RESPONSE');
    expect(rig.his.store.activeHolds()).toBe(0);
  });

  it('reports HIS_UNAVAILABLE when nothing listens', async () => {
    const his = await createEmbeddedHis({ dbFile: ':memory:', clock: new VirtualClock(), logger: silentLogger });
    const url = his.url;
    await his.close();
    const c = createHisClient({ baseUrl: url, timeoutMs: 1000, retries: 0, logger: silentLogger });
    expect((await hisError(c.departments())).code).toBe('HIS_UNAVAILABLE');
    c.close();
  });

  it('expires a withheld request on the virtual clock with deadlineOnClock, and keeps inFlight honest', async () => {
    const clock = new VirtualClock();
    const inFlight = { count: 0 };
    rig = await startHisRig({ clock }, { timeoutMs: 60_000, clock, deadlineOnClock: true, inFlight });
    rig.his.faults.set({ timeoutOn: '*' });
    const t0 = Date.now();
    const pending = hisError(rig.client.departments());
    await new Promise((r) => setTimeout(r, 50));
    expect(inFlight.count).toBe(1);
    expect(rig.his.withheld()).toBe(1);
    await clock.advance(60_000);
    expect((await pending).code).toBe('HIS_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(inFlight.count).toBe(0);
  });
});
