import { careVisitsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as followUps from './follow-ups.service.ts';
import * as groups from './groups.service.ts';
import * as plans from './plans.service.ts';
import * as stats from './stats.service.ts';
import * as visits from './visits.service.ts';

/** Special groups and 关爱巡访 visits: schemas, access and audit from the shared contract. */
export const careVisitRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.groupCounts, (req) => groups.groupCounts(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.listMembers, (req) => groups.listMembers(ctx, actorOf(req), req.query));
  registerRoute(app, api.setGroups, (req) => groups.setGroups(ctx, actorOf(req), req.params.elderId, req.body));
  registerRoute(app, api.computeGroups, (req) => plans.computeNow(ctx, actorOf(req), req.body.regionCode));
  registerRoute(app, api.getHousehold, (req) => groups.getHousehold(ctx, actorOf(req), req.params.elderId));
  registerRoute(app, api.putHousehold, (req) => groups.putHousehold(ctx, actorOf(req), req.params.elderId, req.body));

  registerRoute(app, api.listRules, (req) => plans.listRules(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putRules, (req) => plans.putRules(ctx, actorOf(req), req.body));
  registerRoute(app, api.getSettings, (req) => plans.getSettings(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putSettings, (req) => plans.putSettings(ctx, actorOf(req), req.body));
  registerRoute(app, api.assignPlan, (req) => plans.assignPlan(ctx, actorOf(req), req.params.elderId, req.body.assigneeId));
  registerRoute(app, api.listWorkers, (req) => plans.listWorkers(ctx, actorOf(req), req.query.regionCode));

  registerRoute(app, api.listVisits, (req) => visits.listVisits(ctx, actorOf(req), req.query));
  registerRoute(app, api.scheduleVisit, (req) => plans.scheduleVisit(ctx, actorOf(req), req.body));
  registerRoute(app, api.getVisit, (req) => visits.getVisit(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.recordVisit, (req) => visits.recordVisit(ctx, actorOf(req), req, req.params.id, req.body));

  registerRoute(app, api.listFollowUps, (req) => followUps.listFollowUps(ctx, actorOf(req), req.query));
  registerRoute(app, api.createFollowUp, (req) => followUps.createFollowUp(ctx, actorOf(req), req.body));
  registerRoute(app, api.closeFollowUp, (req) => followUps.closeFollowUp(ctx, actorOf(req), req.params.id, req.body.note));
  // The volunteer's own visits: the same services, scoped in the repositories to visits assigned to or recorded by them.
  registerRoute(app, api.myVisits, (req) => visits.listVisits(ctx, actorOf(req), { ...req.query, assignee: 'me', count: true }));
  registerRoute(app, api.myVisit, (req) => visits.getVisit(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.recordMyVisit, (req) => visits.recordVisit(ctx, actorOf(req), req, req.params.id, req.body));
  registerRoute(app, api.createMyFollowUp, (req) => followUps.createFollowUp(ctx, actorOf(req), req.body));
  registerRoute(app, api.stats, (req) => stats.stats(ctx, actorOf(req), req.query));
};
