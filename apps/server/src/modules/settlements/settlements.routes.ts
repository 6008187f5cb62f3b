import { settlementsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as settlements from './settlements.service.ts';

/** Monthly settlement: schemas, access and audit come from the shared contract. */
export const settlementRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listSettlements, (req) => settlements.listSettlements(ctx, actorOf(req), req.query));
  registerRoute(app, api.drawUp, (req) => settlements.drawUp(ctx, actorOf(req), req.body.providerId, req.body.period));
  registerRoute(app, api.getSettlement, (req) => settlements.getSettlement(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.confirm, (req) => settlements.confirm(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.approve, (req) => settlements.approve(ctx, actorOf(req), req.params.id));
  // The .xlsx download is a file, not JSON, so it is not a contract route (route() describes JSON
  // answers); the web links to it through settlementExportUrl in apps/web/src/api/settlements.ts.
  app.get(
    '/settlements/:id/export',
    {
      config: { permission: 'settlement:read' },
      schema: { tags: ['settlements'], summary: 'The statement as .xlsx', params: z.object({ id: z.uuid() }) },
    },
    async (req, reply) => {
      const x = await settlements.exportXlsx(ctx, actorOf(req), req.params.id);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(x.buffer);
    },
  );
};
