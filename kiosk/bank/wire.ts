/**
 * The bank's REST wire format, shared by the gateway client (kiosk/payment/gateway-client.ts) and
 * the embedded bank's server. Both sides validate with these schemas: the server every request,
 * the client every answer (a malformed one is BANK_BAD_RESPONSE: outcome unknown, never a crash
 * deeper in the payment engine). docs/bank.md describes the routes.
 */
import { z } from 'zod';
import type { DebitResult, ReversalResult } from '../payment/gateway.js';

/** Terminal transaction ids: `T0001-20260105010000-1a2b3c4d` in practice. */
export const TxnId = z.string().min(8).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'txnId: letters, digits, . _ : -');
export const TerminalId = z.string().min(1).max(32);
export const Pan = z.string().regex(/^\d{13,19}$/, 'pan is 13 to 19 digits');
export const Yymm = z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'expiry is YYMM');
/** 3DES blocks are 8 bytes, SM4 blocks 16: 16 or 32 hex digits. */
export const PinBlockHex = z.string().regex(/^([0-9A-Fa-f]{16}|[0-9A-Fa-f]{32})$/, 'pinBlock is 16 or 32 hex digits');
/** Up to 100 million yuan: anything bigger is a bug, not a premium. */
export const AmountFen = z.number().int().min(1).max(10_000_000_000);
export const BusinessDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date is YYYY-MM-DD');

// ---- requests -------------------------------------------------------------------------------

export const DebitBody = z
  .object({
    txnId: TxnId,
    terminalId: TerminalId,
    pan: Pan,
    expiry: Yymm,
    amountFen: AmountFen,
    pinBlock: PinBlockHex,
    description: z.string().max(200),
  })
  .strict();
export type DebitBody = z.infer<typeof DebitBody>;

export const ReversalBody = z.object({ txnId: TxnId, terminalId: TerminalId }).strict();
export type ReversalBody = z.infer<typeof ReversalBody>;

export const TransactionsQuery = z.object({ date: BusinessDate }).strict();

// ---- responses ------------------------------------------------------------------------------

/**
 * An approved debit always names its bank reference (the receipt prints it); a declined one always
 * names its reason. Anything else is not a conforming answer.
 */
export const DebitResponse = z.discriminatedUnion('outcome', [
  z.object({ txnId: TxnId, outcome: z.literal('approved'), bankRef: z.string().min(1).max(64) }).strict(),
  z
    .object({
      txnId: TxnId,
      outcome: z.literal('declined'),
      declineReason: z.string().min(1).max(64),
      triesLeft: z.number().int().min(0).max(15).optional(),
    })
    .strict(),
]) satisfies z.ZodType<DebitResult>;

export const ReversalResponse = z.object({ txnId: TxnId, reversed: z.boolean() }).strict() satisfies z.ZodType<ReversalResult>;

export const TRANSACTION_STATUSES = ['approved', 'declined', 'reversed'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** One debit request the bank decided, as the reconciliation report reads it. PAN masked. */
export const BankTransactionSchema = z
  .object({
    txnId: TxnId,
    terminalId: TerminalId,
    panMasked: z.string(),
    amountFen: z.number().int(),
    status: z.enum(TRANSACTION_STATUSES),
    bankRef: z.string().nullable(),
    reason: z.string().nullable(),
    description: z.string(),
    /** ISO 8601 UTC: when the debit was decided. */
    at: z.string(),
    /** ISO 8601 UTC: when an approved debit was reversed. */
    reversedAt: z.string().nullable(),
  })
  .strict();
export type BankTransaction = z.infer<typeof BankTransactionSchema>;

/** A reversal that found no debit: the txnId is barred, so a late debit with it is refused. */
export const TombstoneSchema = z.object({ txnId: TxnId, terminalId: TerminalId, at: z.string() }).strict();
export type Tombstone = z.infer<typeof TombstoneSchema>;

export const TransactionsResponse = z
  .object({ date: BusinessDate, transactions: z.array(BankTransactionSchema), reversalsWithoutDebit: z.array(TombstoneSchema) })
  .strict();
export type TransactionsResponse = z.infer<typeof TransactionsResponse>;

/** Every non-2xx answer. 4xx always carry a reason (the client maps them to BANK_REJECTED). */
export const BankErrorResponse = z.object({
  error: z.object({
    code: z.enum(['BAD_REQUEST', 'REJECTED', 'NOT_FOUND', 'INTERNAL']),
    reason: z.string().min(1).optional(),
    message: z.string(),
  }),
});
export type BankErrorResponse = z.infer<typeof BankErrorResponse>;

export const bankPaths = {
  debit: '/debit',
  reversal: '/reversal',
  transactions: '/transactions',
  health: '/health',
} as const;

/** China Standard Time, fixed (no DST): the bank's business day runs 00:00–24:00 in Beijing. */
const CST_OFFSET_MS = 8 * 3600_000;

/** The bank's business date (YYYY-MM-DD, Beijing time) of an instant. */
export function businessDate(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}
