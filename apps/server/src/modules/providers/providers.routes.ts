import { providersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as providers from './providers.service.ts';
import * as staff from './staff.service.ts';

/** Providers, their sites, licences, offerings and roster: schemas, access and audit come from the shared contract. */
export const providerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listProviders, (req) => {
    const { limit, page, ...filter } = req.query;
    return providers.listProviders(ctx, actorOf(req), filter, limit, page);
  });
  registerRoute(app, api.licenceWarnings, (req) => providers.licenceWarnings(ctx, actorOf(req)));
  registerRoute(app, api.getProvider, (req) => providers.getProvider(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createProvider, (req) => providers.createProvider(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateProvider, (req) => providers.updateProvider(ctx, actorOf(req), req.params.id, req.body));
  for (const decision of ['approve', 'reject', 'suspend', 'reinstate'] as const) {
    registerRoute(app, api[decision], (req) =>
      providers.decide(ctx, actorOf(req), req.params.id, decision, req.body.reason ?? null),
    );
  }
  registerRoute(app, api.setDishonesty, (req) =>
    providers.setDishonest(ctx, actorOf(req), req.params.id, req.body.dishonest, req.body.reason ?? null),
  );
  registerRoute(app, api.setAreas, (req) => providers.setAreas(ctx, actorOf(req), req.params.id, req.body.regionCodes));
  registerRoute(app, api.addSite, (req) => providers.addSite(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.addLicence, (req) => providers.addLicence(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.setOfferings, (req) => providers.setOfferings(ctx, actorOf(req), req.params.id, req.body.items));
  registerRoute(app, api.listStaff, (req) => staff.listStaff(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.addStaff, (req) => staff.addStaff(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateStaff, (req) => staff.updateStaff(ctx, actorOf(req), req.params.id, req.params.userId, req.body));
};
