import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import { elderFilters } from './elders.contract.ts';
import { exportElders } from './elders.export.ts';
import { getImport, IMPORT_LIMITS, importErrorReport, importTemplate, startImport } from './elders.import.ts';

const tags = ['elders'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const importSchema = z.object({
  id: z.string(),
  filename: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  createdCount: z.number().int(),
  updatedCount: z.number().int(),
  errorCount: z.number().int(),
  failure: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Spreadsheet in and out: template, import with progress and error report, export. */
export const elderIoRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
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
  app.post(
    '/elders/import',
    {
      config: {
        audit: false,
        noAudit: 'the import runs as a job, which records elder.import with its counts when it finishes',
        permission: 'elder:import',
      },
      bodyLimit: IMPORT_LIMITS.maxBytes + 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload an .xlsx or .csv (multipart field "file", ≤ 100,000 rows); answers 202 with the import to poll',
        consumes: ['multipart/form-data'],
        querystring: z.object({ wait: z.enum(['true', 'false']).optional().describe('Finish before answering (scripts)') }),
        response: { 202: importSchema },
      },
    },
    async (req, reply) => {
      const started = await withUploadedTable(ctx, req, IMPORT_LIMITS, ({ filename, table }, slot) =>
        startImport(ctx, actorOf(req), filename, table, { wait: req.query.wait === 'true', slot }),
      );
      return reply.code(202).send(started);
    },
  );
  app.get(
    '/elders/imports/:id',
    {
      config: { permission: 'elder:import' },
      schema: { tags, summary: 'Progress of an import', params: z.object({ id: z.uuid() }), response: { 200: importSchema } },
    },
    async (req) => getImport(ctx, actorOf(req), req.params.id),
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
        querystring: elderFilters.extend({ reveal: z.enum(['true', 'false']).optional() }),
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
