import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, cstMonth } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { serviceOrders } from '../orders/orders.schema.ts';
import { putServiceSettings } from '../orders/service-settings.repo.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let operator: Api;
let providerAdmin: Api;
let worker: Api;
let provider: Awaited<ReturnType<typeof createServiceProvider>>;
const HOME = { lat: 30.61, lng: 104.01 };
const now = new Date();
const lastMonth = addMonths(cstMonth(now), -1);
let n = 0;

/** A served and confirmed order; the visit ran from `inMin` to `outMin` minutes ago (visits must not overlap). */
async function served(elderId: string, body: Record<string, unknown>, inMin: number, outMin: number) {
  const o = (await operator.post('/api/v1/service-orders', { elderId, scheduledAt: hoursFromNow(1), ...body })).json();
  await providerAdmin.post(`/api/v1/service-orders/${o.id}/accept`);
  await providerAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: provider.worker.id });
  const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  await worker.post(`/api/v1/service-orders/${o.id}/check-in`, { at: ago(inMin), ...HOME });
  await worker.post(`/api/v1/service-orders/${o.id}/check-out`, { at: ago(outMin), ...HOME, record: '完成' });
  const c = await operator.post(`/api/v1/service-orders/${o.id}/confirm`);
  expect(c.json().status).toBe('confirmed');
  // Confirmed in the middle of last month.
  await s.ctx.db
    .update(serviceOrders)
    .set({ confirmedAt: new Date(`${lastMonth}-15T04:00:00Z`) })
    .where(eq(serviceOrders.id, o.id));
  return o.id as string;
}

let pointsOrder: string;
let purchaseOrder: string;
let heldOrder: string;
let elderId: string;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  // The visits here are recorded hours before their booked start (past visits on orders that must
  // be booked in the future); the check-in reason rule has its own test (check-in-reason.test.ts).
  await putServiceSettings(s.ctx.db, { checkInReasonMinutes: 24 * 60 });
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
  });
  providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: provider.org.id })).api;
  worker = client(s.app, await loginToken(s.app, provider.worker.username));
  const e = await createElder(s.ctx, TREE.communityA1, { ...HOME, birthDate: '1938-02-02' });
  elderId = e.id;
  for (const currency of ['points', 'fen'])
    await admin.post(
      `/api/v1/wallets/${e.id}/adjustments`,
      { currency, direction: 'credit', amount: currency === 'points' ? 300 : 30000, reason: '测试' },
      { 'idempotency-key': `settle-${currency}-${++n}-${Date.now()}` },
    );
  const cleaning = await itemByCode(s.ctx, 'cleaning');
  pointsOrder = await served(e.id, { itemId: cleaning.id, quantity: 2 }, 400, 275); // 80 points
  purchaseOrder = await served(e.id, { itemId: cleaning.id, quantity: 2, payment: 'purchase' }, 260, 135); // 8000 fen
  heldOrder = await served(e.id, { itemId: cleaning.id, quantity: 1 }, 20, 15); // short visit → held
});
afterAll(() => s.close());

