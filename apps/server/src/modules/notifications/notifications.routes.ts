import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { pageQuery } from '../../lib/http.ts';
import { listNotifications } from './notifications.service.ts';

export const notificationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/notifications',
    {
      config: { permission: 'notification:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Family notices (outbox) with their delivery state',
        querystring: pageQuery.extend({ alarmId: z.uuid().optional(), status: z.enum(['pending', 'sent', 'failed']).optional() }),
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return listNotifications(ctx, actorOf(req), f, limit, page);
    },
  );
};
