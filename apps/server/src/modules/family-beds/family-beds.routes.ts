import { familyBedsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { card } from './card.service.ts';
import * as beds from './family-beds.service.ts';
import * as months from './month.service.ts';

/** Family care beds 家庭养老照护床位: schemas, access and audit from the shared contract. */
export const familyBedRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getRules, (req) => beds.getRules(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putRules, (req) => beds.putRules(ctx, actorOf(req), req.body));
  registerRoute(app, api.eligibility, (req) => beds.eligibility(ctx, actorOf(req), req.query.elderId));
  registerRoute(app, api.contractOptions, (req) => beds.contractOptions(ctx, actorOf(req), req.query.elderId));
  registerRoute(app, api.list, (req) => beds.list(ctx, actorOf(req), req.query));
  registerRoute(app, api.apply, (req) => beds.apply(ctx, actorOf(req), req.body));
  registerRoute(app, api.get, (req) => beds.get(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.homeAssessment, (req) => beds.homeAssessment(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.contract, (req) => beds.contract(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.bindDevice, (req) => beds.bindDevice(ctx, actorOf(req), req.params.id, req.body.deviceId));
  registerRoute(app, api.unbindDevice, (req) => beds.unbindDevice(ctx, actorOf(req), req.params.id, req.params.deviceId));
  registerRoute(app, api.activate, (req) => beds.activate(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.suspend, (req) => beds.suspend(ctx, actorOf(req), req.params.id, req.body.reason, req.body.from));
  registerRoute(app, api.addSuspension, (req) => beds.addSuspension(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.deleteSuspension, (req) =>
    beds.deleteSuspension(ctx, actorOf(req), req.params.id, req.params.suspensionId),
  );
  registerRoute(app, api.resume, (req) => beds.resume(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.end, (req) => beds.end(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.card, (req) => card(ctx, actorOf(req)));
  registerRoute(app, api.board, (req) => months.board(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.runCheck, (req) => months.runCheck(ctx, actorOf(req), req.body.month, req.body.bedId));
  registerRoute(app, api.releaseHold, (req) =>
    months.releaseHold(ctx, actorOf(req), req.params.id, req.params.month, req.body.reason),
  );
};
