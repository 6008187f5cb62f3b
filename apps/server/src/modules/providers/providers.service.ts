import { creditCodeProblem } from '@zhiyang/shared';
import { actorCoversRegion, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, isUniqueViolation, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findItemsByIds } from '../catalogue/catalogue.repo.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import * as credit from '../credit/credit.service.ts';
import { insertOrg } from '../organizations/organizations.repo.ts';
import { findRegion } from '../regions/regions.repo.ts';
import * as repo from './providers.repo.ts';

/** A licence is flagged this many days before it expires. */
export const LICENCE_WARNING_DAYS = 30;

export function presentProvider(row: { org: repo.OrgRow; profile: repo.ProfileRow }) {
  const p = row.profile;
  return {
    id: row.org.id,
    name: row.org.name,
    regionCode: row.org.regionCode,
    contactName: row.org.contactName,
    contactPhone: row.org.contactPhone,
    address: row.org.address,
    creditCode: p.creditCode,
    legalPerson: p.legalPerson,
    approvalStatus: p.approvalStatus,
    statusReason: p.statusReason,
    dishonest: p.dishonest,
    dishonestReason: p.dishonestReason,
    dailyCapacity: p.dailyCapacity,
    slotMinutes: p.slotMinutes,
    slotCapacity: p.slotCapacity,
    rating: p.ratingCount ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null,
    ratingCount: p.ratingCount,
    approvedAt: p.approvedAt?.toISOString() ?? null,
  };
}

function licenceState(validUntil: string, today = cstDate()) {
  if (validUntil < today) return 'expired' as const;
  if (validUntil <= addDays(today, LICENCE_WARNING_DAYS)) return 'expiring' as const;
  return 'valid' as const;
}

export function presentStaff(s: repo.StaffRow & { username?: string }, today = cstDate()) {
  const expired = [s.careCertValidUntil, s.healthCertValidUntil].some((d) => !d || d < today);
  return {
    userId: s.userId,
    providerId: s.orgId,
    name: s.name,
    username: s.username ?? null,
    careLevel: s.careLevel,
    careCertNo: s.careCertNo,
    careCertValidUntil: s.careCertValidUntil,
    healthCertValidUntil: s.healthCertValidUntil,
    active: s.active,
    /** A missing or expired certificate blocks assignment. */
    assignable: s.active && !expired,
  };
}

/**
 * Who may change a provider: its own provider admin, or region staff whose subtree holds it.
 * Others get a 404 (the provider is not in their scope).
 */
async function writable(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findVisibleProvider(ctx.db, actor, id);
  if (!row) throw notFound('Provider');
  if (!isRegionScoped(actor) && actor.orgId !== id) throw notFound('Provider');
  return row;
}

export async function listProviders(ctx: AppContext, actor: Actor, f: repo.ProviderFilter, limit: number, page: number) {
  const { items, total } = await repo.listProviders(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: items.map(presentProvider), total };
}

export async function getProvider(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findVisibleProvider(ctx.db, actor, id);
  if (!row) throw notFound('Provider');
  const d = await repo.details(ctx.db, id);
  const today = cstDate();
  return {
    ...presentProvider(row),
    areas: d.areas,
    sites: d.sites.map(presentSite),
    licences: d.licences.map((l) => presentLicence(l, today)),
    offerings: d.offerings.map((o) => ({ itemId: o.itemId, priceFen: o.priceFen })),
    staffCount: d.staffCount,
  };
}

export const presentSite = (s: repo.SiteRow) => ({
  id: s.id,
  name: s.name,
  regionCode: s.regionCode,
  address: s.address,
  lat: s.lat,
  lng: s.lng,
});
export const presentLicence = (l: repo.LicenceRow, today = cstDate()) => ({
  id: l.id,
  kind: l.kind,
  number: l.number,
  validUntil: l.validUntil,
  state: licenceState(l.validUntil, today),
});

export interface ProviderInput {
  name: string;
  regionCode: string;
  creditCode: string;
  legalPerson?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  dailyCapacity?: number;
}

