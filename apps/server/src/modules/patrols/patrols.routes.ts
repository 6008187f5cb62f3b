import { patrolsContract as api, isoMonth } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as hazards from './hazards.service.ts';
import * as patrols from './patrols.service.ts';
import * as risk from './risk.service.ts';

/** 智慧安防 patrols and the risk map: schemas, access and audit from the shared contract. */
export const patrolRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listRoutes, (req) => patrols.listRoutes(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createRoute, (req) => patrols.createRoute(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listRuns, (req) => patrols.listRuns(ctx, actorOf(req), req.params.id, req.query));
  registerRoute(app, api.myRuns, (req) => patrols.myRuns(ctx, actorOf(req)));
  registerRoute(app, api.getRun, (req) => patrols.getRun(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.scan, (req) => patrols.scan(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listHazards, (req) => hazards.listHazards(ctx, actorOf(req), req.params.id, req.query));
  registerRoute(app, api.assignHazard, (req) => hazards.assignHazard(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.rectifyHazard, (req) => hazards.rectifyHazard(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.recheckHazard, (req) => hazards.recheckHazard(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.institutionRisk, (req) => risk.institutionRisk(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.districtRisk, (req) => risk.districtRisk(ctx, actorOf(req), req.query));
  registerRoute(app, api.monthReport, (req) => risk.monthReport(ctx, actorOf(req), req.query.month));
  // The .xlsx is a file, not JSON, so not a contract route (as the incident report's export).
  app.get(
    '/patrol-reports/monthly.xlsx',
    {
      config: { permission: 'institution:read' },
      schema: {
        tags: ['patrols'],
        summary: 'The monthly patrol report per institution in reach, as .xlsx',
        querystring: z.object({ month: isoMonth('filter') }),
      },
    },
    async (req, reply) => {
      const x = await risk.monthReportXlsx(ctx, actorOf(req), req.query.month);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(x.buffer);
    },
  );
};
