import { alarmsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as service from './alarms.service.ts';
import { screenStats, slaOver } from './alarms.stats.ts';

/** The alarm centre: schemas, access and audit come from the shared contract. */
export const alarmRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listAlarms, (req) => {
    const { limit, page, from, to, holder, ...f } = req.query;
    const actor = actorOf(req);
    const period = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
    const holderId = holder === 'me' ? (actor.id ?? 'none') : holder;
    return service.listAlarms(ctx, actor, { ...f, ...period, holder: holderId }, limit, page);
  });
  registerRoute(app, api.sla, (req) => slaOver(ctx, actorOf(req), req.query));
  registerRoute(app, api.screen, (req) => screenStats(ctx, actorOf(req)));
  registerRoute(app, api.consoleConfig, () => service.consoleConfig(ctx));
  registerRoute(app, api.getAlarm, (req) => service.getAlarm(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.acknowledge, (req) => service.acknowledgeAlarm(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.addAction, (req) => service.addAction(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.dispatch, (req) => service.dispatchResponder(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.resolve, (req) => service.resolveAlarm(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.review, (req) => service.reviewAlarm(ctx, actorOf(req), req.params.id, req.body));
};
