import type { CareFollowUpType } from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, forbidden, notFound, validationError } from '../../lib/errors.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { referFromFollowUp } from '../medical/referrals.service.ts';
import { createOrder } from '../orders/orders.service.ts';
import { presentFollowUp } from './care-visits.present.ts';
import * as repo from './care-visits.repo.ts';
import * as fu from './follow-ups.repo.ts';
import * as visits from './visits.repo.ts';

export async function listFollowUps(
  ctx: AppContext,
  actor: Actor,
  q: {
    status?: 'open' | 'closed';
    type?: CareFollowUpType;
    overdue?: 'true' | 'false';
    regionCode?: string;
    limit: number;
    page: number;
    count?: boolean;
  },
) {
  const today = cstDate();
  const f = {
    status: q.status,
    type: q.type,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    regionCode: q.regionCode,
  };
  const rows = await fu.listFollowUps(ctx.db, actor, f, today, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentFollowUp(r, today)),
    ...(q.count ? { total: await fu.countFollowUps(ctx.db, actor, f, today) } : {}),
  };
}

/**
 * Act on a finding in one step. The service order goes through the orders module (the elder's
 * wallet, dispatch) and the alarm through the alarms module (the alarm centre, escalation), inside
 * the same transaction as the follow-up, so either both exist or neither. The other types are
 * the follow-up itself, tracked here.
 */
export async function createFollowUp(
  ctx: AppContext,
  actor: Actor,
  b: {
    findingId: string;
    type: CareFollowUpType;
    detail: string;
    deadline?: string;
    order?: { itemId: string; scheduledAt: string; payment?: 'points' | 'purchase' | 'self' | 'package' };
    alarmPriority?: 'P1' | 'P2' | 'P3';
  },
) {
  const finding = await visits.findFinding(ctx.db, actor, b.findingId);
  if (!finding) throw notFound('Finding');
  if (b.type === 'service_order' && !can(actor, 'order:create'))
    throw forbidden('Your role cannot order services; ask the community to create this follow-up.');
  const today = cstDate();
  const settings = await repo.getSettings(ctx.db, finding.region_code.slice(0, 6));
  const deadline = b.deadline ?? addDays(today, settings.followUpDays);
  if (deadline < today) throw validationError('body.deadline', 'today or later');
  return ctx.db.transaction(async (tx) => {
    let orderId: string | null = null;
    let alarmId: string | null = null;
    if (b.type === 'service_order' && b.order) {
      const order = await createOrder({ ...ctx, db: tx as never }, actor, {
        elderId: finding.elder_id,
        itemId: b.order.itemId,
        scheduledAt: b.order.scheduledAt,
        payment: b.order.payment,
        note: b.detail,
        channel: 'console',
      });
      orderId = (order as { id: string }).id;
    }
    if (b.type === 'alarm') {
      const r = await raiseAlarm(ctx, tx, {
        type: 'visit_finding',
        priority: b.alarmPriority ?? (finding.severity === 'urgent' ? 'P1' : 'P2'),
        mergeKey: `visit-finding:${finding.id}`,
        elderId: finding.elder_id,
        deviceId: null,
        regionCode: finding.region_code,
        data: { findingType: finding.type, detail: b.detail, raisedBy: actor.displayName },
        at: new Date(),
        isDemo: finding.is_demo,
      });
      alarmId = r.id;
    }
    const id = await fu.insertFollowUp(tx, {
      findingId: finding.id,
      elderId: finding.elder_id,
      regionCode: finding.region_code,
      type: b.type,
      deadline,
      detail: b.detail,
      orderId,
      alarmId,
      createdBy: actor.id,
      isDemo: finding.is_demo,
    });
    // A referral to the family doctor is made in the medical module in the same step; it closes
    // this follow-up when it is completed or refused (the listener and the sweep below).
    const referralId =
      b.type === 'doctor_referral'
        ? await referFromFollowUp(ctx, tx, actor, {
            followUpId: id,
            elderId: finding.elder_id,
            regionCode: finding.region_code,
            reason: b.detail,
            urgent: finding.severity === 'urgent',
            isDemo: finding.is_demo,
          })
        : null;
    await recordAudit(tx, {
      actor,
      action: 'care.follow-up.create',
      targetType: 'care_follow_up',
      targetId: id,
      regionCode: finding.region_code,
      detail: { findingId: finding.id, type: b.type, deadline, orderId, alarmId, referralId },
    });
    return presentFollowUp((await fu.findFollowUp(tx, actor, id)) as fu.FollowUpRow, today);
  });
}

/** Close with what was done. A street task is the street's to close (or the district's). */
export async function closeFollowUp(ctx: AppContext, actor: Actor, id: string, note: string) {
  const row = await fu.findFollowUp(ctx.db, actor, id);
  if (!row) throw notFound('Follow-up');
  if (row.type === 'street_task' && actor.role !== 'system' && (actor.regionCode ?? '').length > 9)
    throw forbidden('A street task is closed by the street.');
  if (row.status !== 'open') throw conflict('This follow-up is already closed.', undefined, 'already-handled');
  return ctx.db.transaction(async (tx) => {
    if (!(await fu.closeFollowUp(tx, id, actor.id, note)))
      throw conflict('This follow-up is already closed.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'care.follow-up.close',
      targetType: 'care_follow_up',
      targetId: id,
      regionCode: row.region_code,
      detail: { type: row.type, note },
    });
    return presentFollowUp((await fu.findFollowUp(tx, actor, id)) as fu.FollowUpRow, cstDate());
  });
}

/** The sweep: follow-ups whose service order was served or whose alarm was resolved close themselves. */
export async function closeDone(ctx: AppContext) {
  const rows = await fu.closableFollowUps(ctx.db);
  let closed = 0;
  for (const r of rows) {
    await ctx.db.transaction(async (tx) => {
      const note =
        r.type === 'service_order'
          ? `服务工单已完成（${r.order_status}）`
          : r.type === 'doctor_referral'
            ? `家庭医生转诊${r.referral_status === 'rejected' ? '已拒绝' : '已完成'}`
            : `告警已处置（${r.alarm_status}）`;
      if (!(await fu.closeFollowUp(tx, r.id, null, note))) return;
      closed++;
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'care.follow-up.close',
        targetType: 'care_follow_up',
        targetId: r.id,
        regionCode: r.region_code,
        detail: { type: r.type, automatic: true },
      });
    });
  }
  return { closed };
}
