import type { MealPeriod } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as canteens from './canteens.repo.ts';
import * as repo from './deliveries.repo.ts';
import { mayBookNow, mayCancelNow, presentDelivery } from './deliveries.service.ts';
import * as meals from './meals.repo.ts';
import { deliveryCutoff } from './periods.ts';
import { planSubsidy } from './subsidy.ts';

/** Days a delivery may be booked ahead, today included (the booking itself allows today + 7). */
const DAYS = 7;
const PERIOD_ORDER: Record<MealPeriod, number> = { breakfast: 0, lunch: 1, dinner: 2 };

/**
 * What may be booked for one elder (送餐预订) — the phone pages of the elder and the family and
 * the call centre's agent read it: the canteens that deliver to the elder's community with their
 * menus of the next 7 days, each meal's cutoff and the subsidy it would get (an estimate: the meal
 * is settled at the door), and the elder's bookings from today on. The elder is found through the
 * one access layer (elder: self; family: the bound elder; staff: their region; canteen staff:
 * only their canteen), else 404. It shows the elder's address and meals: audited as a read.
 */
export async function deliveryOptions(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await meals.visibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const now = new Date();
  const today = cstDate(now);
  const last = addDays(today, DAYS - 1);
  const days = Array.from({ length: DAYS }, (_, i) => addDays(today, i));
  const own = actor.role === 'canteen_staff' ? actor.orgId : null;
  const rows = await repo.canteensDeliveringTo(ctx.db, elder.region_code, own);

  // The subsidy of a meal on each day and period, as the checkout would plan it now (lots of that month).
  const wallet = await ledger.findAccount(ctx.db, 'elder', 'fen', elder.id);
  const balanceFen = wallet && !wallet.frozen ? Number(wallet.balance) : 0;
  const lotsByMonth = new Map<string, Awaited<ReturnType<typeof meals.mealLots>>>();
  const subsidy = new Map<string, number>();
  for (const day of days) {
    const month = day.slice(0, 7);
    if (!lotsByMonth.has(month)) lotsByMonth.set(month, await meals.mealLots(ctx.db, elder.id, month, day, false));
    const lots = lotsByMonth.get(month) ?? [];
    const paid = lots.length ? await meals.paidToday(ctx.db, elder.id, day) : new Map();
    for (const period of ['breakfast', 'lunch', 'dinner'] as const) {
      const parts = planSubsidy({ lots, paidToday: paid, period, totalFen: Number.MAX_SAFE_INTEGER, balanceFen });
      subsidy.set(
        `${day}|${period}`,
        parts.reduce((a, p) => a + p.amountFen, 0),
      );
    }
  }

  const canteenList = [];
  const periodsOf = new Map(rows.map((c) => [c.id, c.meal_periods]));
  for (const c of rows) {
    const menu = await canteens.menuItems(ctx.db, c.id, today, last);
    const slots = new Map<string, ReturnType<typeof slotOf>>();
    function slotOf(day: string, period: MealPeriod) {
      const cutoff = deliveryCutoff(c.meal_periods, day, period);
      return {
        day,
        period,
        cutoffAt: cutoff.toISOString(),
        bookable: mayBookNow(actor, c.id, cutoff, now),
        subsidyFen: subsidy.get(`${day}|${period}`) ?? 0,
        dishes: [] as Array<{
          dishId: string;
          name: string;
          category: canteens.DishRow['category'];
          healthTags: canteens.DishRow['healthTags'];
          allergens: canteens.DishRow['allergens'];
          priceFen: number;
          selfPayFen: number;
        }>,
      };
    }
    for (const m of menu) {
      if (!m.active) continue;
      const key = `${m.day}|${m.period}`;
      const slot = slots.get(key) ?? slotOf(m.day, m.period);
      slots.set(key, slot);
      slot.dishes.push({
        dishId: m.id,
        name: m.name,
        category: m.category,
        healthTags: m.healthTags,
        allergens: m.allergens,
        priceFen: m.menuPriceFen,
        selfPayFen: Math.max(0, m.menuPriceFen - slot.subsidyFen),
      });
    }
    canteenList.push({
      id: c.id,
      name: c.name,
      address: c.address,
      slots: [...slots.values()].sort((a, b) => a.day.localeCompare(b.day) || PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period]),
    });
  }

  // The elder's deliveries from today on (any canteen, any booker), soonest first.
  const booked = await repo.list(ctx.db, actor, { elderId: elder.id, fromDay: today });
  const bookings = [];
  for (const d of booked.sort(
    (a, b) => meals.asDay(a.day).localeCompare(meals.asDay(b.day)) || PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period],
  )) {
    const periods = periodsOf.has(d.canteen_id)
      ? periodsOf.get(d.canteen_id)
      : await repo.canteenMealPeriods(ctx.db, d.canteen_id);
    const cutoff = deliveryCutoff(periods ?? null, meals.asDay(d.day), d.period);
    const names = new Map(
      (
        await canteens.dishesByIds(
          ctx.db,
          d.canteen_id,
          d.items.map((i) => i.dishId),
        )
      ).map((x) => [x.id, x.name]),
    );
    bookings.push({
      ...presentDelivery(ctx.cipher, d),
      dishNames: d.items.map((i) => `${names.get(i.dishId) ?? ''}${i.qty > 1 ? ` ×${i.qty}` : ''}`),
      cutoffAt: cutoff.toISOString(),
      cancellable: d.status === 'booked' && mayCancelNow(actor, d.canteen_id, cutoff, now),
    });
  }

  await recordAudit(ctx.db, {
    actor,
    action: 'meal.delivery.options',
    targetType: 'elder',
    targetId: elder.id,
    regionCode: elder.region_code,
    detail: { canteens: canteenList.length, bookings: bookings.length },
  });
  return { elderId: elder.id, elderName: elder.name, days, canteens: canteenList, bookings };
}
