import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { HisApiError, HisStore, parseHisSeed } from '../../../kiosk/his/embedded/index.js';
import type { Patient } from '../../../kiosk/his/interface.js';
import { HisError } from '../../../kiosk/his/interface.js';
import { hisError, LI, pay, rid, startHisRig, ZHANG, type HisRig } from './helpers.js';

let rig: HisRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const MIN = 60_000;
const LAST = 'internal-3-20260105-1000';

function patient(i: number): Patient {
  return { ssn: `11010119800101${String(1000 + i).slice(-4)}`, name: `患者${i}`, cardNumber: 'A12345678' };
}

describe('two terminals racing for places', () => {
  it('gives the last place to exactly one of two holds; the other gets SLOT_TAKEN, then SLOT_FULL once paid', async () => {
    rig = await startHisRig({ seed: { slots: { [LAST]: { remaining: 1 } } } });
    const a = rig.newClient();
    const b = rig.newClient();
    const results = await Promise.allSettled([a.hold(LAST, ZHANG, rid()), b.hold(LAST, LI, rid())]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(HisError);
    expect(lost[0]!.reason).toMatchObject({ code: 'SLOT_TAKEN', op: 'hold' });
    expect(rig.his.store.slot(LAST).remaining).toBe(0);

    const hold = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof a.hold>>>).value;
    const winner = hold.patientId === ZHANG.ssn ? a : b;
    const loser = winner === a ? b : a;
    const loserPatient = winner === a ? LI : ZHANG;
    await winner.register(hold.holdId, pay(hold.slot), rid());
    expect((await hisError(loser.hold(LAST, loserPatient, rid()))).code).toBe('SLOT_FULL');
    const regs = rig.his.registrations();
    expect(regs).toHaveLength(1);
    expect(regs[0]!.patient.ssn).toBe(hold.patientId);
  });

  it('lets exactly `remaining` of eight concurrent terminals hold, and registers each place once', async () => {
    rig = await startHisRig({ seed: { slots: { [LAST]: { remaining: 3 } } } });
    const clients = Array.from({ length: 8 }, () => rig!.newClient());
    const results = await Promise.allSettled(clients.map((c, i) => c.hold(LAST, patient(i), rid())));
    const holds = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(holds).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'SLOT_TAKEN')).toBe(true);
    // Every holder pays twice over (a retransmission storm): still one registration per place.
    await Promise.all(
      holds.flatMap((h, i) => {
        const payment = pay(h.slot);
        const req = rid();
        return [clients[i]!.register(h.holdId, payment, req), clients[(i + 4) % 8]!.register(h.holdId, payment, req)];
      }),
    );
    const regs = rig.his.registrations();
    expect(regs).toHaveLength(3);
    expect(new Set(regs.map((r) => r.queueNumber)).size).toBe(3);
    expect(rig.his.store.slot(LAST)).toMatchObject({ remaining: 0 });
    const cap = rig.his.store.db.prepare('SELECT capacity, booked FROM slots WHERE id = ?').get(LAST) as { capacity: number; booked: number };
    expect(cap.booked).toBe(cap.capacity);
  });
});

describe('two HIS processes on one database file', () => {
  it('decide availability in SQLite, not in memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'his-race-'));
    const clock = new VirtualClock();
    const seed = parseHisSeed({ slots: { [LAST]: { remaining: 1 } } });
    const a = new HisStore(join(dir, 'his.db'), clock, seed);
    const b = new HisStore(join(dir, 'his.db'), clock, seed);
    try {
      a.seed();
      b.seed();
      const h = a.hold(LAST, ZHANG, rid());
      expect(() => b.hold(LAST, LI, rid())).toThrow(expect.objectContaining({ wireCode: 'SLOT_TAKEN' }) as HisApiError);
      b.register(h.holdId, pay(h.slot), rid());
      expect(() => a.hold(LAST, LI, rid())).toThrow(expect.objectContaining({ wireCode: 'SLOT_FULL' }) as HisApiError);
      expect(a.registrations()).toHaveLength(1);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hold expiry', () => {
  it('frees the place after five minutes on the clock; the late payer then finds it gone', async () => {
    rig = await startHisRig({ seed: { slots: { [LAST]: { remaining: 1 } } } });
    const c = rig.client;
    const slow = await c.hold(LAST, ZHANG, rid());
    expect((await hisError(c.hold(LAST, LI, rid()))).code).toBe('SLOT_TAKEN');
    await rig.clock.advance(5 * MIN - 1);
    expect((await hisError(c.hold(LAST, LI, rid()))).code).toBe('SLOT_TAKEN');
    await rig.clock.advance(1);
    expect(rig.his.store.slot(LAST).remaining).toBe(1);
    expect((await c.slots({ doctorId: 'internal-3', days: 1 })).find((s) => s.id === LAST)!.remaining).toBe(1);
    const quick = await c.hold(LAST, LI, rid());
    expect(await hisError(c.register(slow.holdId, pay(slow.slot), rid()))).toMatchObject({ code: 'HOLD_EXPIRED', reason: 'EXPIRED' });
    await c.register(quick.holdId, pay(quick.slot), rid());
    expect(rig.his.registrations().map((r) => r.patient.ssn)).toEqual([LI.ssn]);
    // Releasing an expired hold frees nothing (it had already let go).
    expect(await c.release(slow.holdId)).toEqual({ holdId: slow.holdId, released: false });
  });

  it('honours a late payment while the place is still free', async () => {
    rig = await startHisRig();
    const h = await rig.client.hold(LAST, ZHANG, rid());
    await rig.clock.advance(7 * MIN);
    expect(rig.his.store.activeHolds()).toBe(0);
    const reg = await rig.client.register(h.holdId, pay(h.slot), rid());
    expect(reg.status).toBe('registered');
  });

  it('uses the scenario hold lifetime', async () => {
    rig = await startHisRig({ seed: { holdTtlSec: 30 } });
    const h = await rig.client.hold(LAST, ZHANG, rid());
    expect(h.expiresAt).toBe('2026-01-05T01:00:30.000Z');
    await rig.clock.advance(30_000);
    expect(rig.his.store.activeHolds()).toBe(0);
  });
});
