import type { LtcClaim, LtcEnrolment, LtcPolicy, ltcPolicyInput } from '@zhiyang/shared';
import type { z } from 'zod';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstMonth, cstMonthRange } from '../../lib/dates.ts';
import { conflict, isUniqueViolation, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import { claimOrderFunding, requireOrderFunding } from '../wallets/funding.repo.ts';
import * as repo from './ltc.repo.ts';

/**
 * 长护险 (long-term-care insurance) as data: a policy names the ability levels it covers (from
 * the latest signed GB/T 42195 assessment), the care package (catalogue items, monthly hours, a
 * monthly cap) and the share it pays. Eligible elders are enrolled; their orders for the
 * package's items are paid by the policy — never also by a district subsidy (order_fundings) —
 * and claimed monthly per provider, only visits the service loop's EVV verified.
 */

const presentPolicy = (p: repo.PolicyRow): LtcPolicy => ({
  id: p.id,
  regionCode: p.region_code,
  name: p.name,
  eligibleLevels: p.eligible_levels as LtcPolicy['eligibleLevels'],
  items: p.items,
  monthlyHours: p.monthly_hours,
  monthlyCapFen: p.monthly_cap_fen,
  payPercent: p.pay_percent,
  validFrom: p.valid_from,
  validTo: p.valid_to,
  status: p.status,
  enrolled: p.enrolled,
});

const presentEnrolment = (e: repo.EnrolmentRow): LtcEnrolment => ({
  id: e.id,
  policyId: e.policy_id,
  elderId: e.elder_id,
  elderName: e.elder_name,
  regionCode: e.region_code,
  abilityLevel: e.ability_level as LtcEnrolment['abilityLevel'],
  status: e.status,
  enrolledAt: new Date(e.enrolled_at).toISOString(),
});

export const presentClaim = (c: repo.ClaimRow): LtcClaim => ({
  id: c.id,
  policyId: c.policy_id,
  policyName: c.policy_name,
  providerId: c.provider_id,
  providerName: c.provider_name,
  month: c.month,
  lines: c.lines,
  amountFen: Number(c.amount_fen),
  claimFen: Number(c.claim_fen),
  excluded: c.excluded as LtcClaim['excluded'],
  createdAt: new Date(c.created_at).toISOString(),
});

export async function listPolicies(ctx: AppContext, actor: Actor) {
  return { items: (await repo.listPolicies(ctx.db, actor)).map(presentPolicy) };
}

async function policyInReach(ctx: AppContext, actor: Actor, id: string) {
  const p = await repo.findPolicy(ctx.db, actor, id);
  if (!p) throw notFound('长护险 policy');
  return p;
}

export async function createPolicy(ctx: AppContext, actor: Actor, input: z.output<typeof ltcPolicyInput>) {
  if (!can(actor, 'ltc:manage', { regionCode: input.regionCode }))
    throw validationError('body.regionCode', 'outside your region');
  if (input.validTo && input.validTo < input.validFrom) throw validationError('body.validTo', 'must not be before validFrom');
  const itemIds = [...new Set(input.itemIds)];
  const [{ n }] = await repo.countItems(ctx.db, itemIds);
  if (n !== itemIds.length) throw validationError('body.itemIds', 'an item is not in the catalogue');
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await repo.insertPolicy(tx, { ...input, itemIds, createdBy: actor.id });
      await recordAudit(tx, {
        actor,
        action: 'ltc.policy.create',
        targetType: 'ltc_policy',
        targetId: id,
        regionCode: input.regionCode,
        detail: { name: input.name, payPercent: input.payPercent, eligibleLevels: input.eligibleLevels },
      });
      const p = await repo.findPolicy(tx, actor, id);
      return presentPolicy(p as repo.PolicyRow);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('A policy of this name exists in the region.', undefined, 'duplicate');
    throw e;
  }
}

export async function listEnrolments(ctx: AppContext, actor: Actor, policyId: string) {
  await policyInReach(ctx, actor, policyId);
  return { items: (await repo.listEnrolments(ctx.db, actor, policyId)).map(presentEnrolment) };
}

