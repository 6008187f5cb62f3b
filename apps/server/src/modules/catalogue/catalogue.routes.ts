import { SERVICE_CATEGORIES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { listOf } from '../../lib/http.ts';
import * as catalogue from './catalogue.service.ts';

export const itemSchema = z.object({
  id: z.string(),
  code: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  name: z.string(),
  unit: z.enum(['visit', 'hour']),
  durationMinutes: z.number().int(),
  refPriceFen: z.number().int(),
  ceilingPriceFen: z.number().int(),
  points: z.number().int(),
  active: z.boolean(),
});
const fen = z.number().int('whole fen').min(0).max(10_000_000);
const itemBody = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z0-9_]{2,40}$/, 'lower-case letters, digits and _')
    .optional()
    .describe('A stable code for integrations; generated when left out'),
  category: z.enum(SERVICE_CATEGORIES),
  name: z.string().trim().min(1).max(50),
  unit: z.enum(['visit', 'hour']),
  durationMinutes: z.number().int().min(5).max(1440),
  refPriceFen: fen,
  ceilingPriceFen: fen,
  points: z.number().int('whole points').min(0).max(100_000),
  active: z.boolean().optional(),
});

export const catalogueRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/service-items',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'The service catalogue (服务项目)',
        querystring: z.object({
          category: z.enum(SERVICE_CATEGORIES).optional(),
          includeInactive: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
        }),
        response: { 200: listOf(itemSchema) },
      },
    },
    async (req) => catalogue.listItems(ctx, req.query),
  );
  app.post(
    '/service-items',
    {
      config: { permission: 'catalogue:write' },
      schema: {
        tags: ['catalogue'],
        summary: 'Add a service item (the bureau); prices in fen, ceiling at least the reference price',
        body: itemBody,
        response: { 201: itemSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await catalogue.createItem(ctx, actorOf(req), req.body)),
  );
  app.patch(
    '/service-items/:id',
    {
      config: { permission: 'catalogue:write' },
      schema: {
        tags: ['catalogue'],
        summary: 'Edit a service item: name, category, unit, duration, prices, points, availability',
        params: z.object({ id: z.uuid() }),
        body: itemBody.omit({ code: true }).partial(),
        response: { 200: itemSchema },
      },
    },
    async (req) => catalogue.updateItem(ctx, actorOf(req), req.params.id, req.body),
  );
};
