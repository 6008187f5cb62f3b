import { REGION_LEVELS } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import { importRegions, REGION_IMPORT_LIMITS, regionImportTemplate } from './regions.import.ts';
import * as regions from './regions.service.ts';

const regionSchema = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  level: z.enum(REGION_LEVELS),
  name: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
type Node = z.infer<typeof regionSchema> & { children: Node[] };
const nodeSchema: z.ZodType<Node> = regionSchema.extend({ children: z.lazy(() => z.array(nodeSchema)) });

const codeParam = z.object({ code: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code') });
const lat = z.number().min(-90).max(90).nullable();
const lng = z.number().min(-180).max(180).nullable();
const name = z.string().trim().min(1).max(100);

export const regionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/regions',
    {
      config: { permission: 'region:read' },
      schema: {
        tags: ['regions'],
        summary: 'List regions in my scope',
        querystring: pageQuery.extend({
          parentCode: z.string().max(12).optional(),
          level: z.enum(REGION_LEVELS).optional(),
          q: z.string().max(50).optional(),
        }),
        response: { 200: listOf(regionSchema) },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return regions.listRegions(ctx, actorOf(req), f, limit, page);
    },
  );

  app.get(
    '/regions/tree',
    {
      config: { permission: 'region:read' },
      schema: { tags: ['regions'], summary: 'My scope as a tree', response: { 200: z.object({ items: z.array(nodeSchema) }) } },
    },
    async (req) => ({ items: await regions.regionTree(ctx, actorOf(req)) }),
  );

  app.get(
    '/regions/import-template',
    { config: { permission: 'region:write' }, schema: { tags: ['regions'], summary: 'XLSX template for region import' } },
    async (_req, reply) =>
      reply
        .header('content-disposition', 'attachment; filename="regions-template.xlsx"')
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await regionImportTemplate()),
  );

  app.post(
    '/regions/import',
    {
      config: { audit: 'region.import', permission: 'region:write' },
      schema: {
        tags: ['regions'],
        summary: 'Import regions from CSV or XLSX (all or nothing)',
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({
            created: z.number(),
            updated: z.number(),
            errors: z.array(z.object({ row: z.number(), message: z.string() })),
          }),
        },
      },
    },
    async (req) =>
      withUploadedTable(ctx, req, REGION_IMPORT_LIMITS, ({ table, filename }) =>
        importRegions(ctx, actorOf(req), table, filename),
      ),
  );

  app.get(
    '/regions/:code',
    { config: { permission: 'region:read' }, schema: { tags: ['regions'], params: codeParam, response: { 200: regionSchema } } },
    async (req) => regions.getRegion(ctx, actorOf(req), req.params.code),
  );

  app.post(
    '/regions',
    {
      config: { audit: 'region.create', permission: 'region:write' },
      schema: {
        tags: ['regions'],
        summary: 'Create a region; level and parent follow from the code',
        body: z.strictObject({ code: z.string().max(12), name, lat: lat.optional(), lng: lng.optional() }),
        response: { 201: regionSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await regions.createRegion(ctx, actorOf(req), req.body)),
  );

  app.patch(
    '/regions/:code',
    {
      config: { audit: 'region.update', permission: 'region:write' },
      schema: {
        tags: ['regions'],
        params: codeParam,
        body: z.strictObject({ name: name.optional(), lat: lat.optional(), lng: lng.optional() }),
        response: { 200: regionSchema },
      },
    },
    async (req) => regions.updateRegion(ctx, actorOf(req), req.params.code, req.body),
  );

  app.delete(
    '/regions/:code',
    { config: { audit: 'region.delete', permission: 'region:write' }, schema: { tags: ['regions'], params: codeParam } },
    async (req, reply) => {
      await regions.deleteRegion(ctx, actorOf(req), req.params.code);
      return reply.code(204).send();
    },
  );
};
