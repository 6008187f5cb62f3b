import type { JobDefinition } from '../../jobs/job.ts';
import type { AppContext } from '../../lib/context.ts';
import { timeoutOffer } from './dispatch.service.ts';
import { runServiceNotices } from './notices.service.ts';
import * as repo from './orders.repo.ts';
import { autoConfirmDue } from './orders.service.ts';
import { backfillPhotoEncryption } from './photos.service.ts';

/** Offers past their deadline go to the next provider; served orders past 24 h are confirmed. */
export async function sweepOrders(ctx: AppContext, now = new Date()) {
  let timedOut = 0;
  for (const o of await repo.expiredOffers(ctx.db, now, 200)) if (await timeoutOffer(ctx, o.id)) timedOut++;
  const confirmed = await autoConfirmDue(ctx, now);
  return { timedOut, confirmed };
}

export const orderJobs: JobDefinition[] = [
  {
    // Sent with startAfter = the offer's deadline when an order is offered to a provider.
    name: 'service-orders.offer-timeout',
    async handler(ctx, data) {
      await timeoutOffer(ctx, data.offerId);
    },
  } satisfies JobDefinition<'service-orders.offer-timeout'>,
  {
    // Backstop for missed delayed jobs, and the 24-hour auto-confirmation.
    name: 'service-orders.sweep',
    cron: '*/5 * * * *',
    async handler(ctx) {
      await sweepOrders(ctx);
    },
  },
  {
    // Daily at 08:30 China time: overdue complaint follow-ups, expiring licences and certificates.
    // Idempotent (one notice per subject, date and user), so a second run sends nothing.
    name: 'service-loop.notices',
    cron: '30 8 * * *',
    async handler(ctx) {
      await runServiceNotices(ctx);
    },
  },
  {
    // Encrypts the visit photos stored in clear before 0992 (a no-op once none is left).
    name: 'service-orders.photo-backfill',
    cron: '*/10 * * * *',
    async handler(ctx) {
      const n = await backfillPhotoEncryption(ctx);
      if (n) ctx.log.info({ encrypted: n }, 'visit photos encrypted');
    },
  },
];
