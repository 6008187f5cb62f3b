import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../jobs/job.ts';
import { runJob } from '../../jobs/workers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { closeJob, generateJob, photoBackfillJob } from './patrols.jobs.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: SafetyServer;
let staff: Api;
let otherStaff: Api;
let bureau: Api;
let orgId: string;
let otherOrgId: string;

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const cst = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);

interface Route {
  id: string;
  checkpoints: Array<{ id: string; name: string; area: string; code: string }>;
}

/** Shifts covering every hour of the day, so a run exists whatever time the test runs. */
const allDay = [
  { name: '白班', start: '08:00', windowMinutes: 720 },
  { name: '夜班', start: '20:00', windowMinutes: 720 },
];

async function createRoute(api: Api, org: string, name: string, points: Array<{ name: string; area: string; kind: string }>) {
  const r = await api.post(`/api/v1/institutions/${org}/patrol-routes`, {
    name,
    shifts: allDay,
    graceMinutes: 30,
    checkpoints: points,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as Route;
}

/** Move a run's window relative to now (minutes): the server's clock decides lateness and closing. */
async function setWindow(runId: string, startMin: number, dueMin: number, closeMin: number) {
  await s.ctx.db.execute(sql`UPDATE patrol_runs SET
    starts_at = now() + make_interval(mins => ${startMin}), due_at = now() + make_interval(mins => ${dueMin}),
    closes_at = now() + make_interval(mins => ${closeMin}) WHERE id = ${runId}`);
}

async function runOf(routeId: string) {
  const [r] = await queryRows<{ id: string }>(
    s.ctx.db,
    sql`SELECT id FROM patrol_runs WHERE route_id = ${routeId} ORDER BY starts_at LIMIT 1`,
  );
  return r.id;
}

beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  orgId = (await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院')).id;
  otherOrgId = (await createOrg(s.ctx, 'institution', TREE.communityB1, '康乐养老院')).id;
  staff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId })).api;
  otherStaff = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: otherOrgId })).api;
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
});
afterAll(() => s.close());

