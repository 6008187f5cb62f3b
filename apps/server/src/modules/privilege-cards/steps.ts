import type { PrivilegeCardStep } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { privilegeCardEvents, type privilegeCards } from './privilege-cards.schema.ts';

type Card = typeof privilegeCards.$inferSelect;

/** The timeline step of each audited action (migration 0652 maps the older audit entries the same way). */
const STEP_OF: Record<string, PrivilegeCardStep> = {
  'privilege-card.application.create': 'applied',
  'privilege-card.application.self': 'applied_self',
  'privilege-card.check': 'checked',
  'privilege-card.decide.approve': 'approved',
  'privilege-card.decide.reject': 'rejected',
  'privilege-card.revoke': 'revoked',
  'privilege-card.revoke.death': 'revoked_death',
  'privilege-card.reject.death': 'rejected_death',
  'privilege-card.reissue': 'reissued',
  'privilege-card.renew': 'renewed',
  'privilege-card.renew.self': 'renewed',
  'privilege-card.replace': 'replaced',
};

/**
 * Every move of an application or card: the timeline row, the audit entry and the event to staff
 * of its region, in the move's transaction.
 */
export async function recordStep(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  card: Card,
  action: string,
  detail: Record<string, unknown> = {},
) {
  const step = STEP_OF[action];
  if (step) {
    const reason = typeof detail.reason === 'string' ? detail.reason : card.status === 'failed' ? card.reason : null;
    await tx.insert(privilegeCardEvents).values({
      cardId: card.id,
      step,
      status: card.status,
      reason,
      actorId: actor.id,
      actorName: actor.displayName,
    });
  }
  await recordAudit(tx, {
    actor,
    action,
    targetType: 'privilege_card',
    targetId: card.id,
    regionCode: card.regionCode,
    detail: { status: card.status, ...detail },
  });
  await ctx.events.publish(tx, {
    type: 'privilege-card.updated',
    data: { id: card.id, elderId: card.elderId, regionCode: card.regionCode, status: card.status },
    audience: { permission: 'card:read', regionCode: card.regionCode },
  });
}
