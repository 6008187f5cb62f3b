import { policiesContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import * as policies from './policies.service.ts';

/** Subsidy policies: schemas, access and audit come from the shared contract. */
export const policyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listPolicies, (req) => policies.listPolicies(ctx, actorOf(req)));
  registerRoute(app, api.previewPolicy, (req) => {
    const { refDate, ...input } = req.body;
    return policies.preview(ctx, actorOf(req), input, refDate);
  });
  registerRoute(app, api.getPolicy, (req) => policies.getPolicy(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createPolicy, (req) => policies.createPolicy(ctx, actorOf(req), req.body));
  registerRoute(app, api.updatePolicy, (req) => policies.updatePolicy(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.activatePolicy, (req) => policies.setStatus(ctx, actorOf(req), req.params.id, 'active'));
  registerRoute(app, api.endPolicy, (req) => policies.setStatus(ctx, actorOf(req), req.params.id, 'ended'));
  // A grant run moves points once per Idempotency-Key: a retry replays the first answer.
  registerRoute(app, api.runPolicy, async (req, reply) =>
    send(
      reply,
      await withIdempotency(
        ctx,
        req,
        async (c) => ({ status: 200, body: await policies.runGrantAs(c, actorOf(req), req.params.id, req.body?.day) }),
        { required: true },
      ),
    ),
  );
};