describe('monthly settlement', () => {
  it('refuses a month that has not ended', async () => {
    const r = await admin.post('/api/v1/settlements', { providerId: provider.org.id, period: cstMonth() });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/still open/);
    expect((await admin.get('/api/v1/settlements')).json().total).toBe(0);
  });

  it('draws up points at the rate, purchased amounts, and anomalies held apart; confirm, approve, close', async () => {
    const draft = await admin.post('/api/v1/settlements', { providerId: provider.org.id, period: lastMonth });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({
      status: 'draft',
      pointsRateFen: 100,
      orderCount: 2,
      pointsTotal: 80,
      pointsFen: 8000,
      purchaseFen: 8000,
      totalFen: 16000,
      heldCount: 1,
      heldFen: 4000,
    });
    const id = draft.json().id;
    const detail = (await providerAdmin.get(`/api/v1/settlements/${id}`)).json();
    expect(detail.lines.find((l: { orderId: string }) => l.orderId === heldOrder)).toMatchObject({
      held: true,
      flags: ['short_visit'],
    });

    expect((await admin.post(`/api/v1/settlements/${id}/approve`)).statusCode).toBe(409); // provider confirms first
    expect((await providerAdmin.post(`/api/v1/settlements/${id}/confirm`)).json().status).toBe('confirmed');
    const approved = await admin.post(`/api/v1/settlements/${id}/approve`);
    expect(approved.json().status).toBe('approved');

    const statuses = Object.fromEntries((await s.ctx.db.select().from(serviceOrders)).map((o) => [o.id, o.status]));
    expect(statuses[pointsOrder]).toBe('settled');
    expect(statuses[purchaseOrder]).toBe('settled');
    expect(statuses[heldOrder]).toBe('confirmed');
    const final = await queryRows<{ final: boolean; n: string }>(
      s.ctx.db,
      sql`SELECT final, count(*) n FROM ledger_transactions WHERE order_id IN (${pointsOrder}, ${purchaseOrder}) GROUP BY final`,
    );
    expect(final.map((f) => f.final)).toEqual([true]);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);

    // Closed: no redraw, no record edit on a settled order.
    expect((await admin.post('/api/v1/settlements', { providerId: provider.org.id, period: lastMonth })).statusCode).toBe(409);
    expect((await worker.patch(`/api/v1/service-orders/${pointsOrder}/visit`, { record: '改', reason: '补记' })).statusCode).toBe(
      409,
    );

    const x = await admin.get(`/api/v1/settlements/${id}/export`);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '结算明细', '暂缓结算（异常）']);
    expect(wb.getWorksheet('结算明细')?.rowCount).toBe(3);
  });

  it('keeps a statement to its provider and the bureau', async () => {
    const other = await createServiceProvider(s.ctx, { regionCode: TREE.streetB, communities: [TREE.communityB1], site: HOME });
    const otherAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: other.org.id })).api;
    const [first] = (await admin.get('/api/v1/settlements')).json().items;
    expect((await otherAdmin.get(`/api/v1/settlements/${first.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/v1/settlements')).json().total).toBe(0);
  });

  it('lets a cleared anomaly into the next statement', async () => {
    const review = await operator.post(`/api/v1/service-orders/${heldOrder}/review`, {
      decision: 'clear',
      note: '老人确认服务完成',
    });
    expect(review.json().reviewStatus).toBe('cleared');
  });

  it('locks the ledger of an approved month: back-dated postings and re-dating are refused, today is open', async () => {
    const count = async () =>
      Number(
        (
          await queryRows<{ n: string }>(
            s.ctx.db,
            sql`SELECT (SELECT count(*) FROM ledger_entries) + (SELECT count(*) FROM ledger_transactions) n`,
          )
        )[0].n,
      );
    const before = await count();
    const balance = (await admin.get(`/api/v1/wallets/${elderId}`)).json().points.available;
    const adjust = (body: Record<string, unknown>) =>
      admin.post(
        `/api/v1/wallets/${elderId}/adjustments`,
        { currency: 'points', direction: 'credit', amount: 5, reason: '补记', ...body },
        { 'idempotency-key': `close-${++n}-${Date.now()}` },
      );
    const late = await adjust({ effectiveDate: `${lastMonth}-20` });
    expect(late.statusCode).toBe(409);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.json().detail).toMatch(new RegExp(`${lastMonth} is closed`));
    expect(late.json().code).toBe('closed-period');
    expect((await adjust({ effectiveDate: '2026-02-30' })).statusCode).toBe(400);
    expect((await adjust({ effectiveDate: '2999-01-01' })).statusCode).toBe(400);
    expect(await count()).toBe(before);
    expect((await admin.get(`/api/v1/wallets/${elderId}`)).json().points.available).toBe(balance);

    // The database itself refuses an entry dated in the closed month, or re-dating one into it.
    const dbError = (q: Promise<unknown>) =>
      q.then(
        () => 'no error',
        (e: { cause?: { message?: string } }) => String(e.cause?.message),
      );
    const inClosed = `${lastMonth}-20T04:00:00Z`;
    expect(
      await dbError(
        s.ctx.db.execute(
          sql`INSERT INTO ledger_transactions (kind, currency, created_at) VALUES ('adjust', 'points', ${inClosed}::timestamptz)`,
        ),
      ),
    ).toMatch(/ledger period .* is closed/);
    expect(
      await dbError(
        s.ctx.db.execute(
          sql`UPDATE ledger_transactions SET created_at = ${inClosed}::timestamptz WHERE order_id = ${pointsOrder}`,
        ),
      ),
    ).toMatch(/ledger period .* is closed/);

    // Corrections go into the open month.
    expect((await adjust({})).statusCode).toBe(201);
    expect((await admin.get(`/api/v1/wallets/${elderId}`)).json().points.available).toBe(balance + 5);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});
