import { afterEach, describe, expect, it } from 'vitest';
import { hisError, LI, pay, rid, startHisRig, TODAY, WANG, ZHANG, ZHAO, type HisRig } from './helpers.js';

let rig: HisRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const MIN = 60_000;
/** A physician (医师) slot today at 10:00: capacity 6, at least 3 free. */
const FREE = 'internal-4-20260105-1000';

describe('hold → register → cancel over HTTP (embedded HIS, real client)', () => {
  it('holds a place for five minutes, registers it with a queue number and location', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const before = (await c.slots({ doctorId: 'internal-4', days: 1 })).find((s) => s.id === FREE)!;
    const hold = await c.hold(FREE, ZHANG, rid());
    expect(hold).toMatchObject({ holdId: expect.stringMatching(/^HD20260105\d{6}$/), patientId: ZHANG.ssn, expiresAt: '2026-01-05T01:05:00.000Z' });
    expect(hold.slot.remaining).toBe(before.remaining - 1);
    expect(rig.his.store.slot(FREE).remaining).toBe(before.remaining - 1);

    const payment = pay(hold.slot, 'medical-account');
    const reg = await c.register(hold.holdId, payment, rid());
    expect(reg).toMatchObject({
      regId: expect.stringMatching(/^GH20260105\d{6}$/),
      status: 'registered',
      patient: { ssn: ZHANG.ssn, name: '张三' },
      department: { id: 'internal', name: { zh: '内科' } },
      doctor: { id: 'internal-4', name: '赵磊', title: 'resident' },
      slotId: FREE,
      date: TODAY,
      period: 'morning',
      start: '10:00',
      end: '10:30',
      location: { zh: '门诊楼2层B区 4诊室' },
      fee: { registrationFen: 100, consultationFen: 900, totalFen: 1000 },
      payment,
      registeredAt: '2026-01-05T01:00:00.000Z',
    });
    expect(reg.queueNumber).toBeGreaterThan(0);
    expect(rig.his.store.slot(FREE).remaining).toBe(before.remaining - 1); // the hold became the registration
    expect(await c.registration(reg.regId)).toEqual(reg);
    expect(await c.registrationsOf(ZHANG.ssn)).toEqual([reg]);
    expect(await c.registrationsOf(ZHANG.ssn, '2026-01-06')).toEqual([]);
    expect(rig.his.registrations()).toHaveLength(1);
  });

  it('numbers the queue per doctor and half-day in registration order, never reusing a number', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const book = async (slotId: string, p: typeof ZHANG) => {
      const h = await c.hold(slotId, p, rid());
      return c.register(h.holdId, pay(h.slot), rid());
    };
    const a = await book('internal-4-20260105-1130', ZHANG);
    const b = await book('internal-4-20260105-0930', LI);
    const x = await book('internal-4-20260105-1400', WANG); // afternoon: its own queue
    const y = await book('internal-3-20260105-1000', WANG); // another doctor: his own queue
    await c.cancel(b.regId, rid());
    const d = await book('internal-4-20260105-1000', ZHAO);
    expect(b.queueNumber).toBe(a.queueNumber + 1);
    expect(d.queueNumber).toBe(b.queueNumber + 1);
    // Others' morning registrations took the first numbers (the seed), ours continue after them.
    // internal-4 (医师, 6 a window) keeps 3 free: others hold 3 in each of the 8 morning and 7 afternoon windows.
    expect(a.queueNumber).toBe(3 * 8 + 1);
    expect(x.queueNumber).toBe(3 * 7 + 1);
    expect(y.queueNumber).toBeGreaterThan(0);
    expect(y.queueNumber).not.toBe(x.queueNumber + 1);
  });

  it('answers a retransmitted hold, register or cancel with the first answer, and applies it once', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const free = rig.his.store.slot(FREE).remaining;
    const holdReq = rid();
    const h1 = await c.hold(FREE, ZHANG, holdReq);
    const h2 = await c.hold(FREE, ZHANG, holdReq);
    expect(h2).toEqual(h1);
    expect(rig.his.store.slot(FREE).remaining).toBe(free - 1);
    expect(rig.his.store.activeHolds()).toBe(1);

    const payment = pay(h1.slot);
    const regReq = rid();
    const r1 = await c.register(h1.holdId, payment, regReq);
    expect(await c.register(h1.holdId, payment, regReq)).toEqual(r1);
    // A terminal recovering from its journal with a new requestId but the same payment: the same registration.
    expect(await c.register(h1.holdId, payment, rid())).toEqual(r1);
    // Another payment for the same hold is refused: a hold is registered once.
    expect(await hisError(c.register(h1.holdId, pay(h1.slot), rid()))).toMatchObject({ code: 'REJECTED', reason: 'ALREADY_REGISTERED' });
    expect(rig.his.registrations()).toHaveLength(1);

    const cancelReq = rid();
    const k1 = await c.cancel(r1.regId, cancelReq);
    expect(k1).toEqual({ regId: r1.regId, cancelledAt: '2026-01-05T01:00:00.000Z', refund: payment });
    expect(await c.cancel(r1.regId, cancelReq)).toEqual(k1);
    expect(rig.his.store.slot(FREE).remaining).toBe(free);
    // The same requestId for something else is a client bug, not a retransmission.
    expect(await hisError(c.hold(FREE, LI, holdReq))).toMatchObject({ code: 'REJECTED', reason: 'REQUEST_ID_REUSED' });
  });

  it('releases a hold (payment failed) and then refuses to register it', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const free = rig.his.store.slot(FREE).remaining;
    const h = await c.hold(FREE, ZHANG, rid());
    expect(await c.release(h.holdId)).toEqual({ holdId: h.holdId, released: true });
    expect(await c.release(h.holdId)).toEqual({ holdId: h.holdId, released: false });
    expect(rig.his.store.slot(FREE).remaining).toBe(free);
    expect(await hisError(c.register(h.holdId, pay(h.slot), rid()))).toMatchObject({ code: 'HOLD_EXPIRED', reason: 'RELEASED' });
    expect(rig.his.registrations()).toHaveLength(0);
    // A registered hold is not released: the place is paid for, it takes a cancellation.
    const h2 = await c.hold(FREE, ZHANG, rid());
    await c.register(h2.holdId, pay(h2.slot), rid());
    expect(await hisError(c.release(h2.holdId))).toMatchObject({ code: 'REJECTED', reason: 'ALREADY_REGISTERED' });
  });

  it('keeps one active hold per patient: picking another slot frees the first', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const other = 'internal-4-20260105-1100';
    const free = rig.his.store.slot(FREE).remaining;
    const first = await c.hold(FREE, ZHANG, rid());
    await c.hold(other, ZHANG, rid());
    expect(rig.his.store.slot(FREE).remaining).toBe(free);
    expect(rig.his.store.activeHolds()).toBe(1);
    expect((await hisError(c.register(first.holdId, pay(first.slot), rid()))).code).toBe('HOLD_EXPIRED');
  });

  it('refuses wrong amounts, reused payments, a second visit to the same doctor, ended and unknown slots', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const h = await c.hold(FREE, ZHANG, rid());
    expect(await hisError(c.register(h.holdId, { method: 'bank-card', txnId: rid('txn'), amountFen: 999 }, rid()))).toMatchObject({
      code: 'REJECTED',
      reason: 'AMOUNT_MISMATCH',
      op: 'register',
    });
    const payment = pay(h.slot);
    await c.register(h.holdId, payment, rid());
    const h2 = await c.hold('internal-3-20260106-1000', ZHANG, rid());
    expect(await hisError(c.register(h2.holdId, { ...payment, amountFen: h2.slot.fee.totalFen }, rid()))).toMatchObject({ reason: 'TXN_ID_REUSED' });
    expect(await hisError(c.hold('internal-4-20260105-1100', ZHANG, rid()))).toMatchObject({ code: 'REJECTED', reason: 'ALREADY_REGISTERED' });
    expect(await hisError(c.hold('internal-4-20260105-0800', LI, rid()))).toMatchObject({ code: 'REJECTED', reason: 'SLOT_CLOSED' });
    expect(await hisError(c.hold('internal-1-20260105-0900', LI, rid()))).toMatchObject({ code: 'SLOT_FULL' });
    expect((await hisError(c.hold('internal-4-20270105-1000', LI, rid()))).code).toBe('NOT_FOUND');
    expect((await hisError(c.registration('GH20260105999999'))).code).toBe('NOT_FOUND');
    expect((await hisError(c.release('HD20260105999999'))).code).toBe('NOT_FOUND');
    expect((await hisError(c.doctors('cardiology'))).code).toBe('NOT_FOUND');
    expect((await hisError(c.slots({ doctorId: 'internal-9' }))).code).toBe('NOT_FOUND');
    expect(await hisError(c.hold(FREE, { ...LI, ssn: '1234' }, rid()))).toMatchObject({ code: 'REJECTED', reason: 'BAD_REQUEST' });
    expect(await hisError(c.hold(FREE, LI, 'short'))).toMatchObject({ code: 'REJECTED', reason: 'BAD_REQUEST' });
  });

  it('cancels before the slot starts (refund) and refuses once it has started', async () => {
    rig = await startHisRig();
    const c = rig.client;
    const book = async (slotId: string, p: typeof ZHANG) => {
      const h = await c.hold(slotId, p, rid());
      return c.register(h.holdId, pay(h.slot), rid());
    };
    const now = await book('internal-4-20260105-0900', ZHANG); // 09:00 slot at 09:00: already started
    const soon = await book('internal-4-20260105-0930', LI);
    const later = await book('internal-4-20260105-0930', WANG);
    expect(await hisError(c.cancel(now.regId, rid()))).toMatchObject({ code: 'NOT_CANCELLABLE', reason: 'STARTED' });

    await rig.clock.advance(29 * MIN); // 09:29
    const k = await c.cancel(soon.regId, rid());
    expect(k.refund).toEqual(soon.payment);
    expect(await hisError(c.cancel(soon.regId, rid()))).toMatchObject({ code: 'NOT_CANCELLABLE', reason: 'ALREADY_CANCELLED' });
    expect(await c.registration(soon.regId)).toMatchObject({ status: 'cancelled', cancelledAt: '2026-01-05T01:29:00.000Z' });

    await rig.clock.advance(1 * MIN); // 09:30: the window has started
    expect(await hisError(c.cancel(later.regId, rid()))).toMatchObject({ code: 'NOT_CANCELLABLE', reason: 'STARTED' });
    expect((await c.registrationsOf(LI.ssn)).map((r) => r.status)).toEqual(['cancelled']);
    // A cancelled registration frees the patient to book the doctor again.
    await c.hold('internal-4-20260105-1100', LI, rid());
  });
});
