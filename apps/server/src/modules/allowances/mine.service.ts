import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import * as repo from './allowances.repo.ts';
import { tierFor, upcomingMonth } from './allowances.rules.ts';
import { createApplicationFor, getApplication } from './applications.service.ts';
import { districtOf } from './steps.ts';

/**
 * The phone page's allowance: an elder's own account, or a family member's bound to one elder
 * (users.elder_id). The elder is the account's; no other elder is reachable from here.
 */
async function ownElder(ctx: AppContext, actor: Actor) {
  const elder = isPersonAccount(actor) ? await repo.elderOfPerson(ctx.db, actor) : undefined;
  return elder;
}

export async function getMine(ctx: AppContext, actor: Actor) {
  const elder = await ownElder(ctx, actor);
  if (!elder) return { elder: null, application: null, nextMonthFen: null, ineligibleReason: null };
  const latest = await repo.latestApplicationOf(ctx.db, elder.id);
  const application = latest ? await getApplication(ctx, actor, latest.id) : null;
  const gone = elder.status === 'deceased' || elder.status === 'moved_away';
  const tiers = await repo.tiersOfDistrict(ctx.db, districtOf(elder.regionCode));
  const t = tierFor(tiers, elder, upcomingMonth(tiers, cstMonth()), latest?.residenceSince ?? null);
  return {
    elder: { id: elder.id, name: elder.name },
    application,
    nextMonthFen: !gone && 'tier' in t ? t.tier.monthlyFen : null,
    ineligibleReason: gone ? ('gone' as const) : 'reason' in t ? t.reason : null,
  };
}

/** Apply on the phone page: the same checks as at the desk; the community reviews it first. */
export async function applyMine(
  ctx: AppContext,
  actor: Actor,
  body: { bankName: string; bankAccount: string; accountHolder: string; residenceSince?: string | null },
) {
  const elder = await ownElder(ctx, actor);
  if (!elder) throw notFound('Elder');
  const live = await repo.latestApplicationOf(ctx.db, elder.id);
  if (live && !['rejected', 'stopped'].includes(live.status))
    throw conflict('There is an allowance or an application under way already.', undefined, 'duplicate');
  if (live?.status === 'stopped')
    throw unprocessable('The allowance was stopped; ask the community.', [{ path: 'elder', message: 'stopped' }]);
  return createApplicationFor(ctx, actor, elder, { ...body, source: 'self' });
}
