import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { describeConditions } from '../policies/policies.conditions.ts';
import { getPolicy, listPolicies } from '../policies/policies.service.ts';
import * as repo from './meals.repo.ts';
import type { PerMealFen } from './meals.schema.ts';

/**
 * Meal subsidy rules (助餐补贴规则) ride on the policy engine: a policy of kind purchase_credit
 * with a monthly period says who (age band, categories, household registration, living
 * situation, ability) and the monthly cap (its amount, granted as a lot into the wallet each
 * month); its rule says what one meal of each period draws from that lot and the daily caps.
 */

type PolicyView = Awaited<ReturnType<typeof getPolicy>>;

const presentRule = (p: PolicyView, r: repo.RuleRow) => ({
  policyId: p.id,
  policyName: p.name,
  policyStatus: p.status,
  monthlyCapFen: p.amount,
  conditionsText: describeConditions(p.conditions),
  perMealFen: r.perMealFen,
  dailyCapFen: r.dailyCapFen,
  dailyMeals: r.dailyMeals,
});

export async function listRules(ctx: AppContext, actor: Actor) {
  const policies = new Map((await listPolicies(ctx, actor)).items.map((p) => [p.id, p]));
  const items = (await repo.listRules(ctx.db))
    .filter((r) => policies.has(r.policyId))
    .map((r) => presentRule(policies.get(r.policyId) as PolicyView, r));
  return { items, total: items.length };
}

export async function setRule(
  ctx: AppContext,
  actor: Actor,
  policyId: string,
  input: { perMealFen: PerMealFen; dailyCapFen?: number | null; dailyMeals?: number | null },
) {
  const p = await getPolicy(ctx, actor, policyId); // 404 outside the actor's region
  if (p.kind !== 'purchase_credit' || p.period !== 'month')
    throw unprocessable('A meal subsidy rides on a monthly purchase-credit policy (fen, period month).');
  const perMealFen = Object.fromEntries(Object.entries(input.perMealFen).filter(([, v]) => v !== undefined)) as PerMealFen;
  if (!Object.values(perMealFen).some((v) => (v ?? 0) > 0))
    throw unprocessable('Give a positive per-meal amount for at least one meal period.');
  return ctx.db.transaction(async (tx) => {
    const r = await repo.upsertRule(tx, {
      policyId,
      perMealFen,
      dailyCapFen: input.dailyCapFen ?? null,
      dailyMeals: input.dailyMeals ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: 'meal.rule.set',
      targetType: 'policy',
      targetId: policyId,
      regionCode: p.regionCode,
      detail: { perMealFen, dailyCapFen: r.dailyCapFen, dailyMeals: r.dailyMeals },
    });
    return presentRule(p, r);
  });
}
