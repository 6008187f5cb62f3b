import { allowanceBackOfficeContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { notFound } from '../../lib/errors.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import { uploadedFile } from '../../lib/upload.ts';
import { updateBankAccount } from './accounts.service.ts';
import * as repo from './allowances.repo.ts';
import { exportBankFile } from './bank-files.service.ts';
import { importDeathFile } from './deaths.service.ts';
import * as docs from './documents.service.ts';
import { listRecoveries, recordRepayment } from './recoveries.service.ts';
import * as reports from './reports.service.ts';
import { importReturnFile, listFailedPayments } from './returns.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/** A return file lists the failed lines of one roll (a district's 10⁵ lines at the most). */
const RETURN_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 };
/** A death-record file of a district: a few thousand rows a month. */
const DEATH_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000 };

/** The allowance's back office: bank files, returns, deaths and recoveries, document scans, reports. */
export const allowanceBackOfficeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.importReturns, async (req) => {
    // The roll in reach first: out of reach is a 404 before any upload is read.
    if (!(await repo.findRoll(ctx.db, actorOf(req), req.params.id))) throw notFound('Payment roll');
    return withUploadedTable(ctx, req, RETURN_LIMITS, ({ table, filename }) =>
      importReturnFile(ctx, actorOf(req), req.params.id, table, filename),
    );
  });
  registerRoute(app, api.listFailedPayments, (req) => listFailedPayments(ctx, actorOf(req), req.query));
  registerRoute(app, api.updateBankAccount, (req) => updateBankAccount(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.importDeaths, (req) =>
    withUploadedTable(ctx, req, DEATH_LIMITS, ({ table, filename }) =>
      importDeathFile(ctx, actorOf(req), req.query.source, table, filename),
    ),
  );
  registerRoute(app, api.listRecoveries, (req) => listRecoveries(ctx, actorOf(req), req.query));
  registerRoute(app, api.recordRepayment, (req) => recordRepayment(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listDocuments, (req) => docs.listDocuments(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.uploadDocument, async (req) => {
    await docs.checkApplication(ctx, actorOf(req), req.params.id);
    const file = await uploadedFile(req, docs.MAX_DOCUMENT_BYTES, { deadlineSeconds: 120 });
    return docs.addDocument(ctx, actorOf(req), req.params.id, req.query.kind, file);
  });
  registerRoute(app, api.report, (req) => reports.report(ctx, actorOf(req), req.query));

  app.get(
    '/allowance-applications/:id/documents/:docId',
    {
      config: { permission: 'allowance:read' },
      schema: {
        tags: ['allowances'],
        summary: 'One document scan of an application (decrypted for the reader; every read audited)',
        params: z.object({ id: z.uuid(), docId: z.uuid() }),
        produces: ['application/pdf', 'image/jpeg', 'image/png'],
      },
    },
    async (req, reply) => {
      const file = await docs.readDocument(ctx, actorOf(req), req.params.id, req.params.docId);
      return reply
        .type(file.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'no-store')
        .send(file.data);
    },
  );
  app.get(
    '/allowance-rolls/:id/bank-file',
    {
      config: { permission: 'allowance:manage' },
      schema: {
        tags: ['allowances'],
        summary: 'The bank payment file of an approved roll as CSV or fixed-width text (full ID and account numbers; audited)',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ format: z.enum(['csv', 'fixed']) }),
        produces: ['text/csv', 'text/plain'],
      },
    },
    async (req, reply) => {
      const file = await exportBankFile(ctx, actorOf(req), req.params.id, req.query.format);
      return reply.type(file.contentType).header('content-disposition', attachment(file.filename)).send(file.data);
    },
  );
  app.get(
    '/allowance-reports/export',
    {
      config: { permission: 'allowance:read' },
      schema: {
        tags: ['allowances'],
        summary: '津贴报表 as xlsx (counts only; audited)',
        querystring: api.report.query,
        produces: [XLSX],
      },
    },
    async (req, reply) => {
      const file = await reports.exportReport(ctx, actorOf(req), req.query);
      return reply.type(XLSX).header('content-disposition', attachment(file.filename)).send(file.data);
    },
  );
};
