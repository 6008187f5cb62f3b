import type { FamilyBedBoard } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDayStart, cstMonth, cstMonthRange } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as ledger from '../wallets/ledger.repo.ts';
import { presentDevice, presentMonth } from './family-beds.present.ts';
import * as repo from './family-beds.repo.ts';
import { monthDays, monthRequirement } from './family-beds.rules.ts';
import { bedFor } from './family-beds.service.ts';

/**
 * The monthly check of family care beds: for an ended month, each bed live that month is checked
 * against its package — verified visits (service loop EVV: confirmed, not flagged or cleared) of
 * the bed's provider, by check-in time — and decided once:
 *   delivered — the month's subsidy (pro-rated by live days) is paid from the policy's fund to the
 *               provider in the ledger and goes into the provider's next settlement;
 *   short     — held: nothing is paid until staff release the hold with a reason.
 * A month is decided once (primary key bed + month): a rerun or a racing run decides nothing again
 * and moves no money; the ledger posting is in the same transaction as the decision.
 */

const prevMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** Pay a month's subsidy: the policy's fund → the provider's receivable, in fen (a capture by the policy). */
async function paySubsidy(tx: Parameters<typeof ledger.post>[0], m: repo.MonthRow, elderId: string, actorId: string | null) {
  if (m.amountFen <= 0) return;
  const fund = await ledger.ensureAccount(tx, 'fund', 'fen', m.policyId);
  const provider = await ledger.ensureAccount(tx, 'provider', 'fen', m.providerId);
  const txId = await ledger.post(tx, {
    kind: 'capture',
    currency: 'fen',
    policyId: m.policyId,
    elderId,
    memo: `family bed ${m.month}`,
    actorId,
    legs: [
      { accountId: fund.id, amount: -m.amountFen },
      { accountId: provider.id, amount: m.amountFen },
    ],
  });
  await repo.setMonthLedger(tx, m.bedId, m.month, txId);
}

export async function runCheck(ctx: AppContext, actor: Actor, month: string, bedId?: string) {
  if (month >= cstMonth())
    throw unprocessable(
      `The month ${month} has not ended; it can be checked from the 1st of the next month.`,
      undefined,
      'period-open',
    );
  if (bedId) await bedFor(ctx, actor, bedId);
  const { first, last } = monthDays(month);
  const beds = (await repo.bedsLiveIn(ctx.db, actor, first, last, bedId)).filter(
    (b) => b.providerId && b.policyId && b.visitsPerWeek && b.monthlyFen,
  );
  const [from, to] = cstMonthRange(month);
  const visits = await repo.verifiedVisits(
    ctx.db,
    beds.map((b) => b.id),
    from,
    to,
  );
  const suspensions = await repo.suspensionsOf(
    ctx.db,
    beds.map((b) => b.id),
  );
  const result = { month, checked: beds.length, delivered: 0, short: 0, unchanged: 0, items: [] as repo.MonthRow[] };
  for (const b of beds) {
    const need = monthRequirement(
      month,
      {
        activatedOn: b.activatedOn,
        endedOn: b.endedOn,
        visitsPerWeek: b.visitsPerWeek as number,
        monthlyFen: b.monthlyFen as number,
      },
      suspensions.filter((p) => p.bedId === b.id),
    );
    const delivered = visits.get(b.id)?.count ?? 0;
    const ok = delivered >= need.required;
    const row = await ctx.db.transaction(async (tx) => {
      const m = await repo.insertMonth(tx, {
        bedId: b.id,
        month,
        regionCode: b.regionCode,
        providerId: b.providerId as string,
        policyId: b.policyId as string,
        required: need.required,
        delivered,
        status: ok ? 'delivered' : 'short',
        holdReason: ok ? null : 'visits_short',
        amountFen: need.amountFen,
        suspendedDays: need.suspendedDays,
        checkedBy: actor.id,
        isDemo: b.isDemo,
      });
      if (!m) return undefined;
      if (ok) await paySubsidy(tx, m, b.elderId, actor.id);
      await recordAudit(tx, {
        actor,
        action: 'family-bed.month.check',
        targetType: 'family_bed',
        targetId: b.id,
        regionCode: b.regionCode,
        detail: {
          month,
          required: need.required,
          delivered,
          suspendedDays: need.suspendedDays,
          status: m.status,
          amountFen: m.amountFen,
        },
      });
      return (await repo.findMonth(tx, b.id, month)) ?? m;
    });
    if (!row) {
      result.unchanged++;
      const existing = await repo.findMonth(ctx.db, b.id, month);
      if (existing) result.items.push(existing);
      continue;
    }
    if (row.status === 'delivered') result.delivered++;
    else result.short++;
    result.items.push(row);
  }
  // A rerun that decided nothing new changed nothing (an idempotent replay): no audit entry is owed.
  if (result.unchanged === result.checked) markUnchanged();
  return { ...result, items: result.items.map(presentMonth) };
}

