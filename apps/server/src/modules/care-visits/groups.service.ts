import type { CareGroup } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { presentHousehold, presentMember } from './care-visits.present.ts';
import * as repo from './care-visits.repo.ts';

export async function groupCounts(ctx: AppContext, actor: Actor, regionCode?: string) {
  const rows = await repo.groupCounts(ctx.db, actor, regionCode);
  return { items: rows.map((r) => ({ group: r.group as CareGroup, elders: r.elders })), total: rows.length };
}

export async function listMembers(
  ctx: AppContext,
  actor: Actor,
  q: { group?: CareGroup; regionCode?: string; unassigned?: 'true' | 'false'; limit: number; page: number; count?: boolean },
) {
  const filter = { group: q.group, regionCode: q.regionCode, unassigned: q.unassigned === 'true' };
  const rows = await repo.listMembers(ctx.db, actor, { ...filter, limit: q.limit, offset: (q.page - 1) * q.limit }, cstDate());
  return {
    items: rows.map(presentMember),
    ...(q.count ? { total: await repo.countMembers(ctx.db, actor, filter) } : {}),
  };
}

/** Staff set the groups the archive cannot say (留守, 重病 …), or confirm one before the archive does. */
export async function setGroups(ctx: AppContext, actor: Actor, elderId: string, b: { groups: CareGroup[]; note?: string }) {
  const elder = await repo.findElderFor(ctx.db, actor, elderId);
  if (!elder || !can(actor, 'care_visit:manage', { regionCode: elder.region_code })) throw notFound('Elder');
  const groups = [...new Set(b.groups)];
  return ctx.db.transaction(async (tx) => {
    await repo.replaceStaffGroups(tx, elder, groups, b.note ?? null, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'care.groups.set',
      targetType: 'elder',
      targetId: elder.id,
      regionCode: elder.region_code,
      detail: { groups },
    });
    return presentMember(await repo.findMember(tx, elder.id, cstDate()));
  });
}

export async function getHousehold(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await repo.findElderFor(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const h = await repo.findHousehold(ctx.db, elder.id);
  const keys = await repo.contactKeyHolders(ctx.db, elder.id);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: elder.id,
    regionCode: elder.region_code,
    detail: { part: 'care_household' },
  });
  return presentHousehold(ctx.cipher, elder, h, keys);
}

export async function putHousehold(
  ctx: AppContext,
  actor: Actor,
  elderId: string,
  b: {
    members: Array<{ name: string; relationship: string; age?: number | null }>;
    carerName?: string | null;
    carerPhone?: string | null;
    housing?: string | null;
    housingCondition?: string | null;
    housingNote?: string | null;
    keyHolderName?: string | null;
    keyHolderPhone?: string | null;
  },
) {
  const elder = await repo.findElderFor(ctx.db, actor, elderId);
  if (!elder || !can(actor, 'care_visit:manage', { regionCode: elder.region_code })) throw notFound('Elder');
  // A phone left out keeps the one on file (the form shows it masked); null clears it.
  const phoneOf = (given: string | null | undefined, kept: string | null | undefined) =>
    given === undefined ? (kept ?? null) : given === null ? null : ctx.cipher.encrypt(given);
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findHousehold(tx, elder.id);
    await repo.upsertHousehold(tx, {
      elderId: elder.id,
      regionCode: elder.region_code,
      members: b.members.map((m) => ({ name: m.name, relationship: m.relationship, age: m.age ?? null })),
      carerName: b.carerName ?? null,
      carerPhoneEnc: phoneOf(b.carerPhone, before?.carer_phone_enc),
      housing: b.housing ?? null,
      housingCondition: b.housingCondition ?? null,
      housingNote: b.housingNote ?? null,
      keyHolderName: b.keyHolderName ?? null,
      keyHolderPhoneEnc: phoneOf(b.keyHolderPhone, before?.key_holder_phone_enc),
      by: actor.id,
    });
    // Names and phones stay out of the audit detail: it says which parts were written.
    await recordAudit(tx, {
      actor,
      action: 'care.household.update',
      targetType: 'elder',
      targetId: elder.id,
      regionCode: elder.region_code,
      detail: {
        members: b.members.length,
        carer: Boolean(b.carerName),
        housing: b.housing ?? null,
        housingCondition: b.housingCondition ?? null,
        keyHolder: Boolean(b.keyHolderName),
      },
    });
    return presentHousehold(
      ctx.cipher,
      elder,
      await repo.findHousehold(tx, elder.id),
      await repo.contactKeyHolders(tx, elder.id),
    );
  });
}
