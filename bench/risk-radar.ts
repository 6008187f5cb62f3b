// The risk radar (风险雷达) for 100,000 elders on PGlite and PostgreSQL: the full daily scoring
// (one set-based statement over every elder and every signal table), the same day again
// (replaced, idempotent), and the on-event update of one elder (what the listener runs when an
// alarm, a missed meal, a cancelled order or an assessment arrives). The references in the same
// run: the bulk load of the elders, `SELECT count(*)` over them and an INSERT … SELECT of
// 100,000 rows. Times in ms.
// Usage: npx tsx bench/risk-radar.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { runDaily, updateElders } from '../apps/server/src/modules/risk-radar/risk-radar.service.ts';
import { scoringStatement } from '../apps/server/src/modules/risk-radar/scoring.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { encodeRaw, type RawElder, rawElders } from './elders-data.ts';
import { median, percentile, writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const secretKey = randomBytes(32);
const cipher = new FieldCipher(secretKey);

console.log(`encoding ${COUNT} elders …`);
const raws: RawElder[] = [...rawElders(COUNT)];
const rnd = seededRandom(11);
const rows = raws.map((e) => encodeRaw(cipher, e, rnd));

const time = async <T>(f: () => Promise<T>) => {
  const t = performance.now();
  const value = await f();
  return { ms: Math.round(performance.now() - t), value };
};

/**
 * Signals for a share of the elders, straight into the other modules' tables (set-based, by the
 * elder's row number): door sensors (half silent for two days), pendants (some off), low-battery
 * terminals with a week-old alarm, life alarms (some closed as taken to hospital), missed-meal
 * signals, unanswered care calls, cancelled orders, a drop between two signed assessments,
 * overdue care visits with findings.
 */
async function signals(db: Parameters<typeof queryRows>[0]) {
  await db.execute(sql`CREATE TEMP TABLE bench_e AS SELECT id, region_code, row_number() OVER (ORDER BY id) AS n FROM elders`);
  await db.execute(sql`INSERT INTO devices (id, type, elder_id, region_code, heartbeat_seconds, secret_nonce, last_activity_at, created_at, worn, worn_changed_at, battery)
    SELECT 'BENCH-' || n, (ARRAY['door', 'presence', 'pendant', 'sos_terminal'])[1 + n % 4], id, region_code, 300, 'n',
           now() - ((n % 2) * 48 + 1) * interval '1 hour', now() - interval '60 days',
           CASE WHEN n % 4 = 2 THEN n % 5 <> 0 END, now() - (n % 5) * interval '1 day', CASE WHEN n % 4 = 3 THEN (n % 40)::int END
    FROM bench_e WHERE n % 3 = 0`);
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, device_id, region_code, raised_at, resolved_at, outcome)
    SELECT CASE WHEN n % 4 = 3 THEN 'battery_low' ELSE 'fall' END, 'P1', 'P1', 'resolved', false, 'b:' || n, id,
           CASE WHEN n % 4 = 3 THEN 'BENCH-' || n END, region_code, now() - (n % 25 + 1) * interval '1 day',
           now() - (n % 25) * interval '1 day', CASE WHEN n % 7 = 0 THEN 'taken_to_hospital' ELSE 'assisted_at_home' END
    FROM bench_e WHERE n % 20 = 0 OR n % 12 = 3`);
  await db.execute(sql`INSERT INTO meal_signals (elder_id, region_code, day, last_meal_day, days_absent, meals_in_window)
    SELECT id, region_code, current_date - (n % 5)::int, current_date - (n % 5)::int - 3, 3, 5 FROM bench_e WHERE n % 30 = 1`);
  const [task] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO care_call_tasks (elder_id, region_code, list_date, campaign_ids, work_start_minute, work_end_minute,
          retry_after_minutes, max_attempts_per_day, visit_after_days)
        SELECT id, region_code, current_date - 2, '{}', 540, 1050, 120, 3, 3 FROM bench_e WHERE n % 25 = 2
        RETURNING id`,
  );
  if (task)
    await db.execute(sql`INSERT INTO care_call_attempts (task_id, attempt_key, result, attempt_date, at)
      SELECT t.id, k::text, 'no_answer', current_date - 2, now() - k * interval '1 hour'
      FROM care_call_tasks t CROSS JOIN generate_series(1, 3) AS k`);
  const [{ id: itemId }] = await queryRows<{ id: string }>(db, sql`SELECT id FROM service_items LIMIT 1`);
  await db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, updated_at)
    SELECT 'B' || n || '-' || k, id, region_code, ${itemId}::uuid, 'console', 'cancelled', now(), 60, 'self', now() - k * interval '1 day'
    FROM bench_e CROSS JOIN generate_series(1, 2) AS k WHERE n % 40 = 5`);
  await db.execute(sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total, preliminary_level, level, status, created_at)
    SELECT id, region_code, 'routine', current_date - k * 100, '{}', '{}', '{}', 50, l, l, 'signed', now() - k * interval '100 days'
    FROM bench_e CROSS JOIN LATERAL (VALUES (2, 'mild'), (0, 'severe')) AS x(k, l) WHERE n % 50 = 7`);
  await db.execute(
    sql`INSERT INTO care_visits (elder_id, region_code, due_on) SELECT id, region_code, current_date - 4 FROM bench_e WHERE n % 45 = 4`,
  );
  await db.execute(sql`DROP TABLE bench_e`);
  for (const t of [
    'elders',
    'devices',
    'alarms',
    'meal_signals',
    'care_call_tasks',
    'care_call_attempts',
    'service_orders',
    'assessments',
    'care_visits',
  ])
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
  await signals(s.ctx.db);
  const countAll = await time(() => queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM elders`));
  await s.ctx.db.execute(sql`CREATE TABLE bench_ref (id uuid, region_code text, n integer)`);
  const insert100k = await time(() =>
    s.ctx.db.execute(sql`INSERT INTO bench_ref SELECT id, region_code, 1 FROM elders LIMIT ${COUNT}`),
  );
  await s.ctx.db.execute(sql`DROP TABLE bench_ref`);

  if (process.env.BENCH_EXPLAIN) {
    const plan = await s.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_nestloop = off`);
      const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      return queryRows<Record<string, string>>(tx, sql`EXPLAIN (ANALYZE) ${scoringStatement(day, new Date())}`);
    });
    console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
    await s.close();
    await database.drop();
    process.exit(0);
  }
  const loadAverageBefore = os.loadavg().map((x) => +x.toFixed(2));
  const first = await time(() => runDaily(s.ctx));
  const again = await time(() => runDaily(s.ctx));
  const levels = await queryRows<{ level: string; n: number }>(
    s.ctx.db,
    sql`SELECT level, count(*)::int AS n FROM risk_scores GROUP BY level ORDER BY level`,
  );
  // On-event updates: one elder at a time, as the listener does per event.
  const ids = (await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM elders ORDER BY md5(id::text) LIMIT ${EVENTS}`)).map(
    (r) => r.id,
  );
  const lat: number[] = [];
  for (const id of ids) lat.push((await time(() => updateElders(s.ctx, [id]))).ms);
  lat.sort((a, b) => a - b);
  const result = {
    loadMs: load.ms,
    countElders: { ms: countAll.ms, n: countAll.value[0].n },
    insert100kMs: insert100k.ms,
    dailyRunMs: first.ms,
    dailyRun: first.value,
    sameDayAgainMs: again.ms,
    sameDayAgain: again.value,
    levels: Object.fromEntries(levels.map((l) => [l.level, l.n])),
    onEvent: {
      updates: lat.length,
      p50: median(lat),
      p95: percentile(lat, 95),
      p99: percentile(lat, 99),
      max: lat[lat.length - 1],
    },
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
writeResult('risk-radar', {
  what: `risk radar over ${COUNT} elders in 36 communities with signals in every source table: the daily run (runDaily: score every elder, replace the day, track top-level entries and open their tasks), the same day again, and ${EVENTS} on-event updates of one elder each (updateElders). References in the same run: bulk load of the elders, SELECT count(*), INSERT … SELECT of ${COUNT} rows. The machine is shared: see loadAverage`,
  elders: COUNT,
  pglite,
  postgres,
});
