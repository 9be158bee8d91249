import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { PaymentStore } from '../../../kiosk/payment/store.js';
import type { PaymentOrder } from '../../../kiosk/payment/types.js';
import { expectRegLedger, expectSettled, recoverReg, regWorld, SOURCES, SSN } from './registration-world.js';

const statuses = (w: ReturnType<typeof regWorld>) => w.journal.list({ type: 'payment' }).map((e) => e.status).reverse();

describe.each(SOURCES)('registration fees from the %s', (source) => {
  it('debit → register → posted with the regId, once; the registration is in the outcome', async () => {
    const w = regWorld([], source);
    const out = await w.engine().payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'approved', amountFen: 1000 });
    if (out.status !== 'approved') throw new Error('not approved');
    expect(out.registration).toMatchObject({ status: 'registered', queueNumber: 1, payment: { method: source, txnId: out.txnId, amountFen: 1000 } });
    expect(out.postingRef).toBe(out.registration!.regId);
    expect(out).toMatchObject({ source, accountMasked: source === 'bank-card' ? '621700*********5678' : '110101********1234' });
    expect(statuses(w)).toEqual(['pending', 'approved', 'posted']);
    const rec = w.store.record(out.txnId)!;
    expect(rec).toMatchObject({ state: 'posted', source, postingRef: out.registration!.regId, order: { kind: 'registration', holdId: w.holdId, regRequestId: out.txnId } });
    expect(rec.order.ssn).toBe('110101********1234');
    // A registration is not a premium: the premium view of the store does not see it.
    expect(w.store.get(out.txnId)).toBeUndefined();
    expect(w.store.lastPaidOf(SSN, 0)).toBeUndefined();
    expect(w.backend.postings.size).toBe(0);
    expectRegLedger(w);
    expectSettled(w);
  });

  it('a registration cancelled at the HIS is refunded through the source that paid it, once', async () => {
    const w = regWorld([], source);
    const e = w.engine();
    const out = await e.payRegistration(w.order, w.funding());
    if (out.status !== 'approved') throw new Error('not approved');
    const paid = w.money.balanceFen;
    expect(await e.refundRegistration(out.txnId)).toBe('refunded');
    expect(w.store.record(out.txnId)).toMatchObject({ state: 'refunded', lastError: 'CANCELLED' });
    expect(w.money.balanceFen).toBe(paid + 1000);
    // Asked again (a retried cancellation): nothing moves twice.
    expect(await e.refundRegistration(out.txnId)).toBe('refunded');
    expect(w.money.balanceFen).toBe(paid + 1000);
    expect(await e.refundRegistration('YKT-NOT-MINE')).toBe('not-found');
    expect(statuses(w)).toEqual(['pending', 'approved', 'posted', 'refunding', 'refunded']);
  });

  it('a registration refused for good (SLOT_TAKEN) is refunded and its hold released', async () => {
    const w = regWorld(['ok', 'reject'], source);
    const out = await w.engine().payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'reversed', code: 'SLOT_TAKEN' });
    expect(w.store.record(out.txnId)).toMatchObject({ state: 'refunded', holdRelease: 'done', lastError: 'SLOT_TAKEN' });
    expect(w.money.balanceFen).toBe(1_000_000);
    expect(w.his.holds.get(w.holdId)).toBe('released');
    expect(statuses(w)).toEqual(['pending', 'approved', 'refunding', 'refunded', 'hold-released']);
    expect(w.journal.latest()).toMatchObject({ status: 'hold-released', data: { holdId: w.holdId, released: true } });
    expectRegLedger(w);
    expectSettled(w);
  });

  it.each(['HOLD_EXPIRED', 'SLOT_FULL', 'REJECTED', 'NOT_FOUND'] as const)('%s is refused for good too: refunded, hold released', async (code) => {
    const w = regWorld(['ok', 'reject'], source);
    w.his.refuse = code;
    const out = await w.engine().payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'reversed', code });
    expectRegLedger(w);
    expectSettled(w);
  });

  it('an HIS timeout after it registered is retried with the same requestId: posted once', async () => {
    const w = regWorld(['ok', 'lost', 'lost'], source);
    const e = w.engine();
    const out = await e.payRegistration(w.order, w.funding());
    // Paid; the registration is being completed (the flow says so), never refunded on a timeout.
    expect(out).toMatchObject({ status: 'approved' });
    expect(out.status === 'approved' && out.registration).toBeFalsy();
    expect(w.his.regs.size).toBe(1);
    await e.recover(); // lost again
    expect(w.store.record(out.txnId)!.state).toBe('approved');
    await e.recover();
    expect(w.store.record(out.txnId)).toMatchObject({ state: 'posted', postingRef: [...w.his.regs.keys()][0] });
    expect(w.his.regs.size).toBe(1);
    expectRegLedger(w);
    expectSettled(w);
  });

  it.each(['drop', 'refused'] as const)('an HIS that does not answer (%s) is asked again; the money stays', async (how) => {
    const w = regWorld(['ok', how], source);
    const e = w.engine();
    const out = await e.payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'approved' });
    expect(w.his.regs.size).toBe(0);
    await e.recover();
    expect(w.his.regs.size).toBe(1);
    expectRegLedger(w);
    expectSettled(w);
  });

  it('a debit whose answer is lost is reversed and the place freed at once', async () => {
    const w = regWorld(['lost'], source);
    const out = await w.engine().payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'reversed' });
    expect(w.money.balanceFen).toBe(1_000_000);
    expect(w.his.holds.get(w.holdId)).toBe('released');
    expect(w.his.regs.size).toBe(0);
    expectRegLedger(w);
    expectSettled(w);
  });

  it('a release the HIS does not answer is retried by the recovery loop until it does', async () => {
    const w = regWorld(['ok', 'reject', 'ok', 'drop', 'refused'], source);
    const e = w.engine();
    const out = await e.payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'reversed', code: 'SLOT_TAKEN' });
    expect(w.store.pendingReleases().map((r) => r.txnId)).toEqual([out.txnId]);
    expect(e.unfinished()).toHaveLength(1);
    await e.recover(); // refused
    expect(w.store.pendingReleases()).toHaveLength(1);
    e.start(); // the loop: next try after the back-off
    await w.clock.advance(60_000);
    e.stop();
    expect(w.his.releaseCalls).toBe(3);
    expectSettled(w);
  });

  it('a decline takes nothing and keeps the hold (another PIN or the other source may follow)', async () => {
    const w = regWorld([], source, { insufficientAbove: 100 });
    const out = await w.engine().payRegistration(w.order, w.funding());
    expect(out).toMatchObject({ status: 'declined', reason: 'INSUFFICIENT_FUNDS' });
    expect(w.his.holds.get(w.holdId)).toBe('active');
    expect(w.his.releaseCalls).toBe(0);
    expectSettled(w);
  });

  it('without an HIS, registration orders are refused before anything is written (REGISTRATION_UNAVAILABLE)', async () => {
    const w = regWorld([], source, { withoutHis: true });
    const f = w.funding();
    await expect(w.engine().payRegistration(w.order, f)).rejects.toMatchObject({ code: 'REGISTRATION_UNAVAILABLE' });
    expect(w.store.list()).toEqual([]);
    expect(w.money.txns.size).toBe(0);
    if (f.method === 'bank-card') expect([...f.pinBlock].every((b) => b === 0)).toBe(true);
  });
});

