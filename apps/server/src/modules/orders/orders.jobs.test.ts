import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoss } from '../../jobs/boss.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { testDbKind } from '../../testing/db.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { orderJobs } from './orders.jobs.ts';
import { dispatchOffers } from './orders.schema.ts';

let s: TestServer;
let boss: Awaited<ReturnType<typeof startBoss>>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  boss = await startBoss(s.database, { supervise: false, schedule: false });
  s.ctx.boss = boss;
});
afterAll(async () => {
  await boss.stop({ graceful: false }).catch(() => {});
  await s.close();
});

describe('offer timeout as a pg-boss delayed job', () => {
  it('is queued in the order transaction for the offer deadline, and its handler passes the order on', async () => {
    await boss.createQueue('service-orders.offer-timeout');
    const a = await createServiceProvider(s.ctx, {
      regionCode: TREE.streetA,
      communities: [TREE.communityA1],
      site: { lat: 30.61, lng: 104.01 },
    });
    const b = await createServiceProvider(s.ctx, {
      regionCode: TREE.streetA,
      communities: [TREE.communityA1],
      site: { lat: 30.7, lng: 104.1 },
    });
    const operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
    const e = await createElder(s.ctx, TREE.communityA1, { lat: 30.61, lng: 104.01, birthDate: '1939-03-03' });
    const item = await itemByCode(s.ctx, 'haircut');
    const o = (
      await operator.post('/api/v1/service-orders', {
        elderId: e.id,
        itemId: item.id,
        scheduledAt: hoursFromNow(5),
        payment: 'self',
      })
    ).json();
    expect(o.providerId).toBe(a.org.id);
    const jobs = await queryRows<{ data: { offerId: string }; start_after: string }>(
      s.ctx.db,
      sql`SELECT data, start_after FROM pgboss.job WHERE name = 'service-orders.offer-timeout'`,
    );
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].start_after).getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
    // The deadline passes; the job runs (twice, to show it is idempotent).
    await s.ctx.db
      .update(dispatchOffers)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(dispatchOffers.orderId, o.id));
    const handler = orderJobs.find((j) => j.name === 'service-orders.offer-timeout')!;
    await handler.handler(s.ctx, jobs[0].data);
    await handler.handler(s.ctx, jobs[0].data);
    const after = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(after).toMatchObject({ status: 'dispatched', providerId: b.org.id });
    expect(after.offers.map((f: { status: string }) => f.status)).toEqual(['timed_out', 'offered']);
  });

  // On PGlite the one connection is held by the order's transaction, so pg-boss cannot look a
  // missing queue up at all; main.ts creates every sent queue at start-up (ensureQueues) for that reason.
  it.skipIf(testDbKind() === 'pglite')('does not fail an order when the queue does not exist yet', async () => {
    await boss.deleteQueue('service-orders.offer-timeout');
    const operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
    const e = await createElder(s.ctx, TREE.communityA1, { lat: 30.61, lng: 104.01, birthDate: '1938-04-04' });
    const item = await itemByCode(s.ctx, 'haircut');
    const r = await operator.post('/api/v1/service-orders', {
      elderId: e.id,
      itemId: item.id,
      scheduledAt: hoursFromNow(5),
      payment: 'self',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().status).toBe('dispatched');
  });
});
