import {
  CREDIT_EVENT_KIND_LABELS_ZH,
  type CreditExplanation,
  type CreditListing,
  type CreditManualKind,
  type CreditOrgSummary,
  type CreditRules,
  INCIDENT_SEVERITY_LABELS_ZH,
  VISIT_FLAG_LABELS_ZH,
  type VisitFlag,
} from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { can, isRegionScoped } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './credit.repo.ts';
import { type CreditEvent, mergeRules, ruleListingReason, scoreCredit } from './credit.rules.ts';

/**
 * Credit 信用 (issue 21): the file of an organisation (events recorded here and events read from
 * the other modules), its score by the rules, the dishonesty list with appeals. docs/credit.md.
 */

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The inspections module's grades 1–5 as shown (GB/T 37276 一级 … 五级). */
export const GRADE_ZH: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

export const loadRules = async (db: DbOrTx) => mergeRules((await repo.storedRules(db))?.rules);

const derivedTitle = (r: repo.DerivedRow): string => {
  switch (r.kind) {
    case 'rating_poor':
      return `工单 ${r.ref} 评价 ${r.extra} 星`;
    case 'complaint':
      return r.ref ? `工单 ${r.ref} 被投诉` : '来电投诉';
    case 'evv_anomaly':
      return `工单 ${r.ref}：${(r.extra ?? '')
        .split(',')
        .map((f) => VISIT_FLAG_LABELS_ZH[f as VisitFlag] ?? f)
        .join('、')}`;
    case 'settlement_hold':
      return `${r.ref} 结算暂扣 ${r.extra} 单`;
    case 'licence_expired':
      return `${r.ref}（${r.extra}）已过期`;
    case 'incident':
      return `${r.ref}（${INCIDENT_SEVERITY_LABELS_ZH[r.extra as keyof typeof INCIDENT_SEVERITY_LABELS_ZH] ?? r.extra}）`;
    case 'inspection_pass':
    case 'inspection_fail':
      return `${r.ref} 检查${r.extra ? `，评定${GRADE_ZH[Number(r.extra)] ?? r.extra}` : ''}${r.kind === 'inspection_fail' ? '，有严重问题' : ''}`;
    case 'rectified':
      return `整改复查通过：${r.ref}`;
    case 'rectification_overdue':
      return `逾期未整改（期限 ${r.extra}）：${r.ref}`;
  }
};

/** Every event of the file within the rules' horizon: the ones recorded here, then the derived ones. */
export async function fileEvents(db: DbOrTx, orgId: string, rules: CreditRules, today: string): Promise<CreditEvent[]> {
  const since = addDays(today, -rules.horizonDays);
  const [manual, derived] = await Promise.all([repo.manualEvents(db, orgId), repo.derivedEvents(db, orgId, since, today)]);
  return [
    ...manual.map((e) => ({
      kind: e.kind,
      occurredOn: e.occurredOn,
      title: e.documentNo ? `${e.title}（${e.documentNo}）` : e.title,
      source: 'credit' as const,
      sourceId: e.id,
    })),
    ...derived.map((r) => ({ kind: r.kind, occurredOn: r.day, title: derivedTitle(r), source: r.source, sourceId: r.source_id })),
  ];
}

/** The organisation's score now, and whether it is blocked (listed or at D), without writing. */
export async function standingNow(db: DbOrTx, orgId: string, today = cstDate()) {
  const rules = await loadRules(db);
  const [events, listing] = await Promise.all([fileEvents(db, orgId, rules, today), repo.listingInForce(db, orgId)]);
  const explanation = scoreCredit(events, rules, today);
  return { explanation, listing, blocked: !!listing || explanation.level === 'D' };
}

/**
 * Rescore one organisation and store its standing; at D for long enough, or with an event of a
 * listing kind, the listing rule puts it on the dishonesty list (audited as the system).
 */
