import { volunteersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as points from './points.service.ts';
import * as served from './served.service.ts';
import * as tasks from './tasks.service.ts';
import * as bank from './timebank.service.ts';
import * as volunteers from './volunteers.service.ts';

/** Volunteers, their tasks, the time bank and 睦邻点: schemas, access and audit from the shared contract. */
export const volunteerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.registrationCommunities, () => volunteers.registrationCommunities(ctx));
  // Per address: a public form that creates a login must not be a way to mass-create accounts.
  registerRoute(app, api.selfRegister, (req) => volunteers.selfRegister(ctx, req.body), {
    config: { rateLimit: { max: 10, timeWindow: '1 hour' } },
  });
  registerRoute(app, api.listVolunteers, (req) => volunteers.listVolunteers(ctx, actorOf(req), req.query));
  registerRoute(app, api.createVolunteer, (req) => volunteers.createVolunteer(ctx, actorOf(req), req.body));
  registerRoute(app, api.getVolunteer, (req) => volunteers.getVolunteer(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateVolunteer, (req) => volunteers.updateVolunteer(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.reviewVolunteer, (req) => volunteers.reviewVolunteer(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.volunteerStatement, (req) =>
    bank.volunteerStatement(ctx, actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  registerRoute(app, api.listTasks, (req) => tasks.listTasks(ctx, actorOf(req), req.query));
  registerRoute(app, api.createTask, (req) => tasks.createTask(ctx, actorOf(req), req.body));
  registerRoute(app, api.getTask, (req) => tasks.getTask(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.assignTask, (req) => tasks.assignTask(ctx, actorOf(req), req.params.id, req.body.volunteerId));
  registerRoute(app, api.confirmTask, (req) => tasks.confirmTask(ctx, actorOf(req), req.params.id, req.body.minutes));
  registerRoute(app, api.cancelTask, (req) => tasks.cancelTask(ctx, actorOf(req), req.params.id, req.body.reason));

  registerRoute(app, api.timebankAccounts, (req) => bank.listAccounts(ctx, actorOf(req), req.query));
  registerRoute(app, api.timebankRedemptions, (req) => bank.listRedemptions(ctx, actorOf(req), req.query));
  registerRoute(app, api.getRules, (req) => bank.getRules(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putRules, (req) => bank.putRules(ctx, actorOf(req), req.body));

  registerRoute(app, api.listPoints, (req) => points.listPoints(ctx, actorOf(req), req.query));
  registerRoute(app, api.createPoint, (req) => points.createPoint(ctx, actorOf(req), req.body));
  registerRoute(app, api.updatePoint, (req) => points.updatePoint(ctx, actorOf(req), req.params.id, req.body));

  registerRoute(app, api.me, (req) => bank.me(ctx, actorOf(req)));
  registerRoute(app, api.myTasks, (req) => tasks.myTasks(ctx, actorOf(req)));
  registerRoute(app, api.myTask, (req) => tasks.myTask(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.acceptTask, (req) => tasks.acceptTask(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.checkIn, (req) => tasks.checkIn(ctx, actorOf(req), req, req.params.id, req.body));
  registerRoute(app, api.doneTask, (req) => tasks.doneTask(ctx, actorOf(req), req, req.params.id, req.body));
  registerRoute(app, api.myStatement, (req) => bank.myStatement(ctx, actorOf(req), req.query.limit, req.query.cursor));
  registerRoute(app, api.redeem, (req) => bank.redeem(ctx, actorOf(req), req, req.body));

  registerRoute(app, api.servedTasks, (req) => served.servedTasks(ctx, actorOf(req)));
  registerRoute(app, api.servedVerdict, (req) => served.servedVerdict(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.myRedemptions, (req) => bank.myRedemptions(ctx, actorOf(req)));
};
