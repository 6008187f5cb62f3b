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

/** Insert a photo, or return the one with the same content already on this order. */
export async function insertPhoto(
  tx: DbOrTx,
  p: { orderId: string; stage: string; contentType: string; data: Buffer; sha256: string; takenAt: Date; uploadedBy: string },
) {
  const inserted = await queryRows<PhotoMeta>(
    tx,
    sql`
    INSERT INTO visit_photos (order_id, stage, content_type, bytes, sha256, data, taken_at, uploaded_by)
    VALUES (${p.orderId}, ${p.stage}, ${p.contentType}, ${p.data.length}, ${p.sha256},
            decode(${p.data.toString('base64')}, 'base64'), ${p.takenAt.toISOString()}::timestamptz, ${p.uploadedBy})
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

export async function photoData(db: DbOrTx, orderId: string, id: string) {
  const [r] = await queryRows<{ content_type: string; b64: string }>(
    db,
    sql`SELECT content_type, encode(data, 'base64') AS b64 FROM visit_photos WHERE order_id = ${orderId} AND id = ${id}`,
  );
  return r ? { contentType: r.content_type, data: Buffer.from(r.b64, 'base64') } : null;
}
