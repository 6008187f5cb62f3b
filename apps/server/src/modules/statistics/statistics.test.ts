import type { MonthlyReport, ReportLine, StatisticsSeries } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { cnMonthOf, periodWindow } from './periods.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let streetA: Api;
let communityA1: Api;
let operator: Api;

// The report month M is last month (China time), wholly past; M-1 and the same month last year beside it.
const M = addMonths(cnMonthOf(), -1);
const PREV = addMonths(M, -1);
const LY = addMonths(M, -12);
const w = (m: string) => periodWindow('month', m);
/** A moment in the middle of a month. */
const mid = (m: string, plusSeconds = 0) =>
  new Date((new Date(w(m).startAt).getTime() + new Date(w(m).endAt).getTime()) / 2 + plusSeconds * 1000);
const year = Number(M.slice(0, 4));
/** Born mid-June: `age` or `age - 1` at the end of M, and still in the same band a year earlier. */
const born = (age: number) => `${year - age}-06-15`;
const longAgo = new Date(Date.UTC(year - 3, 0, 10));

const report = async (api: Api, q: string) => {
  const res = await api.get(`/api/v1/statistics/monthly-report?month=${M}${q}`);
  return { status: res.statusCode, body: res.json() as MonthlyReport };
};
const lineOf = (r: MonthlyReport, id: string): ReportLine => {
  const l = r.sections.flatMap((x) => x.lines).find((x) => x.id === id);
  if (!l) throw new Error(`no line ${id}`);
  return l;
};
/** current, previous, same month last year. */
const three = (l: ReportLine) => [l.current, l.previous, l.lastYear];

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  const db = s.ctx.db;
  const e = async (region: string, age: number, createdAt: Date, extra: Parameters<typeof createElder>[2] = {}) =>
    (await createElder(s.ctx, region, { birthDate: born(age), createdAt, ...extra })).id;

  // Elders. 甲一: 68 and 86 (long registered), 76 (registered in M). 甲二: 93 (registered in M-1),
  // 72 (long registered, died on M's first day: on the register at the end of M-1 and last year, not M).
  // 乙一: 67 (long registered).
  const e1 = await e(TREE.communityA1, 68, longAgo);
  const e2 = await e(TREE.communityA1, 86, longAgo);
  const e3 = await e(TREE.communityA1, 76, mid(M));
  const e4 = await e(TREE.communityA2, 93, mid(PREV));
  await e(TREE.communityA2, 72, longAgo, { status: 'deceased', statusDate: w(M).firstDay });
  const e6 = await e(TREE.communityB1, 67, longAgo);

  // Orders: 甲一 served in M (10 points) and in M-1 (5 points), one voided in M; 乙一 served in M (7 points).
  const [item] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points)
      VALUES ('st_bath', 'daily_care', '助浴', 'visit', 60, 5000, 6000, 10) RETURNING id`,
  );
  let no = 0;
  const order = (elderId: string, region: string, status: string, at: Date, points: number) =>
    db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
      VALUES (${`ST${++no}`}, ${elderId}, ${region}, ${item.id}, 'console', ${status}, ${at.toISOString()}, 60, 'points', ${points},
        ${at.toISOString()}, ${status === 'served' ? at.toISOString() : null})`);
  await order(e1, TREE.communityA1, 'served', mid(M), 10);
  await order(e2, TREE.communityA1, 'served', mid(PREV), 5);
  await order(e2, TREE.communityA1, 'voided', mid(M), 10);
  await order(e6, TREE.communityB1, 'served', mid(M), 7);

  // Meals in 甲一: two served in M (3 yuan subsidy each) and one refunded; one served last year (2 yuan).
  const canteen = await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一助餐点');
  let k = 0;
  const meal = (m: string, status: string, subsidy: number) => {
    k++;
    return db.execute(sql`INSERT INTO meals (ticket_no, canteen_id, elder_id, region_code, day, period, eaten_at, items, total_fen, subsidy_fen, self_pay_fen, pay_method, status, idempotency_key, request_hash)
      VALUES (${`T${k}`}, ${canteen.id}, ${e1}, ${TREE.communityA1}, ${w(m).firstDay}, 'lunch', ${mid(m).toISOString()}, '[]', ${subsidy + 500}, ${subsidy}, 500, 'cash', ${status}, ${`k${k}`}, 'h')`);
  };
  await meal(M, 'served', 300);
  await meal(M, 'served', 300);
  await meal(M, 'refunded', 300);
  await meal(LY, 'served', 200);

  // Volunteer tasks in 甲一 confirmed in M: 90 and 60 minutes credited; one done but not confirmed yet.
  const task = (status: string, minutes: number | null) =>
    db.execute(sql`INSERT INTO volunteer_tasks (region_code, elder_id, kind, scheduled_on, planned_minutes, status, credited_minutes, confirmed_at)
      VALUES (${TREE.communityA1}, ${e1}, 'visit', ${w(M).firstDay}, 60, ${status}, ${minutes}, ${minutes ? mid(M).toISOString() : null})`);
  await task('confirmed', 90);
  await task('confirmed', 60);
  await task('done', null);

  // Care visits: two done in 甲一 in M, one in 甲二 in M-1, one still scheduled.
  const visit = (elderId: string, region: string, status: string, at: Date | null) =>
    db.execute(sql`INSERT INTO care_visits (elder_id, region_code, due_on, status, outcome, visited_at)
      VALUES (${elderId}, ${region}, ${w(M).firstDay}, ${status}, ${at ? 'met' : null}, ${at?.toISOString() ?? null})`);
  await visit(e1, TREE.communityA1, 'done', mid(M));
  await visit(e2, TREE.communityA1, 'done', mid(M, 60));
  await visit(e4, TREE.communityA2, 'done', mid(PREV));
  await visit(e3, TREE.communityA1, 'scheduled', null);

  // Life-safety alarms: 甲一 raised in M, acknowledged after 30 s, resolved; a technical alarm resolved in M
  // (not a rescue); 甲二 raised last year, acknowledged after 120 s, resolved.
  let a = 0;
  const alarm = (type: string, elderId: string, region: string, at: Date, ackSeconds: number) =>
    db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, outcome, merge_key, open, elder_id, region_code, raised_at, acknowledged_at, resolved_at)
      VALUES (${type}, 'P1', 'P1', 'resolved', 'handled', ${`st:${++a}`}, false, ${elderId}, ${region}, ${at.toISOString()},
        ${new Date(at.getTime() + ackSeconds * 1000).toISOString()}, ${new Date(at.getTime() + 1800_000).toISOString()})`);
  await alarm('fall', e1, TREE.communityA1, mid(M), 30);
  await alarm('battery_low', e1, TREE.communityA1, mid(M), 30);
  await alarm('fall', e4, TREE.communityA2, mid(LY), 120);

  // Calls in 甲一: in M two answered after 10 s (咨询) and one abandoned, one care call made; in M-1 one answered (服务预约).
  await db.execute(
    sql`INSERT INTO call_categories (code, name, sort) VALUES ('st_consult', '咨询', 1), ('st_service', '服务预约', 2)`,
  );
  const call = (at: Date, answered: boolean, category: string | null, direction = 'inbound', care = false) =>
    db.execute(sql`INSERT INTO calls (direction, offered_at, answered_at, outcome, category_code, region_code, campaign_task_id)
      VALUES (${direction}, ${at.toISOString()}, ${answered ? new Date(at.getTime() + 10_000).toISOString() : null},
        ${answered ? 'answered' : 'abandoned'}, ${category}, ${TREE.communityA1}, ${care ? sql`gen_random_uuid()` : null})`);
  await call(mid(M), true, 'st_consult');
  await call(mid(M, 100), true, 'st_consult');
  await call(mid(M, 200), false, null);
  await call(mid(M, 300), true, null, 'outbound', true);
  await call(mid(PREV), true, 'st_service');

  // A family-doctor contract for the 68-year-old in 甲一, in force from six months before M on.
  const [team] = await queryRows<{ id: string }>(
    db,
    sql`WITH o AS (INSERT INTO medical_orgs (name, kind, region_code) VALUES ('测试卫生服务中心', 'community_health_centre', ${TREE.district}) RETURNING id)
      INSERT INTO doctor_teams (org_id, name, region_code) SELECT id, '一队', ${TREE.streetA} FROM o RETURNING id`,
  );
  const from = w(addMonths(M, -6)).firstDay;
  await db.execute(sql`INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on, signed_at)
    VALUES (${e1}, ${team.id}, ${TREE.communityA1}, 'elderly', ${from}, ${`${year + 2}-12-31`}, ${`${from}T02:00:00Z`})`);
});
afterAll(() => s.close());

describe('monthly report 月报', () => {
  it('gives a street this month, last month and the same month last year as hand-counted, with the changes', async () => {
    const { status, body } = await report(streetA, '');
    expect(status).toBe(200);
    expect(body.region).toEqual({ code: TREE.streetA, name: '甲街道', level: 'street' });
    expect([body.month, body.previousMonth, body.lastYearMonth]).toEqual([M, PREV, LY]);

    expect(three(lineOf(body, 'elders.total'))).toEqual([4, 4, 3]);
    expect(lineOf(body, 'elders.total')).toMatchObject({ momChange: 0, momPercent: 0, yoyChange: 1, yoyPercent: 33.3 });
    expect(three(lineOf(body, 'elders.new'))).toEqual([1, 1, 0]);
    expect(lineOf(body, 'elders.new').yoyPercent).toBeNull(); // nothing to compare with
    expect(lineOf(body, 'elders.age.90+').current).toBe(1);
    expect(lineOf(body, 'elders.age.60-69').current).toBe(1);

    expect(three(lineOf(body, 'orders.completed'))).toEqual([1, 1, 0]);
    expect(lineOf(body, 'orders.points')).toMatchObject({ current: 10, previous: 5, momChange: 5, momPercent: 100 });
    expect(three(lineOf(body, 'meals.served'))).toEqual([2, 0, 1]);
    expect(three(lineOf(body, 'meals.subsidy'))).toEqual([600, 0, 200]);
    expect(three(lineOf(body, 'volunteers.tasks'))).toEqual([2, 0, 0]);
    expect(lineOf(body, 'volunteers.hours').current).toBe(2.5);
    expect(three(lineOf(body, 'visits.done'))).toEqual([2, 1, 0]);

    expect(three(lineOf(body, 'calls.offered'))).toEqual([3, 1, 0]);
    expect(three(lineOf(body, 'calls.answered'))).toEqual([2, 1, 0]);
    expect(three(lineOf(body, 'calls.sla'))).toEqual([66.7, 100, null]);
    // A rate's change is in percentage points, never a per cent of a per cent.
    expect(lineOf(body, 'calls.sla')).toMatchObject({ momChange: -33.3, momPercent: null, yoyChange: null });
    expect(three(lineOf(body, 'calls.care'))).toEqual([1, 0, 0]);
    expect(body.callCategories.map((c) => [c.name, c.current, c.previous])).toEqual([
      ['咨询', 2, 0],
      ['服务预约', 0, 1],
    ]);

    expect(three(lineOf(body, 'alarms.raised'))).toEqual([1, 0, 1]);
    expect(three(lineOf(body, 'alarms.resolved'))).toEqual([1, 0, 1]);
    expect(three(lineOf(body, 'alarms.sla'))).toEqual([100, null, 0]);

    expect(three(lineOf(body, 'medical.contracts'))).toEqual([1, 1, 0]);
    // 65+ on the register at M's end: 68, 86, 76, 93 — one contracted; last year 68, 86, 72 — none.
    expect(three(lineOf(body, 'medical.managementRate'))).toEqual([25, 25, 0]);
    // Today-only figures have no value for a past month: absent, not made up.
    expect(three(lineOf(body, 'visits.coverage'))).toEqual([null, null, null]);
    expect(three(lineOf(body, 'beds.total'))).toEqual([null, null, null]);

    expect(body.subRegions.rows.map((r) => r.name)).toEqual(['甲一社区', '甲二社区']);
    expect(body.subRegions.indicators.map((i) => i.id).slice(0, 2)).toEqual(['elders.total', 'elders.new']);
    expect(body.subRegions.rows.map((r) => r.values.slice(0, 2))).toEqual([
      [3, 1],
      [1, 0],
    ]);
  });

  it('adds up the district, with a line per street', async () => {
    const { body } = await report(bureau, '');
    expect(body.region.level).toBe('district');
    expect(three(lineOf(body, 'elders.total'))).toEqual([5, 5, 4]);
    expect(three(lineOf(body, 'orders.points'))).toEqual([17, 5, 0]);
    const completed = body.subRegions.indicators.findIndex((i) => i.id === 'orders.completed');
    expect(body.subRegions.rows.map((r) => [r.name, r.values[0], r.values[completed]])).toEqual([
      ['甲街道', 4, 1],
      ['乙街道', 1, 1],
    ]);
  });

  it('lets a street see only its own communities: another street, its community or the district is 404', async () => {
    const a1 = await report(streetA, `&regionCode=${TREE.communityA1}`);
    expect(a1.status).toBe(200);
    expect(lineOf(a1.body, 'elders.total').current).toBe(3);
    expect(a1.body.subRegions.rows).toEqual([]);
    for (const code of [TREE.streetB, TREE.communityB1, TREE.district, '990199']) {
      const r = await report(streetA, `&regionCode=${code}`);
      expect(r.status, code).toBe(404);
    }
    expect((await report(communityA1, `&regionCode=${TREE.streetA}`)).status).toBe(404);
    expect(
      (await communityA1.get(`/api/v1/statistics/monthly-report.xlsx?month=${M}&regionCode=${TREE.streetA}`)).statusCode,
    ).toBe(404);
  });

  it('refuses bad input with a 400 and other roles with a 403', async () => {
    expect((await report(operator, '')).status).toBe(403);
    expect((await operator.get('/api/v1/statistics/indicators')).statusCode).toBe(403);
    for (const q of ['?month=2026-13', '?month=abc', '', `?month=${M}&regionCode=x1`]) {
      const r = await streetA.get(`/api/v1/statistics/monthly-report${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.headers['content-type']).toContain('problem+json');
    }
  });

  it('downloads as .xlsx whose cells read back as the report (money in yuan)', async () => {
    const { body } = await report(streetA, '');
    const x = await streetA.get(`/api/v1/statistics/monthly-report.xlsx?month=${M}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['月报', '来电分类', '分区情况']);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow((r) => {
        rows.push((r.values as unknown[]).slice(1));
      });
      return rows;
    };
    const main = rowsOf('月报');
    expect(main[0][0]).toBe('甲街道养老服务工作月报');
    expect(String(main[1][0])).toContain('统计单位：甲街道');
    // An empty cell reads back as undefined (trailing ones as missing): read a fixed width.
    const byName = (name: string) => {
      const r = main.find((x) => x[0] === name);
      return r && Array.from({ length: 9 }, (_, i) => r[i]);
    };
    const cells = (l: ReportLine, div = 1) =>
      [l.current, l.previous, l.momChange, l.momPercent, l.lastYear, l.yoyChange, l.yoyPercent].map((v, i) =>
        v === null ? undefined : i === 3 || i === 6 ? v : v / div,
      );
    for (const id of ['elders.total', 'orders.points', 'calls.sla', 'medical.managementRate', 'visits.coverage']) {
      const l = lineOf(body, id);
      expect(byName(l.name)?.slice(2, 9), id).toEqual(cells(l));
    }
    const subsidy = lineOf(body, 'meals.subsidy');
    expect(byName(subsidy.name)?.slice(1, 9)).toEqual(['元', ...cells(subsidy, 100)]);
    expect(byName('在册老人')?.[1]).toBe('人');
    // Every line of every section is in the sheet, under its section's heading.
    for (const sec of body.sections) {
      expect(main.some((r) => r[0] === sec.label)).toBe(true);
      for (const l of sec.lines) expect(byName(l.name), l.id).toBeDefined();
    }
    expect(
      rowsOf('来电分类')
        .slice(3)
        .map((r) => r.slice(0, 4)),
    ).toEqual([
      ['咨询', '次', 2, 0],
      ['服务预约', '次', 0, 1],
    ]);
    expect(
      rowsOf('分区情况')
        .slice(3)
        .map((r) => r.slice(0, 3)),
    ).toEqual([
      ['甲一社区', 3, 1],
      ['甲二社区', 1, 0],
    ]);
  });
});

describe('ad-hoc statistics 自定义统计', () => {
  const series = async (api: Api, q: string) => {
    const res = await api.get(`/api/v1/statistics/series?${q}`);
    return { status: res.statusCode, body: res.json() as StatisticsSeries };
  };

  it('lists the catalogue with the source module and how each indicator is counted', async () => {
    const r = (await streetA.get('/api/v1/statistics/indicators')).json() as { items: Array<{ id: string; module: string }> };
    expect(r.items.find((i) => i.id === 'medical.managementRate')).toMatchObject({ module: 'medical', unit: 'percent' });
    expect(new Set(r.items.map((i) => i.id)).size).toBe(r.items.length);
  });

  it('breaks an indicator down by community over months for the bureau; a street sees only its communities', async () => {
    const d = await series(bureau, `indicator=elders.total&period=month&first=${PREV}&last=${M}&level=community`);
    expect(d.status).toBe(200);
    expect(d.body.periods.map((p) => p.key)).toEqual([PREV, M]);
    expect(d.body.total).toEqual([5, 5]);
    expect(d.body.rows.map((r) => [r.name, ...r.values])).toEqual([
      ['甲一社区', 2, 3],
      ['甲二社区', 2, 1],
      ['乙一社区', 1, 1],
    ]);
    const a = await series(streetA, `indicator=elders.total&period=month&first=${PREV}&last=${M}&level=community`);
    expect(a.body.rows.map((r) => r.name)).toEqual(['甲一社区', '甲二社区']);
    expect(a.body.total).toEqual([4, 4]);
    expect(
      (await series(streetA, `indicator=elders.total&period=month&first=${M}&last=${M}&regionCode=${TREE.streetB}`)).status,
    ).toBe(404);
  });

  it('adds up quarters and years: every point spent counted once', async () => {
    const q = (p: string) => (p === 'year' ? String(year - 1) : `${year - 1}-Q1`);
    const to = (p: string) => (p === 'year' ? M.slice(0, 4) : `${M.slice(0, 4)}-Q${Math.ceil(Number(M.slice(5)) / 3)}`);
    for (const p of ['quarter', 'year']) {
      const r = await series(bureau, `indicator=orders.points&period=${p}&first=${q(p)}&last=${to(p)}`);
      expect(r.status, p).toBe(200);
      expect(r.body.rows).toHaveLength(1);
      expect(r.body.total.reduce((x: number, v) => x + (v ?? 0), 0)).toBe(22);
    }
  });

  it('refuses bad queries with a 400', async () => {
    for (const q of [
      `indicator=nope&first=${M}&last=${M}`,
      `indicator=elders.total&period=month&first=${M}&last=${PREV}`,
      `indicator=elders.total&period=quarter&first=${M}&last=${M}`,
      'indicator=elders.total&period=month&first=2020-01&last=2026-12',
      `indicator=elders.total&first=${M}&last=${M}&level=district`,
    ]) {
      const r = await streetA.get(`/api/v1/statistics/series?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.headers['content-type']).toContain('problem+json');
    }
  });

  it('exports the table as .xlsx that reads back as the answer', async () => {
    const q = `indicator=meals.subsidy&period=month&first=${LY}&last=${M}&level=community`;
    const { body } = await series(streetA, q);
    const x = await streetA.get(`/api/v1/statistics/series.xlsx?${q}`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    expect(rows[0][0]).toBe('甲街道助餐补贴（元）');
    expect(rows[2]).toEqual(['地区', ...body.periods.map((p) => p.label)]);
    expect(rows[3]).toEqual(['甲街道（全辖区）', ...body.total.map((v) => (v ?? 0) / 100)]);
    expect(rows[4][0]).toBe('甲一社区');
    expect(rows[4].at(-1)).toBe(6);
    expect(rows[4][1]).toBe(2);
  });
});
