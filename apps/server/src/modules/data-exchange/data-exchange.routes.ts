import { dataExchangeContract as api, exchangeExportQuery } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { readTable } from '../../lib/spreadsheet.ts';
import { withUploadedFile } from '../../lib/table-upload.ts';
import { openExport } from './data-exchange.export.ts';
import { EXCHANGE_IMPORT_LIMITS, runImport } from './data-exchange.import.ts';
import { listExchanges } from './data-exchange.service.ts';

const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Data exchange 数据交换. The imports and the history come from the shared contract; the export
 * answers a streamed file, which route() cannot describe, so it is a plain Fastify route with the
 * same access declaration (the web builds its URL in api/data-exchange.ts).
 */
export const dataExchangeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const limits = { bodyLimit: EXCHANGE_IMPORT_LIMITS.maxBytes + 1024 * 1024 };
  for (const [entry, apply] of [
    [api.previewImport, false],
    [api.applyImport, true],
  ] as const) {
    registerRoute(
      app,
      entry,
      (req) =>
        withUploadedFile(ctx, req, EXCHANGE_IMPORT_LIMITS.maxBytes, async ({ filename, data }) =>
          runImport(
            ctx,
            actorOf(req),
            req.query,
            { table: await readTable(data, filename, EXCHANGE_IMPORT_LIMITS), filename, data },
            apply,
          ),
        ),
      limits,
    );
  }
  registerRoute(app, api.listExchanges, (req) => listExchanges(ctx, actorOf(req), req.query));

  app.get(
    '/data-exchange/export',
    {
      config: { permission: 'exchange:export' },
      schema: {
        tags: ['data-exchange'],
        summary:
          'Export a dataset for the provincial / national systems (streamed xlsx, CSV or JSON; layouts in docs/data-exchange.md)',
        querystring: exchangeExportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'application/json'],
      },
    },
    async (req, reply) => {
      const out = await openExport(ctx, actorOf(req), req.query);
      return reply
        .type(out.contentType)
        .header('content-disposition', attachment(out.filename))
        .header('cache-control', 'no-store')
        .header('x-exchange-id', out.exchangeId)
        .send(out.stream);
    },
  );
};
