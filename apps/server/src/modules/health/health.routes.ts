import { healthContract, healthUnavailable } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../lib/context.ts';

export type BrokerState = () => 'ok' | 'down' | 'disabled' | 'starting';

const VERSION = '0.1.0';
const api = healthContract.health;

/**
 * Readiness. It answers 503 with a body when not ready, a second status route() cannot declare,
 * so it is registered by hand from the contract's schemas.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext; broker: BrokerState }> = async (app, { ctx, broker }) => {
  app.get(
    api.path,
    {
      config: { auth: api.auth },
      schema: { tags: api.tags, summary: api.summary, response: { 200: api.responseSchema, 503: healthUnavailable } },
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