describe('patrol routes, runs and scans', () => {
  let route: Route;
  let other: Route;
  let runId: string;
  let hazardId: string;

  it('a route gets a random tag code per checkpoint and its runs at once; the job adds none twice', async () => {
    route = await createRoute(staff, orgId, '夜间安全巡查', [
      { name: '东侧消防通道', area: '1号楼一层', kind: 'fire_exit' },
      { name: '厨房燃气阀', area: '厨房', kind: 'gas' },
      { name: '配电室', area: '配电室', kind: 'electrical' },
    ]);
    other = await createRoute(otherStaff, otherOrgId, '日常巡查', [{ name: '大门', area: '门岗', kind: 'other' }]);
    expect(route.checkpoints.map((c) => c.code)).toEqual([
      expect.stringMatching(/^ZYP-[A-Z2-9]{16}$/),
      expect.any(String),
      expect.any(String),
    ]);
    expect(new Set(route.checkpoints.map((c) => c.code)).size).toBe(3);
    const count = async () =>
      (await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM patrol_runs WHERE route_id = ${route.id}`))[0]
        .n;
    expect(await count()).toBeGreaterThanOrEqual(2);
    await runJob(s.ctx, generateJob as JobDefinition, {});
    const made = await count();
    await runJob(s.ctx, generateJob as JobDefinition, {});
    expect(await count()).toBe(made);
    const dup = await staff.post(`/api/v1/institutions/${orgId}/patrol-routes`, {
      name: '夜间安全巡查',
      shifts: allDay,
      checkpoints: [{ name: 'x', area: 'y', kind: 'other' }],
    });
    expect(dup.statusCode).toBe(409);
    const bad = await staff.post(`/api/v1/institutions/${orgId}/patrol-routes`, {
      name: '坏班次',
      shifts: [{ name: '白班', start: '25:00', windowMinutes: 60 }],
      checkpoints: [{ name: 'x', area: 'y', kind: 'other' }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('the phone lists the open run; a wrong or another route’s code is refused, a right one recorded once', async () => {
    runId = await runOf(route.id);
    await setWindow(runId, -10, 50, 80);
    const mine = (await staff.get('/api/v1/patrol-runs/current')).json();
    expect(mine.items.map((r: { id: string }) => r.id)).toContain(runId);

    const wrong = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: 'ZYP-AAAAAAAAAAAAAAAA',
      method: 'typed',
      result: 'pass',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('wrong-checkpoint');
    const foreign = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: other.checkpoints[0].code,
      method: 'qr',
      result: 'pass',
    });
    expect(foreign.statusCode).toBe(422);

    const ok = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[0].code.toLowerCase(),
      method: 'nfc',
      result: 'pass',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const point = ok.json().points[0];
    expect(point.scan).toMatchObject({ result: 'pass', method: 'nfc', late: false });
    expect(ok.json().points[0].code).toBeUndefined();
    const again = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[0].code,
      method: 'qr',
      result: 'pass',
    });
    expect(again.statusCode).toBe(409);
  });

  it('a scan after the window is late by the server’s clock; a hazard needs a note and opens a rectification', async () => {
    await setWindow(runId, -70, -10, 20);
    const noNote = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[1].code,
      method: 'qr',
      result: 'hazard',
    });
    expect(noNote.statusCode).toBe(400);
    const r = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[1].code,
      method: 'qr',
      result: 'hazard',
      note: '燃气软管老化开裂',
      photos: [PNG],
    });
    expect(r.statusCode, r.body).toBe(201);
    const scanned = r.json().points[1].scan;
    expect(scanned).toMatchObject({ result: 'hazard', late: true });
    hazardId = scanned.hazardId;
    const list = (await staff.get(`/api/v1/institutions/${orgId}/patrol-hazards`)).json();
    const h = list.items.find((x: { id: string }) => x.id === hazardId);
    expect(h).toMatchObject({ status: 'open', area: '厨房', checkpointName: '厨房燃气阀', deadlineOn: cst(1), overdue: false });
    expect(h.photos[0].dataUrl).toBe(PNG);
  });

  it('another institution’s staff get 404 for the run, its scans and hazards', async () => {
    expect((await otherStaff.get(`/api/v1/patrol-runs/${runId}`)).statusCode).toBe(404);
    const sc = await otherStaff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[2].code,
      method: 'qr',
      result: 'pass',
    });
    expect(sc.statusCode).toBe(404);
    expect((await otherStaff.get(`/api/v1/institutions/${orgId}/patrol-hazards`)).statusCode).toBe(404);
    expect((await otherStaff.post(`/api/v1/patrol-hazards/${hazardId}/rectify`, { note: 'x' })).statusCode).toBe(404);
    expect((await otherStaff.get(`/api/v1/institutions/${orgId}/risk`)).statusCode).toBe(404);
  });

  it('when the run closes, the checkpoint nobody scanned is missed and the duty staff get one alarm', async () => {
    await setWindow(runId, -100, -40, -1);
    const closed = await staff.post(`/api/v1/patrol-runs/${runId}/scans`, {
      code: route.checkpoints[2].code,
      method: 'qr',
      result: 'pass',
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('run-closed');
    await runJob(s.ctx, closeJob as JobDefinition, {});
    await runJob(s.ctx, closeJob as JobDefinition, {});
    const run = (await staff.get(`/api/v1/patrol-runs/${runId}`)).json();
    expect(run).toMatchObject({ status: 'missed', missed: 1, late: 1, scanned: 2 });
    expect(run.points[2].scan).toMatchObject({ result: 'missed', method: null });
    const alarms = await queryRows<{ type: string; org_id: string; data: { missed: number; missedPoints: string[] } }>(
      s.ctx.db,
      sql`SELECT type, org_id, data FROM alarms WHERE merge_key = ${`patrol:${runId}`}`,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      type: 'patrol_missed',
      org_id: orgId,
      data: { missed: 1, missedPoints: ['配电室 配电室'] },
    });
    const [later] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`SELECT id FROM patrol_runs WHERE route_id = ${route.id} AND id <> ${runId} LIMIT 1`,
    );
    await setWindow(later.id, 10, 70, 100);
    const early = await staff.post(`/api/v1/patrol-runs/${later.id}/scans`, {
      code: route.checkpoints[0].code,
      method: 'qr',
      result: 'pass',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('run-not-open');
  });

  it('hazard → 整改 → 复查 fails → reopened → 整改 → 复查 passes → closed', async () => {
    const h = `/api/v1/patrol-hazards/${hazardId}`;
    expect((await staff.post(`${h}/recheck`, { passed: true })).statusCode).toBe(409);
    const fixed = await staff.post(`${h}/rectify`, { note: '已更换燃气软管', photos: [PNG] });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'rectified', rectifyNote: '已更换燃气软管' });
    expect(fixed.json().photos.map((p: { stage: string }) => p.stage)).toEqual(['found', 'rectified']);
    expect((await staff.post(`${h}/rectify`, { note: '再次' })).statusCode).toBe(409);
    expect((await staff.post(`${h}/recheck`, { passed: false })).statusCode).toBe(400);
    const failed = await staff.post(`${h}/recheck`, { passed: false, note: '接口仍有燃气味' });
    expect(failed.json()).toMatchObject({ status: 'open', reopened: 1, checkNote: '接口仍有燃气味' });
    expect((await staff.post(`${h}/rectify`, { note: '更换阀门' })).statusCode).toBe(200);
    const passed = await staff.post(`${h}/recheck`, { passed: true, note: '复查合格' });
    expect(passed.json()).toMatchObject({ status: 'closed', reopened: 1 });
    expect(passed.json().closedAt).not.toBeNull();
    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${hazardId} ORDER BY at`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'patrol.hazard.rectify',
      'patrol.hazard.recheck',
      'patrol.hazard.rectify',
      'patrol.hazard.recheck',
    ]);
  });

  it('hazard photos are kept encrypted; one stored in clear before 0992 is shown, then encrypted by the job', async () => {
    const stored = () =>
      queryRows<{ id: string; data: string | null; data_enc: string | null }>(
        s.ctx.db,
        sql`SELECT id, data, data_enc FROM patrol_photos WHERE hazard_id = ${hazardId} ORDER BY created_at, id`,
      );
    const base64 = PNG.slice(PNG.indexOf(',') + 1);
    let rows = await stored();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.data).toBeNull();
      expect(r.data_enc).toMatch(/^v1:/);
      expect(r.data_enc).not.toContain(base64);
    }
    // As 0992 found a photo taken earlier: the picture in the plain column, nothing encrypted.
    await s.ctx.db.execute(sql`INSERT INTO patrol_photos (hazard_id, stage, mime, data, bytes)
      VALUES (${hazardId}, 'rectified', 'image/png', ${base64}, 70)`);
    const shown = async () =>
      (await staff.get(`/api/v1/institutions/${orgId}/patrol-hazards`))
        .json()
        .items.find((x: { id: string }) => x.id === hazardId).photos;
    expect((await shown()).map((p: { dataUrl: string }) => p.dataUrl)).toEqual([PNG, PNG, PNG]);
    await runJob(s.ctx, photoBackfillJob as JobDefinition, {});
    await runJob(s.ctx, photoBackfillJob as JobDefinition, {}); // a second run finds nothing left to do
    rows = await stored();
    expect(rows.filter((r) => r.data !== null)).toEqual([]);
    expect(rows.map((r) => s.ctx.cipher.decrypt(r.data_enc as string))).toEqual([base64, base64, base64]);
    expect((await shown()).map((p: { dataUrl: string }) => p.dataUrl)).toEqual([PNG, PNG, PNG]);
  });

  it('an open hazard past its deadline is overdue', async () => {
    const [h] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO patrol_hazards (org_id, checkpoint_id, area, description, deadline_on)
          VALUES (${orgId}, ${route.checkpoints[0].id}, '1号楼一层', '通道堆放杂物', ${cst(-2)}::date) RETURNING id`,
    );
    const over = (await staff.get(`/api/v1/institutions/${orgId}/patrol-hazards?overdue=true`)).json();
    expect(over.items.map((x: { id: string }) => x.id)).toEqual([h.id]);
    expect(over.items[0].overdue).toBe(true);
  });
});

describe('risk colour', () => {
  it('sums the rules’ points with caps and colours the institution and each area', async () => {
    const org = (await createOrg(s.ctx, 'institution', TREE.communityA1, '安康护理院')).id;
    const own = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: org })).api;
    const route = await createRoute(own, org, '全院巡查', [
      { name: '二楼走廊', area: '2号楼二层', kind: 'fire_exit' },
      { name: '锅炉房', area: '锅炉房', kind: 'other' },
    ]);
    const [a, b] = route.checkpoints;
    // 3 open hazards in 2号楼二层, one past its deadline; one closed hazard does not count.
    for (const deadline of [cst(-1), cst(2), cst(3)])
      await s.ctx.db.execute(sql`INSERT INTO patrol_hazards (org_id, checkpoint_id, area, description, deadline_on)
        VALUES (${org}, ${a.id}, ${a.area}, '隐患', ${deadline}::date)`);
    await s.ctx.db.execute(sql`INSERT INTO patrol_hazards (org_id, checkpoint_id, area, description, deadline_on, status, closed_at)
        VALUES (${org}, ${a.id}, ${a.area}, '已销号', ${cst(-5)}::date, 'closed', now())`);
    // 2 missed checkpoints in 锅炉房 this month, one 40 days ago (out of the window).
    const runId = await runOf(route.id);
    const [run2] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`SELECT id FROM patrol_runs WHERE route_id = ${route.id} AND id <> ${runId} LIMIT 1`,
    );
    for (const [run, ago] of [
      [runId, 1],
      [run2.id, 2],
    ] as const)
      await s.ctx.db.execute(sql`INSERT INTO patrol_scans (run_id, checkpoint_id, org_id, result, scanned_at)
        VALUES (${run}, ${b.id}, ${org}, 'missed', now() - make_interval(days => ${ago}))`);
    await s.ctx.db.execute(sql`UPDATE patrol_scans SET scanned_at = now() - interval '40 days' WHERE run_id = ${run2.id}`);
    await s.ctx.db.execute(sql`INSERT INTO patrol_scans (run_id, checkpoint_id, org_id, result, scanned_at)
        VALUES (${run2.id}, ${a.id}, ${org}, 'missed', now() - interval '3 days')`);
    // 25 alarms in the last 30 days (capped at 20 points), one older, and a patrol alarm (not counted).
    await s.ctx.db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, merge_key, open, status, outcome, region_code, org_id, raised_at)
        SELECT 'fall', 'P1', 'P1', 'risk-test-' || g, false, 'resolved', 'false_alarm', ${TREE.communityA1}, ${org}, now() - make_interval(days => g % 29)
          FROM generate_series(1, 25) g`);
    await s.ctx.db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, merge_key, open, status, outcome, region_code, org_id, raised_at)
        VALUES ('fall', 'P1', 'P1', 'risk-test-old', false, 'resolved', 'false_alarm', ${TREE.communityA1}, ${org}, now() - interval '45 days'),
               ('patrol_missed', 'P3', 'P3', 'risk-test-patrol', false, 'resolved', 'false_alarm', ${TREE.communityA1}, ${org}, now())`);
    // Inspections 检查评级: an older one at 95 %, the latest finished at 70 % of the maximum (8 points).
    const [tpl] = await queryRows<{ id: string; max_score: string }>(
      s.ctx.db,
      sql`SELECT id, max_score FROM inspection_templates WHERE org_type = 'institution' ORDER BY version LIMIT 1`,
    );
    for (const [period, share, ago] of [
      ['2024', 0.95, 400],
      ['2025', 0.7, 20],
    ] as const) {
      const [round] = await queryRows<{ id: string }>(
        s.ctx.db,
        sql`INSERT INTO inspection_rounds (region_code, kind, period, name, due_on)
            VALUES (${TREE.district}, 'annual', ${period}, ${`${period} 年度检查`}, ${`${period}-12-31`}::date) RETURNING id`,
      );
      await s.ctx.db.execute(sql`INSERT INTO inspections (round_id, org_id, org_type, region_code, template_id, period, status, total_score, finished_at)
        VALUES (${round.id}, ${org}, 'institution', ${TREE.communityA1}, ${tpl.id}, ${period}, 'finished',
                ${Number(tpl.max_score) * share}, now() - make_interval(days => ${ago}))`);
    }

    const risk = (await own.get(`/api/v1/institutions/${org}/risk`)).json();
    const points = Object.fromEntries(
      risk.contributions.map((c: { code: string; count: number; points: number }) => [c.code, [c.count, c.points]]),
    );
    expect(points).toEqual({
      open_hazard: [3, 15],
      overdue_rectification: [1, 10],
      alarm_30d: [25, 20],
      missed_checkpoint_30d: [2, 4],
      inspection_score: [70, 8],
    });
    expect(risk).toMatchObject({ score: 57, colour: 'red' });
    const areas = Object.fromEntries(
      risk.areas.map((x: { area: string; score: number; colour: string }) => [x.area, [x.score, x.colour]]),
    );
    // 2号楼二层: 3 × 5 + 10 + 1 miss × 2 = 27 → 橙; 锅炉房: 1 miss in 30 days × 2 = 2 → 蓝.
    expect(areas).toEqual({ '2号楼二层': [27, 'orange'], 锅炉房: [2, 'blue'] });

    const map = (await bureau.get('/api/v1/institution-risk-map')).json();
    const byName = Object.fromEntries(map.items.map((i: { name: string; colour: string }) => [i.name, i.colour]));
    expect(byName).toMatchObject({ 安康护理院: 'red', 康乐养老院: 'blue' });
    expect(map.total).toBe(3);
    expect(map.counts.red).toBe(1);
    const ownMap = (await own.get('/api/v1/institution-risk-map')).json();
    expect(ownMap.items.map((i: { name: string }) => i.name)).toEqual(['安康护理院']);
  });

  it('the monthly report counts runs and hazards per institution, also as .xlsx', async () => {
    // A run counts in the China month it started, a hazard in the month it was found: the test
    // moved its run 100 minutes back, which is last month when it runs just after the 1st began.
    const [m] = await queryRows<{ run: string; hazard: string }>(
      s.ctx.db,
      sql`SELECT (SELECT to_char(max(starts_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') FROM patrol_runs p
                    JOIN organizations o ON o.id = p.org_id WHERE o.name = '福寿养老院' AND p.status <> 'open') AS run,
                 (SELECT to_char(max(found_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') FROM patrol_hazards h
                    JOIN organizations o ON o.id = h.org_id WHERE o.name = '福寿养老院') AS hazard`,
    );
    const fushouIn = async (month: string) =>
      (await bureau.get(`/api/v1/patrol-reports/monthly?month=${month}`))
        .json()
        .items.find((i: { name: string }) => i.name === '福寿养老院');
    expect(await fushouIn(m.run)).toMatchObject({ missedRuns: 1, missedCheckpoints: 1 });
    expect(await fushouIn(m.hazard)).toMatchObject({ hazardsFound: 2, hazardsClosed: 1 });
    const month = m.hazard;
    const x = await bureau.get(`/api/v1/patrol-reports/monthly.xlsx?month=${month}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect((await bureau.get('/api/v1/patrol-reports/monthly?month=2026-13')).statusCode).toBe(400);
  });
});
