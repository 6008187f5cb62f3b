import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { LICENCE_WARNING_DAYS } from '../providers/providers.service.ts';
import * as repo from './notices.repo.ts';

const DOC_ZH: Record<string, string> = { licence: '资质证照', care_cert: '养老护理员证', health_cert: '健康证' };
const fmtCst = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export interface NoticeRun {
  complaints: number;
  documents: number;
}

/**
 * The daily run (job `service-loop.notices`): a notice to each responsible console user for
 * every open complaint past its follow-up deadline (the call centre and bureau staff of the
 * elder's region), and for every provider licence or staff certificate that expires within 30
 * days or has expired (the bureau staff of the provider's region and the provider's admins).
 * Idempotent: each (reason, subject, deadline or expiry date, user) is noticed once, so running
 * it twice a day notifies nobody twice; a renewed document that later expires again is new.
 */
export async function runServiceNotices(ctx: AppContext, now = new Date()): Promise<NoticeRun> {
  const today = cstDate(now);
  const out: NoticeRun = { complaints: 0, documents: 0 };
  const send = async (
    users: repo.Recipient[],
    n: { reason: string; subjectType: string; subjectId: string; stamp: string; providerId: string | null; body: string },
  ) => {
    let count = 0;
    await (ctx.db as Db).transaction(async (tx) => {
      for (const user of users) {
        const fresh = await repo.insertNotice(tx, {
          ...n,
          key: `${n.reason}:${n.subjectId}:${n.stamp}:${user.id}`,
          notificationId: randomUUID(),
          user,
          recipientEnc: ctx.cipher.encrypt(user.username),
        });
        if (fresh) count++;
      }
    });
    return count;
  };

  for (const c of await repo.overdueComplaints(ctx.db, now)) {
    const due = new Date(c.due_at); // a Date on PostgreSQL, a string on PGlite's raw rows
    const users = await repo.regionStaff(ctx.db, c.region_code, 'order:review');
    out.complaints += await send(users, {
      reason: 'complaint.overdue',
      subjectType: 'complaint',
      subjectId: c.id,
      stamp: due.toISOString(),
      providerId: c.provider_id,
      body: `投诉回访已超期：工单 ${c.order_no}（${c.elder_name}），回访期限 ${fmtCst(due)}。`,
    });
  }

  for (const d of await repo.expiringDocuments(ctx.db, today, LICENCE_WARNING_DAYS)) {
    const expired = d.valid_until < today;
    const users = [
      ...(await repo.regionStaff(ctx.db, d.region_code, 'provider:approve')),
      ...(await repo.providerAdmins(ctx.db, d.org_id)),
    ];
    const what = DOC_ZH[d.what] ?? d.what;
    const subject =
      d.what === 'licence' ? `${d.provider_name} 的${what}（${d.label}）` : `${d.provider_name} 服务人员 ${d.label} 的${what}`;
    out.documents += await send(users, {
      reason: `${d.what === 'licence' ? 'licence' : 'certificate'}.${expired ? 'expired' : 'expiring'}`,
      subjectType: d.what,
      subjectId: d.id,
      stamp: d.valid_until,
      providerId: d.org_id,
      body: expired ? `${subject}已于 ${d.valid_until} 过期。` : `${subject}将于 ${d.valid_until} 到期，请及时更新。`,
    });
  }
  if (out.complaints || out.documents) ctx.log.info(out, 'service notices sent');
  return out;
}

/** The caller's own notices (a console user's inbox), newest first. */
export async function myNotices(
  ctx: AppContext,
  actor: Actor,
  kind: 'complaint' | 'document' | undefined,
  limit: number,
  unreadOnly = false,
) {
  const reasons =
    kind === 'complaint'
      ? ['complaint.overdue']
      : kind === 'document'
        ? ['licence.expiring', 'licence.expired', 'certificate.expiring', 'certificate.expired']
        : null;
  const rows = actor.id ? await repo.inbox(ctx.db, actor.id, reasons, limit, unreadOnly) : [];
  return {
    items: rows.map((r) => ({
      id: r.id,
      reason: r.reason,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      providerId: r.provider_id,
      body: r.body,
      createdAt: new Date(r.created_at).toISOString(),
      readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    })),
  };
}

/** The user has seen a notice ("知道了"): only their own (else 404); marking again changes nothing. Audited. */
export async function markMyNoticeRead(ctx: AppContext, actor: Actor, id: string) {
  if (!actor.id) throw notFound('Notice');
  const userId = actor.id;
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.markRead(tx, userId, id))) throw notFound('Notice');
    await recordAudit(tx, { actor, action: 'notification.read', targetType: 'notification', targetId: id });
  });
}
