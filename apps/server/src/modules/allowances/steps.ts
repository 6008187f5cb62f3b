import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentApplication } from './allowances.present.ts';
import * as repo from './allowances.repo.ts';
import type { ApplicationStatus } from './allowances.schema.ts';

/** What every step of an application shares: the timeline row, the audit entry, the event, the re-read. */

export const districtOf = (regionCode: string) => regionCode.slice(0, 6);

export interface Step {
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus | null;
  reason?: string | null;
  auditAction: string;
  detail?: Record<string, unknown>;
}

/** The timeline entry, the audit entry and the event of one step, in the step's transaction. */
export async function recordStep(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  app: { id: string; elderId: string; regionCode: string },
  s: Step,
) {
  await repo.insertEvent(tx, {
    applicationId: app.id,
    action: s.action,
    fromStatus: s.from,
    toStatus: s.to,
    reason: s.reason ?? null,
    actorId: actor.id,
    actorName: actor.displayName,
  });
  await recordAudit(tx, {
    actor,
    action: s.auditAction,
    targetType: 'allowance_application',
    targetId: app.id,
    regionCode: app.regionCode,
    detail: { step: s.action, from: s.from, to: s.to, reason: s.reason ?? undefined, ...s.detail },
  });
  await ctx.events.publish(tx, {
    type: 'allowance.updated',
    data: {
      id: app.id,
      elderId: app.elderId,
      regionCode: app.regionCode,
      status: s.to ?? s.from ?? '',
      action: s.action,
      at: new Date().toISOString(),
    },
    audience: { permission: 'allowance:read', regionCode: app.regionCode },
  });
}

export async function load(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findApplication(ctx.db, actor, id);
  if (!row) throw notFound('Allowance application');
  return row;
}

/** Re-read after a change, in the change's transaction. */
export async function reread(ctx: AppContext, tx: DbOrTx, id: string) {
  const row = await repo.findApplication(tx, { ...systemLike }, id);
  return presentApplication(ctx.cipher, row as NonNullable<typeof row>);
}
const systemLike: Actor = { id: null, username: 'system', displayName: '系统', role: 'system', regionCode: null, orgId: null };
export const ALLOWANCE_SYSTEM = systemLike;

export const movedMeanwhile = () =>
  conflict('The application changed meanwhile; reload it and try again.', undefined, 'changed-meanwhile');
