import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { myNotices } from './notices.service.ts';

const noticeSchema = z.object({
  id: z.string(),
  reason: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  providerId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});

/** A console user's service-loop notices (overdue complaints, expiring licences and certificates). */
export const noticeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/service-notices',
    {
      schema: {
        tags: ['service-orders'],
        summary: 'My notices: overdue complaint follow-ups, expiring or expired licences and certificates',
        querystring: z.object({
          kind: z.enum(['complaint', 'document']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
        }),
        response: { 200: z.object({ items: z.array(noticeSchema) }) },
      },
    },
    async (req) => myNotices(ctx, actorOf(req), req.query.kind, req.query.limit),
  );
};
