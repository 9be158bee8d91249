import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { BankSeedOverrides, createEmbeddedBank, parseBankSeed, type EmbeddedBank } from '../../../kiosk/bank/embedded/index.js';
import { createGatewayClient } from '../../../kiosk/payment/gateway-client.js';
import { DEMO_PIN_WORKING_KEY } from '../../../kiosk/sim/demo-keys.js';
import { debitOf, LI, paymentError, pinBlock, startRig, TERMINAL, ZHANG, type Rig } from './helpers.js';

let rig: Rig | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('embedded bank: seed overrides', () => {
  it('BankSeedOverrides is strict and names the bad field', () => {
    expect(BankSeedOverrides.safeParse({ acounts: {} }).success).toBe(false);
    expect(() => parseBankSeed({ accounts: { [LI.pan]: { balanceFen: -1 } } })).toThrow(/bank\.accounts\.6217002330012345671\.balanceFen/);
    expect(() => parseBankSeed({ accounts: { '12ab': { pin: '123456' } } })).toThrow(/bank\.accounts/);
    expect(() => parseBankSeed({ timeoutOn: 'statement' })).toThrow(/bank\.timeoutOn/);
    expect(() => parseBankSeed({ accounts: { [LI.pan]: { balanceFen: 5, colour: 'red' } } })).toThrow(/colour/);
    expect(parseBankSeed({ lostResponseOn: 'debit', times: 1, accounts: { [LI.pan]: { balanceFen: 0 } } })).toEqual({
      lostResponseOn: 'debit',
      times: 1,
      accounts: { [LI.pan]: { balanceFen: 0 } },
    });
  });

  it('overrides change seeded accounts, add new ones (with a pin), and lock a PIN', async () => {
    const extra = { pan: '6222020000000000017', pin: '2468', expiry: '2912' };
    rig = await startRig({
      seed: { accounts: { [LI.pan]: { balanceFen: 500 }, [ZHANG.pan]: { pinTriesLeft: 0 }, [extra.pan]: { pin: extra.pin, balanceFen: 1_000 } } },
    });
    expect(await rig.client.debit(debitOf(LI, 501))).toMatchObject({ declineReason: 'INSUFFICIENT_FUNDS' });
    expect(await rig.client.debit(debitOf(ZHANG, 1))).toMatchObject({ declineReason: 'PIN_LOCKED' });
    expect(await rig.client.debit(debitOf(extra, 1_000, { pinBlock: pinBlock(extra.pin, extra.pan) }))).toMatchObject({ outcome: 'approved' });
  });

  it('an override of an account no card carries, without a pin, fails the start', async () => {
    await expect(
      createEmbeddedBank({
        dbFile: ':memory:',
        clock: new VirtualClock(),
        logger: silentLogger,
        pinKey: { alg: 'sm4', key: DEMO_PIN_WORKING_KEY },
        seed: { accounts: { '6222020000000000017': { balanceFen: 5 } } },
      }),
    ).rejects.toMatchObject({ code: 'BANK_SEED_INVALID' });
  });
});

describe('embedded bank: ledger', () => {
  it('a restart on the same file keeps balances and standing debits; overrides are applied once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ykt-bank-'));
    dirs.push(dir);
    const clock = new VirtualClock();
    const start = () =>
      createEmbeddedBank({
        dbFile: join(dir, 'bank.sqlite'),
        clock,
        logger: silentLogger,
        pinKey: { alg: 'sm4', key: DEMO_PIN_WORKING_KEY },
        accounts: [{ pan: LI.pan, pin: LI.pin }],
        seed: { accounts: { [LI.pan]: { balanceFen: 100_000 } } },
      });
    let bank: EmbeddedBank = await start();
    let client = createGatewayClient({ baseUrl: bank.url, timeoutMs: 1000, logger: silentLogger });
    const req = debitOf(LI, 90_000);
    await client.debit(req);
    client.close();
    await bank.close();

    bank = await start();
    client = createGatewayClient({ baseUrl: bank.url, timeoutMs: 1000, logger: silentLogger });
    try {
      expect(bank.account(LI.pan)?.balanceFen).toBe(10_000);
      expect(bank.standingDebits().map((d) => d.txnId)).toEqual([req.txnId]);
      expect(await client.debit(req)).toMatchObject({ outcome: 'approved' });
      expect(bank.account(LI.pan)?.balanceFen).toBe(10_000);
    } finally {
      client.close();
      await bank.close();
    }
  });

  it('addAccount never resets an existing account', async () => {
    rig = await startRig();
    await rig.client.debit(debitOf(LI, 90_000));
    rig.bank.addAccount({ pan: LI.pan, pin: '000000', balanceFen: 5 });
    expect(rig.bank.account(LI.pan)?.balanceFen).toBe(910_000);
    rig.bank.addAccount({ pan: '6222020000000000017', pin: '2468' });
    expect(rig.bank.account('6222020000000000017')?.balanceFen).toBe(1_000_000);
  });

  it('GET /transactions: the business day in Beijing time, PANs masked, reversals and tombstones listed', async () => {
    rig = await startRig();
    const a = debitOf(LI, 90_000);
    const b = debitOf(LI, 100, { pinBlock: pinBlock('111111', LI.pan) });
    await rig.client.debit(a);
    await rig.client.debit(b);
    await rig.client.reverse(a.txnId, TERMINAL);
    await rig.client.reverse('T0001-20260105010000-ffffffff', TERMINAL);
    // 2026-01-05 17:00 UTC is 01:00 on the 6th in Beijing: the next business day.
    await rig.clock.advance(16 * 3600_000);
    const c = debitOf(LI, 36_000);
    await rig.client.debit(c);

    const day5 = await rig.client.transactionsOn('2026-01-05');
    expect(day5).toEqual(rig.bank.transactionsOn('2026-01-05'));
    expect(day5.transactions).toEqual([
      {
        txnId: a.txnId,
        terminalId: TERMINAL,
        panMasked: '621700*********5671',
        amountFen: 90_000,
        status: 'reversed',
        bankRef: 'YB20260105000001',
        reason: null,
        description: a.description,
        at: '2026-01-05T01:00:00.000Z',
        reversedAt: '2026-01-05T01:00:00.000Z',
      },
      expect.objectContaining({ txnId: b.txnId, status: 'declined', reason: 'WRONG_PIN', bankRef: null }),
    ]);
    expect(day5.reversalsWithoutDebit.map((t) => t.txnId)).toEqual(['T0001-20260105010000-ffffffff']);
    const day6 = await rig.client.transactionsOn('2026-01-06');
    expect(day6.transactions).toMatchObject([{ txnId: c.txnId, status: 'approved', at: '2026-01-05T17:00:00.000Z', bankRef: 'YB20260106000002' }]);
    expect((await paymentError(rig.client.transactionsOn('2026-1-6'))).code).toBe('BANK_REJECTED');
  });
});
