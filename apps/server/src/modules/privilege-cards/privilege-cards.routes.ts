import { privilegeCardsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as apps from './applications.service.ts';

/** 老年人优待证: schemas, access and audit from the shared contract. */
export const privilegeCardRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getSettings, (req) => apps.getSettings(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putSettings, (req) => apps.putSettings(ctx, actorOf(req), req.body));
  registerRoute(app, api.list, (req) => apps.listCards(ctx, actorOf(req), req.query));
  registerRoute(app, api.create, (req) => apps.createApplication(ctx, actorOf(req), req.body));
  registerRoute(app, api.getMine, (req) => apps.getMine(ctx, actorOf(req)));
  registerRoute(app, api.applyMine, (req) => apps.applyMine(ctx, actorOf(req), req.body));
};
