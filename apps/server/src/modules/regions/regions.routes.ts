import { regionsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { encodeAnswer } from '../../lib/encoded-answer.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import * as boundaries from './boundaries.service.ts';
import { importRegions, REGION_IMPORT_LIMITS, regionImportTemplate } from './regions.import.ts';
import * as regions from './regions.service.ts';

/** Regions: schemas, access and audit come from the shared contract. */
export const regionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Both reads are kept encoded until the regions change (regions.service.ts): most requests send bytes already built.
  registerRoute(app, api.listRegions, (req) => {
    const { limit, page, count, ...filter } = req.query;
    return regions.listRegionsPresented(ctx, actorOf(req), filter, limit, page, count ?? false, (answer) =>
      encodeAnswer(api.listRegions, answer),
    );
  });
  registerRoute(app, api.regionTree, (req) =>
    regions.regionTreePresented(ctx, actorOf(req), (items) => encodeAnswer(api.regionTree, { items })),
  );

  // A file download, not JSON, so route() cannot describe it: registered by hand (the web links
  // to regionImportTemplateUrl in apps/web/src/api/regions.ts).
  app.get(
    '/regions/import-template',
    { config: { permission: 'region:write' }, schema: { tags: ['regions'], summary: 'XLSX template for region import' } },
    async (_req, reply) =>
      reply
        .header('content-disposition', 'attachment; filename="regions-template.xlsx"')
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await regionImportTemplate()),
  );

  registerRoute(app, api.importRegions, (req) =>
    withUploadedTable(ctx, req, REGION_IMPORT_LIMITS, ({ table, filename }) => importRegions(ctx, actorOf(req), table, filename)),
  );
  registerRoute(app, api.regionBoundaries, (req) => boundaries.listBoundaries(ctx, actorOf(req), req.query));
  registerRoute(app, api.importBoundaries, (req) => boundaries.importBoundaries(ctx, actorOf(req), req.body), {
    bodyLimit: 16 * 1024 * 1024,
  });
  registerRoute(app, api.setBoundary, (req) => boundaries.setBoundary(ctx, actorOf(req), req.params.code, req.body.geometry), {
    bodyLimit: 2 * 1024 * 1024,
  });
  registerRoute(app, api.deleteBoundary, async (req, reply) => {
    await boundaries.deleteBoundary(ctx, actorOf(req), req.params.code);
    return reply.send();
  });
  registerRoute(app, api.mapSettings, () => boundaries.mapSettings(ctx));
  registerRoute(app, api.geocode, (req) => boundaries.geocode(ctx, req.query.address));
  registerRoute(app, api.getRegion, (req) => regions.getRegion(ctx, actorOf(req), req.params.code));
  registerRoute(app, api.createRegion, (req) => regions.createRegion(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateRegion, (req) => regions.updateRegion(ctx, actorOf(req), req.params.code, req.body));
  registerRoute(app, api.deleteRegion, async (req, reply) => {
    await regions.deleteRegion(ctx, actorOf(req), req.params.code);
    return reply.send();
  });
};
