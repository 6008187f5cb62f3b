import { walletsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import * as wallets from './wallets.service.ts';

/** Wallets: schemas, access and audit come from the shared contract. */
export const walletRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.checkLedger, () => wallets.checkLedger(ctx));
  registerRoute(app, api.myWallet, (req) => wallets.getMyWallet(ctx, actorOf(req)));
  registerRoute(app, api.getWallet, (req) => wallets.getWallet(ctx, actorOf(req), req.params.elderId));
  registerRoute(app, api.listEntries, (req) =>
    wallets.getStatement(ctx, actorOf(req), req.params.elderId, req.query.limit, req.query.cursor),
  );
  // Money moves once per Idempotency-Key: a retry replays the first answer.
  registerRoute(app, api.adjust, async (req, reply) =>
    send(
      reply,
      await withIdempotency(
        ctx,
        req,
        async (c) => ({ status: 201, body: await wallets.adjust(c, actorOf(req), req.params.elderId, req.body) }),
        { required: true },
      ),
    ),
  );
};