export async function listCandidates(ctx: AppContext, actor: Actor, policyId: string) {
  const p = await policyInReach(ctx, actor, policyId);
  const rows = await repo.candidates(ctx.db, actor, p);
  return {
    items: rows.map((r) => ({
      elderId: r.elder_id,
      name: r.name,
      regionCode: r.region_code,
      abilityLevel: r.level as LtcEnrolment['abilityLevel'],
    })),
  };
}

/** Enrol an elder whose latest signed assessment is one of the policy's levels (422 otherwise). */
export async function enrol(ctx: AppContext, actor: Actor, policyId: string, elderId: string) {
  const p = await policyInReach(ctx, actor, policyId);
  if (p.status !== 'active') throw conflict('The policy has ended.', undefined, 'invalid-state');
  const e = await repo.latestSignedLevel(ctx.db, actor, elderId);
  if (!e) throw notFound('Elder');
  const [c] = await repo.candidates(ctx.db, actor, p, elderId);
  if (!c) {
    if (await repo.isEnrolled(ctx.db, policyId, elderId))
      throw conflict('The elder is already enrolled.', undefined, 'duplicate');
    throw unprocessable(
      e.level
        ? `The latest signed assessment says ${e.level}; this policy covers ${p.eligible_levels.join(', ')}.`
        : 'The elder has no signed ability assessment.',
      [{ path: 'body.elderId', message: e.level ? 'not eligible by ability level' : 'no signed ability assessment' }],
    );
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertEnrolment(tx, {
      policyId,
      elderId,
      level: c.level,
      assessmentId: c.assessment_id,
      enrolledBy: actor.id,
    });
    if (!row) throw conflict('The elder is already enrolled.', undefined, 'duplicate');
    await recordAudit(tx, {
      actor,
      action: 'ltc.enrolment.create',
      targetType: 'elder',
      targetId: elderId,
      regionCode: c.region_code,
      detail: { policyId, level: c.level, assessmentId: c.assessment_id },
    });
    return presentEnrolment(row);
  });
}

/**
 * Pay an order from the policy: the elder is enrolled and the item is in the package. Refused
 * (409) when a district subsidy already pays it (or another policy); asking again answers the same.
 */
export async function fundOrder(ctx: AppContext, actor: Actor, policyId: string, orderId: string) {
  const p = await policyInReach(ctx, actor, policyId);
  const o = await repo.findOrder(ctx.db, orderId);
  if (!o || !can(actor, 'ltc:manage', { regionCode: o.region_code })) throw notFound('Order');
  if (o.status === 'cancelled' || o.status === 'voided') throw conflict('The order is cancelled.', undefined, 'invalid-state');
  if (!p.item_ids.includes(o.item_id))
    throw unprocessable('The order’s service is not in the policy’s package.', [
      { path: 'body.orderId', message: 'item not covered' },
    ]);
  if (!(await repo.isEnrolled(ctx.db, p.id, o.elder_id)))
    throw unprocessable('The elder is not enrolled in this policy.', [{ path: 'body.orderId', message: 'elder not enrolled' }]);
  return ctx.db.transaction(async (tx) => {
    // New 长护险 money for a provider on the dishonesty list or at D is a new subsidy: refused
    // (409 credit-blocked) under the organisation's row lock. An order with no provider yet is
    // not refused: dispatch leaves blocked providers out.
    if (o.provider_id) await assertCreditAllows(tx, o.provider_id, 'subsidy');
    const r = await requireOrderFunding(tx, { orderId, funder: 'ltc', policyId: p.id });
    await recordAudit(tx, {
      actor,
      action: 'ltc.order.fund',
      targetType: 'service_order',
      targetId: orderId,
      regionCode: o.region_code,
      detail: { policyId: p.id, orderNo: o.no },
    });
    return { orderId, funder: r.funder, policyId: r.policyId };
  });
}

export async function listClaims(ctx: AppContext, actor: Actor, month?: string) {
  return { items: (await repo.listClaims(ctx.db, actor, month)).map(presentClaim) };
}

