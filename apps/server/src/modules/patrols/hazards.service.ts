import type { Action } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { institutionFor } from '../institutions/institutions.service.ts';
import { presentHazard } from './patrols.present.ts';
import * as repo from './patrols.repo.ts';
import { decodePatrolPhoto } from './patrols.rules.ts';

/** Hazards found on patrols and their rectification (整改) and re-check (复查). */

async function hazardFor(ctx: AppContext, actor: Actor, id: string, action: Action) {
  const h = await repo.findHazard(ctx.db, id, cstDate());
  if (!h || !can(actor, action, { orgId: h.org_id, regionCode: h.region_code })) throw notFound('Hazard');
  return h;
}

/**
 * A hazard photo as it is stored: the picture may show residents, so it is kept encrypted with the
 * field key, like every picture and document (docs/security.md).
 */
export const sealedPhoto = (ctx: AppContext, p: { mime: string; data: string }) => ({
  mime: p.mime,
  dataEnc: ctx.cipher.encrypt(p.data),
  bytes: Math.floor((p.data.length * 3) / 4),
});

/** A hazard's photos with their pictures in clear (rows from before 0992 are still plain). */
async function photosOf(ctx: AppContext, hazardId: string) {
  return (await repo.photosOf(ctx.db, hazardId)).map((p) => ({
    id: p.id,
    stage: p.stage,
    mime: p.mime,
    data: p.data_enc === null ? (p.data as string) : ctx.cipher.decrypt(p.data_enc),
  }));
}

/**
 * Encrypt the hazard photos stored in clear before 0992 and clear their plain copy. Batches in
 * their own transactions, rows locked and skipped: safe to run again and from two processes.
 */
export function backfillPhotoEncryption(ctx: AppContext, batch = 50): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockPlainPhotos(tx, limit);
    for (const r of rows) await repo.setPhotoEncrypted(tx, r.id, ctx.cipher.encrypt(r.data));
    return rows.length;
  });
}

async function present(ctx: AppContext, id: string) {
  const h = (await repo.findHazard(ctx.db, id, cstDate())) as repo.HazardRow;
  return presentHazard(h, await photosOf(ctx, id));
}

export async function listHazards(ctx: AppContext, actor: Actor, orgId: string, q: { status?: string; overdue?: 'true' }) {
  await institutionFor(ctx, actor, orgId);
  const rows = await repo.listHazards(ctx.db, orgId, cstDate(), { status: q.status, overdue: q.overdue === 'true' });
  const items = await Promise.all(rows.map(async (h) => presentHazard(h, await photosOf(ctx, h.id))));
  return { items, total: items.length };
}

export async function assignHazard(ctx: AppContext, actor: Actor, id: string, b: { deadlineOn: string; ownerId: string | null }) {
  const h = await hazardFor(ctx, actor, id, 'institution:write');
  if (h.status === 'closed') throw conflict('This hazard is closed.', undefined, 'invalid-state');
  if (b.ownerId && !(await repo.isStaffOf(ctx.db, b.ownerId, h.org_id)))
    throw validationError('body.ownerId', 'not a staff member of this institution');
  await ctx.db.transaction(async (tx) => {
    await repo.assignHazard(tx, id, b.deadlineOn, b.ownerId);
    await recordAudit(tx, {
      actor,
      action: 'patrol.hazard.assign',
      targetType: 'patrol_hazard',
      targetId: id,
      regionCode: h.region_code,
      detail: { deadlineOn: b.deadlineOn, ownerId: b.ownerId },
    });
  });
  return present(ctx, id);
}

/** 整改 done: the hazard waits for its re-check. Only an open hazard can be rectified (409 otherwise). */
export async function rectifyHazard(ctx: AppContext, actor: Actor, id: string, b: { note: string; photos?: string[] }) {
  const h = await hazardFor(ctx, actor, id, 'institution:care');
  const photos = (b.photos ?? []).map((p, i) => {
    const d = decodePatrolPhoto(p);
    if (!d) throw validationError(`body.photos.${i}`, 'not a JPEG, PNG or WebP picture');
    return sealedPhoto(ctx, d);
  });
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.markRectified(tx, id, b.note, actor.id)))
      throw conflict('Only an open hazard can be rectified.', undefined, 'invalid-state');
    for (const p of photos) await repo.insertPhoto(tx, { hazardId: id, stage: 'rectified', ...p });
    await recordAudit(tx, {
      actor,
      action: 'patrol.hazard.rectify',
      targetType: 'patrol_hazard',
      targetId: id,
      regionCode: h.region_code,
      detail: { photos: photos.length },
    });
  });
  return present(ctx, id);
}

/** 复查: passed closes the hazard (销号); failed reopens it with its deadline, counted in `reopened`. */
export async function recheckHazard(ctx: AppContext, actor: Actor, id: string, b: { passed: boolean; note?: string }) {
  const h = await hazardFor(ctx, actor, id, 'institution:write');
  if (!b.passed && !b.note) throw validationError('body.note', 'say what is still wrong');
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.markRechecked(tx, id, b.passed, b.note ?? null, actor.id)))
      throw conflict('Only a rectified hazard can be re-checked.', undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: 'patrol.hazard.recheck',
      targetType: 'patrol_hazard',
      targetId: id,
      regionCode: h.region_code,
      detail: { passed: b.passed },
    });
  });
  return present(ctx, id);
}
