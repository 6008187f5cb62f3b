import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

export interface PhotoMeta {
  id: string;
  order_id: string;
  stage: 'check-in' | 'check-out';
  content_type: string;
  bytes: number;
  taken_at: Date | string;
}
const META = sql`id, order_id, stage, content_type, bytes, taken_at`;

export async function listPhotos(db: DbOrTx, orderId: string) {
  return queryRows<PhotoMeta>(
    db,
    sql`SELECT ${META} FROM visit_photos WHERE order_id = ${orderId} ORDER BY taken_at, created_at`,
  );
}

export async function countPhotos(db: DbOrTx, orderId: string) {
  const [r] = await queryRows<{ n: string }>(db, sql`SELECT count(*) AS n FROM visit_photos WHERE order_id = ${orderId}`);
  return Number(r.n);
}

/**
 * Insert a photo, or return the one with the same content already on this order. `dataEnc` is the
 * picture's base64 encrypted with the field key (photos.service); `bytes` its size in clear.
 */
export async function insertPhoto(
  tx: DbOrTx,
  p: {
    orderId: string;
    stage: string;
    contentType: string;
    dataEnc: string;
    bytes: number;
    sha256: string;
    takenAt: Date;
    uploadedBy: string;
  },
) {
  const inserted = await queryRows<PhotoMeta>(
    tx,
    sql`
    INSERT INTO visit_photos (order_id, stage, content_type, bytes, sha256, data_enc, taken_at, uploaded_by)
    VALUES (${p.orderId}, ${p.stage}, ${p.contentType}, ${p.bytes}, ${p.sha256},
            ${p.dataEnc}, ${p.takenAt.toISOString()}::timestamptz, ${p.uploadedBy})
    ON CONFLICT (order_id, sha256) DO NOTHING
    RETURNING ${META}`,
  );
  if (inserted[0]) return { photo: inserted[0], created: true };
  const [existing] = await queryRows<PhotoMeta>(
    tx,
    sql`SELECT ${META} FROM visit_photos WHERE order_id = ${p.orderId} AND sha256 = ${p.sha256}`,
  );
  return { photo: existing, created: false };
}

/** One photo's type and stored picture: encrypted, or (a row from before 0992) its plain base64. */
export async function photoData(db: DbOrTx, orderId: string, id: string) {
  const [r] = await queryRows<{ content_type: string; data_enc: string | null; b64: string | null }>(
    db,
    sql`SELECT content_type, data_enc, encode(data, 'base64') AS b64 FROM visit_photos WHERE order_id = ${orderId} AND id = ${id}`,
  );
  return r ? { contentType: r.content_type, dataEnc: r.data_enc, plainB64: r.b64 } : null;
}

/** Photos still stored in clear (written before 0992), locked for the backfill; their base64. */
export async function lockPlainPhotos(db: DbOrTx, limit: number) {
  return queryRows<{ id: string; b64: string }>(
    db,
    sql`SELECT id, encode(data, 'base64') AS b64 FROM visit_photos WHERE data IS NOT NULL
         ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

/** Replace a photo's plain picture with its encrypted form. */
export async function setPhotoEncrypted(db: DbOrTx, id: string, dataEnc: string) {
  await db.execute(sql`UPDATE visit_photos SET data_enc = ${dataEnc}, data = NULL WHERE id = ${id}`);
}
