import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoDay } from '../../lib/dates.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import * as providers from './providers.service.ts';
import * as staff from './staff.service.ts';

const approval = z.enum(['pending', 'approved', 'rejected', 'suspended']);
const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  creditCode: z.string(),
  legalPerson: z.string().nullable(),
  approvalStatus: approval,
  statusReason: z.string().nullable(),
  dishonest: z.boolean(),
  dishonestReason: z.string().nullable(),
  dailyCapacity: z.number().int(),
  slotMinutes: z.number().int(),
  slotCapacity: z.number().int().nullable(),
  rating: z.number().nullable(),
  ratingCount: z.number().int(),
  approvedAt: z.string().nullable(),
});
const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  address: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
});
const licenceSchema = z.object({
  id: z.string(),
  kind: z.string(),
  number: z.string(),
  validUntil: z.string(),
  state: z.enum(['valid', 'expiring', 'expired']),
});
const staffSchema = z.object({
  userId: z.string(),
  providerId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  careLevel: z.string().nullable(),
  careCertNo: z.string().nullable(),
  careCertValidUntil: z.string().nullable(),
  healthCertValidUntil: z.string().nullable(),
  active: z.boolean(),
  assignable: z.boolean(),
});
const detailSchema = providerSchema.extend({
  areas: z.array(z.string()),
  sites: z.array(siteSchema),
  licences: z.array(licenceSchema),
  offerings: z.array(z.object({ itemId: z.string(), priceFen: z.number().int() })),
  staffCount: z.number().int(),
});
const day = isoDay('business');
const community = z.string().regex(/^\d{12}$/, 'a 12-digit community code');
const idParam = z.object({ id: z.uuid() });
const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const optionalReason = z.strictObject({ reason: z.string().trim().max(500).optional() });
const careLevel = z.enum(['junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
const staffBody = z.strictObject({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3–32 lower-case letters, digits, . _ -'),
  name: z.string().trim().min(1).max(50),
  phone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/)
    .nullable()
    .optional(),
  careLevel: careLevel.nullable().optional(),
  careCertNo: z.string().trim().max(50).nullable().optional(),
  careCertValidUntil: day.nullable().optional(),
  healthCertValidUntil: day.nullable().optional(),
});

export const providerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['providers'];
  app.get(
    '/providers',
    {
      config: { permission: 'provider:read' },
      schema: {
        tags,
        summary: 'Providers (服务商) the caller may see',
        querystring: pageQuery.extend({
          approvalStatus: approval.optional(),
          regionCode: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
        }),
        response: { 200: listOf(providerSchema) },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return providers.listProviders(ctx, actorOf(req), f, limit, page);
    },
  );
  app.get(
    '/providers/licence-warnings',
    {
      config: { permission: 'provider:read' },
      schema: {
        tags,
        summary: 'Licences expired or expiring within 30 days',
        response: { 200: listOf(licenceSchema.extend({ providerId: z.string(), providerName: z.string() })) },
      },
    },
    async (req) => providers.licenceWarnings(ctx, actorOf(req)),
  );
  app.get(
    '/providers/:id',
    { config: { permission: 'provider:read' }, schema: { tags, params: idParam, response: { 200: detailSchema } } },
    async (req) => providers.getProvider(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/providers',
    {
      config: { audit: 'provider.create', permission: 'provider:approve' },
      schema: {
        tags,
        summary: 'Register a provider (pending approval)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/),
          creditCode: z.string().trim().toUpperCase(),
          legalPerson: z.string().trim().max(50).nullable().optional(),
          contactName: z.string().trim().max(50).nullable().optional(),
          contactPhone: z
            .string()
            .regex(/^[0-9+\-\s]{5,20}$/)
            .nullable()
            .optional(),
          address: z.string().trim().max(300).nullable().optional(),
          dailyCapacity: z.number().int().min(1).max(100_000).optional(),
        }),
        response: { 201: providerSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await providers.createProvider(ctx, actorOf(req), req.body)),
  );
  app.patch(
    '/providers/:id',
    {
      config: { audit: 'provider.update', permission: 'provider:write' },
      schema: {
        tags,
        params: idParam,
        body: z.strictObject({
          legalPerson: z.string().trim().max(50).nullable().optional(),
          dailyCapacity: z.number().int().min(1).max(100_000).optional(),
          slotMinutes: z
            .union([z.literal(30), z.literal(60), z.literal(120), z.literal(180), z.literal(240)])
            .optional()
            .describe('Dispatch slot length in minutes'),
          slotCapacity: z
            .number()
            .int()
            .min(1)
            .max(10_000)
            .nullable()
            .optional()
            .describe('Orders per slot; null = one per assignable worker'),
        }),
        response: { 200: providerSchema },
      },
    },
    async (req) => providers.updateProvider(ctx, actorOf(req), req.params.id, req.body),
  );
  for (const decision of ['approve', 'reject', 'suspend', 'reinstate'] as const) {
    app.post(
      `/providers/:id/${decision}`,
      {
        config: { audit: `provider.${decision}`, permission: 'provider:approve' },
        schema: {
          tags,
          summary: `Bureau decision: ${decision}`,
          params: idParam,
          body: decision === 'suspend' || decision === 'reject' ? reasonBody : optionalReason,
          response: { 200: providerSchema },
        },
      },
      async (req) => providers.decide(ctx, actorOf(req), req.params.id, decision, req.body.reason ?? null),
    );
  }
  app.put(
    '/providers/:id/dishonesty',
    {
      config: { audit: 'provider.dishonest', permission: 'provider:approve' },
      schema: {
        tags,
        summary: 'Put on or take off the dishonesty list (失信名单)',
        params: idParam,
        body: z.strictObject({ dishonest: z.boolean(), reason: z.string().trim().max(500).optional() }),
        response: { 200: providerSchema },
      },
    },
    async (req) => providers.setDishonest(ctx, actorOf(req), req.params.id, req.body.dishonest, req.body.reason ?? null),
  );
  app.put(
    '/providers/:id/areas',
    {
      config: { audit: 'provider.areas', permission: 'provider:write' },
      schema: {
        tags,
        summary: 'Communities the provider serves',
        params: idParam,
        body: z.strictObject({ regionCodes: z.array(community).max(2000) }),
        response: { 200: z.object({ areas: z.array(z.string()) }) },
      },
    },
    async (req) => providers.setAreas(ctx, actorOf(req), req.params.id, req.body.regionCodes),
  );
  app.post(
    '/providers/:id/sites',
    {
      config: { audit: 'provider.site-add', permission: 'provider:write' },
      schema: {
        tags,
        summary: 'Add a service site (服务站点)',
        params: idParam,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/),
          address: z.string().trim().max(300).nullable().optional(),
          lat: z.number().min(-90).max(90),
          lng: z.number().min(-180).max(180),
        }),
        response: { 201: siteSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await providers.addSite(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/providers/:id/licences',
    {
      config: { audit: 'provider.licence-add', permission: 'provider:write' },
      schema: {
        tags,
        params: idParam,
        body: z.strictObject({
          kind: z.string().trim().min(1).max(50),
          number: z.string().trim().min(1).max(100),
          validUntil: day,
        }),
        response: { 201: licenceSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await providers.addLicence(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/providers/:id/offerings',
    {
      config: { audit: 'provider.offerings', permission: 'provider:write' },
      schema: {
        tags,
        summary: 'Items the provider offers, at its own price within the ceiling',
        params: idParam,
        body: z.strictObject({
          items: z.array(z.strictObject({ itemId: z.uuid(), priceFen: z.number().int('whole fen').min(0) })).max(500),
        }),
        response: { 200: z.object({ items: z.array(z.object({ itemId: z.string(), priceFen: z.number().int() })) }) },
      },
    },
    async (req) => providers.setOfferings(ctx, actorOf(req), req.params.id, req.body.items),
  );
  app.get(
    '/providers/:id/staff',
    { config: { permission: 'provider:read' }, schema: { tags, params: idParam, response: { 200: listOf(staffSchema) } } },
    async (req) => staff.listStaff(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/providers/:id/staff',
    {
      config: { audit: 'provider.staff-add', permission: 'provider:write' },
      schema: {
        tags,
        summary: 'Add a service worker (creates the login; the first password is returned once)',
        params: idParam,
        body: staffBody,
        response: { 201: staffSchema.extend({ initialPassword: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await staff.addStaff(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/providers/:id/staff/:userId',
    {
      config: { audit: 'provider.staff-update', permission: 'provider:write' },
      schema: {
        tags,
        params: z.object({ id: z.uuid(), userId: z.uuid() }),
        body: staffBody.omit({ username: true, phone: true }).partial().extend({ active: z.boolean().optional() }),
        response: { 200: staffSchema },
      },
    },
    async (req) => staff.updateStaff(ctx, actorOf(req), req.params.id, req.params.userId, req.body),
  );
};
