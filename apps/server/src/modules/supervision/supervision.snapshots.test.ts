import type { SupervisionDashboard } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { regionByCode } from './supervision.repo.ts';
import { getLiveDashboard, lastSixMonths } from './supervision.service.ts';
import { captureState, FIGURES_VERSION, fillOnce, nightlySnapshots, snapshotCounters } from './supervision.snapshots.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;

const months = lastSixMonths(new Date());
const cur = months[5];
const monthStart = new Date(cur.startAt).getTime();
const t = new Date((monthStart + Date.now()) / 2);
const lastMonth = new Date(monthStart - 86_400_000);
const threeMonthsAgo = new Date(new Date(months[2].startAt).getTime() + 5 * 86_400_000);
const year = Number(cur.month.slice(0, 4));
let no = 0;
let itemId = '';
let elderA = '';

const dashboard = async (q = '') => {
  const res = await bureau.get(`/api/v1/supervision/dashboard${q}`);
  expect(res.statusCode).toBe(200);
  return res.json() as SupervisionDashboard;
};
const figure = (d: SupervisionDashboard, key: string) => {
  const f = d.groups.flatMap((g) => g.figures).find((x) => x.key === key);
  if (!f) throw new Error(`no figure ${key}`);
  return f;
};
/** The dashboard without its computation time, for comparing two computations. */
const figuresOf = (d: SupervisionDashboard) => ({ ...d, computedAt: undefined });
const snapshotRows = (code: string) =>
  queryRows<{ month: string; n: number }>(
    s.ctx.db,
    sql`SELECT month, 1 AS n FROM supervision_snapshots WHERE region_code = ${code} AND figures IS NOT NULL ORDER BY month`,
  );
const order = (elderId: string, region: string, status: string, at: Date, points: number) =>
  s.ctx.db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
    VALUES (${`SN${++no}`}, ${elderId}, ${region}, ${itemId}, 'console', ${status}, ${at.toISOString()}, 60, 'points', ${points},
      ${at.toISOString()}, ${status === 'served' ? at.toISOString() : null})`);

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const db = s.ctx.db;
  const e = async (region: string, age: number) => (await createElder(s.ctx, region, { birthDate: `${year - age}-06-15` })).id;
  elderA = await e(TREE.communityA1, 65);
  const a2 = await e(TREE.communityA1, 82);
  const b1 = await e(TREE.communityB1, 91);
  const [item] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points)
      VALUES ('sn_bath', 'daily_care', '助浴', 'visit', 60, 5000, 6000, 10) RETURNING id`,
  );
  itemId = item.id;
  await order(elderA, TREE.communityA1, 'served', t, 10);
  await order(elderA, TREE.communityA1, 'served', lastMonth, 5);
  await order(a2, TREE.communityA1, 'voided', lastMonth, 5);
  await order(a2, TREE.communityA1, 'served', threeMonthsAgo, 8);
  await order(b1, TREE.communityB1, 'served', threeMonthsAgo, 7);
  // A life-safety alarm last month in 甲一, acknowledged after 20 s.
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, merge_key, open, elder_id, region_code, raised_at, acknowledged_at)
    VALUES ('fall', 'P1', 'P1', 'acknowledged', 'sn:1', true, ${elderA}, ${TREE.communityA1}, ${lastMonth.toISOString()},
      ${new Date(lastMonth.getTime() + 20_000).toISOString()})`);
  // A visit plan in 甲一 covered by a visit two days ago (the visit coverage, a today-only figure).
  const [p] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO care_visit_plans (elder_id, region_code, risk_level, interval_days, active)
      VALUES (${elderA}, ${TREE.communityA1}, 'high', 30, true) RETURNING id`,
  );
  const at = new Date(Date.now() - 2 * 86_400_000);
  await db.execute(sql`INSERT INTO care_visits (plan_id, elder_id, region_code, due_on, status, outcome, visited_at)
    VALUES (${p.id}, ${elderA}, ${TREE.communityA1}, ${at.toISOString().slice(0, 10)}, 'done', 'met', ${at.toISOString()})`);
});

afterAll(async () => {
  await s?.close();
});