export async function rescoreOrg(db: DbOrTx, orgId: string, rules?: CreditRules, today = cstDate()) {
  await repo.lockOrgForChange(db, orgId);
  const r = rules ?? (await loadRules(db));
  const org = await repo.findOrgById(db, orgId);
  if (!org) return null;
  const explanation = scoreCredit(await fileEvents(db, orgId, r, today), r, today);
  const dSince = explanation.level === 'D' ? (org.level === 'D' && org.d_since ? org.d_since : today) : null;
  let listing = await repo.listingInForce(db, orgId);
  let listedByRule = false;
  if (!listing) {
    const reason = ruleListingReason(
      explanation,
      { dSince, lastRemovedOn: await repo.lastRemovedOn(db, orgId) },
      r,
      today,
      (k) => CREDIT_EVENT_KIND_LABELS_ZH[k],
    );
    if (reason) {
      [listing] = await repo.insertListing(db, { orgId, basis: 'rule', reason, listedOn: today });
      await repo.mirrorProviderFlag(db, orgId, true, reason);
      await recordAudit(db, {
        actor: SYSTEM_ACTOR,
        action: 'credit.listing.rule',
        targetType: 'organization',
        targetId: orgId,
        regionCode: org.region_code,
        detail: { reason, score: explanation.score },
      });
      listedByRule = true;
    }
  }
  const complaintCount = await repo.complaintCount(db, orgId, addDays(today, -365));
  await repo.upsertStanding(db, {
    orgId,
    score: explanation.score,
    level: explanation.level,
    listed: !!listing,
    blocked: !!listing || explanation.level === 'D',
    dSince,
    complaintCount,
  });
  return { explanation, listing, listedByRule, complaintCount };
}

/** The nightly run (and the bureau's 重新计算): every organisation rescored, the listing rule applied. */
export async function rescoreAll(ctx: AppContext) {
  const rules = await loadRules(ctx.db);
  let scored = 0;
  let listed = 0;
  for (const id of await repo.allOrgIds(ctx.db)) {
    const r = await ctx.db.transaction((tx) => rescoreOrg(tx, id, rules));
    if (r) scored++;
    if (r?.listedByRule) listed++;
  }
  return { scored, listed };
}

const presentOrg = (o: repo.OrgRow): CreditOrgSummary => ({
  orgId: o.id,
  name: o.name,
  kind: o.kind,
  regionCode: o.region_code,
  regionName: o.region_name,
  score: Number(o.score ?? 0),
  level: o.level ?? 'D',
  listed: !!o.listed,
  blocked: !!o.blocked,
  complaintCount: Number(o.complaint_count ?? 0),
  computedAt: iso(o.computed_at),
});

type ListingTable = Awaited<ReturnType<typeof repo.listingsOf>>[number];
const presentListing = (l: ListingTable, o: repo.OrgRow): CreditListing => ({
  id: l.id,
  orgId: l.orgId,
  orgName: o.name,
  orgKind: o.kind,
  regionCode: o.region_code,
  basis: l.basis,
  reason: l.reason,
  listedOn: l.listedOn,
  status: l.status,
  removedOn: l.removedOn,
  removalReason: l.removalReason,
  appealStatus: l.appealStatus,
  appealText: l.appealText,
  appealedOn: l.appealedOn,
  appealDecision: l.appealDecision,
  appealDecidedOn: l.appealDecidedOn,
});

const presentListingRow = (l: repo.ListingRow): CreditListing => ({
  id: l.id,
  orgId: l.org_id,
  orgName: l.org_name,
  orgKind: l.org_kind,
  regionCode: l.region_code,
  basis: l.basis,
  reason: l.reason,
  listedOn: l.listed_on,
  status: l.status,
  removedOn: l.removed_on,
  removalReason: l.removal_reason,
  appealStatus: l.appeal_status,
  appealText: l.appeal_text,
  appealedOn: l.appealed_on,
  appealDecision: l.appeal_decision,
  appealDecidedOn: l.appeal_decided_on,
});

/** An organisation in the actor's reach (region subtree, or the actor's own), else 404. */
async function visibleOrg(db: DbOrTx, actor: Actor, id: string) {
  const org = await repo.findOrg(db, actor, id);
  if (!org) throw notFound('Organization');
  return org;
}

