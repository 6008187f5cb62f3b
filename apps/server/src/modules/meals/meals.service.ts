import { createHash } from 'node:crypto';
import type { MealInput, MealPeriod } from '@zhiyang/shared';
import type { Db } from '../../db/client.ts';
import { can } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as lots from '../wallets/lots.repo.ts';
import * as canteens from './canteens.repo.ts';
import { visibleCanteen } from './canteens.service.ts';
import * as repo from './meals.repo.ts';
import { inferPeriod } from './periods.ts';
import { planSubsidy } from './subsidy.ts';

/**
 * Meals (助餐): the checkout at the canteen. The subsidy is paid per meal from the elder's
 * wallet, drawn from the lots of the meal policies (policies with a meal subsidy rule), within
 * each rule's per-meal amount and daily caps and the lot (the monthly cap); the elder pays the
 * rest (cash or mobile pay, recorded only). The kiosk's Idempotency-Key is stored on the meal:
 * a retried or replayed meal answers the first record and is never counted twice.
 */

export async function presentMeals(ctx: AppContext, rows: repo.MealRow[]) {
  const subsidies = await repo.subsidiesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((m) => ({
    id: m.id,
    ticketNo: m.ticketNo,
    canteenId: m.canteenId,
    canteenName: m.canteenName,
    elderId: m.elderId,
    elderName: m.elderName,
    day: m.day,
    period: m.period,
    eatenAt: m.eatenAt.toISOString(),
    items: m.items,
    totalFen: m.totalFen,
    subsidyFen: m.subsidyFen,
    selfPayFen: m.selfPayFen,
    payMethod: m.payMethod,
    subsidies: subsidies
      .filter((s) => s.meal_id === m.id)
      .map((s) => ({ policyId: s.policy_id, policyName: s.name, amountFen: Number(s.amount_fen) })),
    status: m.status,
    refundReason: m.refundReason,
    refundedAt: m.refundedAt?.toISOString() ?? null,
  }));
}

const presentMeal = async (ctx: AppContext, m: repo.MealRow) => (await presentMeals(ctx, [m]))[0];

