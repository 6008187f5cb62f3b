import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findRegion } from '../regions/regions.repo.ts';
import * as repo from './organizations.repo.ts';

export type OrgInput = Pick<repo.OrgRow, 'type' | 'name' | 'regionCode'> &
  Partial<Pick<repo.OrgRow, 'contactName' | 'contactPhone' | 'address' | 'status'>>;

export function presentOrg(o: repo.OrgRow, full = false) {
  return {
    id: o.id,
    type: o.type,
    name: o.name,
    regionCode: o.regionCode,
    contactName: o.contactName,
    contactPhone: full ? o.contactPhone : maskPhone(o.contactPhone),
    address: o.address,
    status: o.status,
  };
}

export async function listOrgs(ctx: AppContext, actor: Actor, f: repo.OrgFilter, limit: number, page: number) {
  const { items, total } = await repo.listOrgs(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: items.map((o) => presentOrg(o)), total };
}

export async function getOrg(ctx: AppContext, actor: Actor, id: string) {
  const o = await repo.findVisibleOrg(ctx.db, actor, id);
  if (!o) throw notFound('Organisation');
  return presentOrg(o, true);
}

async function assertRegion(ctx: AppContext, actor: Actor, code: string) {
  if (!actorCoversRegion(actor, code) || !(await findRegion(ctx.db, code))) {
    throw validationError('body.regionCode', 'unknown region or outside your scope');
  }
}

export async function createOrg(ctx: AppContext, actor: Actor, input: OrgInput) {
  await assertRegion(ctx, actor, input.regionCode);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertOrg(tx, input);
    await recordAudit(tx, {
      actor,
      action: 'org.create',
      targetType: 'organization',
      targetId: row.id,
      regionCode: row.regionCode,
      detail: { name: row.name, type: row.type },
    });
    return presentOrg(row, true);
  });
}

export async function updateOrg(ctx: AppContext, actor: Actor, id: string, patch: Partial<OrgInput>) {
  const before = await repo.findVisibleOrg(ctx.db, actor, id);
  if (!before) throw notFound('Organisation');
  if (patch.regionCode) await assertRegion(ctx, actor, patch.regionCode);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.updateOrg(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'org.update',
      targetType: 'organization',
      targetId: id,
      regionCode: row.regionCode,
      detail: { changed: Object.keys(patch) },
    });
    return presentOrg(row, true);
  });
}
