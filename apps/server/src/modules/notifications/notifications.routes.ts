import { notificationsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { listNotifications } from './notifications.service.ts';

/** Family notices (outbox): schemas, access and audit come from the shared contract. */
export const notificationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listNotifications, (req) => {
    const { limit, page, ...f } = req.query;
    return listNotifications(ctx, actorOf(req), f, limit, page);
  });
};
