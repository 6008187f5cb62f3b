import type { MealPeriod } from '@zhiyang/shared';
import type { MealLot } from './meals.repo.ts';

export interface SubsidyPart {
  policyId: string;
  policyName: string;
  amountFen: number;
}

/**
 * What each meal policy pays of one meal: its per-meal amount for the period, no more than what
 * its daily caps (fen, meals) leave today, what is left of its lot this month (the monthly cap),
 * and, together, no more than the meal costs and the wallet holds. Policies apply in the order
 * given (oldest first); their parts add up (a base subsidy plus a category top-up).
 */
export function planSubsidy(p: {
  lots: MealLot[];
  paidToday: Map<string, { fen: number; meals: number }>;
  period: MealPeriod;
  totalFen: number;
  balanceFen: number;
}): SubsidyPart[] {
  let left = Math.max(0, Math.min(p.totalFen, p.balanceFen));
  const parts: SubsidyPart[] = [];
  for (const lot of p.lots) {
    if (left <= 0) break;
    const used = p.paidToday.get(lot.policy_id) ?? { fen: 0, meals: 0 };
    if (lot.daily_meals !== null && used.meals >= lot.daily_meals) continue;
    const dailyLeft = lot.daily_cap_fen === null ? Number.POSITIVE_INFINITY : lot.daily_cap_fen - used.fen;
    const amount = Math.min(lot.per_meal_fen[p.period] ?? 0, dailyLeft, Number(lot.remaining), left);
    if (amount > 0) {
      parts.push({ policyId: lot.policy_id, policyName: lot.name, amountFen: amount });
      left -= amount;
    }
  }
  return parts;
}
