import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { maskPhone } from '../../lib/http.ts';
import { regionScope } from '../../lib/scope.ts';
import { notificationAttempts, notifications } from '../alarms/alarms.schema.ts';
import { elderContacts } from '../elders/elders.schema.ts';
import { users } from '../users/users.schema.ts';
import { logProvider, type NotificationProvider, webhookProvider } from './providers.ts';

const MAX_ATTEMPTS = 6;

export function providerFor(ctx: AppContext): NotificationProvider {
  return ctx.config.notifyWebhookUrl ? webhookProvider(ctx.config.notifyWebhookUrl) : logProvider(ctx.log);
}

/**
 * Queue a notice to each of the elder's contacts (in call order) inside the caller's transaction.
 * At most one notice per (alarm, contact, reason), so a retried job does not text twice.
 */
export async function noticeContacts(
  ctx: AppContext,
  tx: DbOrTx,
  a: { alarmId: string; elderId: string; regionCode: string; reason: string; body: string },
) {
  const contacts = await tx
    .select()
    .from(elderContacts)
    .where(eq(elderContacts.elderId, a.elderId))
    .orderBy(elderContacts.callOrder);
  let queued = 0;
  for (const c of contacts) {
    const phone = ctx.cipher.decrypt(c.phoneEnc);
    const [n] = await tx
      .insert(notifications)
      .values({
        alarmId: a.alarmId,
        elderId: a.elderId,
        contactId: c.id,
        regionCode: a.regionCode,
        reason: a.reason,
        recipientEnc: c.phoneEnc,
        recipientMasked: maskPhone(phone) ?? '',
        body: a.body,
      })
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    if (!n) continue;
    queued++;
    await sendJob(
      ctx,
      tx,
      'notification.deliver',
      { id: n.id },
      { retryLimit: MAX_ATTEMPTS - 1, retryDelay: 10, retryBackoff: true },
    );
  }
  return queued;
}

/** Job: deliver one notice; every attempt is recorded; a failure throws so pg-boss retries. */
export async function deliverNotice(ctx: AppContext, data: { id: string }, provider = providerFor(ctx)) {
  const [n] = await ctx.db.select().from(notifications).where(eq(notifications.id, data.id)).limit(1);
  if (!n || n.status === 'sent') return;
  try {
    await provider.send({
      id: n.id,
      channel: n.channel,
      to: ctx.cipher.decrypt(n.recipientEnc),
      body: n.body,
      alarmId: n.alarmId,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(notificationAttempts)
        .values({ notificationId: n.id, provider: provider.name, ok: false, error: message.slice(0, 500) });
      await tx
        .update(notifications)
        .set({
          attempts: sql`${notifications.attempts} + 1`,
          lastError: message.slice(0, 500),
          status: n.attempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending',
        })
        .where(eq(notifications.id, n.id));
    });
    throw err;
  }
  await ctx.db.transaction(async (tx) => {
    await tx.insert(notificationAttempts).values({ notificationId: n.id, provider: provider.name, ok: true });
    await tx
      .update(notifications)
      .set({ attempts: sql`${notifications.attempts} + 1`, status: 'sent', sentAt: new Date(), lastError: null })
      .where(eq(notifications.id, n.id));
  });
}

/** Notices the actor may see: family members their elder's; staff by region. */
export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  f: { alarmId?: string; status?: string },
  limit: number,
  page: number,
) {
  let scope: ReturnType<typeof regionScope>;
  if (actor.role === 'family' || actor.role === 'elder') {
    const [u] = await ctx.db
      .select({ elderId: users.elderId })
      .from(users)
      .where(eq(users.id, actor.id ?? ''))
      .limit(1);
    scope = u?.elderId ? eq(notifications.elderId, u.elderId) : sql`false`;
  } else scope = regionScope(notifications.regionCode, actor);
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        scope,
        f.alarmId ? eq(notifications.alarmId, f.alarmId) : undefined,
        f.status ? eq(notifications.status, f.status as 'sent') : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt))
    .limit(limit)
    .offset((page - 1) * limit);
  return {
    items: rows.map((n) => ({
      id: n.id,
      alarmId: n.alarmId,
      elderId: n.elderId,
      reason: n.reason,
      channel: n.channel,
      recipient: n.recipientMasked,
      body: n.body,
      status: n.status,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    })),
  };
}
