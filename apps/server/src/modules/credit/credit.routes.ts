import { creditContract as api } from '@zhiyang/shared';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as credit from './credit.service.ts';
import * as disclosure from './public.service.ts';

/**
 * The public pages are read by anyone without a login: a per-address rate limit like the other
 * public routes (docs/security.md) and a short shared-cache lifetime so a busy day is served
 * from caches in front of the server.
 */
const PUBLIC = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
const cacheable = <T>(reply: FastifyReply, answer: T) => {
  reply.header('cache-control', 'public, max-age=300');
  return answer;
};

/** Credit 信用 and public disclosure 信息公开: schemas, access and audit come from the shared contract. */
export const creditRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listOrganizations, (req) => credit.listOrganizations(ctx, actorOf(req), req.query));
  registerRoute(app, api.getFile, (req) => credit.getFile(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.addEvent, (req) => credit.addEvent(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.list, (req) => credit.list(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.removeListing, (req) => credit.removeListing(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.appeal, (req) => credit.appeal(ctx, actorOf(req), req.body.text));
  registerRoute(app, api.decideAppeal, (req) =>
    credit.decideAppeal(ctx, actorOf(req), req.params.id, req.body.upheld, req.body.decision),
  );
  registerRoute(app, api.listListings, (req) => credit.listListings(ctx, actorOf(req), req.query));
  registerRoute(app, api.getRules, () => credit.getRules(ctx));
  registerRoute(app, api.setRules, (req) => credit.setRules(ctx, actorOf(req), req.body));
  registerRoute(app, api.rescore, (req) => credit.rescoreNow(ctx, actorOf(req)));

  registerRoute(
    app,
    api.publicProviders,
    async (req, reply) => cacheable(reply, await disclosure.publicOrgs(ctx, 'provider', req.query.q)),
    PUBLIC,
  );
  registerRoute(
    app,
    api.publicCanteens,
    async (req, reply) => cacheable(reply, await disclosure.publicOrgs(ctx, 'canteen', req.query.q)),
    PUBLIC,
  );
  registerRoute(
    app,
    api.publicInstitutions,
    async (req, reply) => cacheable(reply, await disclosure.publicOrgs(ctx, 'institution', req.query.q)),
    PUBLIC,
  );
  registerRoute(app, api.publicPolicies, async (_req, reply) => cacheable(reply, await disclosure.publicPolicies(ctx)), PUBLIC);
  registerRoute(app, api.publicHotline, async (_req, reply) => cacheable(reply, await disclosure.publicHotline(ctx)), PUBLIC);
};
