import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoMonth } from '../../lib/dates.ts';
import { listOf } from '../../lib/http.ts';
import * as settlements from './settlements.service.ts';

const settlementSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  period: z.string(),
  status: z.enum(['draft', 'confirmed', 'approved']),
  pointsRateFen: z.number().int(),
  orderCount: z.number().int(),
  pointsTotal: z.number().int(),
  pointsFen: z.number().int(),
  purchaseFen: z.number().int(),
  selfPayFen: z.number().int(),
  totalFen: z.number().int(),
  heldCount: z.number().int(),
  heldFen: z.number().int(),
  confirmedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
const lineSchema = z.object({
  orderId: z.string(),
  orderNo: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  scheduledAt: z.string(),
  confirmedAt: z.string().nullable(),
  payment: z.string(),
  points: z.number().int(),
  amountFen: z.number().int(),
  held: z.boolean(),
  flags: z.array(z.string()),
});
const period = isoMonth('past');
const idParam = z.object({ id: z.uuid() });

export const settlementRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['settlements'];
  app.get(
    '/settlements',
    {
      config: { permission: 'settlement:read' },
      schema: {
        tags,
        summary: 'Monthly provider statements',
        querystring: z.object({ period: isoMonth('filter').optional(), providerId: z.uuid().optional() }),
        response: { 200: listOf(settlementSchema) },
      },
    },
    async (req) => settlements.listSettlements(ctx, actorOf(req), req.query),
  );
  app.post(
    '/settlements',
    {
      config: { audit: 'settlement.draw-up', permission: 'settlement:approve' },
      schema: {
        tags,
        summary: 'Draw up (or redraw a draft) statement for a finished month',
        body: z.strictObject({ providerId: z.uuid(), period }),
        response: { 201: settlementSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await settlements.drawUp(ctx, actorOf(req), req.body.providerId, req.body.period)),
  );
  app.get(
    '/settlements/:id',
    {
      config: { permission: 'settlement:read' },
      schema: { tags, params: idParam, response: { 200: settlementSchema.extend({ lines: z.array(lineSchema) }) } },
    },
    async (req) => settlements.getSettlement(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/settlements/:id/confirm',
    {
      config: { audit: 'settlement.confirm', permission: 'settlement:confirm' },
      schema: { tags, summary: 'The provider confirms its statement', params: idParam, response: { 200: settlementSchema } },
    },
    async (req) => settlements.confirm(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/settlements/:id/approve',
    {
      config: { audit: 'settlement.approve', permission: 'settlement:approve' },
      schema: {
        tags,
        summary: 'The bureau approves: orders settled, ledger entries final, period closed',
        params: idParam,
        response: { 200: settlementSchema },
      },
    },
    async (req) => settlements.approve(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/settlements/:id/export',
    { config: { permission: 'settlement:read' }, schema: { tags, summary: 'The statement as .xlsx', params: idParam } },
    async (req, reply) => {
      const x = await settlements.exportXlsx(ctx, actorOf(req), req.params.id);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(x.buffer);
    },
  );
};