describe('closed-month snapshots of the supervision dashboard', () => {
  it('the first read stores the five closed months, and the dashboard equals the all-live computation', async () => {
    for (const code of [TREE.district, TREE.streetA, TREE.communityA1]) {
      const before = snapshotCounters.computed;
      const d = await dashboard(`?regionCode=${code}`);
      expect(snapshotCounters.computed - before).toBe(5);
      expect((await snapshotRows(code)).map((r) => r.month)).toEqual(months.slice(0, 5).map((m) => m.month));
      expect(figuresOf(d)).toEqual(figuresOf(await getLiveDashboard(s.ctx, code)));
      // A second read computes nothing for the closed months and still equals the live computation.
      const again = await dashboard(`?regionCode=${code}`);
      expect(snapshotCounters.computed - before).toBe(5);
      expect(figuresOf(again)).toEqual(figuresOf(d));
    }
    const d = await dashboard(`?regionCode=${TREE.streetA}`);
    // Hand-counted: 甲 street's served orders, oldest month first (three months ago 8 points, last month 5, this month 10).
    expect(figure(d, 'orders.completed').trend.map((p) => p.value)).toEqual([0, 0, 1, 0, 1, 1]);
    expect(figure(d, 'orders.points').trend.map((p) => p.value)).toEqual([0, 0, 8, 0, 5, 10]);
    expect(figure(d, 'alarms.raised').trend.map((p) => p.value)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(figure(d, 'alarms.sla').trend.map((p) => p.value)).toEqual([null, null, null, null, 100, null]);
  });

  it('two concurrent first reads of a region compute each closed month once', async () => {
    await s.ctx.db.execute(sql`DELETE FROM supervision_snapshots WHERE region_code = ${TREE.streetB}`);
    const before = snapshotCounters.computed;
    const [a, b] = await Promise.all([dashboard(`?regionCode=${TREE.streetB}`), dashboard(`?regionCode=${TREE.streetB}`)]);
    expect(snapshotCounters.computed - before).toBe(5);
    expect((await snapshotRows(TREE.streetB)).length).toBe(5);
    expect(figuresOf(a)).toEqual(figuresOf(b));
    expect(figure(a, 'orders.points').trend.map((p) => p.value)).toEqual([0, 0, 7, 0, 0, 0]);
    // A read that saw a month missing but asks for it only after the other read has stored it
    // (the computation no longer in flight) takes the stored figures: this is the interleaving
    // that computed every month twice on PostgreSQL.
    const region = await regionByCode(s.ctx.db, TREE.streetB);
    if (!region) throw new Error('no region');
    const late = await fillOnce(s.ctx, region, months[2]);
    expect(snapshotCounters.computed - before).toBe(5);
    expect(late['orders.points']).toBe(7);
  });

  it('the current month stays live; a late correction of a closed month reaches it when the month is recomputed', async () => {
    const before = figure(await dashboard(`?regionCode=${TREE.communityA1}`), 'orders.created');
    await order(elderA, TREE.communityA1, 'created', t, 10);
    await order(elderA, TREE.communityA1, 'served', lastMonth, 3);
    const after = figure(await dashboard(`?regionCode=${TREE.communityA1}`), 'orders.created');
    expect(after.value).toBe((before.value ?? 0) + 1);
    // Last month is the snapshot: unchanged until recomputed (the nightly job does it in the late-correction window).
    expect(after.trend[4].value).toBe(before.trend[4].value);
    // 重新计算 by a street worker for a community of their street: audited, and the month now has the late order.
    const streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
    const res = await streetA.post('/api/v1/supervision/snapshots/recompute', {
      regionCode: TREE.communityA1,
      month: months[4].month,
    });
    expect(res.statusCode).toBe(200);
    const [audit] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supervision.snapshot.recompute' AND target_id = ${TREE.communityA1}`,
    );
    expect(audit.n).toBe(1);
    // Another street's region is 404; the current month (live, no snapshot) is 400.
    expect(
      (await streetA.post('/api/v1/supervision/snapshots/recompute', { regionCode: TREE.streetB, month: months[4].month }))
        .statusCode,
    ).toBe(404);
    expect((await streetA.post('/api/v1/supervision/snapshots/recompute', { month: cur.month })).statusCode).toBe(400);
    const fixed = await dashboard(`?regionCode=${TREE.communityA1}`);
    expect(figure(fixed, 'orders.created').trend[4].value).toBe((before.trend[4].value ?? 0) + 1);
    expect(figuresOf(fixed)).toEqual(figuresOf(await getLiveDashboard(s.ctx, TREE.communityA1)));
  });

  it('the nightly job recomputes last month in the late-correction window and stores the today-only figures', async () => {
    await order(elderA, TREE.communityA1, 'served', lastMonth, 4);
    // The job as it runs on the 3rd of this month (inside the window): every region, last month recomputed.
    const third = new Date(new Date(cur.startAt).getTime() + 2 * 86_400_000 + 3600_000);
    expect(await nightlySnapshots(s.ctx, third)).toBe(6);
    const d = await dashboard(`?regionCode=${TREE.communityA1}`);
    expect(figuresOf(d)).toEqual(figuresOf(await getLiveDashboard(s.ctx, TREE.communityA1)));
    const [row] = await queryRows<{ state: Record<string, number | null>; version: number }>(
      s.ctx.db,
      sql`SELECT state, version FROM supervision_snapshots WHERE region_code = ${TREE.communityA1} AND month = ${cur.month}`,
    );
    expect(row.version).toBe(FIGURES_VERSION);
    expect(row.state['visits.coverage']).toBe(100);
    // Today-only figures have no trend until a closed month has a month-end value …
    expect(figure(d, 'visits.coverage').trend).toEqual([]);
    // … and the month-end value the job stored on a month's last evening becomes that month's point.
    const region = await regionByCode(s.ctx.db, TREE.communityA1);
    if (!region) throw new Error('no region');
    await captureState(s.ctx, region, months[4]);
    const withHistory = figure(await dashboard(`?regionCode=${TREE.communityA1}`), 'visits.coverage');
    expect(withHistory.trend).toEqual([
      { month: months[4].month, value: 100 },
      { month: cur.month, value: 100 },
    ]);
    // The snapshot itself is not a month of the current region's other figures: the current month is not stored as figures.
    expect((await snapshotRows(TREE.communityA1)).map((r) => r.month)).not.toContain(cur.month);
  });

  it('the ad-hoc statistics and the monthly report read the same snapshots for closed months', async () => {
    const before = snapshotCounters.computed;
    const q = `period=month&first=${months[0].month}&last=${cur.month}&regionCode=${TREE.streetA}`;
    const d = await dashboard(`?regionCode=${TREE.streetA}`);
    for (const id of ['orders.points', 'orders.created', 'alarms.sla', 'elders.total']) {
      const res = await bureau.get(`/api/v1/statistics/series?indicator=${id}&${q}`);
      expect(res.statusCode).toBe(200);
      expect((res.json() as { total: Array<number | null> }).total).toEqual(figure(d, id).trend.map((p) => p.value));
    }
    // Every closed month was already stored by the dashboard's reads: nothing computed again.
    expect(snapshotCounters.computed - before).toBe(0);
    const report = await bureau.get(`/api/v1/statistics/monthly-report?month=${months[4].month}&regionCode=${TREE.streetA}`);
    expect(report.statusCode).toBe(200);
  });
});
