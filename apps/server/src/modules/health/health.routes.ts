import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../lib/context.ts';

export type BrokerState = () => 'ok' | 'down' | 'disabled' | 'starting';

const VERSION = '0.1.0';

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext; broker: BrokerState }> = async (app, { ctx, broker }) => {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness of the database and the broker',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.string(), broker: z.string(), version: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string(), broker: z.string(), version: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      let database = 'ok';
      try {
        await ctx.database.query('SELECT 1');
      } catch {
        database = 'down';
      }
      const b = broker();
      const ready = database === 'ok' && (b === 'ok' || b === 'disabled');
      const body = { database: `${ctx.database.kind}:${database}`, broker: b, version: VERSION };
      return ready ? { status: 'ok' as const, ...body } : reply.code(503).send({ status: 'unavailable' as const, ...body });
    },
  );
};
