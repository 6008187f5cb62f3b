import type { Action } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
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

async function present(ctx: AppContext, id: string) {
  const h = (await repo.findHazard(ctx.db, id, cstDate())) as repo.HazardRow;
  return presentHazard(h, await repo.photosOf(ctx.db, id));
}

export async function listHazards(ctx: AppContext, actor: Actor, orgId: string, q: { status?: string; overdue?: 'true' }) {
  await institutionFor(ctx, actor, orgId);
  const rows = await repo.listHazards(ctx.db, orgId, cstDate(), { status: q.status, overdue: q.overdue === 'true' });
  const items = await Promise.all(rows.map(async (h) => presentHazard(h, await repo.photosOf(ctx.db, h.id))));
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
    return d;
  });
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.markRectified(tx, id, b.note, actor.id)))
      throw conflict('Only an open hazard can be rectified.', undefined, 'invalid-state');
    for (const p of photos) await repo.insertPhoto(tx, { hazardId: id, stage: 'rectified', mime: p.mime, data: p.data });
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
