import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import { maskAccount } from '../../drivers/common/mask.js';
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import type { Printer } from '../../drivers/printer/interface.js';
import type { DuesOutput, PayOrderInput, PayOutcome } from '../../flows/session/types.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { CardInfo } from '../card/card-info.js';
import { readFinancialAccount } from '../card/financial.js';
import type { Journal } from '../journal/journal.js';
import type { PaymentEngine } from '../payment/engine.js';
import type { PaymentStore } from '../payment/store.js';
import type { BankAccount } from '../payment/types.js';
import { paymentReceipt } from '../print/payment-receipt.js';
import { clearPad, secureEntry, type PinDeps } from './pin-actors.js';

export interface PayDeps extends PinDeps {
  reader: CardReader;
  pinpad: PinPad;
  backend: SocialSecurityBackend;
  engine: PaymentEngine;
  store: PaymentStore;
  printer?: Printer;
  journal: Journal;
  logger: Logger;
  terminalId: string;
  /** The pad's working PIN key slot: the bank shares this key. */
  pinKeyIndex: number;
  currentHolder(): CardInfo | undefined;
  lang(): 'zh-CN' | 'en';
  clockNow(): number;
}

const ITEM_NAMES: Record<string, string> = {
  'flexible-pension': '养老保险（灵活就业）',
  'flexible-medical': '医疗保险（灵活就业）',
  'resident-pension': '城乡居民养老保险',
  'resident-medical': '城乡居民医疗保险',
};

/** How far back a receipt can be printed again. */
const REPRINT_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * The card's bank account and the encrypted online PIN block of the visit, on the host side of the
 * machine, for the one card in the reader: the machine never holds either. Shared by the premium
 * and the registration-fee journeys. The block is zeroed as a debit takes it, or when the visit
 * moves on without paying.
 */
export function bankPinStore() {
  let account: { holder: string; acct: BankAccount } | undefined;
  let pinBlock: Uint8Array | undefined;
  const store = {
    drop(): void {
      pinBlock?.fill(0);
      pinBlock = undefined;
    },
    setAccount(h: CardInfo, acct: BankAccount): void {
      account = { holder: h.cardIdCode, acct };
    },
    account(h: CardInfo): BankAccount {
      if (!account || account.holder !== h.cardIdCode) throw new YktError('NO_ACCOUNT', "the card's bank account was not read in this visit");
      return account.acct;
    },
    setBlock(b: Uint8Array): void {
      store.drop();
      pinBlock = b;
    },
    /** The block for one debit; the caller (the engine) zeroes it. */
    takeBlock(): Uint8Array {
      const b = pinBlock;
      pinBlock = undefined;
      if (!b) throw new YktError('NO_PIN_BLOCK', 'no PIN was entered for this payment');
      return b;
    },
  };
  return store;
}
export type BankPinStore = ReturnType<typeof bankPinStore>;

/** The payment journeys' card-side actors: the account, the online PIN, the premium, its receipt. */
export function payActors(d: PayDeps, bank: BankPinStore = bankPinStore()) {
  const holder = (): CardInfo => {
    const h = d.currentHolder();
    if (!h) throw new YktError('NO_HOLDER', 'no card has been read in this session');
    return h;
  };

  return {
    loadDues: fromPromise<DuesOutput>(async () => {
      const h = holder();
      bank.drop();
      const acct = await readFinancialAccount(d.reader);
      bank.setAccount(h, acct);
      const dues = await d.backend.premiumsDue(h.ssn);
      return { dues, panMasked: maskAccount(acct.pan) };
    }),

    /** The card's bank account alone (a registration fee paid by card). Rejects CARD_NO_FINANCIAL. */
    readBankAccount: fromPromise<{ panMasked: string }>(async () => {
      const h = holder();
      bank.drop();
      const acct = await readFinancialAccount(d.reader);
      bank.setAccount(h, acct);
      return { panMasked: maskAccount(acct.pan) };
    }),

    captureOnlinePin: fromPromise<void>(async ({ signal }) => {
      const h = holder();
      const acct = bank.account(h);
      bank.drop();
      await secureEntry(d, signal);
      try {
        // Online PIN: ISO 9564-0 under the working key the bank shares; the card is not asked.
        bank.setBlock(await d.pinpad.getPinBlock({ keyIndex: d.pinKeyIndex, pan: acct.pan }));
      } finally {
        await clearPad(d.pinpad);
      }
      if (signal.aborted) bank.drop();
    }),

    payPremium: fromPromise<PayOutcome, PayOrderInput>(async ({ input }) => {
      const h = holder();
      const acct = bank.account(h);
      const block = bank.takeBlock();
      const description = `${ITEM_NAMES[input.item] ?? input.item} ${input.periods[0]}${input.periods.length > 1 ? `~${input.periods[input.periods.length - 1]}` : ''}`;
      // The engine zeroes the block as the debit takes it; it finishes the payment whatever the
      // screen does meanwhile (no abort: money in flight is never abandoned half-way).
      const out = await d.engine.pay({ ssn: h.ssn, ...input, description }, acct, block);
      return out;
    }),

    printPaymentReceipt: fromPromise<void, { txnId?: string }>(async ({ input }) => {
      const h = holder();
      const rec = input.txnId ? d.store.get(input.txnId) : d.store.lastPaidOf(h.ssn, d.clockNow() - REPRINT_WINDOW_MS);
      if (!rec) throw new YktError('NO_RECEIPT', 'no payment of this holder to print');
      if (!d.printer) throw new PrinterError('PRINTER_OFFLINE', { message: 'this terminal has no printer' });
      const reprint = !input.txnId;
      await d.printer.print(paymentReceipt(rec, { lang: d.lang() === 'en' ? 'en' : 'zh', terminalId: d.terminalId, reprint }));
      d.store.markReceiptPrinted(rec.txnId);
      d.journal.append('print', 'printed', { kind: reprint ? 'payment-receipt-reprint' : 'payment-receipt', txnId: rec.txnId });
    }),
  };
}

/**
 * Whether the holder paid here in the last 30 days: the menu then offers the receipt again (one
 * that could not be printed, or one that was lost).
 */
export function hasReprintableReceipt(store: PaymentStore, ssn: string, now: number): boolean {
  return !!store.lastPaidOf(ssn, now - REPRINT_WINDOW_MS);
}
