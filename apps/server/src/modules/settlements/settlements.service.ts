import { VISIT_FLAG_LABELS_ZH, type VisitFlag } from '@zhiyang/shared';
import { isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstMonth, cstMonthRange } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import { findOrder } from '../orders/orders.repo.ts';
import { getServiceSettings } from '../orders/service-settings.repo.ts';
import { publishOrder } from '../orders/transition.ts';
import { findVisibleProvider } from '../providers/providers.repo.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import * as repo from './settlements.repo.ts';

export function presentSettlement(r: { s: repo.SettlementRow; providerName: string }) {
  const s = r.s;
  return {
    id: s.id,
    providerId: s.providerId,
    providerName: r.providerName,
    period: s.period,
    status: s.status,
    pointsRateFen: s.pointsRateFen,
    orderCount: s.orderCount,
    pointsTotal: s.pointsTotal,
    pointsFen: s.pointsFen,
    purchaseFen: s.purchaseFen,
    selfPayFen: s.selfPayFen,
    totalFen: s.totalFen,
    heldCount: s.heldCount,
    heldFen: s.heldFen,
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
    approvedAt: s.approvedAt?.toISOString() ?? null,
  };
}

export async function listSettlements(ctx: AppContext, actor: Actor, f: { period?: string; providerId?: string }) {
  const rows = await repo.listSettlements(ctx.db, actor, f);
  return { items: rows.map(presentSettlement), total: rows.length };
}

async function visible(ctx: AppContext, actor: Actor, id: string) {
  const r = await repo.findVisible(ctx.db, actor, id);
  if (!r) throw notFound('Settlement');
  return r;
}

export async function getSettlement(ctx: AppContext, actor: Actor, id: string) {
  const r = await visible(ctx, actor, id);
  const lines = await repo.lines(ctx.db, id);
  const beds = await repo.bedLines(ctx.db, id);
  return {
    ...presentSettlement(r),
    bedLines: beds.map((b) => ({ bedId: b.bed_id, month: b.month, elderName: b.elder_name, amountFen: Number(b.amount_fen) })),
    lines: lines.map((l) => ({
      orderId: l.l.orderId,
      orderNo: l.no,
      elderName: l.elderName,
      itemName: l.itemName,
      scheduledAt: l.scheduledAt.toISOString(),
      confirmedAt: l.confirmedAt?.toISOString() ?? null,
      payment: l.l.payment,
      points: l.l.points,
      amountFen: l.l.amountFen,
      held: l.l.held,
      flags: l.l.flags,
    })),
  };
}

/**
 * Draw up (or redraw, while still a draft) the statement of a provider for a finished month:
 * every confirmed, unsettled order confirmed before the month's end; points at the configured
 * rate; government-purchased amounts; self-paid amounts for information; visits with
 * anomalies not yet cleared held apart. A month that has not ended cannot be settled.
 */
export async function drawUp(ctx: AppContext, actor: Actor, providerId: string, period: string) {
  if (period >= cstMonth())
    throw unprocessable(
      `The period ${period} is still open; a month can be settled once it has ended.`,
      undefined,
      'period-open',
    );
  const provider = await findVisibleProvider(ctx.db, actor, providerId);
  if (!provider) throw notFound('Provider');
  const rate = (await getServiceSettings(ctx.db)).pointsRateFen;
  const [, end] = cstMonthRange(period);
  return ctx.db.transaction(async (tx) => {
    // No new subsidy statement for a provider on the dishonesty list or at credit level D (checked
    // in this transaction, ordered against a listing committing meanwhile).
    await assertCreditAllows(tx, providerId, 'subsidy');
    const existing = await repo.findByPeriod(tx, providerId, period);
    if (existing && existing.status !== 'draft') throw conflict(`The ${period} statement is already ${existing.status}.`);
    const orders = await repo.settleableOrders(tx, providerId, end);
    const totals = { orderCount: 0, pointsTotal: 0, pointsFen: 0, purchaseFen: 0, selfPayFen: 0, heldCount: 0, heldFen: 0 };
    const lines = orders.map((o) => {
      const held = o.flags.length > 0 && o.reviewStatus !== 'cleared';
      const amountFen = o.payment === 'points' ? o.points * rate : o.amountFen;
      if (held) {
        totals.heldCount++;
        totals.heldFen += amountFen;
      } else {
        totals.orderCount++;
        if (o.payment === 'points') {
          totals.pointsTotal += o.points;
          totals.pointsFen += amountFen;
        } else if (o.payment === 'purchase') totals.purchaseFen += amountFen;
        else totals.selfPayFen += amountFen;
      }
      return { orderId: o.id, held, points: o.points, amountFen, payment: o.payment, flags: o.flags };
    });
    // Family care beds: each month checked as delivered (or released) is paid by its policy like a
    // purchased service; it was posted fund → provider at the check, and is paid out on approval.
    const bedMonths = await repo.settleableBedMonths(tx, providerId, period);
    for (const m of bedMonths) totals.purchaseFen += m.amountFen;
    const s = await repo.upsertSettlement(tx, {
      providerId,
      period,
      status: 'draft',
      pointsRateFen: rate,
      ...totals,
      totalFen: totals.pointsFen + totals.purchaseFen,
    });
    await repo.replaceBedLines(
      tx,
      s.id,
      bedMonths.map((m) => ({ settlementId: s.id, bedId: m.bedId, month: m.month, amountFen: m.amountFen })),
    );
    await repo.replaceLines(
      tx,
      s.id,
      lines.map((l) => ({ ...l, settlementId: s.id })),
    );
    await recordAudit(tx, {
      actor,
      action: 'settlement.draw-up',
      targetType: 'settlement',
      targetId: s.id,
      regionCode: provider.org.regionCode,
      detail: { period, orders: totals.orderCount, held: totals.heldCount, beds: bedMonths.length, totalFen: s.totalFen },
    });
    return presentSettlement({ s, providerName: provider.org.name });
  });
}

