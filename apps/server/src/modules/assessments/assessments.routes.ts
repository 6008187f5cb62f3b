import { assessmentsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { assessmentReportHtml, REPORT_SCRIPT_HASHES } from './assessments.report.ts';
import * as service from './assessments.service.ts';

/** Ability assessments: schemas, access and audit come from the shared contract. */
export const assessmentRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.itemCatalogue, () => service.itemCatalogue());
  registerRoute(app, api.listAssessments, (req) => {
    const { limit, page, ...f } = req.query;
    return service.listAssessments(ctx, actorOf(req), f, limit, page);
  });
  registerRoute(app, api.createAssessment, (req) => service.createAssessment(ctx, actorOf(req), req.body));
  registerRoute(app, api.dueList, (req) => {
    const { limit, page, regionCode, withinDays } = req.query;
    return service.dueList(ctx, actorOf(req), regionCode, withinDays, limit, page);
  });
  registerRoute(app, api.dueSummary, (req) => service.dueSummary(ctx, actorOf(req), req.query.regionCode, req.query.withinDays));
  registerRoute(app, api.getSettings, () => service.getSettings(ctx));
  registerRoute(app, api.setSettings, (req) => service.setSettings(ctx, actorOf(req), req.body.intervalMonths));
  registerRoute(app, api.getAssessment, (req) => service.getAssessment(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateAssessment, (req) => service.updateAssessment(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.signAssessment, (req) => service.signAssessment(ctx, actorOf(req), req.params.id));

  // The printable report is HTML with a print stylesheet, not JSON: a plain route (the web opens
  // it through assessmentReportUrl in api/assessments.ts).
  app.get(
    '/assessments/:id/report',
    {
      config: { permission: 'assessment:read', cspScriptHashes: REPORT_SCRIPT_HASHES },
      schema: {
        tags: ['assessments'],
        summary: 'Printable report (HTML with a print stylesheet)',
        params: z.object({ id: z.uuid() }),
        produces: ['text/html'],
      },
    },
    async (req, reply) =>
      reply.type('text/html; charset=utf-8').send(await assessmentReportHtml(ctx, actorOf(req), req.params.id)),
  );
};
