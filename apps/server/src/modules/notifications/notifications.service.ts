import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { maskPhone } from '../../lib/http.ts';
import { logProvider, type NotificationProvider, webhookProvider } from '../../lib/notification-providers.ts';
import { listContacts } from '../elders/elders.repo.ts';
import { linkedElderOf } from '../users/users.repo.ts';
import { findNotice, insertNotice, listNotices, recordAttempt } from './notifications.repo.ts';

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
  const contacts = await listContacts(tx, a.elderId);
  let queued = 0;
  for (const c of contacts) {
    const phone = ctx.cipher.decrypt(c.phoneEnc);
    const id = await insertNotice(tx, {
      alarmId: a.alarmId,
      elderId: a.elderId,
      contactId: c.id,
      regionCode: a.regionCode,
      reason: a.reason,
      recipientEnc: c.phoneEnc,
      recipientMasked: maskPhone(phone) ?? '',
      body: a.body,
    });
    if (!id) continue;
    queued++;
    await sendJob(ctx, tx, 'notification.deliver', { id }, { retryLimit: MAX_ATTEMPTS - 1, retryDelay: 10, retryBackoff: true });
  }
  return queued;
}

/** Job: deliver one notice; every attempt is recorded; a failure throws so pg-boss retries. */
export async function deliverNotice(ctx: AppContext, data: { id: string }, provider = providerFor(ctx)) {
  const n = await findNotice(ctx.db, data.id);
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
    await ctx.db.transaction((tx) =>
      recordAttempt(
        tx,
        n.id,
        { provider: provider.name, ok: false, error: message.slice(0, 500) },
        { lastError: message.slice(0, 500), status: n.attempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending' },
      ),
    );
    throw err;
  }
  await ctx.db.transaction((tx) =>
    recordAttempt(tx, n.id, { provider: provider.name, ok: true }, { status: 'sent', sentAt: new Date(), lastError: null }),
  );
}

/** Notices the actor may see: family members their elder's; staff by region. */
export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  f: { alarmId?: string; status?: string },
  limit: number,
  page: number,
) {
  const scope = isPersonAccount(actor) ? { elderId: await linkedElderOf(ctx.db, actor.id ?? '') } : { actor };
  const rows = await listNotices(ctx.db, scope, { ...f, status: f.status as 'sent' | undefined }, limit, (page - 1) * limit);
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
