import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { createEmbeddedHis, DOCTORS, HisSeedError, parseHisSeed } from '../../../kiosk/his/embedded/index.js';
import { DOCTOR_TITLES } from '../../../kiosk/his/interface.js';
import { pay, rid, startHisRig, TODAY, ZHANG, type HisRig } from './helpers.js';

let rig: HisRig | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = 86_400_000;

describe('embedded HIS schedule', () => {
  it('lists six departments with 2–4 doctors each, every title, and fees by title', async () => {
    rig = await startHisRig();
    const depts = await rig.client.departments();
    expect(depts.map((d) => d.name.zh)).toEqual(['内科', '外科', '儿科', '妇产科', '眼科', '口腔科']);
    expect(depts[0]!.location.zh).toBe('门诊楼2层B区');
    const titles = new Set<string>();
    for (const d of depts) {
      const doctors = await rig.client.doctors(d.id);
      expect(doctors.length, d.id).toBeGreaterThanOrEqual(2);
      expect(doctors.length, d.id).toBeLessThanOrEqual(4);
      for (const doc of doctors) titles.add(doc.title);
    }
    expect([...titles].sort()).toEqual([...DOCTOR_TITLES].sort());
    const fees = new Map<string, number>();
    for (const s of await rig.client.slots()) fees.set(DOCTORS.find((d) => d.id === s.doctorId)!.title, s.fee.totalFen);
    expect(Object.fromEntries(fees)).toEqual({ chief: 5000, 'associate-chief': 3000, attending: 2000, resident: 1000 });
  });

  it("covers the clock's Shanghai today and the next 6 days, dropping windows that have ended", async () => {
    rig = await startHisRig(); // Monday 2026-01-05 09:00 local (01:00Z)
    const slots = await rig.client.slots();
    const dates = [...new Set(slots.map((s) => s.date))];
    expect(dates).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']);
    const today = slots.filter((s) => s.date === TODAY);
    expect(today.some((s) => s.start === '08:30')).toBe(false); // ended at 09:00
    expect(today.filter((s) => s.doctorId === 'internal-4').map((s) => s.start)[0]).toBe('09:00');
    expect(slots.find((s) => s.id === 'internal-4-20260106-0800')).toMatchObject({ period: 'morning', start: '08:00', end: '08:30', capacity: 6 });
    expect(slots.find((s) => s.id === 'internal-4-20260106-1330')).toMatchObject({ period: 'afternoon', end: '14:00' });
    // Chief physicians work their own half-days and are booked out today; physicians always have room.
    expect(today.filter((s) => s.doctorId === 'internal-1').every((s) => s.remaining === 0)).toBe(true);
    expect(today.filter((s) => s.doctorId === 'internal-4').every((s) => s.remaining >= 3)).toBe(true);
    expect(slots.some((s) => s.doctorId === 'internal-1' && s.date === '2026-01-06')).toBe(false); // Tuesday: not his day
    // Some full, most not: the rest fill up as registrations come.
    const full = slots.filter((s) => s.remaining === 0).length;
    expect(full).toBeGreaterThan(20);
    expect(full).toBeLessThan(slots.length / 4);
    // Only junior doctors on Sunday.
    expect(new Set(slots.filter((s) => s.date === '2026-01-11').map((s) => DOCTORS.find((d) => d.id === s.doctorId)!.title))).toEqual(new Set(['resident']));
  });

  it('takes today from the Shanghai date, not the UTC one', async () => {
    // 2026-03-13T17:00Z is Saturday 2026-03-14 01:00 in Shanghai.
    rig = await startHisRig({ clock: new VirtualClock(Date.UTC(2026, 2, 13, 17, 0)) });
    const slots = await rig.client.slots({ days: 1 });
    expect(new Set(slots.map((s) => s.date))).toEqual(new Set(['2026-03-14']));
    expect(slots.find((s) => s.doctorId === 'internal-3')?.id).toBe('internal-3-20260314-0800');
    expect(slots.some((s) => s.doctorId === 'internal-2')).toBe(false); // associate chiefs: weekdays only
  });

  it('filters by department, doctor, from and days', async () => {
    rig = await startHisRig();
    const peds = await rig.client.slots({ departmentId: 'pediatrics', from: '2026-01-07', days: 2 });
    expect(new Set(peds.map((s) => s.departmentId))).toEqual(new Set(['pediatrics']));
    expect(new Set(peds.map((s) => s.date))).toEqual(new Set(['2026-01-07', '2026-01-08']));
    const one = await rig.client.slots({ doctorId: 'dental-3', days: 1 });
    expect(one.every((s) => s.doctorId === 'dental-3' && s.date === TODAY)).toBe(true);
    expect(await rig.client.slots({ from: '2026-02-01' })).toEqual([]);
    expect((await rig.client.slots({ from: '2026-01-01', days: 5 })).every((s) => s.date === TODAY)).toBe(true);
  });

  it('opens the next day as the clock moves on, keeping registrations', async () => {
    rig = await startHisRig();
    const slot = (await rig.client.slots({ doctorId: 'internal-4', from: '2026-01-06', days: 1 }))[0]!;
    const reg = await rig.client.register((await rig.client.hold(slot.id, ZHANG, rid())).holdId, pay(slot), rid());
    await rig.clock.advance(DAY);
    const dates = [...new Set((await rig.client.slots()).map((s) => s.date))];
    expect(dates[0]).toBe('2026-01-06');
    expect(dates.at(-1)).toBe('2026-01-12');
    expect((await rig.client.registration(reg.regId)).status).toBe('registered');
    expect(rig.his.store.slot(slot.id).remaining).toBe(slot.remaining - 1);
  });

  it('applies session rules (relative days) and exact slot overrides', async () => {
    rig = await startHisRig({
      seed: {
        sessions: [
          { department: 'pediatrics', capacity: 2 },
          { doctor: 'pediatrics-3', day: 1, period: 'afternoon', remaining: 0 },
          { doctor: 'internal-1', day: 0, start: '10:00', remaining: 2 },
        ],
        slots: { 'internal-3-20260105-1000': { remaining: 1 }, 'pediatrics-3-20260106-0800': { capacity: 9, remaining: 9 } },
      },
    });
    const s = (id: string) => rig!.his.store.slot(id);
    expect(s('pediatrics-2-20260107-0800').capacity).toBe(2);
    expect(s('pediatrics-3-20260106-1330')).toMatchObject({ capacity: 2, remaining: 0 });
    expect(s('pediatrics-3-20260106-0800')).toMatchObject({ capacity: 9, remaining: 9 });
    expect(s('internal-1-20260105-1000')).toMatchObject({ capacity: 3, remaining: 2 });
    expect(s('internal-3-20260105-1000').remaining).toBe(1);
  });

  it('refuses bad overrides naming the field', async () => {
    const bad = (raw: unknown) => {
      try {
        parseHisSeed(raw);
      } catch (e) {
        expect(e).toBeInstanceOf(HisSeedError);
        return (e as HisSeedError).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ sessions: [{ doctor: 'internal-9', remaining: 0 }] })).toMatch(/^his\.sessions\.0\.doctor:/);
    expect(bad({ sessions: [{ doctor: 'internal-1', department: 'surgery', remaining: 0 }] })).toMatch(/internal-1 is not in surgery/);
    expect(bad({ sessions: [{ doctor: 'internal-1' }] })).toMatch(/capacity and\/or remaining/);
    expect(bad({ sessions: [{ start: '08:15', remaining: 0 }] })).toMatch(/his\.sessions\.0\.start: not a slot start/);
    expect(bad({ slots: { 'internal-3-20260105-1000': { remaining: 7, capacity: 5 } } })).toMatch(/remaining exceeds capacity/);
    expect(bad({ slots: { 'nobody-1-20260105-1000': { remaining: 0 } } })).toMatch(/his\.slots\.nobody-1-20260105-1000: no doctor/);
    expect(bad({ slot: {} })).toMatch(/^his:/);
    expect(bad({ timeoutOn: 'pay' })).toMatch(/^his\.timeoutOn:/);
    // A well-formed id the window does not have (Tuesday is not internal-1's day) fails the start.
    await expect(
      createEmbeddedHis({ dbFile: ':memory:', clock: new VirtualClock(), logger: silentLogger, seed: { slots: { 'internal-1-20260106-0900': { remaining: 0 } } } }),
    ).rejects.toThrow(/his\.slots\.internal-1-20260106-0900: no such slot in the schedule 2026-01-05…2026-01-11/);
  });

  it('keeps holds, registrations and queue numbers across a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'his-'));
    dirs.push(dir);
    const clock = new VirtualClock();
    rig = await startHisRig({ dbFile: join(dir, 'his.db'), clock });
    const slot = rig.his.store.slot('internal-4-20260105-1000');
    const first = await rig.client.register((await rig.client.hold(slot.id, ZHANG, rid())).holdId, pay(slot), rid());
    await rig.close();
    rig = await startHisRig({ dbFile: join(dir, 'his.db'), clock });
    expect((await rig.client.registration(first.regId)).queueNumber).toBe(first.queueNumber);
    expect(rig.his.store.slot(slot.id).remaining).toBe(slot.remaining - 1);
  });
});
