import type { SupervisionDashboard } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createAccount, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { lastSixMonths } from './supervision.service.ts';

/**
 * The figures of volunteers and the time bank, family care beds, 医养结合, health records, patrols
 * and inspections, against a hand-counted fixture in two streets.
 */
type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let streetA: Api;

const months = lastSixMonths(new Date());
const cur = months[5];
const monthStart = new Date(cur.startAt).getTime();
/** A moment inside this month and in the past, whatever day the test runs on. */
const t = new Date((monthStart + Date.now()) / 2);
/** Mid-way through the month two months back. */
const twoAgo = new Date((new Date(months[3].startAt).getTime() + new Date(months[3].endAt).getTime()) / 2);
const today = cstDate();
const year = Number(today.slice(0, 4));
const born = (age: number) => `${year - age}-01-01`;
/** 1 in January, when a physical of 1 January is one of this month's. */
const january = cur.month.endsWith('-01') ? 1 : 0;

const figure = (d: SupervisionDashboard, key: string) => {
  const f = d.groups.flatMap((g) => g.figures).find((x) => x.key === key);
  if (!f) throw new Error(`no figure ${key}`);
  return f;
};
const dashboard = async (api: Api, q = '') => {
  const res = await api.get(`/api/v1/supervision/dashboard${q}`);
  expect(res.statusCode).toBe(200);
  return res.json() as SupervisionDashboard;
};

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  const db = s.ctx.db;
  // On the register since before the six months began.
  const since = new Date(new Date(months[0].startAt).getTime() - 86_400_000);
  const e = async (region: string, age: number) =>
    (await createElder(s.ctx, region, { birthDate: born(age), createdAt: since })).id;
  // 65+: 甲一 three (70, 70, 80) and one aged 62; 乙一 one (75).
  const a = [await e(TREE.communityA1, 70), await e(TREE.communityA1, 70), await e(TREE.communityA1, 80)];
  const young = await e(TREE.communityA1, 62);
  const b = await e(TREE.communityB1, 75);

  // Volunteers: 甲一 two approved and one pending; 乙一 one approved.
  let v = 0;
  const volunteer = async (region: string, status: string) => {
    const u = await createAccount(s.ctx, 'volunteer', { regionCode: region });
    const n = ++v;
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO volunteers (user_id, name, phone_enc, phone_index, phone_masked, region_code, status, source)
        VALUES (${u.id}, ${`志愿者${n}`}, 'x', ${`idx${n}`}, '138****0000', ${region}, ${status}, 'staff') RETURNING id`,
    );
    return row.id;
  };
  const v1 = await volunteer(TREE.communityA1, 'approved');
  await volunteer(TREE.communityA1, 'approved');
  await volunteer(TREE.communityA1, 'pending');
  const vb = await volunteer(TREE.communityB1, 'approved');
  // Tasks confirmed: 甲一 this month 60 + 90 min, two months back 30 min; one done but unconfirmed this month. 乙一 this month 45.
  const task = (vol: string, region: string, elderId: string, status: string, at: Date, minutes: number | null) =>
    db.execute(sql`INSERT INTO volunteer_tasks (region_code, elder_id, kind, scheduled_on, planned_minutes, status, volunteer_id,
        confirmed_at, credited_minutes)
      VALUES (${region}, ${elderId}, 'visit', ${today}, 60, ${status}, ${vol},
        ${status === 'confirmed' ? at.toISOString() : null}, ${minutes})`);
  await task(v1, TREE.communityA1, a[0], 'confirmed', t, 60);
  await task(v1, TREE.communityA1, a[1], 'confirmed', t, 90);
  await task(v1, TREE.communityA1, a[1], 'confirmed', twoAgo, 30);
  await task(v1, TREE.communityA1, a[2], 'done', t, null);
  await task(vb, TREE.communityB1, b, 'confirmed', t, 45);
  // Redemptions in 甲一 this month: 60 min, and 30 min given back.
  const redeem = (minutes: number, returned: boolean) =>
    db.execute(sql`INSERT INTO timebank_redemptions (volunteer_id, elder_id, region_code, beneficiary, kind, minutes, service_minutes,
        scheduled_on, returned_tx_id, created_at)
      VALUES (${v1}, ${a[0]}, ${TREE.communityA1}, 'self', 'visit', ${minutes}, ${minutes}, ${today},
        ${returned ? '00000000-0000-0000-0000-000000000001' : null}, ${t.toISOString()})`);
  await redeem(60, false);
  await redeem(30, true);

  // Family beds in 甲一: one active since two months back, one suspended since last month, one
  // applied, one ended two months back (activated three months back).
  const assessment = async (elderId: string) =>
    (
      await queryRows<{ id: string }>(
        db,
        sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total, preliminary_level, level, status)
        VALUES (${elderId}, ${TREE.communityA1}, 'first', ${months[1].firstDay}, '{}', '{}', '{}', 40, 'moderate', 'moderate', 'signed') RETURNING id`,
      )
    )[0].id;
  const bed = async (elderId: string, status: string, activated: string | null, ended: string | null) =>
    db.execute(sql`INSERT INTO family_beds (elder_id, region_code, status, applied_on, assessment_id, ability_level, activated_on, ended_on)
      VALUES (${elderId}, ${TREE.communityA1}, ${status}, ${months[1].firstDay}, ${await assessment(elderId)}, 'moderate', ${activated}, ${ended})`);
  await bed(a[0], 'active', months[3].firstDay, null);
  await bed(a[1], 'suspended', months[4].firstDay, null);
  await bed(a[2], 'applied', null, null);
  await bed(young, 'ended', months[2].firstDay, months[3].firstDay);

  // Doctor contracts: 甲一 a[0] active since two months back, a[1] active from this month's first
  // day (signed now), a[2] cancelled last month; the 62-year-old's contract is not in the 65+ rate.
  const [team] = await queryRows<{ id: string }>(
    db,
    sql`WITH o AS (INSERT INTO medical_orgs (name, kind, region_code) VALUES ('甲社区卫生服务中心', 'community_health_centre', ${TREE.streetA}) RETURNING id)
      INSERT INTO doctor_teams (org_id, name, region_code, communities) SELECT id, '一组', ${TREE.streetA}, ${`{${TREE.communityA1}}`} FROM o RETURNING id`,
  );
  const contract = (elderId: string, starts: string, signed: Date, status = 'active', ended: Date | null = null) =>
    db.execute(sql`INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on, status, signed_at, ended_at)
      VALUES (${elderId}, ${team.id}, ${TREE.communityA1}, 'elderly', ${starts}, ${`${year + 1}-12-31`}, ${status}, ${signed.toISOString()},
        ${ended?.toISOString() ?? null})`);
  await contract(a[0], months[3].firstDay, twoAgo);
  await contract(a[1], cur.firstDay, new Date(monthStart - 3600_000));
  await contract(a[2], months[3].firstDay, twoAgo, 'ended', new Date(new Date(months[4].startAt).getTime() + 86_400_000));
  await contract(young, months[3].firstDay, twoAgo);

  // Physicals: a[0] and a[1] this year (a[0] this month, a[1] on 1 January: also this month in
  // January), b one this month.
  const physical = (elderId: string, date: string) =>
    db.execute(
      sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date) VALUES (${elderId}, ${Number(date.slice(0, 4))}, ${date})`,
    );
  await physical(a[0], cur.firstDay);
  await physical(a[1], `${year}-01-01`);
  await physical(b, cur.firstDay);

  // Patrols at an institution in 甲二: this month two closed runs (one complete, one late) and an
  // open one; two months back one missed. One open hazard, one rectified.
  const org = await createOrg(s.ctx, 'institution', TREE.communityA2, '甲二养老院');
  const [route] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO patrol_routes (org_id, name) VALUES (${org.id}, '夜间巡查') RETURNING id`,
  );
  const [cp] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO patrol_checkpoints (route_id, org_id, seq, name, area, kind, code)
      VALUES (${route.id}, ${org.id}, 1, '消防通道', '一楼', 'fire_exit', 'sv-care-cp1') RETURNING id`,
  );
  let r = 0;
  const run = (at: Date, status: string) =>
    db.execute(sql`INSERT INTO patrol_runs (route_id, org_id, shift, starts_at, due_at, closes_at, status, checkpoints)
      VALUES (${route.id}, ${org.id}, 'night', ${new Date(at.getTime() + ++r * 1000).toISOString()},
        ${new Date(at.getTime() + 3600_000).toISOString()}, ${new Date(at.getTime() + 7200_000).toISOString()}, ${status}, 1)`);
  await run(t, 'complete');
  await run(t, 'late');
  await run(t, 'open');
  await run(twoAgo, 'missed');
  const hazard = (status: string) =>
    db.execute(sql`INSERT INTO patrol_hazards (org_id, checkpoint_id, area, description, status, deadline_on)
      VALUES (${org.id}, ${cp.id}, '一楼', '通道堵塞', ${status}, ${today})`);
  await hazard('open');
  await hazard('rectified');

  // Inspections: the same institution finished this month with two findings, one open.
  const [tpl] = await queryRows<{ id: string }>(db, sql`SELECT id FROM inspection_templates LIMIT 1`);
  const [insp] = await queryRows<{ id: string }>(
    db,
    sql`WITH rd AS (INSERT INTO inspection_rounds (region_code, kind, period, name, due_on)
        VALUES (${TREE.district}, 'annual', ${String(year)}, '年度检查', ${today}) RETURNING id)
      INSERT INTO inspections (round_id, org_id, org_type, region_code, template_id, period, status, total_score, grade, finished_at)
      SELECT rd.id, ${org.id}, 'institution', ${TREE.communityA2}, ${tpl.id}, ${String(year)}, 'finished', 800, 4, ${t.toISOString()}
      FROM rd RETURNING id`,
  );
  const finding = (status: string) =>
    db.execute(sql`INSERT INTO inspection_findings (inspection_id, org_id, description, deadline, status)
      VALUES (${insp.id}, ${org.id}, '消防记录不全', ${today}, ${status})`);
  await finding('open');
  await finding('closed');
});
afterAll(() => s.close());

describe('supervision dashboard: the later modules', () => {
  it('counts a street’s volunteers, time bank, family beds, contracts, physicals, patrols and inspections as hand-counted', async () => {
    const d = await dashboard(streetA);
    expect(figure(d, 'volunteers.approved').value).toBe(2);
    expect(figure(d, 'volunteers.pending').value).toBe(1);
    expect(figure(d, 'volunteers.tasks').value).toBe(2);
    expect(figure(d, 'volunteers.tasks').trend.map((p) => p.value)).toEqual([0, 0, 0, 1, 0, 2]);
    expect(figure(d, 'timebank.credited').value).toBe(150);
    expect(figure(d, 'timebank.credited').unit).toBe('minutes');
    expect(figure(d, 'timebank.redeemed').value).toBe(60);
    // 本月兑换时长 drills to the time bank's redemptions of the month: the one given back is
    // listed, marked, and left out of the total, which equals the figure.
    const redeemDrill = figure(d, 'timebank.redeemed').drill;
    expect(redeemDrill).toEqual({ path: 'volunteers/timebank', query: { regionCode: TREE.streetA, month: cur.month } });
    const redeemed = await streetA.get(`/api/v1/timebank/redemptions?${new URLSearchParams(redeemDrill.query)}`);
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.json().totalMinutes).toBe(60);
    expect(redeemed.json().total).toBe(2);
    expect(
      redeemed
        .json()
        .items.map((r: { minutes: number; returned: boolean; volunteerName: string }) => [r.minutes, r.returned, r.volunteerName])
        .sort(),
    ).toEqual([
      [30, true, '志愿者1'],
      [60, false, '志愿者1'],
    ]);
    // The month before has none; street B (the bureau asking) has none of street A's.
    const before = await streetA.get(`/api/v1/timebank/redemptions?month=${months[4].month}`);
    expect(before.json()).toMatchObject({ total: 0, totalMinutes: 0, items: [] });
    const otherStreet = await bureau.get(`/api/v1/timebank/redemptions?regionCode=${TREE.streetB}&month=${cur.month}`);
    expect(otherStreet.json()).toMatchObject({ total: 0, totalMinutes: 0 });
    expect((await bureau.get(`/api/v1/timebank/redemptions?month=${cur.month}`)).json().total).toBe(2);
    expect((await streetA.get('/api/v1/timebank/redemptions?month=2026-13')).statusCode).toBe(400);
    // 本月完成志愿任务 drills to the task list of the tasks confirmed in the month (confirmedMonth).
    const taskDrill = figure(d, 'volunteers.tasks').drill;
    expect(taskDrill).toEqual({
      path: 'volunteers/tasks',
      query: { regionCode: TREE.streetA, month: cur.month, status: 'confirmed' },
    });
    const drilled = await streetA.get(
      `/api/v1/volunteer-tasks?regionCode=${TREE.streetA}&status=confirmed&confirmedMonth=${cur.month}&count=true`,
    );
    expect(drilled.statusCode).toBe(200);
    expect(drilled.json().total).toBe(figure(d, 'volunteers.tasks').value);
    expect((await streetA.get('/api/v1/volunteer-tasks?confirmedMonth=2026-13')).statusCode).toBe(400);

    // Set up and not ended at each month's end: the ended bed ran from month 2 to month 3's first day.
    expect(figure(d, 'familyBeds.open').trend.map((p) => p.value)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(figure(d, 'familyBeds.pending').value).toBe(1);

    // 65+ in street A: three. Contracted: a[0] since month 3; a[1] from this month; a[2] cancelled in month 4.
    expect(figure(d, 'medical.contracted').trend.map((p) => p.value)).toEqual([0, 0, 0, 2, 1, 2]);
    expect(figure(d, 'medical.coverage').value).toBe(66.7);
    expect(figure(d, 'medical.coverage').trend.map((p) => p.value)).toEqual([0, 0, 0, 66.7, 33.3, 66.7]);
    expect(figure(d, 'medical.coverage').drill).toEqual({
      path: 'medical/contracts',
      query: { regionCode: TREE.streetA, status: 'active' },
    });

    expect(figure(d, 'health.physicals').value).toBe(1 + january);
    // Two of street A's three 65+ elders examined this year (the one in street B does not count).
    expect(figure(d, 'health.physicalRate').value).toBe(66.7);

    expect(figure(d, 'patrols.runs').trend.map((p) => p.value)).toEqual([0, 0, 0, 1, 0, 2]);
    expect(figure(d, 'patrols.onTime').value).toBe(50);
    expect(figure(d, 'patrols.onTime').trend[3].value).toBe(0);
    expect(figure(d, 'patrols.onTime').trend[4].value).toBeNull();
    expect(figure(d, 'patrols.hazardsOpen').value).toBe(1);
    expect(figure(d, 'inspections.finished').value).toBe(1);
    expect(figure(d, 'inspections.findingsOpen').value).toBe(1);
    expect(figure(d, 'inspections.finished').drill.query).toEqual({
      regionCode: TREE.streetA,
      month: cur.month,
      status: 'finished',
    });
  });

  it('adds street B for the bureau and leaves street A’s rows out of street B', async () => {
    const d = await dashboard(bureau);
    expect(figure(d, 'volunteers.approved').value).toBe(3);
    expect(figure(d, 'volunteers.tasks').value).toBe(3);
    expect(figure(d, 'timebank.credited').value).toBe(195);
    expect(figure(d, 'health.physicals').value).toBe(2 + january);
    // 4 elders 65+, 2 contracted.
    expect(figure(d, 'medical.coverage').value).toBe(50);
    expect(figure(d, 'health.physicalRate').value).toBe(75);

    const b = await dashboard(bureau, `?regionCode=${TREE.streetB}`);
    expect(figure(b, 'volunteers.approved').value).toBe(1);
    expect(figure(b, 'volunteers.tasks').value).toBe(1);
    expect(figure(b, 'familyBeds.open').value).toBe(0);
    expect(figure(b, 'medical.coverage').value).toBe(0);
    expect(figure(b, 'patrols.runs').value).toBe(0);
    expect(figure(b, 'patrols.onTime').value).toBeNull();
    expect(figure(b, 'inspections.findingsOpen').value).toBe(0);

    // A community of street A sees only its own rows: the institution is in 甲二.
    const a1 = await dashboard(streetA, `?regionCode=${TREE.communityA1}`);
    expect(figure(a1, 'patrols.hazardsOpen').value).toBe(0);
    expect(figure(a1, 'volunteers.approved').value).toBe(2);
  });

  it('gives the statistics indicators of health records, patrols and inspections by region level, as the dashboard counts them', async () => {
    const series = async (api: Api, id: string, q: string) => {
      const res = await api.get(
        `/api/v1/statistics/series?indicator=${id}&period=month&first=${months[0].month}&last=${cur.month}${q}`,
      );
      expect(res.statusCode).toBe(200);
      return res.json() as { total: Array<number | null>; rows?: Array<{ regionCode: string; values: Array<number | null> }> };
    };
    for (const [api, code] of [
      [bureau, TREE.district],
      [streetA, TREE.streetA],
      [bureau, TREE.streetB],
      [streetA, TREE.communityA1],
    ] as const) {
      const d = await dashboard(api, `?regionCode=${code}`);
      for (const id of ['health.physicals', 'inspections.finished']) {
        expect((await series(api, id, `&regionCode=${code}`)).total).toEqual(figure(d, id).trend.map((p) => p.value));
      }
      for (const id of ['patrols.hazardsOpen', 'inspections.findingsOpen']) {
        // Today's value in the current month, none in the closed ones (no history kept).
        expect((await series(api, id, `&regionCode=${code}`)).total).toEqual([null, null, null, null, null, figure(d, id).value]);
      }
    }
    // Hand-counted: street A has 1 physical (2 in January), 1 inspection finished, 1 open hazard and 1 open finding this month; street B none.
    expect((await series(streetA, 'health.physicals', '')).total[5]).toBe(1 + january);
    expect((await series(streetA, 'patrols.hazardsOpen', '')).total[5]).toBe(1);
    expect((await series(bureau, 'inspections.findingsOpen', `&regionCode=${TREE.streetB}`)).total[5]).toBe(0);
    // A street cannot ask for the other street.
    expect(
      (
        await streetA.get(
          `/api/v1/statistics/series?indicator=health.physicals&period=month&first=${cur.month}&last=${cur.month}&regionCode=${TREE.streetB}`,
        )
      ).statusCode,
    ).toBe(404);
  });
});