describe('sources', () => {
  it('a medical-account payment on an engine without the medical account is refused (PAYMENT_SOURCE_UNAVAILABLE)', async () => {
    const w = regWorld([], 'medical-account');
    await expect(w.engine({ medicalAccount: undefined }).payRegistration(w.order, w.funding())).rejects.toMatchObject({ code: 'PAYMENT_SOURCE_UNAVAILABLE' });
    expect(w.store.list()).toEqual([]);
  });

  it('recovery reverses a medical-account payment through the medical account, not the bank', async () => {
    const w = regWorld(['crash-after'], 'medical-account');
    void w.engine().payRegistration(w.order, w.funding());
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(w.money.standingTotal()).toBe(1);
    await recoverReg(w);
    expect(w.store.list()[0]).toMatchObject({ state: 'reversed', source: 'medical-account', holdRelease: 'done' });
    expect(w.money.standingTotal()).toBe(0);
    expectRegLedger(w);
    expectSettled(w);
  });

  it('premiums keep working beside registrations in the same store (posted to the backend, not the HIS)', async () => {
    const w = regWorld([], 'bank-card');
    const premium: PaymentOrder = { ssn: SSN, item: 'flexible-pension', choiceId: 'base-4500', periods: ['2026-01'], amountFen: 90_000, description: 'x' };
    const e = w.engine();
    const p = await e.pay(premium, { pan: '6217000010012345678', expiry: '3012' }, new Uint8Array(16));
    const r = await e.payRegistration(w.order, w.funding());
    expect(p).toMatchObject({ status: 'approved', postingRef: 'JF-1' });
    expect(r).toMatchObject({ status: 'approved' });
    expect(w.backend.postings.size).toBe(1);
    expect(w.his.regs.size).toBe(1);
    expect(w.store.get(p.txnId)).toMatchObject({ state: 'posted', source: 'bank-card' });
    expect(w.store.lastPaidOf(SSN, 0)?.txnId).toBe(p.txnId);
  });
});