/** The request as the key remembers it: the same meal sent again hashes the same. */
function requestHash(input: MealInput) {
  const canonical = JSON.stringify({
    elderId: input.elderId,
    period: input.period ?? null,
    eatenAt: input.eatenAt ? new Date(input.eatenAt).toISOString() : null,
    items: input.items.map((i) => [i.dishId, i.qty ?? 1]),
    payMethod: input.payMethod ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

async function replay(ctx: AppContext, prior: repo.MealRow, hash: string) {
  if (prior.requestHash !== hash)
    throw unprocessable(
      'This Idempotency-Key was already used for a different meal; use a new key.',
      undefined,
      'idempotency-key-reused',
    );
  markUnchanged();
  return presentMeal(ctx, prior);
}

/** The canteen, if the actor may serve there (else 404). */
async function servingCanteen(ctx: AppContext, actor: Actor, canteenId: string) {
  const c = await visibleCanteen(ctx, actor, canteenId);
  if (!can(actor, 'meal:serve', { orgId: c.id, regionCode: c.region_code })) throw notFound('Canteen');
  return c;
}

const OFFLINE_DAYS = 35;

/**
 * Check out a meal. `opts.delivery`: a delivery's check-off, already authorised by the delivery
 * (the canteen's staff or the provider's worker it was handed to), settles at its canteen for its
 * elder whoever the deliverer is.
 */
export async function serveMeal(
  ctx: AppContext,
  actor: Actor,
  canteenId: string,
  key: string,
  input: MealInput,
  opts: { delivery?: boolean } = {},
) {
  const c = opts.delivery ? await visibleCanteen(ctx, SYSTEM_ACTOR, canteenId) : await servingCanteen(ctx, actor, canteenId);
  const hash = requestHash(input);
  const prior = await repo.findByKey(ctx.db, c.id, key);
  if (prior) return replay(ctx, prior, hash);

  const elder = await repo.visibleElder(ctx.db, opts.delivery ? SYSTEM_ACTOR : actor, input.elderId);
  if (!elder) throw validationError('body.elderId', 'no such elder within reach of this canteen');
  if (elder.status === 'deceased' || elder.status === 'moved_away')
    throw conflict('The elder is recorded as deceased or moved away.', undefined, 'invalid-state');
  const now = new Date();
  const eatenAt = input.eatenAt ? new Date(input.eatenAt) : now;
  if (eatenAt.getTime() > now.getTime() + 5 * 60_000) throw validationError('body.eatenAt', 'in the future');
  const day = cstDate(eatenAt);
  if (day < addDays(cstDate(now), -OFFLINE_DAYS)) throw validationError('body.eatenAt', `more than ${OFFLINE_DAYS} days ago`);
  const period: MealPeriod = input.period ?? inferPeriod(c.meal_periods ?? [], eatenAt);
  const menu = new Map((await canteens.menuItems(ctx.db, c.id, day, day, period)).map((d) => [d.id, d]));
  const items = input.items.map((i, n) => {
    const d = menu.get(i.dishId);
    if (!d) throw validationError(`body.items.${n}.dishId`, `not on the ${period} menu of ${day}`);
    return { dishId: d.id, name: d.name, priceFen: d.menuPriceFen, qty: i.qty ?? 1 };
  });
  const totalFen = items.reduce((a, i) => a + i.priceFen * i.qty, 0);
  const month = cstMonth(eatenAt);

  return (ctx.db as Db).transaction(async (tx) => {
    if (await ledger.isClosedPeriod(tx, month))
      throw conflict(
        `The ledger for ${month} is closed (its settlement has been approved); a meal cannot be recorded in it.`,
        undefined,
        'closed-period',
      );
    const id = await repo.insertMeal(tx, {
      ticketNo: '',
      canteenId: c.id,
      elderId: elder.id,
      regionCode: elder.region_code,
      day,
      period,
      eatenAt,
      items,
      totalFen,
      subsidyFen: 0,
      selfPayFen: totalFen,
      payMethod: 'none',
      idempotencyKey: key,
      requestHash: hash,
      servedBy: actor.id,
    });
    if (!id) {
      // The same key committed meanwhile (a kiosk's retry racing its first try): answer that meal.
      const raced = await repo.findByKey(tx, c.id, key);
      if (!raced) throw conflict('The meal changed meanwhile; retry.', undefined, 'changed-meanwhile');
      return replay(ctx, raced, hash);
    }
    // The wallet's lock first (a refund takes it first too): caps and lots are read under it.
    const wallet = await ledger.ensureAccount(tx, 'elder', 'fen', elder.id);
    const balance = await ledger.lockBalance(tx, wallet.id);
    const plan = planSubsidy({
      lots: await repo.mealLots(tx, elder.id, month, day, true),
      paidToday: await repo.paidToday(tx, elder.id, day),
      period,
      totalFen,
      balanceFen: wallet.frozen ? 0 : balance,
    });
    const subsidyFen = plan.reduce((a, p) => a + p.amountFen, 0);
    if (subsidyFen > 0) {
      const canteenAccount = await ledger.ensureAccount(tx, 'provider', 'fen', c.id);
      const txId = await ledger.post(tx, {
        kind: 'capture',
        currency: 'fen',
        elderId: elder.id,
        orderId: id,
        memo: `助餐 ${c.name} ${day} ${period}`,
        actorId: actor.id,
        at: eatenAt,
        legs: [
          { accountId: wallet.id, amount: -subsidyFen },
          { accountId: canteenAccount.id, amount: subsidyFen },
        ],
      });
      for (const p of plan)
        await lots.moveLot(tx, {
          policyId: p.policyId,
          elderId: elder.id,
          periodKey: month,
          amount: p.amountFen,
          transactionId: txId,
          orderId: id,
        });
      await repo.insertSubsidies(
        tx,
        plan.map((p) => ({ mealId: id, policyId: p.policyId, elderId: elder.id, day, amountFen: p.amountFen })),
      );
    }
    const selfPayFen = totalFen - subsidyFen;
    const n = await repo.nextTicket(tx, c.id, day);
    await repo.updateMeal(tx, id, {
      ticketNo: `${period[0].toUpperCase()}${String(n).padStart(3, '0')}`,
      subsidyFen,
      selfPayFen,
      payMethod: selfPayFen > 0 ? (input.payMethod ?? 'cash') : 'none',
    });
    await recordAudit(tx, {
      actor,
      action: 'meal.serve',
      targetType: 'meal',
      targetId: id,
      regionCode: elder.region_code,
      detail: { canteenId: c.id, day, period, totalFen, subsidyFen, selfPayFen, offline: input.eatenAt !== undefined },
    });
    await ctx.events.publish(tx, {
      type: 'meal.served',
      data: { id, canteenId: c.id, elderId: elder.id, subsidyFen, at: eatenAt.toISOString() },
      audience: { permission: 'meal:read', regionCode: elder.region_code, orgIds: [c.id] },
    });
    return presentMeal({ ...ctx, db: tx as unknown as Db }, (await repo.findMeal(tx, id)) as repo.MealRow);
  });
}

export async function getMeal(ctx: AppContext, actor: Actor, id: string) {
  const m = await repo.findMeal(ctx.db, id, actor);
  if (!m) throw notFound('Meal');
  return presentMeal(ctx, m);
}

export async function listMeals(
  ctx: AppContext,
  actor: Actor,
  q: { canteenId?: string; elderId?: string; day?: string; status?: string; limit: number; page: number },
) {
  const { items, total } = await repo.listMeals(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return { items: await presentMeals(ctx, items), total };
}

/**
 * Refund a meal on the day it was served (canteen staff, with a reason): the subsidy goes back
 * from the canteen's account to the wallet and into the lots it came from, so the day's and the
 * month's caps are free again. Audited.
 */
export async function refundMeal(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const m = await repo.findMeal(ctx.db, id, actor);
  if (!m || !can(actor, 'meal:refund', { orgId: m.canteenId, regionCode: m.regionCode })) throw notFound('Meal');
  if (m.status === 'refunded') throw conflict('The meal has already been refunded.', undefined, 'already-handled');
  if (m.day !== cstDate()) throw conflict('A meal can be refunded only on the day it was served.', undefined, 'invalid-state');
  return (ctx.db as Db).transaction(async (tx) => {
    if (!(await repo.markRefunded(tx, m.id, actor.id, reason)))
      throw conflict('The meal has already been refunded.', undefined, 'already-handled');
    if (m.subsidyFen > 0) {
      const wallet = await ledger.ensureAccount(tx, 'elder', 'fen', m.elderId);
      await ledger.lockBalance(tx, wallet.id);
      const canteenAccount = await ledger.ensureAccount(tx, 'provider', 'fen', m.canteenId);
      const txId = await ledger.post(tx, {
        kind: 'refund',
        currency: 'fen',
        elderId: m.elderId,
        orderId: m.id,
        memo: `助餐退餐 ${m.canteenName} ${m.day}: ${reason}`,
        actorId: actor.id,
        allowFrozen: true,
        legs: [
          { accountId: canteenAccount.id, amount: -m.subsidyFen },
          { accountId: wallet.id, amount: m.subsidyFen },
        ],
      });
      await lots.restoreLots(tx, { elderId: m.elderId, orderId: m.id, transactionId: txId });
    }
    await recordAudit(tx, {
      actor,
      action: 'meal.refund',
      targetType: 'meal',
      targetId: m.id,
      regionCode: m.regionCode,
      detail: { canteenId: m.canteenId, reason, subsidyFen: m.subsidyFen, selfPayFen: m.selfPayFen },
    });
    await ctx.events.publish(tx, {
      type: 'meal.refunded',
      data: { id: m.id, canteenId: m.canteenId, elderId: m.elderId, subsidyFen: m.subsidyFen, at: new Date().toISOString() },
      audience: { permission: 'meal:read', regionCode: m.regionCode, orgIds: [m.canteenId] },
    });
    return presentMeal({ ...ctx, db: tx as unknown as Db }, (await repo.findMeal(tx, m.id)) as repo.MealRow);
  });
}
