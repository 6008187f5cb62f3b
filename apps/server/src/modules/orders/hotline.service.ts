import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getHotline, lockServiceSettings, putHotline } from './service-settings.repo.ts';

/** The service centre hotline the elder and family pages dial (呼叫服务中心). */
export async function readHotline(ctx: AppContext) {
  return { hotline: await getHotline(ctx.db) };
}

/** The district admin sets the hotline; the audit entry names the old and the new number. */
export async function updateHotline(ctx: AppContext, actor: Actor, hotline: string) {
  return ctx.db.transaction(async (tx) => {
    await lockServiceSettings(tx);
    const before = await getHotline(tx);
    await putHotline(tx, hotline);
    await recordAudit(tx, {
      actor,
      action: 'service-hotline.update',
      targetType: 'service_settings',
      regionCode: actor.regionCode,
      detail: { changed: { hotline: { from: before, to: hotline } } },
    });
    return { hotline };
  });
}