describe('one store, two sources', () => {
  it('lists by source (the bank reconciliation reads bank-card rows only)', async () => {
    const w = regWorld([], 'medical-account');
    const e = w.engine({ gateway: w.money });
    await e.payRegistration(w.order, { method: 'medical-account' });
    await e.pay({ ssn: SSN, item: 'flexible-pension', choiceId: 'base-4500', periods: ['2026-01'], amountFen: 90_000, description: 'x' }, { pan: '6217000010012345678', expiry: '3012' }, new Uint8Array(16));
    expect(w.store.list().map((r) => r.source).sort()).toEqual(['bank-card', 'medical-account']);
    expect(w.store.list({ source: 'bank-card' }).map((r) => r.order.kind ?? 'premium')).toEqual(['premium']);
    expect(w.store.list({ source: 'medical-account' }).map((r) => r.order.kind)).toEqual(['registration']);
  });
});

describe('the store file of an earlier release', () => {
  it('gains kind, source and hold_release in place; its rows stay bank premiums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payments-old-'));
    const file = join(dir, 'payments.sqlite');
    try {
      const old = new Database(file);
      old.exec(`CREATE TABLE payments (
        txn_id TEXT PRIMARY KEY, state TEXT NOT NULL, order_json TEXT NOT NULL, pan_masked TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, bank_ref TEXT, posting_ref TEXT, decline_reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, holder_key TEXT NOT NULL DEFAULT '', receipt_printed INTEGER NOT NULL DEFAULT 0);`);
      const order = { ssn: SSN, item: 'flexible-pension', choiceId: 'base-4500', periods: ['2026-01'], amountFen: 90_000, description: 'x' };
      old.prepare("INSERT INTO payments (txn_id, state, order_json, pan_masked, created_at, updated_at) VALUES ('T-OLD-00000001', 'approved', ?, '621700*********5678', 1, 1)").run(JSON.stringify(order));
      old.close();
      const store = new PaymentStore(file, new VirtualClock());
      expect(store.get('T-OLD-00000001')).toMatchObject({ state: 'approved', source: 'bank-card', order: { item: 'flexible-pension' } });
      expect(store.open().map((r) => r.txnId)).toEqual(['T-OLD-00000001']);
      expect(store.pendingReleases()).toEqual([]);
      store.close();
      // Opening it again does nothing more.
      new PaymentStore(file, new VirtualClock()).close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
