import type { DishInput, MealPeriod } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './canteens.repo.ts';

/**
 * Canteens (长寿食堂): the profile kept on the canteen organisation, its dishes and its menus per
 * day and meal period. Canteen staff reach their own canteen; region staff the canteens in, or
 * serving, their region; anything else is a 404.
 */

export const presentCanteen = (c: repo.CanteenRow) => ({
  id: c.id,
  name: c.name,
  regionCode: c.region_code,
  status: c.status,
  address: c.address ?? c.org_address,
  communities: c.communities ?? [],
  openDays: c.open_days ?? [1, 2, 3, 4, 5, 6, 7],
  openTime: c.opens_at,
  closeTime: c.closes_at,
  mealPeriods: c.meal_periods ?? [],
  capacity: c.capacity,
  deliveryCommunities: c.delivery_communities ?? [],
  profiled: c.profiled,
});

export const presentDish = (d: repo.DishRow) => ({
  id: d.id,
  canteenId: d.canteenId,
  name: d.name,
  category: d.category,
  priceFen: d.priceFen,
  healthTags: d.healthTags,
  allergens: d.allergens,
  active: d.active,
});

/** The canteen, if the actor reaches it (else 404). */
export async function visibleCanteen(ctx: AppContext, actor: Actor, id: string) {
  const c = await repo.findCanteen(ctx.db, actor, id);
  if (!c) throw notFound('Canteen');
  return c;
}

/** The canteen, if the actor may edit it: visible and the actor holds canteen:write over it (else 404). */
async function editableCanteen(ctx: AppContext, actor: Actor, id: string) {
  const c = await visibleCanteen(ctx, actor, id);
  if (!can(actor, 'canteen:write', { orgId: c.id, regionCode: c.region_code })) throw notFound('Canteen');
  return c;
}

export async function listCanteens(ctx: AppContext, actor: Actor) {
  const rows = await repo.listCanteens(ctx.db, actor);
  return { items: rows.map(presentCanteen), total: rows.length };
}

export async function getCanteen(ctx: AppContext, actor: Actor, id: string) {
  return presentCanteen(await visibleCanteen(ctx, actor, id));
}

export interface ProfileInput {
  address?: string | null;
  communities: string[];
  openDays: number[];
  openTime?: string | null;
  closeTime?: string | null;
  mealPeriods: Array<{ period: MealPeriod; start: string; end: string }>;
  capacity?: number | null;
  deliveryCommunities: string[];
}

export async function updateProfile(ctx: AppContext, actor: Actor, id: string, p: ProfileInput) {
  const c = await editableCanteen(ctx, actor, id);
  const periods = new Set<string>();
  p.mealPeriods.forEach((m, i) => {
    if (periods.has(m.period)) throw validationError(`body.mealPeriods.${i}.period`, 'each meal period once');
    periods.add(m.period);
    if (m.end <= m.start) throw validationError(`body.mealPeriods.${i}.end`, 'must be after start');
  });
  if (p.openTime && p.closeTime && p.closeTime <= p.openTime) throw validationError('body.closeTime', 'must be after openTime');
  const communities = [...new Set(p.communities)];
  const delivery = [...new Set(p.deliveryCommunities)];
  const known = await repo.existingCommunities(ctx.db, [...new Set([...communities, ...delivery])]);
  communities.forEach((code, i) => {
    if (!known.has(code)) throw validationError(`body.communities.${i}`, 'no such community');
  });
  delivery.forEach((code, i) => {
    if (!known.has(code)) throw validationError(`body.deliveryCommunities.${i}`, 'no such community');
  });
  return ctx.db.transaction(async (tx) => {
    await repo.upsertProfile(tx, c.id, {
      address: p.address ?? null,
      communities,
      openDays: [...new Set(p.openDays)].sort(),
      opensAt: p.openTime ?? null,
      closesAt: p.closeTime ?? null,
      mealPeriods: [...p.mealPeriods].sort((a, b) => a.start.localeCompare(b.start)),
      capacity: p.capacity ?? null,
      deliveryCommunities: delivery,
    });
    await recordAudit(tx, {
      actor,
      action: 'canteen.profile',
      targetType: 'canteen',
      targetId: c.id,
      regionCode: c.region_code,
      detail: { communities: communities.length, deliveryCommunities: delivery.length, capacity: p.capacity ?? null },
    });
    return presentCanteen((await repo.findCanteen(tx, actor, c.id)) as repo.CanteenRow);
  });
}

export async function listDishes(ctx: AppContext, actor: Actor, id: string, includeInactive: boolean) {
  const c = await visibleCanteen(ctx, actor, id);
  const rows = await repo.listDishes(ctx.db, c.id, includeInactive);
  return { items: rows.map(presentDish), total: rows.length };
}

