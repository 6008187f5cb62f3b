import { ordersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { markMyNoticeRead, myNotices } from './notices.service.ts';

/** A console user's service-loop notices (overdue complaints, expiring licences and certificates). */
export const noticeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listNotices, (req) =>
    myNotices(ctx, actorOf(req), req.query.kind, req.query.limit, req.query.unread === 'true'),
  );
  registerRoute(app, api.readNotice, async (req, reply) => {
    await markMyNoticeRead(ctx, actorOf(req), req.params.id);
    return reply.send();
  });
};