export async function listOrganizations(
  ctx: AppContext,
  actor: Actor,
  q: { kind?: repo.OrgRow['kind']; level?: CreditOrgSummary['level']; q?: string; limit: number; page: number },
) {
  // Organisations never scored yet (new since the last night) are scored now, so every row has a level.
  const unscored = await repo.unscoredOrgIds(ctx.db, actor);
  if (unscored.length) {
    const rules = await loadRules(ctx.db);
    for (const id of unscored) await ctx.db.transaction((tx) => rescoreOrg(tx, id, rules));
  }
  const { rows, total } = await repo.listOrgs(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return { items: rows.map(presentOrg), total };
}

async function fileOf(db: DbOrTx, org: repo.OrgRow, explanation: CreditExplanation) {
  const fresh = (await repo.findOrgById(db, org.id)) ?? org;
  const listings = await repo.listingsOf(db, org.id);
  return { organization: presentOrg(fresh), explanation, listings: listings.map((l) => presentListing(l, fresh)) };
}

/** The credit file: the score recomputed now (and stored), explained line by line, with the listings. */
export async function getFile(ctx: AppContext, actor: Actor, id: string) {
  const org = await visibleOrg(ctx.db, actor, id);
  const r = await ctx.db.transaction((tx) => rescoreOrg(tx, id));
  if (!r) throw notFound('Organization');
  return fileOf(ctx.db, org, r.explanation);
}

export async function addEvent(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { kind: CreditManualKind; occurredOn: string; title: string; documentNo?: string; note?: string },
) {
  const org = await visibleOrg(ctx.db, actor, id);
  if (!isRegionScoped(actor)) throw notFound('Organization');
  return ctx.db.transaction(async (tx) => {
    const [e] = await repo.addEvent(tx, {
      orgId: id,
      kind: body.kind,
      occurredOn: body.occurredOn,
      title: body.title,
      documentNo: body.documentNo ?? null,
      note: body.note ?? null,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'credit.event.create',
      targetType: 'organization',
      targetId: id,
      regionCode: org.region_code,
      detail: { eventId: e.id, kind: body.kind, occurredOn: body.occurredOn, documentNo: body.documentNo ?? null },
    });
    const r = await rescoreOrg(tx, id);
    if (!r) throw notFound('Organization');
    return fileOf(tx, org, r.explanation);
  });
}

/** Put an organisation on the dishonesty list by decision. */
export async function list(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const org = await visibleOrg(ctx.db, actor, id);
  if (!isRegionScoped(actor)) throw notFound('Organization');
  return ctx.db.transaction(async (tx) => {
    await repo.lockOrgForChange(tx, id);
    if (await repo.listingInForce(tx, id))
      throw conflict('The organisation is already on the dishonesty list.', undefined, 'already-handled');
    const [l] = await repo.insertListing(tx, { orgId: id, basis: 'decision', reason, listedOn: cstDate(), listedBy: actor.id });
    await repo.mirrorProviderFlag(tx, id, true, reason);
    await recordAudit(tx, {
      actor,
      action: 'credit.listing.create',
      targetType: 'organization',
      targetId: id,
      regionCode: org.region_code,
      detail: { listingId: l.id, reason },
    });
    await rescoreOrg(tx, id);
    return presentListing(l, org);
  });
}

async function inForce(db: DbOrTx, id: string) {
  const l = await repo.listingInForce(db, id);
  if (!l) throw conflict('The organisation is not on the dishonesty list.', undefined, 'invalid-state');
  return l;
}

/** Take an organisation off the list (a D level still blocks until the score recovers). */
export async function removeListing(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const org = await visibleOrg(ctx.db, actor, id);
  if (!isRegionScoped(actor)) throw notFound('Organization');
  return ctx.db.transaction(async (tx) => {
    const l = await inForce(tx, id);
    const [u] = await repo.updateListing(tx, l.id, {
      status: 'removed',
      removedOn: cstDate(),
      removedBy: actor.id,
      removalReason: reason,
    });
    await repo.mirrorProviderFlag(tx, id, false, null);
    await recordAudit(tx, {
      actor,
      action: 'credit.listing.remove',
      targetType: 'organization',
      targetId: id,
      regionCode: org.region_code,
      detail: { listingId: l.id, reason },
    });
    await rescoreOrg(tx, id);
    return presentListing(u, org);
  });
}

/** The organisation's own appeal 申诉 against its listing (the caller's organisation), once per listing. */
export async function appeal(ctx: AppContext, actor: Actor, text: string) {
  const id = actor.orgId;
  if (!id || !can(actor, 'credit:appeal', { orgId: id })) throw notFound('Organization');
  const org = await visibleOrg(ctx.db, actor, id);
  return ctx.db.transaction(async (tx) => {
    const l = await inForce(tx, id);
    if (l.appealStatus !== 'none') throw conflict('This listing has already been appealed.', undefined, 'already-handled');
    const [u] = await repo.updateListing(tx, l.id, {
      appealStatus: 'pending',
      appealText: text,
      appealedOn: cstDate(),
      appealedBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'credit.appeal.create',
      targetType: 'organization',
      targetId: id,
      regionCode: org.region_code,
      detail: { listingId: l.id },
    });
    return presentListing(u, org);
  });
}

/** Decide a pending appeal: upheld ends the listing; rejected keeps it. */
export async function decideAppeal(ctx: AppContext, actor: Actor, id: string, upheld: boolean, decision: string) {
  const org = await visibleOrg(ctx.db, actor, id);
  if (!isRegionScoped(actor)) throw notFound('Organization');
  return ctx.db.transaction(async (tx) => {
    const l = await inForce(tx, id);
    if (l.appealStatus !== 'pending') throw conflict('There is no pending appeal on this listing.', undefined, 'invalid-state');
    const today = cstDate();
    const [u] = await repo.updateListing(tx, l.id, {
      appealStatus: upheld ? 'upheld' : 'rejected',
      appealDecision: decision,
      appealDecidedOn: today,
      appealDecidedBy: actor.id,
      ...(upheld
        ? { status: 'removed' as const, removedOn: today, removedBy: actor.id, removalReason: `申诉成立：${decision}` }
        : {}),
    });
    if (upheld) await repo.mirrorProviderFlag(tx, id, false, null);
    await recordAudit(tx, {
      actor,
      action: 'credit.appeal.decide',
      targetType: 'organization',
      targetId: id,
      regionCode: org.region_code,
      detail: { listingId: l.id, upheld, decision },
    });
    await rescoreOrg(tx, id);
    return presentListing(u, org);
  });
}

export async function listListings(ctx: AppContext, actor: Actor, q: { status: 'listed' | 'all'; limit: number; page: number }) {
  const { rows, total } = await repo.listListings(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return { items: rows.map(presentListingRow), total };
}

export async function getRules(ctx: AppContext) {
  const stored = await repo.storedRules(ctx.db);
  return { rules: mergeRules(stored?.rules), customised: !!stored, updatedAt: iso(stored?.updatedAt ?? null) };
}

/** Set the rules and rescore every organisation with them. */
export async function setRules(ctx: AppContext, actor: Actor, rules: CreditRules) {
  await ctx.db.transaction(async (tx) => {
    await repo.saveRules(tx, rules as unknown as Record<string, unknown>, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'credit.rules.update',
      targetType: 'credit_rules',
      targetId: 'default',
      detail: { ...rules },
    });
  });
  await rescoreAll(ctx);
  return getRules(ctx);
}

/** The bureau's 重新计算: the nightly run now, audited. */
export async function rescoreNow(ctx: AppContext, actor: Actor) {
  const r = await rescoreAll(ctx);
  await recordAudit(ctx.db, { actor, action: 'credit.rescore', targetType: 'credit_rules', targetId: 'default', detail: r });
  return r;
}
