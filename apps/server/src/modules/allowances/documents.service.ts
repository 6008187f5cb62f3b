import { sql } from 'drizzle-orm';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as bo from './back-office.repo.ts';
import type { DocumentKind, DocumentType } from './back-office.schema.ts';
import { load } from './steps.ts';

/**
 * Document scans of an application (身份证, 户口簿, 银行卡…). Stored like visit photos — in the
 * database, never under the web root or DATA_DIR — and, because they are identity documents,
 * encrypted with the field cipher (AES-256-GCM). The type is read from the file's first bytes, not
 * from what the browser says. Every read of a scan is audited.
 */

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENTS = 10;

/** The type of a file from its magic bytes; null for anything else. */
export function sniffType(b: Buffer): DocumentType | null {
  if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

type DocRow = { id: string; kind: string; filename: string; content_type: string; bytes: number; created_at: string };
const present = (d: DocRow) => ({
  id: d.id,
  kind: d.kind as DocumentKind,
  filename: d.filename,
  contentType: d.content_type as DocumentType,
  bytes: Number(d.bytes),
  uploadedAt: new Date(d.created_at).toISOString(),
});

export async function listDocuments(ctx: AppContext, actor: Actor, applicationId: string) {
  await load(ctx, actor, applicationId);
  const rows = await bo.documentsOf(ctx.db, applicationId);
  return { items: rows.map(present), total: rows.length };
}

/** Check the application is in reach before the upload is read (out of reach: 404, nothing received). */
export const checkApplication = (ctx: AppContext, actor: Actor, applicationId: string) => load(ctx, actor, applicationId);

export async function addDocument(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  kind: DocumentKind,
  file: { filename: string; data: Buffer },
) {
  const row = await load(ctx, actor, applicationId);
  const type = sniffType(file.data);
  if (!type) throw unprocessable('Upload a PDF, JPEG or PNG scan.', [{ path: 'file', message: 'not a PDF, JPEG or PNG file' }]);
  const sha = sha256Hex(file.data);
  const filename = file.filename.replace(/[\\/]/g, '_').slice(0, 120) || 'scan';
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM allowance_applications WHERE id = ${applicationId} FOR UPDATE`);
    const existing = await bo.documentsOf(tx, applicationId);
    if (existing.length >= MAX_DOCUMENTS)
      throw conflict(`An application holds at most ${MAX_DOCUMENTS} scans.`, undefined, 'invalid-state');
    const [inserted] = await queryRows<DocRow>(
      tx,
      sql`INSERT INTO allowance_documents (application_id, kind, filename, content_type, bytes, sha256, data_enc, uploaded_by)
        VALUES (${applicationId}, ${kind}, ${filename}, ${type}, ${file.data.length}, ${sha},
          ${ctx.cipher.encrypt(file.data.toString('base64'))}, ${actor.id})
        ON CONFLICT (application_id, sha256) DO NOTHING RETURNING id, kind, filename, content_type, bytes, created_at`,
    );
    // The same scan sent twice (a retried upload) is one document.
    const [same] = inserted
      ? [inserted]
      : await queryRows<DocRow>(
          tx,
          sql`SELECT id, kind, filename, content_type, bytes, created_at FROM allowance_documents
            WHERE application_id = ${applicationId} AND sha256 = ${sha}`,
        );
    const out = present(same);
    await recordAudit(tx, {
      actor,
      action: 'allowance.document.upload',
      targetType: 'allowance_application',
      targetId: applicationId,
      regionCode: row.app.regionCode,
      detail: { documentId: out.id, kind, bytes: file.data.length, contentType: type, duplicate: !inserted },
    });
    return out;
  });
}

/** One scan's bytes, decrypted for the reader; the read is audited. */
export async function readDocument(ctx: AppContext, actor: Actor, applicationId: string, documentId: string) {
  const row = await load(ctx, actor, applicationId);
  const doc = await bo.documentOf(ctx.db, applicationId, documentId);
  if (!doc) throw notFound('Document');
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.document.read',
    targetType: 'allowance_application',
    targetId: applicationId,
    regionCode: row.app.regionCode,
    detail: { documentId, kind: doc.kind },
  });
  return {
    filename: doc.filename,
    contentType: doc.content_type,
    data: Buffer.from(ctx.cipher.decrypt(doc.data_enc), 'base64'),
  };
}
