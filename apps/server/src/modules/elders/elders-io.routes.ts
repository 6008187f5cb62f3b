import { eldersContract as api, elderExportQuery } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { withUploadedFile } from '../../lib/table-upload.ts';
import { exportElders } from './elders.export.ts';
import { getImport, IMPORT_LIMITS, importErrorReport, importTemplate, startImport } from './elders.import.ts';

const tags = ['elders'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Spreadsheet in and out: template, import with progress and error report, export. The upload and
 * the progress come from the shared contract; the three xlsx downloads answer a file, which route()
 * cannot describe, so they stay plain Fastify routes (the web builds their URLs in api/elders.ts).
 */
export const elderIoRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(
    app,
    api.startImport,
    (req) =>
      withUploadedFile(ctx, req, IMPORT_LIMITS.maxBytes, ({ filename, data }, slot) =>
        startImport(ctx, actorOf(req), filename, data, { wait: req.query.wait === 'true', slot }),
      ),
    { bodyLimit: IMPORT_LIMITS.maxBytes + 1024 * 1024 },
  );
  registerRoute(app, api.getImport, (req) => getImport(ctx, actorOf(req), req.params.id));

  app.get(
    '/elders/import/template',
    {
      config: { permission: 'elder:import' },
      schema: { tags, summary: 'Import template (xlsx, Chinese headers, code sheet)', produces: [XLSX] },
    },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', attachment('老人档案导入模板.xlsx'))
        .send(await importTemplate(ctx, actorOf(req))),
  );
  app.get(
    '/elders/imports/:id/errors',
    {
      config: { permission: 'elder:import' },
      schema: { tags, summary: 'Error report (xlsx, reasons in Chinese)', params: z.object({ id: z.uuid() }), produces: [XLSX] },
    },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', attachment('导入错误报告.xlsx'))
        .send(await importErrorReport(ctx, actorOf(req), req.params.id)),
  );
  app.get(
    '/elders/export',
    {
      config: { permission: 'elder:read' },
      schema: {
        tags,
        summary: 'Export the filtered list (masked unless `reveal=true` and the role may reveal)',
        querystring: elderExportQuery,
        produces: [XLSX],
      },
    },
    async (req, reply) => {
      const { reveal, ...f } = req.query;
      return reply
        .type(XLSX)
        .header('content-disposition', attachment('老人档案导出.xlsx'))
        .send(await exportElders(ctx, actorOf(req), f, reveal === 'true'));
    },
  );
};
