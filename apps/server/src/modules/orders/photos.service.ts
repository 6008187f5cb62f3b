import { createHash } from 'node:crypto';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as orderRepo from './orders.repo.ts';
import * as repo from './photos.repo.ts';

export const PHOTO_LIMITS = { maxBytes: 5 * 1024 * 1024, perOrder: 9, maxAgeHours: 72 };

/** The image type from the file's first bytes (the name and the browser's claim are not trusted). */
export function sniffImage(b: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export const presentPhoto = (p: repo.PhotoMeta) => ({
  id: p.id,
  stage: p.stage,
  contentType: p.content_type,
  bytes: Number(p.bytes),
  takenAt: new Date(p.taken_at).toISOString(),
  url: `/api/v1/service-orders/${p.order_id}/photos/${p.id}`,
});

/** Which order states accept a photo of each stage (the offline queue sends photos first). */
const STAGE_STATES: Record<'check-in' | 'check-out', string[]> = {
  'check-in': ['assigned', 'en_route', 'in_service'],
  'check-out': ['in_service', 'served'],
};

/**
 * The assigned worker attaches a photo to the visit: JPEG, PNG or WebP by content, at most
 * 5 MiB and 9 per order, taken (by the phone's clock) no more than 72 h ago. Sending the same
 * picture again returns the first one.
 */
export async function addPhoto(
  ctx: AppContext,
  actor: Actor,
  order: orderRepo.OrderRow,
  p: { stage: 'check-in' | 'check-out'; takenAt?: string; data: Buffer },
) {
  if (order.workerId !== actor.id) throw notFound('Service order');
  if (!STAGE_STATES[p.stage].includes(order.status))
    throw conflict(`The order is ${order.status}; a ${p.stage} photo is no longer accepted.`);
  const contentType = sniffImage(p.data);
  if (!contentType)
    throw new AppError(
      415,
      'Unsupported Media Type',
      'Only JPEG, PNG or WebP photos are accepted.',
      undefined,
      'unsupported-media-type',
    );
  const takenAt = p.takenAt ? new Date(p.takenAt) : new Date();
  if (takenAt.getTime() > Date.now() + 5 * 60_000) throw validationError('querystring.takenAt', 'in the future');
  if (takenAt.getTime() < Date.now() - PHOTO_LIMITS.maxAgeHours * 3600_000)
    throw validationError('querystring.takenAt', `more than ${PHOTO_LIMITS.maxAgeHours} hours ago`);
  const sha256 = createHash('sha256').update(p.data).digest('hex');
  // It shows an elder's home: kept encrypted, like every picture and document (docs/security.md).
  const dataEnc = ctx.cipher.encrypt(p.data.toString('base64'));
  return ctx.db.transaction(async (tx) => {
    await orderRepo.findOrder(tx, order.id, true); // one upload per order at a time: the count holds
    const r = await repo.insertPhoto(tx, {
      orderId: order.id,
      stage: p.stage,
      contentType,
      dataEnc,
      bytes: p.data.length,
      sha256,
      takenAt,
      uploadedBy: actor.id as string,
    });
    if (r.created) {
      if ((await repo.countPhotos(tx, order.id)) > PHOTO_LIMITS.perOrder)
        throw conflict(`An order has at most ${PHOTO_LIMITS.perOrder} photos.`, undefined, 'slot-full');
      await recordAudit(tx, {
        actor,
        action: 'visit.photo-add',
        targetType: 'service_order',
        targetId: order.id,
        regionCode: order.regionCode,
        detail: { photoId: r.photo.id, stage: p.stage, bytes: p.data.length, contentType },
      });
    } else markUnchanged();
    return { photo: presentPhoto(r.photo), created: r.created };
  });
}

export async function listPhotos(ctx: AppContext, order: orderRepo.OrderRow) {
  return { items: (await repo.listPhotos(ctx.db, order.id)).map(presentPhoto) };
}

/** One photo's bytes for someone who may see the order; every read is audited (it shows an elder's home). */
export async function readPhoto(ctx: AppContext, actor: Actor, order: orderRepo.OrderRow, photoId: string) {
  const stored = await repo.photoData(ctx.db, order.id, photoId);
  if (!stored) throw notFound('Photo');
  const b64 = stored.dataEnc === null ? (stored.plainB64 as string) : ctx.cipher.decrypt(stored.dataEnc);
  const photo = { contentType: stored.contentType, data: Buffer.from(b64, 'base64') };
  await recordAudit(ctx.db, {
    actor,
    action: 'visit.photo-read',
    targetType: 'service_order',
    targetId: order.id,
    regionCode: order.regionCode,
    detail: { photoId },
  });
  return photo;
}

/**
 * Encrypt the photos stored in clear before 0992 and clear their plain copy: the key lives with
 * the application, so the migration cannot. Batches of `batch`, each in its own transaction; safe
 * to run any number of times and from several processes at once (rows are locked and skipped).
 */
export function backfillPhotoEncryption(ctx: AppContext, batch = 50): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockPlainPhotos(tx, limit);
    for (const r of rows) await repo.setPhotoEncrypted(tx, r.id, ctx.cipher.encrypt(r.b64));
    return rows.length;
  });
}