/** Register a provider (the bureau's onboarding desk): an organisation plus its profile, pending approval. */
export async function createProvider(ctx: AppContext, actor: Actor, input: ProviderInput) {
  const problem = creditCodeProblem(input.creditCode);
  if (problem) throw validationError('body.creditCode', problem);
  if (!actorCoversRegion(actor, input.regionCode) || !(await findRegion(ctx.db, input.regionCode))) {
    throw validationError('body.regionCode', 'unknown region or outside your scope');
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const org = await insertOrg(tx, {
        type: 'provider',
        name: input.name,
        regionCode: input.regionCode,
        contactName: input.contactName ?? null,
        contactPhone: input.contactPhone ?? null,
        address: input.address ?? null,
      });
      const profile = await repo.insertProfile(tx, {
        orgId: org.id,
        creditCode: input.creditCode,
        legalPerson: input.legalPerson ?? null,
        dailyCapacity: input.dailyCapacity ?? 40,
      });
      await recordAudit(tx, {
        actor,
        action: 'provider.create',
        targetType: 'organization',
        targetId: org.id,
        regionCode: org.regionCode,
        detail: { name: org.name, creditCode: input.creditCode },
      });
      return presentProvider({ org, profile });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('A provider with this credit code is already registered.', undefined, 'duplicate');
    throw err;
  }
}

export type ProviderPatch = Partial<Pick<ProviderInput, 'legalPerson' | 'dailyCapacity'>> & {
  slotMinutes?: number;
  slotCapacity?: number | null;
};

export async function updateProvider(ctx: AppContext, actor: Actor, id: string, patch: ProviderPatch) {
  const row = await writable(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const profile = await repo.updateProfile(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'provider.update',
      targetType: 'organization',
      targetId: id,
      regionCode: row.org.regionCode,
      detail: { changed: Object.keys(patch) },
    });
    return presentProvider({ org: row.org, profile });
  });
}

