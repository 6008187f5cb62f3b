import type { SupervisionDashboard, SupervisionScreen } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { lastSixMonths } from './supervision.service.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let streetA: Api;
let communityA1: Api;
let operator: Api;

const months = lastSixMonths(new Date());
const cur = months[5];
const monthStart = new Date(cur.startAt).getTime();
// A moment inside this month and in the past, whatever day the test runs on.
const t = new Date((monthStart + Date.now()) / 2);
const lastMonth = new Date(monthStart - 86_400_000);
const year = Number(cur.month.slice(0, 4));
/** Born mid-June: `age` or `age - 1` years old at this month's end, inside one band either way. */
const born = (age: number) => `${year - age}-06-15`;

const dashboard = async (api: Api, q = '') => {
  const res = await api.get(`/api/v1/supervision/dashboard${q}`);
  return { status: res.statusCode, body: res.json() as SupervisionDashboard };
};
const figure = (d: SupervisionDashboard, key: string) => {
  const f = d.groups.flatMap((g) => g.figures).find((x) => x.key === key);
  if (!f) throw new Error(`no figure ${key}`);
  return f;
};

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  const db = s.ctx.db;

  // Elders. 甲一: 65, 65, 75, 95. 甲二: 85, 55, and one who died last year. 乙一: 65, 65, 85.
  const e = async (region: string, age: number, extra: Parameters<typeof createElder>[2] = {}) =>
    (await createElder(s.ctx, region, { birthDate: born(age), ...extra })).id;
  const a1 = [
    await e(TREE.communityA1, 65),
    await e(TREE.communityA1, 65),
    await e(TREE.communityA1, 75),
    await e(TREE.communityA1, 95),
  ];
  const a2 = [await e(TREE.communityA2, 85), await e(TREE.communityA2, 55)];
  await e(TREE.communityA2, 85, { status: 'deceased', statusDate: `${year - 1}-03-01` });
  const b1 = [await e(TREE.communityB1, 65), await e(TREE.communityB1, 65), await e(TREE.communityB1, 85)];

  // Service orders. 甲一 this month: one served (10 points), one just created, one voided; last
  // month: one served (5 points). 乙一 this month: one served (7 points).
  const [item] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points)
      VALUES ('sv_bath', 'daily_care', '助浴', 'visit', 60, 5000, 6000, 10) RETURNING id`,
  );
  let no = 0;
  const order = (elderId: string, region: string, status: string, createdAt: Date, points: number) =>
    db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
      VALUES (${`SV${++no}`}, ${elderId}, ${region}, ${item.id}, 'console', ${status}, ${createdAt.toISOString()}, 60, 'points', ${points},
        ${createdAt.toISOString()}, ${status === 'served' ? createdAt.toISOString() : null})`);
  await order(a1[0], TREE.communityA1, 'served', t, 10);
  await order(a1[1], TREE.communityA1, 'created', t, 10);
  await order(a1[2], TREE.communityA1, 'voided', t, 10);
  await order(a1[0], TREE.communityA1, 'served', lastMonth, 5);
  await order(b1[0], TREE.communityB1, 'served', t, 7);

  // Life-safety alarms this month. 甲一: acknowledged after 30 s, 30 s and 120 s (2 of 3 within 60 s).
  // 乙一: one after 10 s.
  let k = 0;
  const alarm = (elderId: string, region: string, ackSeconds: number) =>
    db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, merge_key, open, elder_id, region_code, raised_at, acknowledged_at)
      VALUES ('fall', 'P1', 'P1', 'acknowledged', ${`sv:${++k}`}, true, ${elderId}, ${region}, ${t.toISOString()},
        ${new Date(t.getTime() + ackSeconds * 1000).toISOString()})`);
  await alarm(a1[0], TREE.communityA1, 30);
  await alarm(a1[1], TREE.communityA1, 30);
  await alarm(a1[2], TREE.communityA1, 120);
  await alarm(b1[0], TREE.communityB1, 10);

  // High-age allowance in 甲一: three recipients (two paid, one suspended) and one applicant; two
  // recipients passed this period's verification, one failed it; the applicant's pass does not count.
  const app = (elderId: string, status: string) =>
    db.execute(sql`INSERT INTO allowance_applications (elder_id, region_code, source, status)
      VALUES (${elderId}, ${TREE.communityA1}, 'staff', ${status})`);
  const verify = (elderId: string, result: string) =>
    db.execute(
      sql`INSERT INTO allowance_verifications (elder_id, period, method, result) VALUES (${elderId}, ${cur.month}, 'in_person', ${result})`,
    );
  await app(a1[0], 'active');
  await app(a1[1], 'active');
  await app(a1[2], 'suspended');
  await app(a1[3], 'community');
  await verify(a1[0], 'passed');
  await verify(a1[2], 'passed');
  await verify(a1[1], 'failed');
  await verify(a1[3], 'passed');

  // Care-visit plans in 甲一: every 30 days, visited 10 days ago (covered); every 7 days, visited 10
  // days ago (not covered); every 30 days, only a scheduled visit (not covered). An inactive plan is left out.
  const plan = async (elderId: string, interval: number, visitedDaysAgo: number | null, active = true) => {
    const [p] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO care_visit_plans (elder_id, region_code, risk_level, interval_days, active)
        VALUES (${elderId}, ${TREE.communityA1}, 'high', ${interval}, ${active}) RETURNING id`,
    );
    if (visitedDaysAgo !== null) {
      const at = new Date(Date.now() - visitedDaysAgo * 86_400_000);
      await db.execute(sql`INSERT INTO care_visits (plan_id, elder_id, region_code, due_on, status, outcome, visited_at)
        VALUES (${p.id}, ${elderId}, ${TREE.communityA1}, ${at.toISOString().slice(0, 10)}, 'done', 'met', ${at.toISOString()})`);
    }
  };
  await plan(a1[0], 30, 10);
  await plan(a1[1], 7, 10);
  await plan(a1[2], 30, null);
  await plan(a1[3], 30, 1, false);

  // An institution in 甲二 with four beds: two occupied, one free, one out of service.
  const org = await createOrg(s.ctx, 'institution', TREE.communityA2, '甲二养老院');
  const [room] = await queryRows<{ id: string }>(
    db,
    sql`WITH b AS (INSERT INTO institution_buildings (org_id, name) VALUES (${org.id}, '一号楼') RETURNING id),
      f AS (INSERT INTO institution_floors (building_id, name, level) SELECT id, '一层', 1 FROM b RETURNING id)
      INSERT INTO institution_rooms (floor_id, name) SELECT id, '101' FROM f RETURNING id`,
  );
  for (const [i, elderId] of a2.entries()) {
    const [adm] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO admissions (org_id, elder_id, status, applied_on, admitted_on)
        VALUES (${org.id}, ${elderId}, 'admitted', ${months[3].firstDay}, ${months[3].firstDay}) RETURNING id`,
    );
    const [bed] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO beds (room_id, org_id, label, status, admission_id)
        VALUES (${room.id}, ${org.id}, ${`${i + 1}床`}, 'occupied', ${adm.id}) RETURNING id`,
    );
    await db.execute(sql`UPDATE admissions SET bed_id = ${bed.id} WHERE id = ${adm.id}`);
  }
  await db.execute(sql`INSERT INTO beds (room_id, org_id, label, status) VALUES (${room.id}, ${org.id}, '3床', 'free'),
    (${room.id}, ${org.id}, '4床', 'out_of_service')`);
});
afterAll(() => s.close());

