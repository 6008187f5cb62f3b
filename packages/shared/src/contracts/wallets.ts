import { z } from 'zod';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

const balance = z.object({ available: z.number().int(), reserved: z.number().int() });

/** An elder's wallet (账户): points and purchased-service money (fen), each available and reserved. */
export const wallet = z.object({
  elderId: z.string(),
  elderName: z.string(),
  points: balance,
  purchaseFen: balance,
  frozen: z.boolean(),
  frozenReason: z.string().nullable(),
});
export type Wallet = z.output<typeof wallet>;

/** One line of the elder statement. */
export const walletEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  account: z.enum(['available', 'reserved']),
  currency: z.enum(['points', 'fen']),
  amount: z.number().int(),
  kind: z.string(),
  orderId: z.string().nullable(),
  policyId: z.string().nullable(),
  memo: z.string().nullable(),
  transactionId: z.string(),
});
export type WalletEntry = z.output<typeof walletEntry>;

export const ledgerCheck = z.object({
  ok: z.boolean(),
  transactions: z.number(),
  entries: z.number(),
  accounts: z.number(),
  unbalanced: z.array(z.object({ transactionId: z.string(), sum: z.number() })),
  mismatched: z.array(z.object({ accountId: z.string(), balance: z.number(), derived: z.number() })),
  negative: z.array(z.object({ accountId: z.string(), balance: z.number() })),
  totals: z.record(z.string(), z.number()),
});
export type LedgerCheck = z.output<typeof ledgerCheck>;

export const adjustmentBody = z.strictObject({
  currency: z.enum(['points', 'fen']),
  direction: z.enum(['credit', 'debit']),
  amount: z.number().int('a whole number').positive('must be positive').max(1_000_000),
  reason: z.string().trim().min(2).max(300),
  effectiveDate: isoDay('past').optional().describe('Date the correction into an earlier day of an open month (default today)'),
});
export type AdjustmentInput = z.input<typeof adjustmentBody>;

const elderParam = z.object({ elderId: z.uuid() });
const tags = ['wallets'];

/** Wallets: balances and statements by elder, manual corrections, and the ledger's self-check. */
export const walletsContract = {
  checkLedger: route({
    method: 'GET',
    path: '/wallets/ledger-check',
    permission: 'settlement:approve',
    tags,
    summary: 'Prove the double-entry ledger: balanced transactions, derivable balances, nothing overdrawn',
    response: ledgerCheck,
  }),
  myWallet: route({
    method: 'GET',
    path: '/wallets/mine',
    permission: 'wallet:read',
    tags,
    summary: 'The wallet of the elder an elder or family account is bound to',
    response: wallet,
  }),
  getWallet: route({
    method: 'GET',
    path: '/wallets/:elderId',
    permission: 'wallet:read',
    tags,
    summary: "An elder's points and purchased-service balance",
    params: elderParam,
    response: wallet,
  }),
  listEntries: route({
    method: 'GET',
    path: '/wallets/:elderId/entries',
    permission: 'wallet:read',
    tags,
    summary: 'The elder statement: every entry, newest first',
    params: elderParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.coerce.number().int().min(1).optional(),
    }),
    response: z.object({ items: z.array(walletEntry), nextCursor: z.string().nullable() }),
  }),
  adjust: route({
    method: 'POST',
    path: '/wallets/:elderId/adjustments',
    permission: 'wallet:write',
    audit: 'wallet.adjust',
    tags,
    summary: 'Manual correction from or to the bureau fund (Idempotency-Key required)',
    params: elderParam,
    headers: z.object({ 'idempotency-key': z.string().optional() }),
    body: adjustmentBody,
    response: { 201: z.object({ transactionId: z.string() }) },
  }),
};
