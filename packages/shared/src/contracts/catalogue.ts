import { z } from 'zod';
import { SERVICE_CATEGORIES } from '../service.ts';
import { listOf } from './common.ts';
import { route } from './route.ts';

/** A catalogue item (服务项目) as the API answers it; prices in fen. */
export const serviceItem = z.object({
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
export type ServiceItem = z.output<typeof serviceItem>;

const fen = z.number().int('whole fen').min(0).max(10_000_000);

export const serviceItemBody = z.strictObject({
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
export type ServiceItemInput = z.input<typeof serviceItemBody>;

const tags = ['catalogue'];

/** The service catalogue's routes: everyone logged in reads it; the bureau edits it. */
export const catalogueContract = {
  listItems: route({
    method: 'GET',
    path: '/service-items',
    auth: 'user',
    tags,
    summary: 'The service catalogue (服务项目)',
    query: z.object({
      category: z.enum(SERVICE_CATEGORIES).optional(),
      includeInactive: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: listOf(serviceItem),
  }),
  createItem: route({
    method: 'POST',
    path: '/service-items',
    permission: 'catalogue:write',
    audit: 'catalogue.create',
    tags,
    summary: 'Add a service item (the bureau); prices in fen, ceiling at least the reference price',
    body: serviceItemBody,
    response: { 201: serviceItem },
  }),
  updateItem: route({
    method: 'PATCH',
    path: '/service-items/:id',
    permission: 'catalogue:write',
    audit: 'catalogue.update',
    tags,
    summary: 'Edit a service item: name, category, unit, duration, prices, points, availability',
    params: z.object({ id: z.uuid() }),
    body: serviceItemBody.omit({ code: true }).partial(),
    response: serviceItem,
  }),
};
