/**
 * A terminal paying registration fees over fakes (fakes.ts): the engine, its store and journal, the
 * source being paid from (a FakeBank standing in for the bank or the medical account), the other
 * source (which must never be touched), and a FakeHis with one hold. Shared by the registration
 * tests and their crash tests.
 */
import { expect } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { Journal } from '../../../kiosk/journal/journal.js';
import { PaymentEngine, type PaymentEngineDeps } from '../../../kiosk/payment/engine.js';
import { PaymentStore } from '../../../kiosk/payment/store.js';
import type { Funding, PaymentMethod, PaymentOutcome, RegistrationOrder } from '../../../kiosk/payment/types.js';
import { FakeBackend, FakeBank, FakeHis, Script, type Behaviour } from './fakes.js';

export const SSN = '110101195001011234';
export const ACCOUNT = { pan: '6217000010012345678', expiry: '3012' };
export const block = () => Uint8Array.from({ length: 16 }, (_, i) => i + 1);
export const SOURCES: PaymentMethod[] = ['bank-card', 'medical-account'];

export function regWorld(steps: Behaviour[] = [], source: PaymentMethod = 'bank-card', o: { insufficientAbove?: number; withoutHis?: boolean } = {}) {
  const clock = new VirtualClock();
  const script = new Script(steps);
  /** The source this payment is made from. */
  const money = new FakeBank(script, o);
  /** The other source: any call to it is a bug (a reversal through the wrong source). */
  const other = new FakeBank(new Script(['refused', 'refused', 'refused', 'refused']));
  const backend = new FakeBackend(script);
  const his = new FakeHis(script);
  const holdId = his.hold();
  const store = new PaymentStore(':memory:', clock);
  const journal = new Journal(':memory:', clock);
  const order: RegistrationOrder = {
    kind: 'registration',
    ssn: SSN,
    amountFen: 1000,
    description: '挂号费 内科 赵磊 2026-01-05 10:00',
    holdId,
    slotId: 'internal-4-20260105-1000',
    requestId: 'hold-req-00000001',
  };
  const deps = (): PaymentEngineDeps => ({
    store,
    journal,
    gateway: source === 'bank-card' ? money : other,
    medicalAccount: source === 'medical-account' ? money : other,
    backend,
    ...(o.withoutHis ? {} : { his }),
    clock,
    logger: silentLogger,
    terminalId: 'YKT-T-0001',
  });
  const engine = (over: Partial<PaymentEngineDeps> = {}) => new PaymentEngine({ ...deps(), ...over });
  const funding = (): Funding => (source === 'bank-card' ? { method: 'bank-card', account: ACCOUNT, pinBlock: block() } : { method: 'medical-account' });
  return { clock, script, money, other, backend, his, holdId, store, journal, order, engine, funding, source };
}

export type RegWorld = ReturnType<typeof regWorld>;

/** Exactly once: per transaction, a standing debit if and only if a registration, never more than one. */
export function expectRegLedger(w: RegWorld): void {
  for (const rec of w.store.list()) {
    const standing = w.money.standing(rec.txnId);
    const registered = w.his.registered(rec.txnId);
    expect({ txnId: rec.txnId, standing, registered }).toEqual({ txnId: rec.txnId, standing: registered, registered });
    expect(registered).toBeLessThanOrEqual(1);
  }
  expect(w.other.txns.size, 'a call went to the wrong source').toBe(0);
}

/** Nothing left: no open payment, no hold left to release; a payment whose money went back freed its place. */
export function expectSettled(w: RegWorld): void {
  expect(w.store.open()).toEqual([]);
  expect(w.store.pendingReleases()).toEqual([]);
  for (const rec of w.store.list()) {
    if (rec.state === 'reversed' || rec.state === 'refunded') {
      expect(rec.holdRelease).toBe('done');
      expect(w.his.holds.get(w.holdId)).not.toBe('active');
    }
    if (rec.state === 'posted') expect(w.his.holds.get(w.holdId)).toBe('registered');
  }
}

/** Recovery passes on a fresh engine (the restarted terminal) until nothing is left. */
export async function recoverReg(w: RegWorld, passes = 20): Promise<void> {
  const e = w.engine();
  for (let i = 0; i < passes && e.unfinished().length; i++) await e.recover();
  expect(e.unfinished(), 'recovery left work unfinished').toEqual([]);
}

/** Starts a registration payment that may never finish (the terminal crashed). */
export async function payRegOrCrash(w: RegWorld): Promise<PaymentOutcome | 'crashed'> {
  const epoch = w.script.epoch;
  const p = w.engine().payRegistration(w.order, w.funding());
  let out: PaymentOutcome | undefined;
  void p.then((o) => (out = o));
  for (let i = 0; i < 50 && !out && w.script.epoch === epoch; i++) await new Promise((r) => setImmediate(r));
  return out ?? 'crashed';
}