/** The provider agrees with its statement. */
export async function confirm(ctx: AppContext, actor: Actor, id: string) {
  const r = await visible(ctx, actor, id);
  if (actor.orgId !== r.s.providerId) throw notFound('Settlement');
  return ctx.db.transaction(async (tx) => {
    const s = await repo.update(tx, id, 'draft', { status: 'confirmed', confirmedBy: actor.id, confirmedAt: new Date() });
    if (!s) throw conflict(`The statement is ${r.s.status}; only a draft can be confirmed.`);
    await recordAudit(tx, { actor, action: 'settlement.confirm', targetType: 'settlement', targetId: id });
    return presentSettlement({ s, providerName: r.providerName });
  });
}

/**
 * The bureau approves: the included orders become settled, their ledger transactions final,
 * and the provider's receivable moves to the bureau's payout account. The period is closed
 * for this provider: the statement can no longer change.
 */
export async function approve(ctx: AppContext, actor: Actor, id: string) {
  const r = await visible(ctx, actor, id);
  if (!isRegionScoped(actor)) throw notFound('Settlement');
  return ctx.db.transaction(async (tx) => {
    const s = await repo.update(tx, id, 'confirmed', { status: 'approved', approvedBy: actor.id, approvedAt: new Date() });
    if (!s) throw conflict(`The statement is ${r.s.status}; the provider must confirm it first.`);
    const lines = (await repo.lines(tx, id)).filter((l) => !l.l.held);
    const ids = lines.map((l) => l.l.orderId);
    await repo.settleOrders(tx, id, ids);
    // Each bed month is paid by one statement only: one settled meanwhile by another makes this one stale.
    const beds = await repo.settleBedMonths(tx, id);
    if (beds.settled !== beds.lines)
      throw conflict(
        'A family bed month of this statement was settled meanwhile; draw the statement up again.',
        undefined,
        'changed-meanwhile',
      );
    const settle = async (currency: 'points' | 'fen', amount: number) => {
      if (amount <= 0) return;
      const from = await ledger.ensureAccount(tx, 'provider', currency, s.providerId);
      const to = await ledger.ensureAccount(tx, 'payout', currency, null);
      const txId = await ledger.post(tx, {
        kind: 'settle',
        currency,
        memo: `settlement ${s.period}`,
        actorId: actor.id,
        legs: [
          { accountId: from.id, amount: -amount },
          { accountId: to.id, amount },
        ],
      });
      await ledger.markFinal(tx, txId);
    };
    await settle('points', s.pointsTotal);
    await settle('fen', s.purchaseFen);
    // The month is closed for the ledger: its entries are final, nothing is posted into it again.
    await ledger.closePeriod(tx, s.period, s.id, actor.id);
    // Each settled order tells its audience (the board shows it move to settled).
    for (const l of lines.slice(0, 500)) {
      const o = await findOrder(tx, l.l.orderId);
      if (o) await publishOrder(ctx, tx, o, 'settle', 'confirmed');
    }
    await recordAudit(tx, {
      actor,
      action: 'settlement.approve',
      targetType: 'settlement',
      targetId: id,
      detail: { period: s.period, orders: ids.length, totalFen: s.totalFen },
    });
    return presentSettlement({ s, providerName: r.providerName });
  });
}

export async function exportXlsx(ctx: AppContext, actor: Actor, id: string) {
  const d = await getSettlement(ctx, actor, id);
  const yuan = (fen: number) => Math.round(fen) / 100;
  const flagText = (f: string[]) => f.map((x) => VISIT_FLAG_LABELS_ZH[x as VisitFlag] ?? x).join('；');
  const row = (l: (typeof d.lines)[number]) => [
    l.orderNo,
    l.elderName,
    l.itemName,
    l.scheduledAt.slice(0, 16).replace('T', ' '),
    { points: '积分', purchase: '政府购买', self: '自费', package: '床位服务包' }[l.payment as 'points'] ?? l.payment,
    l.points,
    yuan(l.amountFen),
    flagText(l.flags),
  ];
  const headers = ['工单号', '老人', '服务项目', '预约时间', '支付方式', '积分', '金额（元）', '异常'];
  const summary = [
    ['服务商', d.providerName],
    ['结算期', d.period],
    ['状态', { draft: '草稿', confirmed: '服务商已确认', approved: '民政局已审批' }[d.status]],
    ['结算工单数', d.orderCount],
    ['积分合计', d.pointsTotal],
    [`积分折算（元，每分 ${yuan(d.pointsRateFen)} 元）`, yuan(d.pointsFen)],
    ['政府购买服务（元）', yuan(d.purchaseFen)],
    ['应付合计（元）', yuan(d.totalFen)],
    ['自费（元，仅供参考）', yuan(d.selfPayFen)],
    ['暂缓结算工单数（异常待审核）', d.heldCount],
    ['暂缓金额（元）', yuan(d.heldFen)],
  ] as Array<Array<string | number>>;
  return {
    filename: `settlement-${d.period}-${d.providerId.slice(0, 8)}.xlsx`,
    buffer: await writeXlsx('汇总', ['项目', '数值'], summary, [
      { name: '结算明细', headers, rows: d.lines.filter((l) => !l.held).map(row) },
      { name: '暂缓结算（异常）', headers, rows: d.lines.filter((l) => l.held).map(row) },
    ]),
  };
}
