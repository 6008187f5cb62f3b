import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addMonths, cstDate, cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentTier } from './allowances.present.ts';
import * as repo from './allowances.repo.ts';
import { lastDayOf, tierInForce } from './allowances.rules.ts';
import { recordProposal } from './applications.service.ts';
import { activateDueNotices } from './status.service.ts';
import { ALLOWANCE_SYSTEM } from './steps.ts';
import { stopGoneRecipients } from './sweep.service.ts';

/** Tiers and settings are the district's data: changed by whoever reaches the whole district. */
function checkDistrict(actor: Actor, district: string) {
  if (!can(actor, 'allowance:manage', { regionCode: district })) throw notFound('District');
}

export async function listTiers(ctx: AppContext, actor: Actor, q: { regionCode?: string; year?: number }) {
  const rows = await repo.listTiers(ctx.db, actor, q);
  return { items: rows.map(presentTier), total: rows.length };
}

export async function createTier(
  ctx: AppContext,
  actor: Actor,
  b: {
    regionCode: string;
    year: number;
    minAge: number;
    maxAge?: number | null;
    monthlyFen: number;
    localHukouOnly?: boolean;
    minResidenceYears?: number;
    excludedCategories?: string[];
    effectiveFrom: string;
    effectiveTo?: string | null;
  },
) {
  checkDistrict(actor, b.regionCode);
  const maxAge = b.maxAge ?? null;
  if (maxAge !== null && maxAge < b.minAge) throw validationError('body.maxAge', 'must be at least minAge');
  if (b.effectiveTo && b.effectiveTo < b.effectiveFrom)
    throw validationError('body.effectiveTo', 'must not be before effectiveFrom');
  if (b.effectiveFrom.slice(0, 4) > String(b.year) || (b.effectiveTo && b.effectiveTo.slice(0, 4) < String(b.year)))
    throw validationError('body.effectiveFrom', 'the effective dates must reach into the tier’s year');
  if (await repo.overlappingTier(ctx.db, { ...b, maxAge }))
    throw conflict('A tier of this district and year already covers part of this age band.', undefined, 'duplicate');
  return ctx.db.transaction(async (tx) => {
    const t = await repo.insertTier(tx, {
      regionCode: b.regionCode,
      year: b.year,
      minAge: b.minAge,
      maxAge,
      monthlyFen: b.monthlyFen,
      localHukouOnly: b.localHukouOnly ?? true,
      minResidenceYears: b.minResidenceYears ?? 0,
      excludedCategories: b.excludedCategories ?? [],
      effectiveFrom: b.effectiveFrom,
      effectiveTo: b.effectiveTo ?? null,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'allowance.tier.create',
      targetType: 'allowance_tier',
      targetId: t.id,
      regionCode: t.regionCode,
      detail: { ...presentTier(t), id: undefined },
    });
    return presentTier(t);
  });
}

export async function getSettings(ctx: AppContext, actor: Actor, district: string) {
  const r = actor.regionCode;
  if (r !== null && !r.startsWith(district) && !district.startsWith(r)) throw notFound('District');
  const s = await repo.getSettings(ctx.db, district);
  return {
    regionCode: district,
    noticeDays: s.noticeDays,
    verificationPeriod: s.verificationPeriod,
    missedPeriodsSuspend: s.missedPeriodsSuspend,
  };
}

export async function putSettings(
  ctx: AppContext,
  actor: Actor,
  b: { regionCode: string; noticeDays: number; verificationPeriod: 'month' | 'quarter'; missedPeriodsSuspend: number },
) {
  checkDistrict(actor, b.regionCode);
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getSettings(tx, b.regionCode);
    await repo.putSettings(tx, { ...b, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'allowance.settings.update',
      targetType: 'allowance_settings',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: {
        from: {
          noticeDays: before.noticeDays,
          verificationPeriod: before.verificationPeriod,
          missedPeriodsSuspend: before.missedPeriodsSuspend,
        },
        to: { noticeDays: b.noticeDays, verificationPeriod: b.verificationPeriod, missedPeriodsSuspend: b.missedPeriodsSuspend },
      },
    });
    return { ...b };
  });
}

/**
 * The monthly scan: in every district with tiers, active elders who reached the lowest tier's age
 * by the end of last month and never had an application are proposed for the community to confirm.
 * Also ends due 公示 and applies deaths and moves. Idempotent: an elder is proposed once.
 */
export async function scanEligible(ctx: AppContext, now = new Date()) {
  const month = cstMonth(now);
  const lastDayBefore = lastDayOf(addMonths(month, -1));
  let proposed = 0;
  for (const district of await repo.districtsWithTiers(ctx.db)) {
    const tiers = (await repo.tiersOfDistrict(ctx.db, district)).filter((t) => tierInForce(t, month));
    if (!tiers.length) continue;
    const minAge = Math.min(...tiers.map((t) => t.minAge));
    const elders = await repo.newlyEligible(ctx.db, district, lastDayBefore, minAge);
    for (let i = 0; i < elders.length; i += 200) {
      await ctx.db.transaction(async (tx) => {
        for (const e of elders.slice(i, i + 200)) if (await recordProposal(ctx, tx, e.id, e.region_code)) proposed++;
      });
    }
  }
  return { month, proposed };
}

/** Daily upkeep: 公示 that ended become active; deaths and moves in the archive apply. */
export async function dailyUpkeep(ctx: AppContext) {
  let activated = 0;
  let gone = 0;
  for (const district of await repo.districtsWithTiers(ctx.db)) {
    await ctx.db.transaction(async (tx) => {
      activated += await activateDueNotices(ctx, tx, district, cstDate());
      gone += await stopGoneRecipients(ctx, tx, district);
    });
  }
  return { activated, gone, actor: ALLOWANCE_SYSTEM.username };
}
