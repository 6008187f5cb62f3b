import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoDay } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import { boundElderId } from '../elders/service-elders.repo.ts';
import * as ledger from './ledger.repo.ts';
import * as wallets from './wallets.service.ts';

const balance = z.object({ available: z.number().int(), reserved: z.number().int() });
const walletSchema = z.object({
  elderId: z.string(),
  elderName: z.string(),
  points: balance,
  purchaseFen: balance,
  frozen: z.boolean(),
  frozenReason: z.string().nullable(),
});
const entrySchema = z.object({
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
const elderParam = z.object({ elderId: z.uuid() });

export const walletRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['wallets'];

  app.get(
    '/wallets/ledger-check',
    {
      config: { permission: 'settlement:approve' },
      schema: {
        tags,
        summary: 'Prove the double-entry ledger: balanced transactions, derivable balances, nothing overdrawn',
        response: {
          200: z.object({
            ok: z.boolean(),
            transactions: z.number(),
            entries: z.number(),
            accounts: z.number(),
            unbalanced: z.array(z.object({ transactionId: z.string(), sum: z.number() })),
            mismatched: z.array(z.object({ accountId: z.string(), balance: z.number(), derived: z.number() })),
            negative: z.array(z.object({ accountId: z.string(), balance: z.number() })),
            totals: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async () => ledger.checkLedger(ctx.db),
  );
  app.get(
    '/wallets/mine',
    {
      config: { permission: 'wallet:read' },
      schema: {
        tags,
        summary: 'The wallet of the elder an elder or family account is bound to',
        response: { 200: walletSchema },
      },
    },
    async (req) => {
      const elderId = await boundElderId(ctx.db, actorOf(req));
      if (!elderId) throw notFound('Elder');
      return wallets.getWallet(ctx, actorOf(req), elderId);
    },
  );
  app.get(
    '/wallets/:elderId',
    {
      config: { permission: 'wallet:read' },
      schema: {
        tags,
        summary: "An elder's points and purchased-service balance",
        params: elderParam,
        response: { 200: walletSchema },
      },
    },
    async (req) => wallets.getWallet(ctx, actorOf(req), req.params.elderId),
  );
  app.get(
    '/wallets/:elderId/entries',
    {
      config: { permission: 'wallet:read' },
      schema: {
        tags,
        summary: 'The elder statement: every entry, newest first',
        params: elderParam,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.coerce.number().int().min(1).optional(),
        }),
        response: { 200: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => wallets.getStatement(ctx, actorOf(req), req.params.elderId, req.query.limit, req.query.cursor),
  );
  app.post(
    '/wallets/:elderId/adjustments',
    {
      config: { audit: 'wallet.adjust', permission: 'wallet:write' },
      schema: {
        tags,
        summary: 'Manual correction from or to the bureau fund (Idempotency-Key required)',
        params: elderParam,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: z.strictObject({
          currency: z.enum(['points', 'fen']),
          direction: z.enum(['credit', 'debit']),
          amount: z.number().int('a whole number').positive('must be positive').max(1_000_000),
          reason: z.string().trim().min(2).max(300),
          effectiveDate: isoDay('past')
            .optional()
            .describe('Date the correction into an earlier day of an open month (default today)'),
        }),
        response: { 201: z.object({ transactionId: z.string() }) },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await withIdempotency(
          ctx,
          req,
          async (c) => ({ status: 201, body: await wallets.adjust(c, actorOf(req), req.params.elderId, req.body) }),
          { required: true },
        ),
      ),
  );
};
