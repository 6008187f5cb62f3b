import { usersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as users from './users.service.ts';

/** Account administration: schemas, access and audit come from the shared contract. */
export const userRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listUsers, (req) => {
    const { limit, page, ...filter } = req.query;
    return users.listUsers(ctx, actorOf(req), filter, limit, page);
  });
  registerRoute(app, api.getUser, (req) => users.getUser(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createUser, (req) => users.createUser(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateUser, (req) => users.updateUser(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.resetPassword, (req) => users.resetPassword(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.unlockUser, (req) => users.unlockUser(ctx, actorOf(req), req.params.id));
};
