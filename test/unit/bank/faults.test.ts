import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { createGatewayClient } from '../../../kiosk/payment/gateway-client.js';
import { outcomeUnknown } from '../../../kiosk/payment/gateway.js';
import { debitOf, LI, paymentError, startRig, TERMINAL, until, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const balance = () => rig!.bank.account(LI.pan)?.balanceFen;

describe('embedded bank faults, through the gateway client', () => {
  it('timeoutOn debit: BANK_TIMEOUT, the debit was never processed; the reversal finds nothing', async () => {
    rig = await startRig();
    rig.bank.faults.set({ timeoutOn: 'debit' });
    const req = debitOf(LI, 90_000);
    const e = await paymentError(rig.client.debit(req));
    expect(e.code).toBe('BANK_TIMEOUT');
    expect(outcomeUnknown(e)).toBe(true);
    expect(balance()).toBe(1_000_000);
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: false });
    await until(() => rig!.bank.withheld() === 0);
  });

  it('lostResponseOn debit: BANK_TIMEOUT while the debit stands; the reversal gives the money back, idempotently', async () => {
    rig = await startRig();
    rig.bank.faults.set({ lostResponseOn: 'debit' });
    const req = debitOf(LI, 90_000);
    expect((await paymentError(rig.client.debit(req))).code).toBe('BANK_TIMEOUT');
    expect(balance()).toBe(910_000);
    expect(rig.bank.standingDebits().map((d) => d.txnId)).toEqual([req.txnId]);

    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: true });
    expect(balance()).toBe(1_000_000);
    expect(rig.bank.standingDebits()).toEqual([]);
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: true });
    expect(balance()).toBe(1_000_000);
    // The debit retransmitted after its reversal is answered from the record, never applied again.
    rig.bank.faults.clear();
    expect((await rig.client.debit(req)).outcome).toBe('approved');
    expect(balance()).toBe(1_000_000);
  });

  it('a reversal before the debit arrives leaves a tombstone: the late debit is refused', async () => {
    rig = await startRig();
    const req = debitOf(LI, 90_000);
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: false });
    expect(await rig.client.debit(req)).toEqual({ txnId: req.txnId, outcome: 'declined', declineReason: 'REVERSED_BEFORE_DEBIT' });
    expect(balance()).toBe(1_000_000);
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: false });
    const day = rig.bank.transactionsOn('2026-01-05');
    expect(day.reversalsWithoutDebit).toEqual([{ txnId: req.txnId, terminalId: TERMINAL, at: '2026-01-05T01:00:00.000Z' }]);
    expect(day.transactions).toMatchObject([{ txnId: req.txnId, status: 'declined', reason: 'REVERSED_BEFORE_DEBIT' }]);
  });

  it('a declined debit reversed: nothing to undo (reversed:false), and the decline stands', async () => {
    rig = await startRig({ seed: { declineAll: 'DO_NOT_HONOUR' } });
    const req = debitOf(LI, 100);
    expect(await rig.client.debit(req)).toMatchObject({ outcome: 'declined', declineReason: 'DO_NOT_HONOUR' });
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: false });
  });

  it('lostResponseOn reversal: the reversal is applied although unanswered; its retry answers reversed:true', async () => {
    rig = await startRig();
    const req = debitOf(LI, 90_000);
    await rig.client.debit(req);
    rig.bank.faults.set({ lostResponseOn: 'reversal', times: 1 });
    expect((await paymentError(rig.client.reverse(req.txnId, TERMINAL))).code).toBe('BANK_TIMEOUT');
    expect(balance()).toBe(1_000_000);
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: true });
  });

  it('failOn debit: the connection drops after the request was sent → BANK_BAD_RESPONSE; not processed', async () => {
    rig = await startRig();
    rig.bank.faults.set({ failOn: 'debit' });
    const e = await paymentError(rig.client.debit(debitOf(LI, 90_000)));
    expect(e.code).toBe('BANK_BAD_RESPONSE');
    expect(outcomeUnknown(e)).toBe(true);
    expect(balance()).toBe(1_000_000);
    expect(rig.bank.transactionsOn('2026-01-05').transactions).toEqual([]);
  });

  it("failOn '*' unplugs the bank: connection refused → BANK_UNREACHABLE; clear() plugs it back on the same URL", async () => {
    rig = await startRig();
    rig.bank.faults.set({ failOn: '*' });
    const e = await paymentError(rig.client.debit(debitOf(LI, 90_000)));
    expect(e.code).toBe('BANK_UNREACHABLE');
    expect(outcomeUnknown(e)).toBe(false);
    expect((await paymentError(rig.client.reverse('T0001-x-00000001', TERMINAL))).code).toBe('BANK_UNREACHABLE');
    rig.bank.faults.clear();
    await new Promise((r) => setTimeout(r, 20));
    expect((await rig.client.debit(debitOf(LI, 90_000))).outcome).toBe('approved');
  });

  it("failOn '*' with times: the connection is reset per request (BANK_BAD_RESPONSE), then healthy", async () => {
    rig = await startRig();
    rig.bank.faults.set({ failOn: '*', times: 2 });
    expect((await paymentError(rig.client.debit(debitOf(LI, 100)))).code).toBe('BANK_BAD_RESPONSE');
    expect((await paymentError(rig.client.reverse('T0001-x-00000002', TERMINAL))).code).toBe('BANK_BAD_RESPONSE');
    expect((await rig.client.debit(debitOf(LI, 100))).outcome).toBe('approved');
    expect(rig.bank.faults.current()).toEqual({});
  });

  it('declineAll with times: that many debits declined with the reason (and stored), then approvals', async () => {
    rig = await startRig();
    rig.bank.faults.set({ declineAll: 'ISSUER_UNAVAILABLE', times: 1 });
    const req = debitOf(LI, 100);
    expect(await rig.client.debit(req)).toMatchObject({ outcome: 'declined', declineReason: 'ISSUER_UNAVAILABLE' });
    expect(await rig.client.debit(req)).toMatchObject({ outcome: 'declined', declineReason: 'ISSUER_UNAVAILABLE' });
    expect((await rig.client.debit(debitOf(LI, 100))).outcome).toBe('approved');
  });

  it("timeoutOn '*' holds reversals too; faults from the seed apply at start", async () => {
    rig = await startRig({ seed: { timeoutOn: '*' } });
    expect(rig.bank.faults.current()).toEqual({ timeoutOn: '*' });
    expect((await paymentError(rig.client.reverse('T0001-x-00000003', TERMINAL))).code).toBe('BANK_TIMEOUT');
  });
});

