import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { markMyNoticeRead, myNotices } from './notices.service.ts';

const noticeSchema = z.object({
  id: z.string(),
  reason: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  providerId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/** A console user's service-loop notices (overdue complaints, expiring licences and certificates). */
export const noticeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/service-notices',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['service-orders'],
        summary: 'My notices: overdue complaint follow-ups, expiring or expired licences and certificates',
        querystring: z.object({
          kind: z.enum(['complaint', 'document']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
          unread: z.enum(['true', 'false']).optional().describe('true: only notices not yet marked read'),
        }),
        response: { 200: z.object({ items: z.array(noticeSchema) }) },
      },
    },
    async (req) => myNotices(ctx, actorOf(req), req.query.kind, req.query.limit, req.query.unread === 'true'),
  );
  app.post(
    '/service-notices/:id/read',
    {
      config: { auth: 'user', audit: 'notification.read' },
      schema: {
        tags: ['service-orders'],
        summary: 'Mark one of my notices read',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      await markMyNoticeRead(ctx, actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
};
