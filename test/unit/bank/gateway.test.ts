import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { DEMO_PIN_WORKING_KEY } from '../../../kiosk/sim/demo-keys.js';
import { BankRejectedError, createGatewayClient } from '../../../kiosk/payment/gateway-client.js';
import { outcomeUnknown } from '../../../kiosk/payment/gateway.js';
import { debitOf, fakeServer, LI, paymentError, pinBlock, startRig, TERMINAL, ZHANG, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('gateway client against the embedded bank (loopback HTTP, PIN blocks from the pad crypto)', () => {
  it('approves a debit with the right PIN: bank reference, balance debited once, a standing debit', async () => {
    rig = await startRig();
    const req = debitOf(LI, 90_000);
    const r = await rig.client.debit(req);
    expect(r).toEqual({ txnId: req.txnId, outcome: 'approved', bankRef: 'YB20260105000001' });
    expect(rig.bank.account(LI.pan)?.balanceFen).toBe(1_000_000 - 90_000);
    expect(rig.bank.standingDebits()).toEqual([{ txnId: req.txnId, pan: LI.pan, amountFen: 90_000, at: '2026-01-05T01:00:00.000Z' }]);
    const second = await rig.client.debit(debitOf(LI, 36_000));
    expect(second).toMatchObject({ outcome: 'approved', bankRef: 'YB20260105000002' });
  });

  it('wrong PIN: declined with the tries left, then PIN_LOCKED even with the right PIN; balance untouched', async () => {
    rig = await startRig();
    const wrong = () => rig!.client.debit(debitOf(LI, 100, { pinBlock: pinBlock('111111', LI.pan) }));
    expect(await wrong()).toMatchObject({ outcome: 'declined', declineReason: 'WRONG_PIN', triesLeft: 2 });
    expect(await wrong()).toMatchObject({ outcome: 'declined', declineReason: 'WRONG_PIN', triesLeft: 1 });
    expect(await wrong()).toMatchObject({ outcome: 'declined', declineReason: 'WRONG_PIN', triesLeft: 0 });
    const locked = await rig.client.debit(debitOf(LI, 100));
    expect(locked).toEqual({ txnId: expect.any(String), outcome: 'declined', declineReason: 'PIN_LOCKED' });
    expect(rig.bank.account(LI.pan)).toMatchObject({ balanceFen: 1_000_000, pinTriesLeft: 0 });
    expect(rig.bank.standingDebits()).toEqual([]);
  });

  it('a right PIN gives the tries back', async () => {
    rig = await startRig();
    await rig.client.debit(debitOf(LI, 100, { pinBlock: pinBlock('111111', LI.pan) }));
    expect(rig.bank.account(LI.pan)?.pinTriesLeft).toBe(2);
    expect((await rig.client.debit(debitOf(LI, 100))).outcome).toBe('approved');
    expect(rig.bank.account(LI.pan)?.pinTriesLeft).toBe(3);
  });

  it('insufficient funds: declined after the PIN check, nothing taken', async () => {
    rig = await startRig();
    const r = await rig.client.debit(debitOf(ZHANG, 50_001));
    expect(r).toMatchObject({ outcome: 'declined', declineReason: 'INSUFFICIENT_FUNDS' });
    expect(r.triesLeft).toBeUndefined();
    expect(rig.bank.account(ZHANG.pan)?.balanceFen).toBe(50_000);
    expect((await rig.client.debit(debitOf(ZHANG, 50_000))).outcome).toBe('approved');
    expect(rig.bank.account(ZHANG.pan)?.balanceFen).toBe(0);
  });

  it('an unknown account is ACCOUNT_INVALID; a block that does not decode is PIN_FORMAT and costs no try', async () => {
    rig = await startRig();
    const stranger = { pan: '6222020000000000017', pin: '123456', expiry: '3012' };
    expect(await rig.client.debit(debitOf(stranger, 100))).toMatchObject({ outcome: 'declined', declineReason: 'ACCOUNT_INVALID' });
    // A 3DES block where the bank expects SM4 (a key/algorithm mismatch at the terminal).
    const r = await rig.client.debit(debitOf(LI, 100, { pinBlock: pinBlock(LI.pin, LI.pan, '3des') }));
    expect(r).toMatchObject({ outcome: 'declined', declineReason: 'PIN_FORMAT' });
    expect(rig.bank.account(LI.pan)?.pinTriesLeft).toBe(3);
  });

  it('3DES PIN blocks under a 3DES working key', async () => {
    rig = await startRig({ pinKey: { alg: '3des', key: DEMO_PIN_WORKING_KEY } });
    expect((await rig.client.debit(debitOf(LI, 100, { pinBlock: pinBlock(LI.pin, LI.pan, '3des') }))).outcome).toBe('approved');
    const wrong = await rig.client.debit(debitOf(LI, 100, { pinBlock: pinBlock('000000', LI.pan, '3des') }));
    expect(wrong).toMatchObject({ declineReason: 'WRONG_PIN', triesLeft: 2 });
  });

  it('the same txnId and content again: the stored answer, applied once (approved and declined alike)', async () => {
    rig = await startRig();
    const req = debitOf(LI, 90_000);
    const first = await rig.client.debit(req);
    expect(await rig.client.debit(req)).toEqual(first);
    expect(rig.bank.account(LI.pan)?.balanceFen).toBe(910_000);
    const bad = debitOf(LI, 100, { pinBlock: pinBlock('111111', LI.pan) });
    const d1 = await rig.client.debit(bad);
    expect(await rig.client.debit(bad)).toEqual(d1);
    expect(rig.bank.account(LI.pan)?.pinTriesLeft).toBe(2);
  });

  it('the same txnId for a different debit: BANK_REJECTED TXN_ID_REUSED (nothing debited by this request)', async () => {
    rig = await startRig();
    const req = debitOf(LI, 90_000);
    await rig.client.debit(req);
    const e = await paymentError(rig.client.debit({ ...req, amountFen: 1 }));
    expect(e).toBeInstanceOf(BankRejectedError);
    expect(e.code).toBe('BANK_REJECTED');
    expect((e as BankRejectedError).reason).toBe('TXN_ID_REUSED');
    expect(outcomeUnknown(e)).toBe(false);
    expect(rig.bank.account(LI.pan)?.balanceFen).toBe(910_000);
  });

  it('a malformed request is BANK_REJECTED BAD_REQUEST', async () => {
    rig = await startRig();
    const e = await paymentError(rig.client.debit(debitOf(LI, 100, { pinBlock: 'not-a-pin-block' })));
    expect(e.code).toBe('BANK_REJECTED');
    expect((e as BankRejectedError).reason).toBe('BAD_REQUEST');
    expect((await paymentError(rig.client.debit(debitOf(LI, 0)))).code).toBe('BANK_REJECTED');
  });

  it('a reversal from another terminal is refused (TERMINAL_MISMATCH)', async () => {
    rig = await startRig();
    const req = debitOf(LI, 100);
    await rig.client.debit(req);
    const e = await paymentError(rig.client.reverse(req.txnId, 'T9999'));
    expect((e as BankRejectedError).reason).toBe('TERMINAL_MISMATCH');
    expect(await rig.client.reverse(req.txnId, TERMINAL)).toEqual({ txnId: req.txnId, reversed: true });
  });

  it('logs at debug carry the masked PAN and never the PIN block or the full PAN', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    rig = await startRig({ logger }, { logger });
    const req = debitOf(LI, 100);
    await rig.client.debit(req);
    await rig.client.debit(debitOf(LI, 100, { pinBlock: pinBlock('111111', LI.pan) }));
    await rig.client.reverse(req.txnId, TERMINAL);
    rig.bank.faults.set({ lostResponseOn: 'debit', times: 1 });
    const lost = debitOf(LI, 100);
    await paymentError(rig.client.debit(lost));
    const all = lines.join('\n');
    expect(all).toContain('621700*********5671');
    expect(all).toContain('bank call');
    expect(all).not.toContain(LI.pan);
    for (const block of [req.pinBlock, lost.pinBlock, pinBlock('111111', LI.pan)]) {
      expect(all).not.toContain(block);
      expect(all.toLowerCase()).not.toContain(block.toLowerCase());
    }
  });
});

