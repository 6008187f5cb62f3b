import type { FamilyBedCard } from '@zhiyang/shared';
import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDayStart, cstMonth } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { recordReadAudit } from '../audit/audit.service.ts';
import * as repo from './family-beds.repo.ts';
import { monthDays, monthRequirement } from './family-beds.rules.ts';

const prevMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * The family care bed on the elder's and family's phone pages. Scope is the account's own elder
 * (users.elder_id): an elder account sees their bed, a family account their bound elder's; any
 * other account gets a 404. A bed shown is an elder read, audited as the other reads of the elder.
 * Status: 暂停 when suspended; 暂缓结算 (held) when last month's check found the package short and
 * the hold is not released; otherwise 服务中 (live).
 */
export async function card(ctx: AppContext, actor: Actor): Promise<FamilyBedCard> {
  if (!isPersonAccount(actor) || !actor.id) throw notFound('Family bed');
  const elderId = await repo.elderOfPerson(ctx.db, actor.id);
  if (!elderId) return { bed: null };
  const found = await repo.cardBedOf(ctx.db, elderId);
  if (!found) return { bed: null };
  const b = found.bed;
  const month = cstMonth();
  const { first } = monthDays(month);
  const [devices, thisMonth, alarms, lastMonth, suspensions, next] = await Promise.all([
    repo.devicesOfBeds(ctx.db, [b.id]),
    repo.verifiedVisits(ctx.db, [b.id], cstDayStart(first), new Date()),
    repo.openAlarms(ctx.db, [b.elderId]),
    repo.monthsOf(ctx.db, [b.id], prevMonth(month)),
    repo.suspensionsOf(ctx.db, [b.id]),
    repo.nextPackageVisit(ctx.db, b),
  ]);
  const need =
    b.visitsPerWeek && b.monthlyFen
      ? monthRequirement(
          month,
          { activatedOn: b.activatedOn, endedOn: b.endedOn, visitsPerWeek: b.visitsPerWeek, monthlyFen: b.monthlyFen },
          suspensions,
        )
      : { required: 0 };
  const held = lastMonth[0]?.status === 'short';
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: b.elderId,
    regionCode: b.regionCode,
    detail: { part: 'family_bed', bedId: b.id },
  });
  return {
    bed: {
      id: b.id,
      status: b.status === 'suspended' ? 'suspended' : held ? 'held' : 'live',
      statusReason: b.status === 'suspended' ? b.statusReason : held ? (lastMonth[0].holdReason ?? null) : null,
      providerName: found.providerName,
      providerPhone: found.providerPhone,
      month,
      deliveredThisMonth: thisMonth.get(b.id)?.count ?? 0,
      requiredThisMonth: need.required,
      nextVisit: next ? { at: new Date(next.at).toISOString(), itemName: next.item_name } : null,
      devices: devices.map((d) => ({ id: d.id, type: d.type as 'bed', online: d.online })),
      devicesOnline: devices.filter((d) => d.online).length,
      openAlarms: alarms.get(b.elderId) ?? 0,
    },
  };
}
