// The supervision dashboard (监管看板, issue 21) with 100,000 elders and a year of history, on
// PGlite and PostgreSQL: GET /api/v1/supervision/dashboard for the district, a street and a
// community, p50 / p95 per level. The five closed months come from the closed-month snapshots
// (the first request of each level fills them: its time is `firstMs`), the current month is
// live. `live` is the same dashboard with all six months computed from the rows (the service's
// getLiveDashboard, in process, no HTTP), timed in turn with the others so all see the same load. The
// reference in the same run, alternating with the dashboard: one statement counting the region's
// elders and the year's orders and meals with the same prefix match, straight on the database, so
// the ratio shows what the dashboard's ~40 queries and its HTTP round trip cost over one scan of
// its largest tables. Times in ms.
// Usage: npx tsx bench/supervision-dashboard.ts [pglite|postgres]   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { getLiveDashboard } from '../apps/server/src/modules/supervision/supervision.service.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { clientAs } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { encodeRaw, type RawElder, rawElders } from './elders-data.ts';
import { median, percentile, writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 12);
const secretKey = randomBytes(32);
const cipher = new FieldCipher(secretKey);

console.log(`encoding ${COUNT} elders …`);
const raws: RawElder[] = [...rawElders(COUNT)];
const rnd = seededRandom(21);
const rows = raws.map((e) => encodeRaw(cipher, e, rnd));

const time = async <T>(f: () => Promise<T>) => {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { n: s.length, p50: r(median(s)), p95: r(percentile(s, 95)), max: r(s[s.length - 1]) };
};

/**
 * A year of history, set-based by the elder's row number: elders joined over the year (a few
 * died), two service orders per elder in ten (served, some paid with points), meals for one elder
 * in five on about twenty days, life alarms, signed assessments, family-doctor contracts for four
 * in ten, physicals, care groups and visit plans, allowance recipients.
 */
