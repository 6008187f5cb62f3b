import { sosContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { cancelOwnSos, raiseOwnSos } from './sos.service.ts';

/** The elder page's SOS button and its cancel (contract: packages/shared/src/contracts/sos.ts). */
export const sosRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.raiseSos, (req) => raiseOwnSos(ctx, actorOf(req)));
  registerRoute(app, api.cancelSos, (req) => cancelOwnSos(ctx, actorOf(req)));
};
