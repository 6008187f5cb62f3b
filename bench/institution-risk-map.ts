// The district risk map (机构风险分布) of 500 institutions on PGlite and PostgreSQL: each with a
// route of 8 checkpoints over 4 areas, 60 closed runs in the last 30 days (two shifts a day) with
// their scans (a quarter of the institutions miss two checkpoints in one run in twelve), 0 to 7
// hazards (open, waiting for re-check or closed, some past their deadline), 0 to 14 alarms in the
// last 30 days and a finished inspection.
// Measured: GET /api/v1/institution-risk-map as a district admin (every institution's colour with
// its contributions and place), 30 times. In the same run: the map's SQL alone (orgRiskRows, the
// raw query), and the reference GET /api/v1/institutions (the same auth and region scope, the same
// 500 institutions, no risk). Times in ms.
// Usage: npx tsx bench/institution-risk-map.ts [pglite|postgres]   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { orgRiskRows } from '../apps/server/src/modules/patrols/risk.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { clientAs, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { median, percentile, writeResult } from './lib.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const INSTITUTIONS = Number(process.env.BENCH_INSTITUTIONS ?? 500);

async function timed(n: number, f: () => Promise<unknown>) {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = (await f()) as { statusCode?: number };
    lat.push(performance.now() - t);
    if (r?.statusCode !== undefined && r.statusCode !== 200) throw new Error(`answer ${r.statusCode}`);
  }
  lat.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { runs: n, p50: r1(median(lat)), p95: r1(percentile(lat, 95)), max: r1(lat[lat.length - 1]) };
}

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn' } });
  await seedTree(s.ctx);
  const db = s.ctx.db;
  const t0 = performance.now();
  const communities = [TREE.communityA1, TREE.communityB1];
  await db.execute(sql`INSERT INTO organizations (type, name, region_code)
    SELECT 'institution', '养老院' || lpad(n::text, 3, '0'), CASE WHEN n % 2 = 0 THEN ${communities[0]} ELSE ${communities[1]} END
      FROM generate_series(1, ${INSTITUTIONS}) n`);
  await db.execute(sql`INSERT INTO institution_locations (org_id, lat, lng)
    SELECT id, 30.55 + random() * 0.1, 103.95 + random() * 0.1 FROM organizations WHERE type = 'institution'`);
  await db.execute(sql`INSERT INTO patrol_routes (org_id, name, shifts)
    SELECT id, '安全巡查', '[{"name":"白班","start":"08:00","windowMinutes":60},{"name":"夜班","start":"22:00","windowMinutes":60}]'
      FROM organizations WHERE type = 'institution'`);
  await db.execute(sql`INSERT INTO patrol_checkpoints (route_id, org_id, seq, name, area, kind, code)
    SELECT r.id, r.org_id, k, '点位' || k, '区域' || (1 + k % 4), 'other', 'ZYP-' || md5(r.id::text || k)
      FROM patrol_routes r CROSS JOIN generate_series(1, 8) k`);
  await db.execute(sql`INSERT INTO patrol_runs (route_id, org_id, shift, starts_at, due_at, closes_at, status, checkpoints, missed, closed_at)
    SELECT r.id, r.org_id, CASE WHEN i % 2 = 0 THEN '白班' ELSE '夜班' END,
           now() - make_interval(hours => 12 * i + 3), now() - make_interval(hours => 12 * i + 2),
           now() - make_interval(hours => 12 * i + 1), CASE WHEN m.miss AND i % 12 = 5 THEN 'missed' ELSE 'complete' END, 8,
           CASE WHEN m.miss AND i % 12 = 5 THEN 2 ELSE 0 END, now() - make_interval(hours => 12 * i + 1)
      FROM patrol_routes r CROSS JOIN generate_series(1, 60) i
      CROSS JOIN LATERAL (SELECT abs(hashtext(r.org_id::text)) % 4 = 0 AS miss) m`);
  await db.execute(sql`INSERT INTO patrol_scans (run_id, checkpoint_id, org_id, result, method, scanned_at)
    SELECT p.id, c.id, p.org_id,
           CASE WHEN p.status = 'missed' AND c.seq <= 2 THEN 'missed' ELSE 'pass' END,
           CASE WHEN p.status = 'missed' AND c.seq <= 2 THEN NULL ELSE 'qr' END, p.starts_at + make_interval(mins => c.seq * 5)
      FROM patrol_runs p JOIN patrol_checkpoints c ON c.route_id = p.route_id`);
  await db.execute(sql`INSERT INTO patrol_hazards (org_id, checkpoint_id, area, description, status, deadline_on, found_at)
    SELECT c.org_id, c.id, c.area, '隐患',
           CASE WHEN h % 3 = 0 THEN 'closed' WHEN h % 3 = 1 THEN 'open' ELSE 'rectified' END,
           current_date + (h % 4) - 2, now() - make_interval(days => h)
      FROM patrol_checkpoints c
      JOIN organizations o ON o.id = c.org_id
      CROSS JOIN generate_series(1, 8) h
     WHERE c.seq = 1 AND h <= abs(hashtext(o.name)) % 8`);
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, merge_key, open, status, outcome, region_code, org_id, raised_at)
    SELECT 'night_bed_exit', 'P2', 'P2', 'bench:' || o.id || ':' || a, false, 'resolved', 'false_alarm', o.region_code, o.id,
           now() - make_interval(days => a)
      FROM organizations o CROSS JOIN generate_series(1, 29) a
     WHERE o.type = 'institution' AND a <= abs(hashtext(o.name || 'a')) % 15`);
  const [tpl] = await queryRows<{ id: string; max_score: string }>(
    db,
    sql`SELECT id, max_score FROM inspection_templates WHERE org_type = 'institution' LIMIT 1`,
  );
  const [round] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO inspection_rounds (region_code, kind, period, name, due_on)
        VALUES (${TREE.district}, 'annual', '2025', '年度检查', '2025-12-31') RETURNING id`,
  );
  await db.execute(sql`INSERT INTO inspections (round_id, org_id, org_type, region_code, template_id, period, status, total_score, finished_at)
    SELECT ${round.id}, o.id, 'institution', o.region_code, ${tpl.id}, '2025', 'finished',
           ${Number(tpl.max_score)} * (0.55 + (abs(hashtext(o.name || 'i')) % 45) / 100.0), now() - interval '20 days'
      FROM organizations o WHERE o.type = 'institution'`);
  for (const t of [
    'organizations',
    'patrol_runs',
    'patrol_scans',
    'patrol_hazards',
    'patrol_checkpoints',
    'alarms',
    'inspections',
  ])
    await db.execute(sql.raw(`ANALYZE ${t}`));
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const [counts] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT (SELECT count(*)::int FROM patrol_runs) AS runs, (SELECT count(*)::int FROM patrol_scans) AS scans,
               (SELECT count(*)::int FROM patrol_hazards) AS hazards, (SELECT count(*)::int FROM alarms) AS alarms`,
  );
  const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const first = await admin.api.get('/api/v1/institution-risk-map');
  const map = first.json();
  if (map.total !== INSTITUTIONS) throw new Error(`map has ${map.total}`);
  await timed(3, () => admin.api.get('/api/v1/institution-risk-map'));
  const loadAverageBefore = os.loadavg().map((x) => +x.toFixed(2));
  const reference = await timed(RUNS, () => admin.api.get('/api/v1/institutions'));
  const rawQuery = await timed(RUNS, () =>
    orgRiskRows(db, { ...admin.account, role: 'district_admin', regionCode: TREE.district } as never, {
      today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      since: new Date(Date.now() - 30 * 86400_000),
    }),
  );
  const riskMap = await timed(RUNS, () => admin.api.get('/api/v1/institution-risk-map'));
  const result = {
    seedSeconds,
    counts,
    colours: map.counts,
    bytes: first.body.length,
    riskMap,
    rawQuery,
    reference,
    ratioToReferenceP50: Math.round((riskMap.p50 / reference.p50) * 10) / 10,
    ratioToRawQueryP50: Math.round((riskMap.p50 / rawQuery.p50) * 10) / 10,
    loadAverageBefore,
    loadAverageAfter: os.loadavg().map((x) => +x.toFixed(2)),
  };
  console.log(kind, result);
  await s.close();
  await database.drop();
  return result;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const only = process.argv[2];
const pglite = only === 'postgres' ? undefined : await run('pglite');
const postgres = only === 'pglite' ? undefined : await run('postgres');
writeResult('institution-risk-map', {
  what: `GET /institution-risk-map for ${INSTITUTIONS} institutions (60 closed runs of 8 checkpoints each in 30 days, 0–7 hazards, 0–14 alarms, a finished inspection each) as a district admin, ${RUNS} times after a warm-up; in the same run the map's SQL alone (orgRiskRows) and the reference GET /institutions (same auth and scope, the same institutions). The machine is shared: see loadAverage`,
  pglite,
  postgres,
});
