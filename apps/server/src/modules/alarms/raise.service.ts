import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import type { AppContext } from '../../lib/context.ts';
import { familyAccountIds } from '../elders/service-elders.repo.ts';
import { presentAlarm } from './alarms.present.ts';
import { type AlarmIntent, findAlarmView, upsertAlarm } from './alarms.repo.ts';

/** Who receives alarm events in real time: everyone with alarm:read over the alarm's region. */
export const alarmAudience = (regionCode: string, userIds?: string[]) => ({
  permission: 'alarm:read' as const,
  regionCode,
  ...(userIds?.length ? { userIds } : {}),
});

/**
 * Raise (or merge into) an alarm inside the caller's transaction, tell every operator over the
 * WebSocket after commit, and arm the durable escalation timer of a new P1.
 */
export async function raiseAlarm(ctx: AppContext, tx: DbOrTx, intent: AlarmIntent) {
  const r = await upsertAlarm(tx, intent);
  await publishAlarm(ctx, tx, r.id, r.created ? 'alarm.raised' : 'alarm.updated');
  if (r.priority === 'P1' && r.status === 'raised' && (r.created || r.upgraded)) {
    await scheduleEscalation(ctx, tx, r.id, 1, ctx.config.alarmAckSeconds ?? 60);
  }
  return r;
}

export async function publishAlarm(
  ctx: AppContext,
  tx: DbOrTx,
  id: string,
  type: 'alarm.raised' | 'alarm.updated' | 'alarm.escalated',
  userIds?: string[],
) {
  const view = await findAlarmView(tx, id);
  if (!view) return;
  await ctx.events.publish(tx, { type, data: presentAlarm(view), audience: alarmAudience(view.alarm.regionCode, userIds) });
  // The elder's family page refreshes too (it reads its own scoped view; no alarm data travels to it).
  if (view.alarm.elderId) await publishFamilySafety(ctx, tx, view.alarm.elderId);
}

/**
 * Tell the elder's family pages (bound family accounts only) to refresh: `family.safety` carries
 * no alarm data, each page reads its own scoped view. Inside the change's transaction.
 */
async function publishFamilySafety(ctx: AppContext, tx: DbOrTx, elderId: string) {
  const userIds = await familyAccountIds(tx, elderId);
  if (userIds.length) await ctx.events.publish(tx, { type: 'family.safety', data: { elderId }, audience: { userIds } });
}

/** A pg-boss delayed job: it survives restarts and fires in whichever worker process is up. */
export async function scheduleEscalation(ctx: AppContext, tx: DbOrTx, alarmId: string, level: number, afterSeconds: number) {
  if (!ctx.boss) {
    ctx.log.warn({ alarmId }, 'no job system: escalation timer not armed');
    return;
  }
  await sendJob(ctx, tx, 'alarm.escalate', { alarmId, level }, { startAfter: afterSeconds, retryLimit: 10, retryDelay: 5 });
}
