import { sql } from 'drizzle-orm';
import { actorCoversRegion, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentPoint } from './volunteers.present.ts';
import * as repo from './volunteers.repo.ts';

type Activity = { weekday: number; start: string; end: string; title: string };
interface PointInput {
  name: string;
  address: string;
  regionCode: string;
  lat?: number | null;
  lng?: number | null;
  activities: Activity[];
  active: boolean;
}

/**
 * 睦邻点 are public places: staff see those in their reach; anyone else with a place (a volunteer)
 * those of their own street; the others none.
 */
function whereFor(actor: Actor, regionCode?: string) {
  if (isRegionScoped(actor)) return repo.pointScope(actor, regionCode);
  if (actor.regionCode) return sql`p.region_code LIKE ${`${actor.regionCode.slice(0, 9)}%`} AND p.active`;
  return sql`false`;
}

export async function listPoints(ctx: AppContext, actor: Actor, q: { regionCode?: string; limit: number; page: number }) {
  const where = whereFor(actor, q.regionCode);
  const [rows, total] = await Promise.all([
    repo.listPoints(ctx.db, where, q.limit, (q.page - 1) * q.limit),
    repo.countPoints(ctx.db, where),
  ]);
  return { items: rows.map(presentPoint), total };
}

async function check(ctx: AppContext, actor: Actor, b: PointInput) {
  if (!actorCoversRegion(actor, b.regionCode) || !(await repo.communityExists(ctx.db, b.regionCode)))
    throw validationError('body.regionCode', 'not a community in your area');
  b.activities.forEach((a, i) => {
    if (a.end <= a.start) throw validationError(`body.activities.${i}.end`, 'must be after start');
  });
  if ((b.lat == null) !== (b.lng == null)) throw validationError('body.lng', 'give both coordinates or neither');
}

export async function createPoint(ctx: AppContext, actor: Actor, b: PointInput) {
  await check(ctx, actor, b);
  const id = await ctx.db.transaction(async (tx) => {
    const p = await repo.insertPoint(tx, { ...b, lat: b.lat ?? null, lng: b.lng ?? null, createdBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'volunteer.point.create',
      targetType: 'neighbourhood_point',
      targetId: p.id,
      regionCode: b.regionCode,
      detail: { name: b.name, activities: b.activities.length },
    });
    return p.id;
  });
  return one(ctx, actor, id);
}

async function one(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await repo.listPoints(ctx.db, sql`p.id = ${id} AND ${repo.pointScope(actor)}`, 1, 0);
  if (!row) throw notFound('Neighbourhood point');
  return presentPoint(row);
}

export async function updatePoint(ctx: AppContext, actor: Actor, id: string, b: PointInput) {
  const before = await one(ctx, actor, id);
  await check(ctx, actor, b);
  await ctx.db.transaction(async (tx) => {
    await repo.updatePoint(tx, id, { ...b, lat: b.lat ?? null, lng: b.lng ?? null });
    await recordAudit(tx, {
      actor,
      action: 'volunteer.point.update',
      targetType: 'neighbourhood_point',
      targetId: id,
      regionCode: b.regionCode,
      detail: { name: b.name, activities: b.activities.length, active: b.active, wasActive: before.active },
    });
  });
  return one(ctx, actor, id);
}