const duplicateDish = () => conflict('The canteen already has a dish of this name.', undefined, 'duplicate');

export async function createDish(ctx: AppContext, actor: Actor, id: string, input: DishInput) {
  const c = await editableCanteen(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const d = await repo.insertDish(tx, {
      canteenId: c.id,
      name: input.name,
      category: input.category,
      priceFen: input.priceFen,
      healthTags: [...new Set(input.healthTags ?? [])],
      allergens: [...new Set(input.allergens ?? [])],
      active: input.active ?? true,
    });
    if (!d) throw duplicateDish();
    await recordAudit(tx, {
      actor,
      action: 'canteen.dish.create',
      targetType: 'canteen_dish',
      targetId: d.id,
      regionCode: c.region_code,
      detail: { canteenId: c.id, name: d.name, priceFen: d.priceFen },
    });
    return presentDish(d);
  });
}

export async function updateDish(ctx: AppContext, actor: Actor, id: string, dishId: string, patch: Partial<DishInput>) {
  const c = await editableCanteen(ctx, actor, id);
  const before = await repo.findDish(ctx.db, c.id, dishId);
  if (!before) throw notFound('Dish');
  if (patch.name && patch.name !== before.name && (await repo.dishNameTaken(ctx.db, c.id, patch.name, dishId)))
    throw duplicateDish();
  return ctx.db.transaction(async (tx) => {
    const d = await repo.updateDish(tx, dishId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.priceFen !== undefined && { priceFen: patch.priceFen }),
      ...(patch.healthTags !== undefined && { healthTags: [...new Set(patch.healthTags)] }),
      ...(patch.allergens !== undefined && { allergens: [...new Set(patch.allergens)] }),
      ...(patch.active !== undefined && { active: patch.active }),
    });
    await recordAudit(tx, {
      actor,
      action: 'canteen.dish.update',
      targetType: 'canteen_dish',
      targetId: dishId,
      regionCode: c.region_code,
      detail: { canteenId: c.id, changed: Object.keys(patch).filter((k) => patch[k as keyof DishInput] !== undefined) },
    });
    return presentDish(d);
  });
}

/** Group menu rows into menus (one per day and period). */
function presentMenus(canteenId: string, rows: repo.MenuItemRow[]) {
  const menus = new Map<
    string,
    { canteenId: string; day: string; period: MealPeriod; items: ReturnType<typeof presentMenuItem>[] }
  >();
  for (const r of rows) {
    const key = `${r.day} ${r.period}`;
    if (!menus.has(key)) menus.set(key, { canteenId, day: r.day, period: r.period, items: [] });
    menus.get(key)?.items.push(presentMenuItem(r));
  }
  return [...menus.values()];
}
const presentMenuItem = (r: repo.MenuItemRow) => ({ ...presentDish(r), menuPriceFen: r.menuPriceFen });

export async function listMenus(ctx: AppContext, actor: Actor, id: string, from: string, to: string) {
  const c = await visibleCanteen(ctx, actor, id);
  if (to < from) throw validationError('query.to', 'before from');
  if (to > addDays(from, 30)) throw validationError('query.to', 'at most 31 days');
  const menus = presentMenus(c.id, await repo.menuItems(ctx.db, c.id, from, to));
  return { items: menus, total: menus.length };
}

export async function setMenu(
  ctx: AppContext,
  actor: Actor,
  id: string,
  day: string,
  period: MealPeriod,
  items: Array<{ dishId: string; priceFen?: number }>,
) {
  const c = await editableCanteen(ctx, actor, id);
  const ids = items.map((i) => i.dishId);
  if (new Set(ids).size !== ids.length) throw validationError('body.items', 'each dish once');
  const dishes = new Map((await repo.dishesByIds(ctx.db, c.id, ids)).map((d) => [d.id, d]));
  items.forEach((i, n) => {
    const d = dishes.get(i.dishId);
    if (!d) throw validationError(`body.items.${n}.dishId`, 'not a dish of this canteen');
    if (!d.active) throw validationError(`body.items.${n}.dishId`, 'the dish is inactive');
  });
  return ctx.db.transaction(async (tx) => {
    await repo.replaceMenu(
      tx,
      c.id,
      day,
      period,
      items.map((i) => ({ dishId: i.dishId, priceFen: i.priceFen ?? (dishes.get(i.dishId) as repo.DishRow).priceFen })),
    );
    await recordAudit(tx, {
      actor,
      action: 'canteen.menu.set',
      targetType: 'canteen',
      targetId: c.id,
      regionCode: c.region_code,
      detail: { day, period, dishes: items.length },
    });
    const [menu] = presentMenus(c.id, await repo.menuItems(tx, c.id, day, day, period));
    return menu ?? { canteenId: c.id, day, period, items: [] };
  });
}