describe('timeouts on virtual time (scenario runs)', () => {
  it('a held debit times out when the injected clock moves, long before the real deadline', async () => {
    rig = await startRig();
    const client = createGatewayClient({ baseUrl: rig.bank.url, timeoutMs: 20_000, clock: rig.clock, logger: silentLogger });
    try {
      rig.bank.faults.set({ lostResponseOn: 'debit' });
      const started = Date.now();
      const req = debitOf(LI, 90_000);
      const pending = paymentError(client.debit(req));
      // The bank holds the answer; a runner that discounts withheld requests lets virtual time run.
      await until(() => rig!.bank.withheld() === 1);
      expect(balance()).toBe(910_000);
      await rig.clock.advance(19_999);
      expect(rig.bank.withheld()).toBe(1);
      await rig.clock.advance(1);
      expect((await pending).code).toBe('BANK_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The client gave up and closed its connection: the bank no longer counts it as withheld.
      await until(() => rig!.bank.withheld() === 0);
      rig.bank.faults.clear();
      expect(await client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: true });
    } finally {
      client.close();
    }
  });

  it('a normal answer clears the virtual deadline (no late timeout fires)', async () => {
    rig = await startRig();
    const client = createGatewayClient({ baseUrl: rig.bank.url, timeoutMs: 5_000, clock: rig.clock, logger: silentLogger });
    try {
      expect((await client.debit(debitOf(LI, 100))).outcome).toBe('approved');
      expect(rig.clock.pendingTimers()).toBe(0);
    } finally {
      client.close();
    }
  });
});
