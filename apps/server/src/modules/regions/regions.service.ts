import { parentCodeOf, regionLevelOf } from '@zhiyang/shared';
import { actorCoversRegion, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, forbidden, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { existingRegionCache, regionCacheFor } from './regions.cache.ts';
import type { RegionFilter } from './regions.repo.ts';
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

/**
 * Every region, presented, from this process's memory (regions.cache.ts: dropped on any change to
 * the table by any writer); the database is asked only after a change.
 */
function allRegions(ctx: AppContext): readonly RegionView[] | Promise<readonly RegionView[]> {
  return regionCacheFor<RegionView>(ctx.events).all(async () => (await repo.allRegions(ctx.db)).map(presentRegion));
}

/** Drop this process's region list at once after a committed write (other processes: the trigger's NOTIFY). */
export function regionsChanged(ctx: AppContext) {
  existingRegionCache(ctx.events)?.invalidate();
}

/** The root of the regions the actor sees: region-scoped staff their region; everyone else none (the whole tree). */
function scopeRoot(actor: Actor): string | null {
  return isRegionScoped(actor) ? actor.regionCode : null;
}

/**
 * The regions the actor sees: region-scoped staff with a root their subtree; everyone else (a
 * provider's or canteen's staff choosing a site's community, say) the whole tree — names are public.
 */
function visibleTo(root: string | null, rows: readonly RegionView[]): readonly RegionView[] {
  return root === null ? rows : rows.filter((r) => r.code.startsWith(root));
}

export interface RegionPage {
  items: RegionView[];
  total: number | undefined;
}

/** A page of `all` as `listRegionsPresented` documents it. */
function pageOf(
  all: readonly RegionView[],
  root: string | null,
  f: RegionFilter,
  limit: number,
  page: number,
  count: boolean,
): RegionPage {
  const q = f.q?.toLowerCase();
  const match = (r: RegionView) =>
    (root === null || r.code.startsWith(root)) &&
    (!f.parentCode || r.parentCode === f.parentCode) &&
    (!f.level || r.level === f.level) &&
    (!q || r.name.toLowerCase().includes(q) || r.code.toLowerCase().startsWith(q));
  const offset = (page - 1) * limit;
  if (!count) {
    // Stop at the page's end: the common read (no count) never walks the whole list.
    const items: RegionView[] = [];
    let skipped = 0;
    for (const r of all) {
      if (!match(r)) continue;
      if (skipped < offset) skipped++;
      else if (items.push(r) >= limit) break;
    }
    return { items, total: undefined };
  }
  const found = all.filter(match);
  return { items: found.slice(offset, offset + limit), total: found.length };
}

/** The visible regions as a forest (the scope's subtree roots at the top). */
function forestOf(all: readonly RegionView[], root: string | null): RegionNode[] {
  const byCode = new Map<string, RegionNode>(visibleTo(root, all).map((r) => [r.code, { ...r, children: [] }]));
  const roots: RegionNode[] = [];
  for (const node of byCode.values()) {
    const parent = node.parentCode ? byCode.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/**
 * A page of the regions in scope in code order, filtered as the API documents (`q`: a name
 * containing it or a code starting with it, case-insensitive); `total` only when asked (`count`).
 * Handed to `present` (for the API: the answer encoded to JSON once) and kept in this process
 * until the regions change: the same page for the same scope — the console's pickers
 * and trees, an API client polling — is built and encoded once, not on every request. The answer
 * depends only on the rows, the scope's root and the query, which make the key.
 */
export async function listRegionsPresented<T>(
  ctx: AppContext,
  actor: Actor,
  f: RegionFilter,
  limit: number,
  page: number,
  count: boolean,
  present: (answer: RegionPage) => T,
): Promise<T> {
  const rows = await allRegions(ctx);
  const root = scopeRoot(actor);
  const key = JSON.stringify(['list', root, f.parentCode ?? null, f.level ?? null, f.q ?? null, limit, page, count]);
  return regionCacheFor<RegionView>(ctx.events).derive(key, rows, () => present(pageOf(rows, root, f, limit, page, count)));
}

/** The visible regions as a forest (the actor's subtree roots at the top), handed to `present` and kept like a page. */
export async function regionTreePresented<T>(ctx: AppContext, actor: Actor, present: (roots: RegionNode[]) => T): Promise<T> {
  const rows = await allRegions(ctx);
  const root = scopeRoot(actor);
  return regionCacheFor<RegionView>(ctx.events).derive(JSON.stringify(['tree', root]), rows, () => present(forestOf(rows, root)));
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
  const created = await ctx.db.transaction(async (tx) => {
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
  regionsChanged(ctx);
  return created;
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
  const updated = await ctx.db.transaction(async (tx) => {
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
  regionsChanged(ctx);
  return updated;
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
    regionsChanged(ctx);
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
