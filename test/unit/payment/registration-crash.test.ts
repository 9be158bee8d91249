/**
 * The deterministic crash tests of engine.test.ts, for registration fees from both sources: the
 * terminal dies at every remote call of a payment (debit, register, reversal, release), before and
 * after the remote side processed it, then restarts and recovers. Per transaction, afterwards:
 * standing debits == registrations, and neither exceeds one; a payment whose money went back has
 * freed its place; the citizen was never told "registered" for money that went back, or the reverse.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentOutcome } from '../../../kiosk/payment/types.js';
import type { Behaviour } from './fakes.js';
import { expectRegLedger, expectSettled, payRegOrCrash, recoverReg, regWorld, SOURCES } from './registration-world.js';

/** Remote calls when everything works: debit, register. A refund adds reversal and release. */
const HAPPY_CALLS = 2;

describe.each(SOURCES)('a crash at every step of a registration paid from the %s', (source) => {
  const points: { at: number; how: Behaviour }[] = [];
  for (let at = 0; at < HAPPY_CALLS + 4; at++) for (const how of ['crash-before', 'crash-after'] as const) points.push({ at, how });
  // Before the crash: lost / dropped debits (→ reversal, release), lost / dropped registrations
  // (→ retried), a registration refused for good (→ refund, release), a reversal not answered.
  const leads: Behaviour[][] = [[], ['lost'], ['drop'], ['ok', 'drop'], ['ok', 'lost'], ['lost', 'drop'], ['ok', 'reject'], ['ok', 'reject', 'drop'], ['ok', 'reject', 'ok', 'drop']];
  let cases = 0;
  for (const lead of leads) {
    for (const p of points) {
      if (p.at < lead.length) continue;
      const steps = [...lead, ...Array<Behaviour>(p.at - lead.length).fill('ok'), p.how];
      cases++;
      it(steps.join(' → '), async () => {
        const w = regWorld(steps, source);
        const out = await payRegOrCrash(w);
        if (out !== 'crashed') {
          // It finished before the scripted crash point: the crash hits recovery instead.
          const e = w.engine();
          for (let i = 0; i < 5 && e.unfinished().length && w.script.epoch === 0; i++) await Promise.race([e.recover(), new Promise((r) => setTimeout(r, 20))]);
        }
        await recoverReg(w);
        expectRegLedger(w);
        expectSettled(w);
        if (out !== 'crashed' && out.status === 'approved') expect(w.money.standing(out.txnId)).toBe(1);
        if (out !== 'crashed' && out.status === 'approved' && out.registration) expect(w.his.registered(out.txnId)).toBe(1);
        if (out !== 'crashed' && out.status !== 'approved') {
          expect(w.money.standing(out.txnId)).toBe(0);
          expect(w.his.registered(out.txnId)).toBe(0);
        }
      });
    }
  }
  it('covers the crash points', () => expect(cases).toBeGreaterThanOrEqual(70));
});

describe.each(SOURCES)('property: random faults over registrations from the %s', (source) => {
  const BEHAVIOURS: Behaviour[] = ['ok', 'ok', 'ok', 'drop', 'lost', 'refused', 'reject', 'crash-before', 'crash-after'];
  const rng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed * 7919);
      const steps = Array.from({ length: 12 }, () => BEHAVIOURS[Math.floor(r() * BEHAVIOURS.length)]!);
      const w = regWorld(steps, source);
      const outcomes: PaymentOutcome[] = [];
      // The same hold paid up to three times (a citizen trying again after a failure): at most one registration stands.
      for (let n = 0; n < 3; n++) {
        const out = await payRegOrCrash(w);
        if (out !== 'crashed') outcomes.push(out);
        await Promise.race([w.engine().recover(), new Promise((res) => setTimeout(res, 30))]);
      }
      w.script.set([]);
      await recoverReg(w);
      expectRegLedger(w);
      expect(w.his.regs.size).toBeLessThanOrEqual(1);
      const standing = w.store.list().filter((rec) => w.money.standing(rec.txnId) === 1);
      expect(standing.length).toBe(w.his.regs.size);
      for (const o of outcomes) {
        if (o.status === 'declined' || o.status === 'failed' || o.status === 'reversed') expect(w.money.standing(o.txnId)).toBe(0);
      }
    });
  }
});
