import type { PrivilegeCardStatus, PrivilegeCardStep } from '@zhiyang/shared';
import { can, isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import type { elders } from '../elders/elders.schema.ts';
import { renewCard } from './cards.service.ts';
import { presentCards, presentOne } from './privilege-cards.present.ts';
import * as repo from './privilege-cards.repo.ts';
import { refusalFor } from './privilege-cards.rules.ts';
import { signCardToken } from './privilege-cards.token.ts';
import { recordStep } from './steps.ts';

type Elder = typeof elders.$inferSelect;
const districtOf = (regionCode: string) => regionCode.slice(0, 6);

export async function getSettings(ctx: AppContext, actor: Actor, district: string) {
  const r = actor.regionCode;
  if (r !== null && !r.startsWith(district) && !district.startsWith(r)) throw notFound('District');
  const s = await repo.getSettings(ctx.db, district);
  return {
    regionCode: district,
    residenceRule: s.residenceRule,
    minResidenceYears: s.minResidenceYears,
    validYears: s.validYears,
    renewalWindowDays: s.renewalWindowDays,
  };
}

export async function putSettings(
  ctx: AppContext,
  actor: Actor,
  b: {
    regionCode: string;
    residenceRule: 'hukou' | 'hukou_or_residence';
    minResidenceYears: number;
    validYears?: number;
    renewalWindowDays?: number;
  },
) {
  if (!can(actor, 'card:manage', { regionCode: b.regionCode })) throw notFound('District');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getSettings(tx, b.regionCode);
    // Left out: unchanged. A new validity applies to cards issued or renewed from now on.
    const next = {
      regionCode: b.regionCode,
      residenceRule: b.residenceRule,
      minResidenceYears: b.minResidenceYears,
      validYears: b.validYears ?? before.validYears,
      renewalWindowDays: b.renewalWindowDays ?? before.renewalWindowDays,
    };
    await repo.putSettings(tx, { ...next, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'privilege-card.settings.update',
      targetType: 'privilege_card_settings',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: {
        from: {
          residenceRule: before.residenceRule,
          minResidenceYears: before.minResidenceYears,
          validYears: before.validYears,
          renewalWindowDays: before.renewalWindowDays,
        },
        to: {
          residenceRule: next.residenceRule,
          minResidenceYears: next.minResidenceYears,
          validYears: next.validYears,
          renewalWindowDays: next.renewalWindowDays,
        },
      },
    });
    return next;
  });
}

export async function listCards(
  ctx: AppContext,
  actor: Actor,
  q: {
    status?: PrivilegeCardStatus;
    stage?: 'application' | 'card';
    renewalDue?: 'true';
    elderId?: string;
    limit: number;
    page: number;
  },
) {
  const r = await repo.listCards(ctx.db, actor, { ...q, offset: (q.page - 1) * q.limit });
  return { items: await presentCards(ctx.cipher, ctx.db, r.items), total: r.total };
}

/** One application or card with its timeline and the elder's card history; the read is audited. */
export async function getCard(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findCard(ctx.db, actor, id);
  if (!row) throw notFound('Privilege card');
  const [events, history] = await Promise.all([repo.timelineOf(ctx.db, id), repo.historyOf(ctx.db, row.card.elderId)]);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'privilege-card.read',
    targetType: 'privilege_card',
    targetId: id,
    regionCode: row.card.regionCode,
  });
  return {
    ...(await presentOne(ctx.cipher, ctx.db, row)),
    timeline: events.map((e) => ({
      step: e.step as PrivilegeCardStep,
      status: e.status,
      reason: e.reason,
      actorName: e.actorName,
      at: e.at.toISOString(),
    })),
    history: history.map((h) => ({ ...h, createdAt: h.createdAt.toISOString() })),
  };
}

/** Why the elder may not apply now (the district's rule, today in China), or null. */
export async function refusalOf(ctx: AppContext, elder: Elder, residenceSince: string | null) {
  const rule = await repo.getSettings(ctx.db, districtOf(elder.regionCode));
  return refusalFor(elder, rule, cstDate(), residenceSince);
}

/**
 * Check and record an application: refused with the reason (422), or 409 when the elder already has
 * an application under way or a valid card — the database's partial unique index decides, so two
 * desks applying at once still make one.
 */
export async function createFor(
  ctx: AppContext,
  actor: Actor,
  elder: Elder,
  b: { residenceSince?: string | null; source: 'staff' | 'self' },
) {
  const residenceSince = b.residenceSince ?? null;
  const refusal = await refusalOf(ctx, elder, residenceSince);
  if (refusal)
    throw unprocessable(`The elder does not qualify for a 优待证 (${refusal}).`, [{ path: 'elderId', message: refusal }]);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertCard(tx, {
      elderId: elder.id,
      regionCode: elder.regionCode,
      source: b.source,
      status: 'checking',
      residenceSince,
      createdBy: actor.id,
    });
    if (!row) throw conflict('The elder has a 优待证 or an application under way already.', undefined, 'duplicate');
    await recordStep(
      ctx,
      tx,
      actor,
      row,
      b.source === 'self' ? 'privilege-card.application.self' : 'privilege-card.application.create',
    );
    const full = await repo.findCardById(tx, row.id);
    if (!full) throw notFound('Privilege card');
    return presentOne(ctx.cipher, tx, full);
  });
}

/** A walk-in application by community or street staff. */
export async function createApplication(ctx: AppContext, actor: Actor, b: { elderId: string; residenceSince?: string | null }) {
  const elder = await repo.elderInReach(ctx.db, actor, b.elderId);
  if (!elder) throw notFound('Elder');
  return createFor(ctx, actor, elder, { ...b, source: 'staff' });
}

/** The phone page: the elder's own account, or a family member's bound to one elder. */
async function ownElder(ctx: AppContext, actor: Actor) {
  return isPersonAccount(actor) ? await repo.elderOfPerson(ctx.db, actor) : undefined;
}

export async function getMine(ctx: AppContext, actor: Actor) {
  const elder = await ownElder(ctx, actor);
  if (!elder) return { elder: null, card: null, qrToken: null, ineligibleReason: null };
  const current = await repo.currentCardOf(ctx.db, elder.id);
  const row = current ? await repo.findCard(ctx.db, actor, current.id) : undefined;
  const live = row && ['checking', 'passed', 'issued'].includes(row.card.status);
  return {
    elder: { id: elder.id, name: elder.name },
    card: row ? await presentOne(ctx.cipher, ctx.db, row) : null,
    qrToken:
      row?.card.status === 'issued' && row.card.cardNo
        ? signCardToken(ctx.config.secretKey, row.card.cardNo, row.card.version)
        : null,
    ineligibleReason: live ? null : await refusalOf(ctx, elder, null),
  };
}

export async function applyMine(ctx: AppContext, actor: Actor, b: { residenceSince?: string | null }) {
  const elder = await ownElder(ctx, actor);
  if (!elder) throw notFound('Elder');
  return createFor(ctx, actor, elder, { ...b, source: 'self' });
}

/** The phone page's 续期: the elder's own issued card, when due (the same rules as at the desk). */
export async function renewMine(ctx: AppContext, actor: Actor) {
  const elder = await ownElder(ctx, actor);
  if (!elder) throw notFound('Elder');
  const current = await repo.currentCardOf(ctx.db, elder.id);
  if (!current) throw notFound('Privilege card');
  return renewCard(ctx, actor, current.id, 'self');
}
