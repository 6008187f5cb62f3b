import { MEAL_PERIOD_LABELS_ZH, type MealPeriod } from '@zhiyang/shared';
import { can, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import { visibleCanteen } from './canteens.service.ts';
import { asDay } from './meals.repo.ts';
import * as repo from './settlement.repo.ts';

/**
 * Monthly canteen settlement (食堂月结), the provider statement's steps for a canteen: the bureau
 * draws up a finished month's statement (subsidised meals, each policy's part, self-paid for
 * information), the canteen confirms, the bureau approves — the subsidy the canteen received
 * moves from its account to the payout account (final) and the month is closed for the ledger,
 * as a provider statement's approval closes it.
 */

export const presentStatement = (s: repo.CanteenSettlementRow) => ({
  id: s.id,
  canteenId: s.canteenId,
  canteenName: s.canteenName,
  period: s.period,
  status: s.status,
  mealCount: s.mealCount,
  subsidyFen: s.subsidyFen,
  selfPayFen: s.selfPayFen,
  refundedCount: s.refundedCount,
  policyParts: s.policyParts,
  confirmedAt: s.confirmedAt?.toISOString() ?? null,
  approvedAt: s.approvedAt?.toISOString() ?? null,
});

const monthEnd = (period: string) =>
  addDays(`${cstMonth(new Date(Date.parse(`${period}-28T00:00:00Z`) + 5 * 86_400_000))}-01`, -1);

export async function list(ctx: AppContext, actor: Actor, f: { period?: string; canteenId?: string }) {
  const rows = await repo.list(ctx.db, actor, f);
  return { items: rows.map(presentStatement), total: rows.length };
}

async function visible(ctx: AppContext, actor: Actor, id: string) {
  const s = await repo.find(ctx.db, actor, id);
  if (!s) throw notFound('Canteen settlement');
  return s;
}

export async function get(ctx: AppContext, actor: Actor, id: string) {
  return presentStatement(await visible(ctx, actor, id));
}

export async function drawUp(ctx: AppContext, actor: Actor, canteenId: string, period: string) {
  if (period >= cstMonth())
    throw unprocessable(
      `The period ${period} is still open; a month can be settled once it has ended.`,
      undefined,
      'period-open',
    );
  const c = await visibleCanteen(ctx, actor, canteenId);
  const from = `${period}-01`;
  const to = monthEnd(period);
  return ctx.db.transaction(async (tx) => {
    // No new meal-subsidy statement for a canteen on the dishonesty list or at credit level D
    // (checked in this transaction, ordered against a listing committing meanwhile).
    await assertCreditAllows(tx, c.id, 'subsidy');
    const existing = await repo.findByPeriod(tx, c.id, period);
    if (existing && existing.status !== 'draft') throw conflict(`The ${period} statement is already ${existing.status}.`);
    const f = await repo.monthFigures(tx, c.id, from, to);
    const s = await repo.upsert(tx, {
      canteenId: c.id,
      period,
      status: 'draft',
      mealCount: f.meals,
      subsidyFen: f.subsidyFen,
      selfPayFen: f.selfPayFen,
      refundedCount: f.refunded,
      policyParts: f.parts,
    });
    await repo.linkMeals(tx, s.id, c.id, from, to);
    await recordAudit(tx, {
      actor,
      action: 'canteen.settlement.draw-up',
      targetType: 'canteen_settlement',
      targetId: s.id,
      regionCode: c.region_code,
      detail: { canteenId: c.id, period, meals: f.meals, subsidyFen: f.subsidyFen },
    });
    return presentStatement({ ...s, canteenName: c.name, regionCode: c.region_code });
  });
}

/** The canteen agrees with its statement (its own staff only). */
export async function confirm(ctx: AppContext, actor: Actor, id: string) {
  const s = await visible(ctx, actor, id);
  if (actor.orgId !== s.canteenId) throw notFound('Canteen settlement');
  return ctx.db.transaction(async (tx) => {
    const row = await repo.move(tx, id, 'draft', { status: 'confirmed', confirmedBy: actor.id, confirmedAt: new Date() });
    if (!row) throw conflict(`The statement is ${s.status}; only a draft can be confirmed.`, undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: 'canteen.settlement.confirm',
      targetType: 'canteen_settlement',
      targetId: id,
      regionCode: s.regionCode,
    });
    return presentStatement({ ...row, canteenName: s.canteenName, regionCode: s.regionCode });
  });
}

/** The bureau approves: the canteen's subsidy is paid out (final) and the month closed for the ledger. */
export async function approve(ctx: AppContext, actor: Actor, id: string) {
  const s = await visible(ctx, actor, id);
  if (!isRegionScoped(actor) || !can(actor, 'settlement:approve', { regionCode: s.regionCode }))
    throw notFound('Canteen settlement');
  return ctx.db.transaction(async (tx) => {
    const row = await repo.move(tx, id, 'confirmed', { status: 'approved', approvedBy: actor.id, approvedAt: new Date() });
    if (!row) throw conflict(`The statement is ${s.status}; the canteen must confirm it first.`, undefined, 'invalid-state');
    if (row.subsidyFen > 0) {
      const from = await ledger.ensureAccount(tx, 'provider', 'fen', s.canteenId);
      const to = await ledger.ensureAccount(tx, 'payout', 'fen', null);
      const txId = await ledger.post(tx, {
        kind: 'settle',
        currency: 'fen',
        memo: `canteen settlement ${s.period}`,
        actorId: actor.id,
        legs: [
          { accountId: from.id, amount: -row.subsidyFen },
          { accountId: to.id, amount: row.subsidyFen },
        ],
      });
      await ledger.markFinal(tx, txId);
    }
    await repo.closeMonth(tx, s.period, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'canteen.settlement.approve',
      targetType: 'canteen_settlement',
      targetId: id,
      regionCode: s.regionCode,
      detail: { period: s.period, meals: row.mealCount, subsidyFen: row.subsidyFen },
    });
    return presentStatement({ ...row, canteenName: s.canteenName, regionCode: s.regionCode });
  });
}

export async function exportXlsx(ctx: AppContext, actor: Actor, id: string) {
  const s = await visible(ctx, actor, id);
  const yuan = (fen: number) => Math.round(fen) / 100;
  const lines = await repo.mealLines(ctx.db, id);
  const summary: Array<Array<string | number>> = [
    ['长寿食堂', s.canteenName],
    ['结算期', s.period],
    ['状态', { draft: '草稿', confirmed: '食堂已确认', approved: '民政局已审批' }[s.status]],
    ['补贴就餐人次', s.mealCount],
    ['补贴合计（元）', yuan(s.subsidyFen)],
    ['老人自付（元，仅供参考）', yuan(s.selfPayFen)],
    ['退餐人次', s.refundedCount],
    ...s.policyParts.map((p) => [`${p.policyName}（元，${p.meals} 人次）`, yuan(p.amountFen)]),
  ];
  return {
    filename: `canteen-settlement-${s.period}-${s.canteenId.slice(0, 8)}.xlsx`,
    buffer: await writeXlsx('汇总', ['项目', '数值'], summary, [
      {
        name: '就餐明细',
        headers: ['取餐号', '日期', '餐次', '老人', '金额（元）', '补贴（元）', '自付（元）'],
        rows: lines.map((l) => [
          l.ticket_no,
          asDay(l.day),
          MEAL_PERIOD_LABELS_ZH[l.period as MealPeriod] ?? l.period,
          l.elder_name,
          yuan(Number(l.total_fen)),
          yuan(Number(l.subsidy_fen)),
          yuan(Number(l.self_pay_fen)),
        ]),
      },
    ]),
  };
}