describe('gateway client: answers that are not results', () => {
  const cases: [string, number, string, string][] = [
    ['5xx', 503, '{"error":{"code":"INTERNAL","message":"down"}}', 'BANK_BAD_RESPONSE'],
    ['not JSON', 200, '{"txnId": "T0001-', 'BANK_BAD_RESPONSE'],
    ['an unknown outcome', 200, '{"txnId":"%ID%","outcome":"maybe"}', 'BANK_BAD_RESPONSE'],
    ['approved without a bank reference', 200, '{"txnId":"%ID%","outcome":"approved"}', 'BANK_BAD_RESPONSE'],
    ['an extra field', 200, '{"txnId":"%ID%","outcome":"approved","bankRef":"R1","balanceFen":5}', 'BANK_BAD_RESPONSE'],
    ['an answer for another txnId', 200, '{"txnId":"T0001-other-txn","outcome":"approved","bankRef":"R1"}', 'BANK_BAD_RESPONSE'],
    ['a 4xx without a reason', 404, '<html>not found</html>', 'BANK_BAD_RESPONSE'],
    ['a 4xx with a reason', 400, '{"error":{"code":"BAD_REQUEST","reason":"BAD_REQUEST","message":"no"}}', 'BANK_REJECTED'],
  ];
  for (const [what, status, body, code] of cases) {
    it(`${what} → ${code}`, async () => {
      const req = debitOf(LI, 100);
      const srv = await fakeServer((_q, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(body.replace('%ID%', req.txnId));
      });
      const client = createGatewayClient({ baseUrl: srv.url, timeoutMs: 1000, logger: silentLogger });
      try {
        expect((await paymentError(client.debit(req))).code).toBe(code);
      } finally {
        client.close();
        await srv.close();
      }
    });
  }

  it('the answer cut short after the headers → BANK_BAD_RESPONSE', async () => {
    const srv = await fakeServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
      res.write('{"txnId":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const client = createGatewayClient({ baseUrl: srv.url, timeoutMs: 1000, logger: silentLogger });
    try {
      expect((await paymentError(client.debit(debitOf(LI, 100)))).code).toBe('BANK_BAD_RESPONSE');
    } finally {
      client.close();
      await srv.close();
    }
  });

  it('nothing listening → BANK_UNREACHABLE (the request never left: nothing to reverse)', async () => {
    const srv = await fakeServer(() => {});
    const url = srv.url;
    await srv.close();
    const client = createGatewayClient({ baseUrl: url, timeoutMs: 1000, logger: silentLogger });
    const e = await paymentError(client.debit(debitOf(LI, 100)));
    expect(e.code).toBe('BANK_UNREACHABLE');
    expect(outcomeUnknown(e)).toBe(false);
    client.close();
  });
});
