import type { MealPeriod } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstMonth } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { withElderPrivate } from '../elders/elders.private.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as canteens from './canteens.repo.ts';
import { visibleCanteen } from './canteens.service.ts';
import * as repo from './meals.repo.ts';
import { inferPeriod } from './periods.ts';
import { recommendDishes } from './recommend.ts';
import { planSubsidy } from './subsidy.ts';

/**
 * What the kiosk shows once the elder is identified: the menu of the meal ranked for the elder
 * (recommended first, each with its one-line reason, allergens as warnings), the subsidy a meal
 * would get now and the wallet's balance. It reads the elder's health data, so it is audited.
 */
export async function recommend(
  ctx: AppContext,
  actor: Actor,
  canteenId: string,
  q: { elderId: string; day?: string; period?: MealPeriod },
) {
  const c = await visibleCanteen(ctx, actor, canteenId);
  if (!can(actor, 'meal:serve', { orgId: c.id, regionCode: c.region_code })) throw notFound('Canteen');
  const sealed = await repo.visibleElder(ctx.db, actor, q.elderId);
  if (!sealed) throw notFound('Elder');
  const elder = withElderPrivate(ctx.cipher, sealed);
  const now = new Date();
  const day = q.day ?? cstDate(now);
  const period = q.period ?? inferPeriod(c.meal_periods ?? [], now);
  const menu = await canteens.menuItems(ctx.db, c.id, day, day, period);
  const diet = {
    chronicConditions: elder.chronic_conditions ?? [],
    dietRestrictions: elder.diet_restrictions ?? [],
    allergies: elder.allergies ?? [],
  };
  const items = recommendDishes(
    diet,
    menu.map((d) => ({ ...d, priceFen: d.menuPriceFen })),
  );
  const wallet = await ledger.findAccount(ctx.db, 'elder', 'fen', elder.id);
  const balanceFen = wallet ? Number(wallet.balance) : 0;
  const plan = planSubsidy({
    lots: await repo.mealLots(ctx.db, elder.id, cstMonth(now), day, false),
    paidToday: await repo.paidToday(ctx.db, elder.id, day),
    period,
    totalFen: Number.MAX_SAFE_INTEGER,
    balanceFen: wallet?.frozen ? 0 : balanceFen,
  });
  await recordAudit(ctx.db, {
    actor,
    action: 'meal.recommend',
    targetType: 'elder',
    targetId: elder.id,
    regionCode: elder.region_code,
    detail: { canteenId: c.id, day, period },
  });
  return {
    elderId: elder.id,
    elderName: elder.name,
    day,
    period,
    basis: diet,
    subsidyFen: plan.reduce((a, p) => a + p.amountFen, 0),
    balanceFen,
    items,
  };
}
