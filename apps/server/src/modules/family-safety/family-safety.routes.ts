import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { familySafety, listFamilyElders, markFamilyNoticeRead } from './family-safety.service.ts';

/**
 * The family mobile page's API: a family account sees only the elder it is bound to; any other
 * elder or notice is a 404. Staff use the alarm and notification routes instead.
 */
export const familySafetyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const config = { permission: 'notification:read' as const };
  app.get('/family/elders', { config, schema: { tags: ['family'], summary: "The family member's elders" } }, async (req) =>
    listFamilyElders(ctx, actorOf(req)),
  );
  app.get(
    '/family/elders/:elderId/safety',
    {
      config,
      schema: {
        tags: ['family'],
        summary: 'Safety status, recent alarms, devices and notices of one of my elders',
        params: z.object({ elderId: z.uuid() }),
      },
    },
    async (req) => familySafety(ctx, actorOf(req), req.params.elderId),
  );
  app.post(
    '/family/notices/:id/read',
    {
      config: { ...config, audit: 'notification.read' },
      schema: { tags: ['family'], summary: 'Mark a notice to me read', params: z.object({ id: z.uuid() }) },
    },
    async (req, reply) => {
      await markFamilyNoticeRead(ctx, actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
