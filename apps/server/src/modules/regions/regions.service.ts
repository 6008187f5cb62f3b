import { parentCodeOf, regionLevelOf } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, forbidden, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './regions.repo.ts';

export interface RegionInput {
  code: string;
  name: string;
  lat?: number | null;
  lng?: number | null;
}

export function presentRegion(r: repo.RegionRow) {
  return { code: r.code, parentCode: r.parentCode, level: r.level, name: r.name, lat: r.lat, lng: r.lng };
}
export type RegionView = ReturnType<typeof presentRegion>;
export type RegionNode = RegionView & { children: RegionNode[] };

/** A page of the regions in scope; `total` only when asked (`count`). */
export async function listRegions(
  ctx: AppContext,
  actor: Actor,
  f: repo.RegionFilter,
  limit: number,
  page: number,
  count = false,
) {
  const { items, total } = await repo.listRegions(ctx.db, actor, f, limit, (page - 1) * limit, count);
  return { items: items.map(presentRegion), total };
}

/** The visible regions as a forest (the actor's subtree roots at the top). */
export async function regionTree(ctx: AppContext, actor: Actor): Promise<RegionNode[]> {
  const rows = await repo.allVisibleRegions(ctx.db, actor);
  const byCode = new Map<string, RegionNode>(rows.map((r) => [r.code, { ...presentRegion(r), children: [] }]));
  const roots: RegionNode[] = [];
  for (const node of byCode.values()) {
    const parent = node.parentCode ? byCode.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Checks a code's shape and that its parent exists (in the database or in `pending`). */
export async function validateNewCode(ctx: AppContext, actor: Actor, code: string, pending?: Set<string>) {
  const level = regionLevelOf(code);
  if (!level) return { error: 'must be 6 (district), 9 (street/town) or 12 (community/village) digits' } as const;
  const parentCode = parentCodeOf(code);
  if (level === 'district') {
    if (actor.regionCode !== null) return { error: 'only an administrator of the whole tree may add a district' } as const;
  } else if (!actorCoversRegion(actor, parentCode)) {
    return { error: 'the parent region is outside your scope' } as const;
  } else if (!pending?.has(parentCode ?? '') && !(await repo.findRegion(ctx.db, parentCode ?? ''))) {
    return { error: `parent region ${parentCode} does not exist` } as const;
  }
  return { level, parentCode } as const;
}

export async function createRegion(ctx: AppContext, actor: Actor, input: RegionInput) {
  const checked = await validateNewCode(ctx, actor, input.code);
  if ('error' in checked) throw validationError('body.code', checked.error ?? 'invalid');
  if (await repo.findRegion(ctx.db, input.code))
    throw conflict(`Region ${input.code} already exists.`, [{ path: 'body.code', message: 'already exists' }], 'duplicate');
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertRegion(tx, { ...input, level: checked.level, parentCode: checked.parentCode });
    await recordAudit(tx, {
      actor,
      action: 'region.create',
      targetType: 'region',
      targetId: row.code,
      regionCode: row.code,
      detail: { name: row.name },
    });
    return presentRegion(row);
  });
}

async function regionInScope(ctx: AppContext, actor: Actor, code: string) {
  const row = await repo.findRegion(ctx.db, code);
  if (!row || !actorCoversRegion(actor, row.code)) throw notFound('Region');
  return row;
}

export async function getRegion(ctx: AppContext, actor: Actor, code: string) {
  return presentRegion(await regionInScope(ctx, actor, code));
}

export async function updateRegion(ctx: AppContext, actor: Actor, code: string, patch: Partial<Omit<RegionInput, 'code'>>) {
  const before = await regionInScope(ctx, actor, code);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.updateRegion(tx, code, patch);
    await recordAudit(tx, {
      actor,
      action: 'region.update',
      targetType: 'region',
      targetId: code,
      regionCode: code,
      detail: { before: { name: before.name, lat: before.lat, lng: before.lng }, after: patch },
    });
    return presentRegion(row);
  });
}

export async function deleteRegion(ctx: AppContext, actor: Actor, code: string) {
  await regionInScope(ctx, actor, code);
  if (actor.regionCode === code) throw forbidden('You cannot delete the root of your own scope.');
  const reason = await repo.regionInUse(ctx.db, code);
  if (reason) throw conflict(`Region ${code} cannot be deleted: ${reason}.`);
  try {
    await ctx.db.transaction(async (tx) => {
      await repo.deleteRegion(tx, code);
      await recordAudit(tx, { actor, action: 'region.delete', targetType: 'region', targetId: code, regionCode: code });
    });
  } catch (err) {
    if (
      (err as { code?: string; cause?: { code?: string } }).code === '23503' ||
      (err as { cause?: { code?: string } }).cause?.code === '23503'
    ) {
      throw conflict(`Region ${code} cannot be deleted: records refer to it.`);
    }
    throw err;
  }
}
