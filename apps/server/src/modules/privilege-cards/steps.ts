import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { privilegeCards } from './privilege-cards.schema.ts';

type Card = typeof privilegeCards.$inferSelect;

/** Every move of an application or card: the audit entry and the event to staff of its region. */
export async function recordStep(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  card: Card,
  action: string,
  detail: Record<string, unknown> = {},
) {
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