type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';
const DECISIONS: Record<Decision, { from: repo.ProfileRow['approvalStatus'][]; to: repo.ProfileRow['approvalStatus'] }> = {
  approve: { from: ['pending', 'rejected'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['approved'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'approved' },
};

/** The bureau's decisions on a provider: approve onboarding, reject, suspend, reinstate. */
export async function decide(ctx: AppContext, actor: Actor, id: string, decision: Decision, reason: string | null) {
  const row = await repo.findVisibleProvider(ctx.db, actor, id);
  if (!row || !isRegionScoped(actor)) throw notFound('Provider');
  const rule = DECISIONS[decision];
  if (!rule.from.includes(row.profile.approvalStatus)) {
    throw conflict(`A provider that is ${row.profile.approvalStatus} cannot be ${decision}d.`);
  }
  return ctx.db.transaction(async (tx) => {
    // Approval (or reinstatement) admits the provider to the government-purchased services: a new
    // purchase agreement, refused while it is on the dishonesty list or at credit level D (checked
    // in this transaction, ordered against a listing committing meanwhile).
    if (decision === 'approve' || decision === 'reinstate') await assertCreditAllows(tx, id, 'purchase');
    if (decision === 'approve') {
      const d = await repo.details(tx, id);
      if (d.licences.every((l) => licenceState(l.validUntil) === 'expired')) {
        throw conflict('Add a valid business licence before approving this provider.');
      }
    }
    const profile = await repo.updateProfile(tx, id, {
      approvalStatus: rule.to,
      statusReason: reason,
      ...(decision === 'approve' ? { approvedAt: new Date() } : {}),
    });
    await recordAudit(tx, {
      actor,
      action: `provider.${decision}`,
      targetType: 'organization',
      targetId: id,
      regionCode: row.org.regionCode,
      detail: { reason },
    });
    return presentProvider({ org: row.org, profile });
  });
}

/**
 * Put a provider on, or take it off, the dishonesty list (失信名单) from the provider's page: the
 * credit module's listing by decision (one list, with its audit, appeal and score), of which the
 * provider's own flag is the mirror. Listing needs a reason; asking for the state it is already in
 * changes nothing.
 */
export async function setDishonest(ctx: AppContext, actor: Actor, id: string, dishonest: boolean, reason: string | null) {
  const row = await repo.findVisibleProvider(ctx.db, actor, id);
  if (!row || !isRegionScoped(actor)) throw notFound('Provider');
  const inForce = (await credit.standingNow(ctx.db, id)).listing;
  if (dishonest && !inForce) {
    if (!reason) throw validationError('body.reason', 'a reason is required to put a provider on the dishonesty list');
    await credit.list(ctx, actor, id, reason);
  } else if (!dishonest && inForce) await credit.removeListing(ctx, actor, id, reason || '撤销失信名单');
  else markUnchanged();
  const again = await repo.findVisibleProvider(ctx.db, actor, id);
  if (!again) throw notFound('Provider');
  return presentProvider(again);
}

export async function setAreas(ctx: AppContext, actor: Actor, id: string, codes: string[]) {
  const row = await writable(ctx, actor, id);
  const unique = [...new Set(codes)];
  const known = new Set(await repo.regionsExist(ctx.db, unique));
  const unknown = unique.filter((c) => !known.has(c));
  if (unknown.length) throw validationError('body.regionCodes', `not communities: ${unknown.join(', ')}`);
  await ctx.db.transaction(async (tx) => {
    await repo.replaceAreas(tx, id, unique);
    await recordAudit(tx, {
      actor,
      action: 'provider.areas',
      targetType: 'organization',
      targetId: id,
      regionCode: row.org.regionCode,
      detail: { count: unique.length },
    });
  });
  return { areas: unique.sort() };
}

export interface SiteInput {
  name: string;
  regionCode: string;
  address?: string | null;
  lat: number;
  lng: number;
}

export async function addSite(ctx: AppContext, actor: Actor, id: string, input: SiteInput) {
  const row = await writable(ctx, actor, id);
  if (!(await findRegion(ctx.db, input.regionCode))) throw validationError('body.regionCode', 'unknown region');
  return ctx.db.transaction(async (tx) => {
    const site = await repo.insertSite(tx, { orgId: id, ...input, address: input.address ?? null });
    await recordAudit(tx, {
      actor,
      action: 'provider.site-add',
      targetType: 'provider_site',
      targetId: site.id,
      regionCode: row.org.regionCode,
      detail: { name: site.name },
    });
    return presentSite(site);
  });
}

export async function addLicence(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { kind: string; number: string; validUntil: string },
) {
  const row = await writable(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const l = await repo.insertLicence(tx, { orgId: id, ...input });
    await recordAudit(tx, {
      actor,
      action: 'provider.licence-add',
      targetType: 'provider_licence',
      targetId: l.id,
      regionCode: row.org.regionCode,
      detail: { kind: l.kind, validUntil: l.validUntil },
    });
    return presentLicence(l);
  });
}

/** Licences expired or expiring within LICENCE_WARNING_DAYS, across the providers the caller sees. */
export async function licenceWarnings(ctx: AppContext, actor: Actor) {
  const today = cstDate();
  const rows = await repo.expiringLicences(ctx.db, actor, addDays(today, LICENCE_WARNING_DAYS));
  return {
    items: rows.map((r) => ({ ...presentLicence(r.licence, today), providerId: r.licence.orgId, providerName: r.providerName })),
    total: rows.length,
  };
}

export async function setOfferings(
  ctx: AppContext,
  actor: Actor,
  id: string,
  items: Array<{ itemId: string; priceFen: number }>,
) {
  const row = await writable(ctx, actor, id);
  const ids = [...new Set(items.map((i) => i.itemId))];
  if (ids.length !== items.length) throw validationError('body.items', 'an item is listed twice');
  const catalogue = new Map((await findItemsByIds(ctx.db, ids)).map((i) => [i.id, i]));
  items.forEach((o, n) => {
    const item = catalogue.get(o.itemId);
    if (!item?.active) throw validationError(`body.items.${n}.itemId`, 'unknown service item');
    if (o.priceFen > item.ceilingPriceFen) {
      throw validationError(
        `body.items.${n}.priceFen`,
        `above the bureau's ceiling of ${item.ceilingPriceFen} fen for ${item.name}`,
      );
    }
  });
  await ctx.db.transaction(async (tx) => {
    await repo.replaceOfferings(tx, id, items);
    await recordAudit(tx, {
      actor,
      action: 'provider.offerings',
      targetType: 'organization',
      targetId: id,
      regionCode: row.org.regionCode,
      detail: { count: items.length },
    });
  });
  return { items };
}

export { writable as assertProviderWritable };
