import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays } from '../../lib/dates.ts';
import { validationError } from '../../lib/errors.ts';
import { visibleCanteen } from './canteens.service.ts';
import { asDay } from './meals.repo.ts';
import * as repo from './stats.repo.ts';

/**
 * Meal statistics (助餐统计) over the meals the caller reaches — a canteen its own, region staff
 * their elders': meals and money per day per canteen, the most served dishes, elders served.
 * Refunded meals count only as refunds.
 */
export async function mealStats(ctx: AppContext, actor: Actor, q: { from: string; to: string; canteenId?: string }) {
  if (q.to < q.from) throw validationError('query.to', 'before from');
  if (q.to > addDays(q.from, 365)) throw validationError('query.to', 'at most 366 days');
  if (q.canteenId) await visibleCanteen(ctx, actor, q.canteenId); // 404 outside the caller's reach
  const [days, top, t] = await Promise.all([
    repo.perDay(ctx.db, actor, q.from, q.to, q.canteenId),
    repo.topDishes(ctx.db, actor, q.from, q.to, q.canteenId),
    repo.totals(ctx.db, actor, q.from, q.to, q.canteenId),
  ]);
  return {
    from: q.from,
    to: q.to,
    perDay: days.map((d) => ({
      day: asDay(d.day),
      canteenId: d.canteen_id,
      canteenName: d.canteen_name,
      meals: Number(d.meals),
      subsidyFen: Number(d.subsidy),
      selfPayFen: Number(d.self_pay),
    })),
    topDishes: top.map((d) => ({ dishId: d.dish_id, name: d.name, servings: Number(d.servings) })),
    totals: {
      meals: Number(t.meals),
      subsidyFen: Number(t.subsidy),
      selfPayFen: Number(t.self_pay),
      eldersServed: Number(t.elders),
      refunded: Number(t.refunded),
    },
  };
}
