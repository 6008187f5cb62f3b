import { catalogueContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as catalogue from './catalogue.service.ts';

/** The service catalogue: schemas, access and audit come from the shared contract. */
export const catalogueRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listItems, (req) => catalogue.listItems(ctx, req.query));
  registerRoute(app, api.createItem, (req) => catalogue.createItem(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateItem, (req) => catalogue.updateItem(ctx, actorOf(req), req.params.id, req.body));
};
