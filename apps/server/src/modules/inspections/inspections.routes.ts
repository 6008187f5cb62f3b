import { inspectionsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as findings from './findings.service.ts';
import * as insp from './inspections.service.ts';
import * as status from './status.service.ts';

/** Inspections and grading 检查评级: schemas, access and audit from the shared contract. */
export const inspectionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listTemplates, (req) => insp.listTemplates(ctx, actorOf(req)));
  registerRoute(app, api.createTemplate, (req) => insp.createTemplate(ctx, actorOf(req), req.body));
  registerRoute(app, api.listRounds, (req) => insp.listRounds(ctx, actorOf(req)));
  registerRoute(app, api.createRound, (req) => insp.createRound(ctx, actorOf(req), req.body));
  registerRoute(app, api.listInspections, (req) => insp.listInspections(ctx, actorOf(req), req.query));
  registerRoute(app, api.getInspection, (req) => insp.getInspection(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.saveSelfAssessment, (req) => insp.saveSelfAssessment(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.saveScores, (req) => insp.saveScores(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.finishInspection, (req) => insp.finishInspection(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.addFinding, (req) => findings.addFinding(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listFindings, (req) => findings.listFindings(ctx, actorOf(req), req.query));
  registerRoute(app, api.rectifyFinding, (req) => findings.rectifyFinding(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.recheckFinding, (req) => findings.recheckFinding(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.gradeHistory, (req) => insp.gradeHistory(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.operatingStatus, (req) => status.operatingStatus(ctx, actorOf(req)));
  registerRoute(app, api.publicInstitutions, () => status.publicInstitutions(ctx));
};
