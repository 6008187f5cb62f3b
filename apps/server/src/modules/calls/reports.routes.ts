import { callReportsContract as api, callReportQuery } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { inboundReport, inboundReportXlsx, liveFigures } from './reports.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Call-centre reports. The xlsx download answers a file, which route() cannot describe, so it is
 * a plain Fastify route with the same query and permission as the JSON report.
 */
export const callReportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.inbound, (req) => inboundReport(ctx, actorOf(req), req.query));
  registerRoute(app, api.live, (req) => liveFigures(ctx, actorOf(req)));
  app.get(
    '/call-reports/inbound/export',
    {
      config: { permission: 'call:read' },
      schema: {
        tags: ['call-reports'],
        summary: 'The inbound report as xlsx (Chinese headers)',
        querystring: callReportQuery,
        produces: [XLSX],
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('呼入话务报表.xlsx')}`)
        .send(await inboundReportXlsx(ctx, actorOf(req), req.query)),
  );
};
