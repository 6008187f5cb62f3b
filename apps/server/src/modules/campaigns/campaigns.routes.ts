import { campaignsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import * as campaigns from './campaigns.service.ts';
import { outboundReportXlsx } from './coverage-export.ts';
import * as results from './results.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Outbound care calls (主动关爱): schemas, access and audit come from the shared contract. */
export const campaignRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listCampaigns, (req) => campaigns.listCampaigns(ctx, actorOf(req), req.query.includeInactive));
  registerRoute(app, api.createCampaign, (req) => campaigns.createCampaign(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateCampaign, (req) => campaigns.updateCampaign(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.coverage, (req) => campaigns.coverage(ctx, actorOf(req), new Date()));
  // The call reports' outbound export (话务报表 → 外呼关爱): a file, which route() cannot describe,
  // so a plain route with the coverage's permission, as the inbound export is.
  app.get(
    '/call-reports/outbound/export',
    {
      config: { permission: 'call:read' },
      schema: { tags: ['call-reports'], summary: 'The outbound care-call report (coverage) as xlsx', produces: [XLSX] },
    },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('外呼关爱报表.xlsx')}`)
        .send(await outboundReportXlsx(ctx, actorOf(req))),
  );
  registerRoute(app, api.listTasks, (req) => results.tasksOfDay(ctx, actorOf(req), req.query, new Date()));
  registerRoute(app, api.myTasks, (req) => results.myTasks(ctx, actorOf(req), new Date()));
  // A result posted again with the same Idempotency-Key (or the same attemptId) counts once.
  registerRoute(app, api.postResult, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 201,
        body: await results.recordResult(c, actorOf(req), req.params.id, req.body, new Date()),
      })),
    ),
  );
  registerRoute(app, api.listVisitTasks, (req) => results.listVisits(ctx, actorOf(req), req.query.open));
  registerRoute(app, api.completeVisitTask, (req) => results.completeVisit(ctx, actorOf(req), req.params.id, req.body.note));
  registerRoute(app, api.setOptOut, (req) => results.setOptOut(ctx, actorOf(req), req.params.id, req.body));
};
