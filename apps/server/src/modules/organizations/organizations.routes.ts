import { organizationsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as orgs from './organizations.service.ts';

/** Organisations: schemas, access and audit come from the shared contract. */
export const organizationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listOrgs, (req) => {
    const { limit, page, ...filter } = req.query;
    return orgs.listOrgs(ctx, actorOf(req), filter, limit, page);
  });
  registerRoute(app, api.getOrg, (req) => orgs.getOrg(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createOrg, (req) => orgs.createOrg(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateOrg, (req) => orgs.updateOrg(ctx, actorOf(req), req.params.id, req.body));
};