async function history(db: Parameters<typeof queryRows>[0]) {
  await db.execute(sql`CREATE TEMP TABLE bench_e AS SELECT id, region_code, row_number() OVER (ORDER BY id) AS n FROM elders`);
  await db.execute(sql`UPDATE elders e SET created_at = now() - ((b.n % 365) + 1) * interval '1 day',
      status = CASE WHEN b.n % 97 = 0 THEN 'deceased' ELSE e.status END,
      status_date = CASE WHEN b.n % 97 = 0 THEN current_date - (b.n % 200)::int ELSE e.status_date END
    FROM bench_e b WHERE b.id = e.id`);
  const [{ id: itemId }] = await queryRows<{ id: string }>(db, sql`SELECT id FROM service_items LIMIT 1`);
  await db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
    SELECT 'SB' || n || '-' || k, id, region_code, ${itemId}::uuid, 'console',
      (ARRAY['served', 'confirmed', 'settled', 'voided', 'created'])[1 + (n + k) % 5],
      now() - ((n * 7 + k * 31) % 365) * interval '1 day', 60, CASE WHEN n % 3 = 0 THEN 'points' ELSE 'self' END, 10,
      now() - ((n * 7 + k * 31) % 365) * interval '1 day', now() - ((n * 7 + k * 31) % 365) * interval '1 day'
    FROM bench_e CROSS JOIN generate_series(1, 2) AS k WHERE n % 10 < 1`);
  const [canteen] = await queryRows<{ id: string }>(db, sql`SELECT id FROM organizations WHERE type = 'canteen' LIMIT 1`);
  if (canteen)
    await db.execute(sql`INSERT INTO meals (ticket_no, canteen_id, elder_id, region_code, day, period, eaten_at, items, total_fen, subsidy_fen,
        self_pay_fen, pay_method, status, idempotency_key, request_hash)
      SELECT 'T' || n || '-' || k, ${canteen.id}::uuid, id, region_code, current_date - ((n * 13 + k * 17) % 365)::int, 'lunch',
        now() - ((n * 13 + k * 17) % 365) * interval '1 day', '[]', 1500, 500, 1000, 'cash', 'served', 'b' || n || '-' || k, 'h'
      FROM bench_e CROSS JOIN generate_series(1, 20) AS k WHERE n % 5 = 0`);
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, region_code, raised_at, acknowledged_at, resolved_at, outcome)
    SELECT 'fall', 'P1', 'P1', 'resolved', false, 'sb:' || n, id, region_code, now() - (n % 365) * interval '1 day',
      now() - (n % 365) * interval '1 day' + (n % 120) * interval '1 second', now() - (n % 365) * interval '1 day' + interval '1 hour', 'assisted_at_home'
    FROM bench_e WHERE n % 4 = 0`);
  await db.execute(sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total, preliminary_level, level, status)
    SELECT id, region_code, 'first', current_date - (n % 365)::int, '{}', '{}', '{}', 50,
      (ARRAY['intact', 'mild', 'moderate', 'severe', 'total'])[1 + n % 5], (ARRAY['intact', 'mild', 'moderate', 'severe', 'total'])[1 + n % 5], 'signed'
    FROM bench_e WHERE n % 3 = 0`);
  const [team] = await queryRows<{ id: string }>(db, sql`SELECT id FROM doctor_teams LIMIT 1`);
  if (team)
    await db.execute(sql`INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on, status, signed_at)
      SELECT id, ${team.id}::uuid, region_code, 'elderly', current_date - (n % 300)::int, current_date - (n % 300)::int + 365, 'active',
        now() - (n % 300) * interval '1 day'
      FROM bench_e WHERE n % 10 < 4 AND NOT EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = bench_e.id AND dc.status = 'active')`);
  await db.execute(sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date)
    SELECT id, date_part('year', current_date - (n % 300)::int)::int, current_date - (n % 300)::int FROM bench_e WHERE n % 4 = 1
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`INSERT INTO care_visit_plans (elder_id, region_code, risk_level, interval_days, active)
    SELECT id, region_code, 'high', 30, true FROM bench_e WHERE n % 20 = 3 ON CONFLICT DO NOTHING`);
  await db.execute(sql`INSERT INTO allowance_applications (elder_id, region_code, source, status)
    SELECT id, region_code, 'staff', 'active' FROM bench_e WHERE n % 8 = 0 ON CONFLICT DO NOTHING`);
  await db.execute(sql`DROP TABLE bench_e`);
  for (const t of ['elders', 'service_orders', 'meals', 'alarms', 'assessments', 'doctor_contracts', 'health_physicals'])
    await db.execute(sql.raw(`ANALYZE ${t}`));
}

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn', secretKey } });
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const load = await time(async () => {
    for (let i = 0; i < rows.length; i += 1000) await s.ctx.db.insert(elders).values(rows.slice(i, i + 1000));
  });
  const hist = await time(() => history(s.ctx.db));
  const counts = Object.fromEntries(
    await Promise.all(
      ['elders', 'service_orders', 'meals', 'alarms', 'assessments', 'doctor_contracts', 'health_physicals'].map(async (t) => {
        const [r] = await queryRows<{ n: number }>(s.ctx.db, sql.raw(`SELECT count(*)::int AS n FROM ${t}`));
        return [t, r.n];
      }),
    ),
  );
  const street = raws[0].regionCode.slice(0, 9);
  const community = raws[0].regionCode;
  const district = community.slice(0, 6);
  const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: district });
  const loadAverageBefore = os.loadavg().map((x) => +x.toFixed(2));
  const levels: Record<string, unknown> = {};
  for (const [level, code] of [
    ['district', district],
    ['street', street],
    ['community', community],
  ] as const) {
    const dash: number[] = [];
    const ref: number[] = [];
    const live: number[] = [];
    // The first request fills the five closed months' snapshots; then the dashboard, the all-live
    // computation and the reference in turn, so all see the same load.
    const first = await time(() => api.get(`/api/v1/supervision/dashboard?regionCode=${code}`));
    for (let i = 0; i < REQUESTS; i++) {
      const d = await time(() => api.get(`/api/v1/supervision/dashboard?regionCode=${code}`));
      if (d.value.statusCode !== 200) throw new Error(`dashboard ${d.value.statusCode}: ${d.value.body}`);
      dash.push(d.ms);
      const like = `${code}%`;
      const r = await time(() =>
        queryRows(
          s.ctx.db,
          sql`SELECT (SELECT count(*) FROM elders WHERE region_code LIKE ${like}) AS e,
            (SELECT count(*) FROM service_orders WHERE region_code LIKE ${like} AND created_at > now() - interval '1 year') AS o,
            (SELECT count(*) FROM meals WHERE region_code LIKE ${like} AND day > current_date - 365) AS m`,
        ),
      );
      ref.push(r.ms);
      live.push((await time(() => getLiveDashboard(s.ctx, code))).ms);
    }
    const ds = stats(dash);
    const rs = stats(ref);
    const ls = stats(live);
    levels[level] = {
      code,
      firstMs: Math.round(first.ms),
      dashboard: ds,
      live: ls,
      reference: rs,
      ratioP95: Math.round((ds.p95 / rs.p95) * 10) / 10,
      liveRatioP95: Math.round((ls.p95 / rs.p95) * 10) / 10,
    };
  }
  const result = {
    loadMs: Math.round(load.ms),
    historyMs: Math.round(hist.ms),
    rows: counts,
    levels,
    loadAverageBefore,
    loadAverageAfter: os.loadavg().map((x) => +x.toFixed(2)),
  };
  console.log(kind, JSON.stringify(result, null, 2));
  await s.close();
  await database.drop();
  return result;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const only = process.argv[2];
const pglite = only === 'postgres' ? undefined : await run('pglite');
const postgres = only === 'pglite' ? undefined : await run('postgres');
writeResult(only ? `supervision-dashboard-${only}` : 'supervision-dashboard', {
  what: `GET /api/v1/supervision/dashboard (closed months from the snapshots, the current month live) over ${COUNT} elders with a year of orders, meals, alarms, assessments, contracts and physicals, ${REQUESTS} requests per level after the first one (firstMs, which fills the snapshots); live = all six months computed from the rows in process (getLiveDashboard), in turn with the others. Reference in the same run, alternating with the dashboard: one statement counting the region's elders, the year's orders and meals by the same prefix match. The machine has 2 cores shared with other engineers' work: see loadAverage`,
  elders: COUNT,
  pglite,
  postgres,
});
process.exit(0);