/**
 * Draw a provider's claim for a month once: every served order of the month for an enrolled elder
 * and a package item; an order counts only when its visit is EVV-verified, no subsidy pays it,
 * and the elder's monthly hours and cap leave room. Its line claims `payPercent` of the price, the
 * rest is the elder's co-payment. Drawing again (or at once, twice) answers the same claim.
 */
export async function drawClaim(ctx: AppContext, actor: Actor, input: { policyId: string; providerId: string; month: string }) {
  const p = await policyInReach(ctx, actor, input.policyId);
  if (!can(actor, 'ltc:manage', { regionCode: p.region_code })) throw notFound('长护险 policy');
  if (!(await repo.providerExists(ctx.db, input.providerId))) throw validationError('body.providerId', 'not a service provider');
  if (input.month >= cstMonth())
    throw unprocessable('The month has not ended; it cannot be claimed yet.', undefined, 'period-open');
  // Drawn already (or at this moment by someone else): that is the claim; the ask is audited too.
  const drawnAlready = async (c: repo.ClaimRow) => {
    await recordAudit(ctx.db, {
      actor,
      action: 'ltc.claim.draw',
      targetType: 'ltc_claim',
      targetId: c.id,
      regionCode: p.region_code,
      detail: { policyId: p.id, providerId: input.providerId, month: input.month, drawnAlready: true },
    });
    return presentClaim(c);
  };
  const existing = await repo.findClaimByKey(ctx.db, p.id, input.providerId, input.month);
  if (existing) return drawnAlready(existing);
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const [from, to] = cstMonthRange(input.month);
      const orders = await repo.claimCandidates(tx, p, input.providerId, from, to);
      const used = await repo.usedThisMonth(tx, p.id, input.month);
      const excluded: LtcClaim['excluded'] = [];
      const lines: Array<repo.ClaimCandidate & { claimFen: number }> = [];
      for (const o of orders) {
        if (!o.verified) {
          excluded.push({ orderNo: o.no, reason: 'not_verified' });
          continue;
        }
        const u = used.get(o.elder_id) ?? { fen: 0, minutes: 0 };
        const claimFen = Math.round((o.amount_fen * p.pay_percent) / 100);
        if (u.fen + claimFen > p.monthly_cap_fen || u.minutes + o.minutes > p.monthly_hours * 60) {
          excluded.push({ orderNo: o.no, reason: 'over_cap' });
          continue;
        }
        const f = await claimOrderFunding(tx, { orderId: o.id, funder: 'ltc', policyId: p.id });
        if (!f.ok) {
          excluded.push({ orderNo: o.no, reason: 'already_funded' });
          continue;
        }
        used.set(o.elder_id, { fen: u.fen + claimFen, minutes: u.minutes + o.minutes });
        lines.push({ ...o, claimFen });
      }
      const claimId = await repo.insertClaim(tx, {
        policyId: p.id,
        providerId: input.providerId,
        month: input.month,
        lines: lines.length,
        amountFen: lines.reduce((s, l) => s + l.amount_fen, 0),
        claimFen: lines.reduce((s, l) => s + l.claimFen, 0),
        excluded,
        createdBy: actor.id,
      });
      for (const l of lines)
        await repo.insertClaimLine(tx, {
          claimId,
          orderId: l.id,
          elderId: l.elder_id,
          itemId: l.item_id,
          servedOn: l.served_on,
          minutes: l.minutes,
          amountFen: l.amount_fen,
          claimFen: l.claimFen,
          copayFen: l.amount_fen - l.claimFen,
        });
      await recordAudit(tx, {
        actor,
        action: 'ltc.claim.draw',
        targetType: 'ltc_claim',
        targetId: claimId,
        regionCode: p.region_code,
        detail: {
          policyId: p.id,
          providerId: input.providerId,
          month: input.month,
          lines: lines.length,
          excluded: excluded.length,
        },
      });
      return claimId;
    });
    return presentClaim((await repo.findClaim(ctx.db, actor, id)) as repo.ClaimRow);
  } catch (e) {
    if (isUniqueViolation(e)) {
      const c = await repo.findClaimByKey(ctx.db, p.id, input.providerId, input.month);
      if (c) return drawnAlready(c);
    }
    throw e;
  }
}
