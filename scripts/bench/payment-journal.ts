/**
 * Journal write latency per payment: the durable writes a payment makes on its way (pending
 * before the debit leaves, approved, posted), each an SQLite commit with synchronous=FULL in the
 * payments store plus its journal entry — the same calls, in the same order, as PaymentEngine.
 * Measured on real files in the temp directory, so the figure includes the fsyncs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realClock } from '../../drivers/common/clock.js';
import { Journal } from '../../kiosk/journal/journal.js';
import { PaymentStore } from '../../kiosk/payment/store.js';
import type { PaymentOrder } from '../../kiosk/payment/types.js';
import { pct } from './util.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 200);


export function benchPaymentJournal(n = PAYMENTS) {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-bench-journal-'));
  const store = new PaymentStore(join(dir, 'payments.sqlite'), realClock);
  const journal = new Journal(join(dir, 'journal.sqlite'), realClock);
  const order: PaymentOrder = {
    ssn: '330302198507152348',
    item: 'flexible-pension',
    choiceId: 'base-4500',
    periods: ['2026-01', '2026-02'],
    amountFen: 180_000,
    description: '养老保险（灵活就业）2026-01~2026-02',
  };
  const pending: number[] = [];
  const perPayment: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const txnId = `BENCH-${i}-${Date.now()}`;
      const t0 = performance.now();
      store.insertPending(txnId, order, '6217002330012345671');
      journal.append('payment', 'pending', { txnId, ssn: order.ssn, amountFen: order.amountFen });
      const t1 = performance.now();
      store.transition(txnId, 'approved', { bankRef: `B${i}` });
      journal.append('payment', 'approved', { txnId });
      store.transition(txnId, 'posted', { postingRef: `P${i}`, attempt: true });
      journal.append('payment', 'posted', { txnId });
      const t2 = performance.now();
      pending.push(t1 - t0);
      perPayment.push(t2 - t0);
    }
  } finally {
    store.close();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { pending: pending.slice(5), perPayment: perPayment.slice(5) };
}

export function paymentJournalReport(): void {
  const r = benchPaymentJournal();
  console.log(`Payment journal writes (SQLite WAL, synchronous=FULL, real files; ${r.perPayment.length} payments)`);
  console.log('   write                                           p50 ms  p99 ms');
  console.log(`   pending row + journal entry (before the debit)  ${pct(r.pending, 50).toFixed(2).padStart(6)}  ${pct(r.pending, 99).toFixed(2).padStart(6)}`);
  console.log(`   whole payment (pending, approved, posted)       ${pct(r.perPayment, 50).toFixed(2).padStart(6)}  ${pct(r.perPayment, 99).toFixed(2).padStart(6)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) paymentJournalReport();