describe('supervision dashboard', () => {
  it('counts a street’s elders by age band, its orders, alarm SLA and beds as hand-counted', async () => {
    const { status, body } = await dashboard(streetA);
    expect(status).toBe(200);
    expect(body.region).toEqual({ code: TREE.streetA, name: '甲街道', level: 'street' });
    expect(body.month).toBe(cur.month);
    // 甲一 4 + 甲二 2 (the one who died last year is off the register).
    expect(figure(body, 'elders.total').value).toBe(6);
    expect(figure(body, 'elders.total').trend.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 6]);
    expect(figure(body, 'elders.age.60-69').value).toBe(2);
    expect(figure(body, 'elders.age.70-79').value).toBe(1);
    expect(figure(body, 'elders.age.80-89').value).toBe(1);
    expect(figure(body, 'elders.age.90+').value).toBe(1);
    expect(figure(body, 'elders.age.90+').drill).toEqual({ path: 'elders', query: { regionCode: TREE.streetA, ageBand: '90+' } });

    // Created this month, voided left out; last month's served order in last month's point.
    expect(figure(body, 'orders.created').value).toBe(2);
    expect(figure(body, 'orders.completed').value).toBe(1);
    expect(figure(body, 'orders.points').value).toBe(10);
    expect(figure(body, 'orders.completed').trend.map((p) => p.value)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(figure(body, 'orders.points').trend.map((p) => p.value)).toEqual([0, 0, 0, 0, 5, 10]);

    expect(figure(body, 'alarms.raised').value).toBe(3);
    expect(figure(body, 'alarms.sla').value).toBe(66.7);

    expect(figure(body, 'beds.total').value).toBe(3);
    expect(figure(body, 'beds.occupied').value).toBe(2);
    expect(figure(body, 'beds.occupancy').value).toBe(66.7);
    // Admitted at the start of the month three months back: in a bed at the end of that month and since.
    expect(figure(body, 'beds.occupied').trend.map((p) => p.value)).toEqual([0, 0, 0, 2, 2, 2]);
    expect(figure(body, 'organizations.institution.active').value).toBe(1);
    // The drill-down's query is one the list behind it accepts, and the list agrees with the figure.
    const orgDrill = figure(body, 'organizations.institution.active').drill;
    expect(orgDrill).toEqual({
      path: 'organizations',
      query: { regionCode: TREE.streetA, type: 'institution', status: 'active' },
    });
    const orgs = await streetA.get(`/api/v1/organizations?${new URLSearchParams(orgDrill.query)}`);
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items.map((o: { name: string }) => o.name)).toEqual(['甲二养老院']);
    const closed = await streetA.get(`/api/v1/organizations?regionCode=${TREE.streetA}&type=institution&status=closed`);
    expect(closed.json().items).toEqual([]);
    expect((await streetA.get('/api/v1/organizations?status=gone')).statusCode).toBe(400);
    // 2 of 3 recipients verified (a failure and an applicant's pass do not count); 1 of 3 active plans covered.
    expect(figure(body, 'allowance.verified').value).toBe(66.7);
    expect(figure(body, 'allowance.verified').drill.query.period).toBe(cur.month);
    expect(figure(body, 'visits.coverage').value).toBe(33.3);
  });

  it('adds up the whole district for the bureau, and its streets on request', async () => {
    const district = (await dashboard(bureau)).body;
    expect(district.region.level).toBe('district');
    expect(figure(district, 'elders.total').value).toBe(9);
    expect(figure(district, 'elders.age.60-69').value).toBe(4);
    expect(figure(district, 'elders.age.80-89').value).toBe(2);
    expect(figure(district, 'orders.created').value).toBe(3);
    expect(figure(district, 'orders.points').value).toBe(17);
    expect(figure(district, 'alarms.raised').value).toBe(4);
    expect(figure(district, 'alarms.sla').value).toBe(75);

    const b = (await dashboard(bureau, `?regionCode=${TREE.streetB}`)).body;
    expect(b.region.name).toBe('乙街道');
    expect(figure(b, 'elders.total').value).toBe(3);
    expect(figure(b, 'beds.occupancy').value).toBeNull();
  });

  it('lets a street see only its own communities: another street or the district is 404', async () => {
    const a1 = await dashboard(streetA, `?regionCode=${TREE.communityA1}`);
    expect(a1.status).toBe(200);
    expect(figure(a1.body, 'elders.total').value).toBe(4);
    expect(figure(a1.body, 'beds.total').value).toBe(0);
    for (const code of [TREE.streetB, TREE.communityB1, TREE.district, '990199']) {
      const r = await dashboard(streetA, `?regionCode=${code}`);
      expect(r.status, code).toBe(404);
      expect(r.body).toMatchObject({ status: 404 });
    }
    expect((await dashboard(communityA1, `?regionCode=${TREE.streetA}`)).status).toBe(404);
    expect(figure((await dashboard(communityA1)).body, 'alarms.raised').value).toBe(3);
  });

  it('gives the command-centre screen every community of the caller’s region only, with its indicators', async () => {
    const res = await streetA.get('/api/v1/supervision/screen');
    expect(res.statusCode).toBe(200);
    const body = res.json() as SupervisionScreen;
    expect(body.region.code).toBe(TREE.streetA);
    // 甲一: four elders, all 65+ or not (one is 65 born mid-June), none contracted; 甲二: two on the register.
    expect(body.communities.map((c) => [c.regionCode, c.elders])).toEqual([
      [TREE.communityA1, 4],
      [TREE.communityA2, 2],
    ]);
    expect(body.communities[0].coverage).toBe(0);
    expect(body.today).toMatchObject({ meals: 0, servicesInProgress: 0 });
    const district = (await bureau.get('/api/v1/supervision/screen')).json() as SupervisionScreen;
    expect(district.communities.map((c) => c.regionCode)).toEqual([TREE.communityA1, TREE.communityA2, TREE.communityB1]);
    expect((await operator.get('/api/v1/supervision/screen')).statusCode).toBe(403);
  });

  it('is for region staff only, and refuses a malformed region code', async () => {
    expect((await dashboard(operator)).status).toBe(403);
    const bad = await dashboard(streetA, '?regionCode=abc');
    expect(bad.status).toBe(400);
  });

  // Last: it adds an order (created last month, booked next month, served this month), so the
  // created, served and booked months all differ and only the figure's own column gives its rows.
  it('drills each order figure to a list of exactly its rows, for the region and month', async () => {
    const [a1] = await queryRows<{ id: string; item_id: string }>(
      s.ctx.db,
      sql`SELECT elder_id AS id, item_id FROM service_orders WHERE region_code = ${TREE.communityA1} LIMIT 1`,
    );
    const nextMonth = new Date(new Date(cur.endAt).getTime() + 86_400_000);
    await s.ctx.db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
      VALUES ('SV-late', ${a1.id}, ${TREE.communityA1}, ${a1.item_id}, 'console', 'confirmed', ${nextMonth.toISOString()}, 60, 'points', 3,
        ${lastMonth.toISOString()}, ${t.toISOString()})`);
    for (const [api, code] of [
      [bureau, TREE.district],
      [bureau, TREE.streetA],
      [streetA, TREE.communityA1],
      [bureau, TREE.communityB1],
    ] as const) {
      const { body } = await dashboard(api, `?regionCode=${code}`);
      for (const key of ['orders.created', 'orders.completed', 'orders.points']) {
        const f = figure(body, key);
        expect(f.drill.path).toBe('service-orders');
        const res = await api.get(`/api/v1/service-orders?${new URLSearchParams({ ...f.drill.query, limit: '200' })}`);
        expect(res.statusCode).toBe(200);
        const list = res.json() as { total: number; items: Array<{ points: number | null }> };
        const drilled = key === 'orders.points' ? list.items.reduce((n, o) => n + (o.points ?? 0), 0) : list.total;
        expect({ code, key, drilled }).toEqual({ code, key, drilled: f.value });
      }
    }
    const { body } = await dashboard(streetA);
    expect(figure(body, 'orders.completed').value).toBe(2);
    expect(figure(body, 'orders.created').value).toBe(2);
    expect(figure(body, 'orders.completed').drill.query).toMatchObject({ month: cur.month, monthBy: 'served' });
    // The same month on the booked time is a different list; a malformed month or column is refused.
    const booked = await streetA.get(`/api/v1/service-orders?month=${cur.month}&regionCode=${TREE.streetA}`);
    expect(booked.json().total).toBe(3);
    expect((await streetA.get('/api/v1/service-orders?month=2026-13')).statusCode).toBe(400);
    expect((await streetA.get(`/api/v1/service-orders?month=${cur.month}&monthBy=paid`)).statusCode).toBe(400);
  });
});
