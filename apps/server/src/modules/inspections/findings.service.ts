import { todayCst } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentFinding } from './inspections.present.ts';
import * as repo from './inspections.repo.ts';
import { inspectionFor, selfMay } from './inspections.service.ts';

/** Findings 问题 of an inspection: open → rectified by the organisation → closed by the re-check (or open again). */

export async function addFinding(
  ctx: AppContext,
  actor: Actor,
  inspectionId: string,
  b: { itemCode: string | null; description: string; severity: 'general' | 'serious'; dueOn: string },
) {
  const row = await inspectionFor(ctx, actor, inspectionId, 'inspection:assess');
  if (b.itemCode) {
    const template = await repo.findTemplate(ctx.db, row.template_id);
    if (!template.items.some((i) => i.code === b.itemCode))
      throw validationError('body.itemCode', 'no such item in the checklist');
  }
  if (b.dueOn < todayCst()) throw validationError('body.dueOn', 'the deadline cannot be in the past');
  return ctx.db.transaction(async (tx) => {
    const f = await repo.insertFinding(tx, {
      inspectionId,
      orgId: row.org_id,
      itemCode: b.itemCode,
      description: b.description,
      severity: b.severity,
      deadline: b.dueOn,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'inspection.finding.create',
      targetType: 'inspection_finding',
      targetId: f.id,
      regionCode: row.region_code,
      detail: { inspectionId, orgId: row.org_id, severity: b.severity, dueOn: b.dueOn },
    });
    const [out] = await repo.listFindings(tx, actor, { id: f.id });
    return presentFinding(out);
  });
}

export async function listFindings(ctx: AppContext, actor: Actor, q: { status?: string; orgId?: string }) {
  const rows = await repo.listFindings(ctx.db, actor, q);
  return { items: rows.map((r) => presentFinding(r)), total: rows.length };
}

async function findingFor(ctx: AppContext, actor: Actor, id: string) {
  const [f] = await repo.listFindings(ctx.db, actor, { id });
  if (!f) throw notFound('Finding');
  return f;
}

/** The organisation says what it did; only its own staff (a centre: the community's). */
export async function rectifyFinding(ctx: AppContext, actor: Actor, id: string, b: { rectification: string }) {
  const f = await findingFor(ctx, actor, id);
  if (!selfMay(actor, f)) throw notFound('Finding');
  return ctx.db.transaction(async (tx) => {
    const moved = await repo.moveFinding(tx, id, 'open', {
      status: 'rectified',
      rectification: b.rectification,
      rectifiedAt: new Date(),
      rectifiedBy: actor.id,
    });
    if (!moved) throw conflict('The finding is not waiting for rectification.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'inspection.finding.rectify',
      targetType: 'inspection_finding',
      targetId: id,
      regionCode: f.region_code,
      detail: { orgId: f.org_id },
    });
    const [out] = await repo.listFindings(tx, actor, { id });
    return presentFinding(out);
  });
}

/** The assessor re-checks a rectified finding: passed closes it; not passed sends it back open. */
export async function recheckFinding(ctx: AppContext, actor: Actor, id: string, b: { passed: boolean; note?: string }) {
  const f = await findingFor(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const moved = await repo.moveFinding(tx, id, 'rectified', {
      status: b.passed ? 'closed' : 'open',
      recheckNote: b.note ?? null,
      recheckedAt: new Date(),
      recheckedBy: actor.id,
    });
    if (!moved) throw conflict('The finding has not been rectified.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'inspection.finding.recheck',
      targetType: 'inspection_finding',
      targetId: id,
      regionCode: f.region_code,
      detail: { orgId: f.org_id, passed: b.passed },
    });
    const [out] = await repo.listFindings(tx, actor, { id });
    return presentFinding(out);
  });
}
