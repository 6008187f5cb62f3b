import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getServiceSettings, lockServiceSettings, putServiceSettings, type ServiceSettings } from './service-settings.repo.ts';

/** The service rules as they stand (read by every module that prices, dispatches or settles). */
export { getServiceSettings };

/**
 * Change the service loop's rules (radius, timeouts, the points-to-money rate settlements use).
 * One transaction: the new values and an audit entry naming each changed rule's old and new value.
 */
export async function updateServiceSettings(ctx: AppContext, actor: Actor, patch: Partial<ServiceSettings>) {
  return ctx.db.transaction(async (tx) => {
    await lockServiceSettings(tx);
    const before = await getServiceSettings(tx);
    const after = await putServiceSettings(tx, patch);
    const changed: Record<string, { from: number; to: number }> = {};
    for (const k of Object.keys(after) as Array<keyof ServiceSettings>) {
      if (before[k] !== after[k]) changed[k] = { from: before[k], to: after[k] };
    }
    // The rules hold for the whole tree the actor manages: the entry carries the actor's region.
    await recordAudit(tx, {
      actor,
      action: 'service-settings.update',
      targetType: 'service_settings',
      regionCode: actor.regionCode,
      detail: { changed },
    });
    return after;
  });
}
