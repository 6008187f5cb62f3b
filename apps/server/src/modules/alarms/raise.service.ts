import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import type { AppContext } from '../../lib/context.ts';
import { familyAccountIds } from '../elders/service-elders.repo.ts';
import { presentAlarm } from './alarms.present.ts';
import { type AlarmIntent, bedPlacementOf, findAlarmView, upsertAlarm } from './alarms.repo.ts';
import type { Priority } from './alarms.schema.ts';

/**
 * How long an institution's own duty staff have to take an alarm of a bed-bound device before it
 * goes to the district centre, in multiples of ALARM_ACK_SECONDS (60 s): a fall 2 minutes, a
 * night bed exit 5, a technical alarm 30.
 */
export const INSTITUTION_FIRST_FACTOR: Record<Priority, number> = { P1: 2, P2: 5, P3: 30 };

/** Who receives alarm events in real time: everyone with alarm:read over the alarm's region. */
export const alarmAudience = (regionCode: string, userIds?: string[]) => ({
  permission: 'alarm:read' as const,
  regionCode,
  ...(userIds?.length ? { userIds } : {}),
});

/**
 * Raise (or merge into) an alarm inside the caller's transaction, tell every operator over the
 * WebSocket after commit, and arm the durable escalation timer of a new P1. An alarm of a device
 * bound to an institution's bed names the building, floor, room and bed and goes first to the
 * institution's duty staff; a timer hands it to the district centre if nobody there takes it.
 */
export async function raiseAlarm(ctx: AppContext, tx: DbOrTx, intent: AlarmIntent) {
  const placed = intent.deviceId && intent.orgId === undefined ? await bedPlacementOf(tx, intent.deviceId) : undefined;
  const r = await upsertAlarm(
    tx,
    placed
      ? {
          ...intent,
          orgId: placed.org_id,
          data: {
            ...intent.data,
            bed: { id: placed.bed_id, building: placed.building, floor: placed.floor, room: placed.room, label: placed.bed },
          },
        }
      : intent,
  );
  await publishAlarm(ctx, tx, r.id, r.created ? 'alarm.raised' : 'alarm.updated');
  const fresh = r.status === 'raised' && (r.created || r.upgraded);
  if (fresh && r.org_id && !r.centre_at) {
    const after = (ctx.config.alarmAckSeconds ?? 60) * INSTITUTION_FIRST_FACTOR[r.priority];
    if (ctx.boss)
      await sendJob(ctx, tx, 'alarm.to-centre', { alarmId: r.id }, { startAfter: after, retryLimit: 10, retryDelay: 5 });
    else ctx.log.warn({ alarmId: r.id }, 'no job system: institution alarm timer not armed');
  } else if (r.priority === 'P1' && fresh) {
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
  const { orgId, centreAt, regionCode } = view.alarm;
  // An institution's alarm: its own staff always; the region's operators once it reached the centre.
  const audience =
    orgId && !centreAt
      ? { permission: 'alarm:read' as const, orgIds: [orgId], ...(userIds?.length ? { userIds } : {}) }
      : { ...alarmAudience(regionCode, userIds), ...(orgId ? { orgIds: [orgId] } : {}) };
  await ctx.events.publish(tx, { type, data: presentAlarm(ctx.cipher, view), audience });
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