/** Release a short month's hold with a reason: its subsidy is paid now and settles with the provider. */
export async function releaseHold(ctx: AppContext, actor: Actor, bedId: string, month: string, reason: string) {
  const b = await bedFor(ctx, actor, bedId);
  if (!can(actor, 'family_bed:settle', { regionCode: b.regionCode })) throw notFound('Family bed');
  const found = await repo.findMonth(ctx.db, bedId, month);
  if (!found) throw notFound('Month');
  const row = await ctx.db.transaction(async (tx) => {
    const m = await repo.releaseMonth(tx, bedId, month, actor.id, reason);
    if (!m) throw conflict(`The month is ${found.status}; only a held (short) month is released.`, undefined, 'already-handled');
    await paySubsidy(tx, m, b.elderId, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'family-bed.month.release',
      targetType: 'family_bed',
      targetId: bedId,
      regionCode: b.regionCode,
      detail: { month, reason, amountFen: m.amountFen },
    });
    return (await repo.findMonth(tx, bedId, month)) ?? m;
  });
  return presentMonth(row);
}

/** The bed board: every contracted, live or suspended bed with its devices, last visit, open alarms and delivery. */
export async function board(ctx: AppContext, actor: Actor, regionCode?: string): Promise<FamilyBedBoard> {
  const month = cstMonth();
  const previous = prevMonth(month);
  const beds = await repo.boardBeds(ctx.db, actor, regionCode);
  const ids = beds.map((b) => b.id);
  const { first, last } = monthDays(month);
  const [names, devices, thisMonth, ever, alarms, lastMonths, suspensions] = await Promise.all([
    repo.namesOf(ctx.db, beds),
    repo.devicesOfBeds(ctx.db, ids),
    repo.verifiedVisits(ctx.db, ids, cstDayStart(first), new Date()),
    repo.verifiedVisits(ctx.db, ids, new Date(0), new Date()),
    repo.openAlarms(
      ctx.db,
      beds.map((b) => b.elderId),
    ),
    repo.monthsOf(ctx.db, ids, previous),
    repo.suspensionsOf(ctx.db, ids),
  ]);
  const stats = { beds: beds.length, active: 0, devicesOffline: 0, openAlarms: 0, onTrack: 0, heldLastMonth: 0 };
  const items = beds.map((b) => {
    const ds = devices.filter((d) => d.bed_id === b.id);
    const online = ds.filter((d) => d.online).length;
    const need =
      b.visitsPerWeek && b.monthlyFen
        ? monthRequirement(
            month,
            {
              activatedOn: b.activatedOn,
              endedOn: b.endedOn,
              visitsPerWeek: b.visitsPerWeek,
              monthlyFen: b.monthlyFen,
            },
            suspensions.filter((p) => p.bedId === b.id),
          )
        : { required: 0, suspendedDays: 0 };
    const delivered = thisMonth.get(b.id)?.count ?? 0;
    const lm = lastMonths.find((m) => m.bedId === b.id);
    const open = alarms.get(b.elderId) ?? 0;
    if (b.status === 'active') stats.active++;
    stats.devicesOffline += ds.length - online;
    stats.openAlarms += open;
    // On track: the visits so far keep pace with the month's days gone by.
    const today = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(8, 10));
    const days = Number(last.slice(8, 10));
    if (b.status === 'active' && delivered >= Math.floor((need.required * today) / days)) stats.onTrack++;
    if (lm?.status === 'short') stats.heldLastMonth++;
    const n = names.get(b.id);
    return {
      id: b.id,
      elderId: b.elderId,
      elderName: n?.elder_name ?? '',
      regionName: n?.region_name ?? null,
      status: b.status,
      providerName: n?.provider_name ?? null,
      devices: ds.map(presentDevice),
      devicesOnline: online,
      lastVisitAt: ever.get(b.id)?.last ?? null,
      openAlarms: open,
      deliveredThisMonth: delivered,
      requiredThisMonth: need.required,
      suspendedDaysThisMonth: need.suspendedDays,
      lastMonth: lm ? presentMonth(lm) : null,
    };
  });
  return { month, previousMonth: previous, stats, items };
}
