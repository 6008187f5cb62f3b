// Canteen checkout at lunchtime (issue 16): how many meals per second POST /api/v1/canteens/{id}/meals
// takes for ONE canteen — the kiosk's request as sent (Idempotency-Key, the dishes, the pay method),
// each settled through the ledger (the subsidy drawn from the elder's meal lot under the wallet's
// lock, the ticket number counted per canteen and day, the audit entry) — under a bounded load:
// BENCH_CONCURRENCY requests in flight (a canteen's kiosks and counters), BENCH_MEALS meals by
// BENCH_DINERS elders (each elder eats once: a canteen's lunch).
//  Reference, in the same run: the same number of bare single-row INSERTs of a meal row into a
//  copy of the meals table (with its indexes), with the same number in flight.
// Usage: npx tsx bench/meals-checkout.ts [pglite|postgres ...]   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
// Env: BENCH_MEALS (400), BENCH_CONCURRENCY (4)
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../apps/server/src/db/client.ts';
import { cstDate } from '../apps/server/src/lib/dates.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { runGrant } from '../apps/server/src/modules/policies/policies.service.ts';
import { checkLedger } from '../apps/server/src/modules/wallets/ledger.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { clientAs, createOrg, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { percentile, writeResult } from './lib.ts';

const MEALS = Number(process.env.BENCH_MEALS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

async function insertElders(db: DbOrTx, n: number, year: number) {
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
      const j = i + k;
      // Two in three are 80 or older: their meals draw the subsidy from the lot.
      const birth = `${year - (j % 3 === 0 ? 72 : 84)}-0${1 + (j % 9)}-1${j % 9}`;
      return sql`(${`食客${j}`}, ${`enc${j}`}, ${`bench-meal-${j}`}, ${birth}::date, ${j % 2 ? 'male' : 'female'}, ${TREE.communityA1})`;
    });
    await db.execute(
      sql`INSERT INTO elders (name, id_number_enc, id_number_hash, birth_date, sex, region_code) VALUES ${sql.join(rows, sql`, `)}`,
    );
  }
}

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  if (kind === 'postgres' && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn' } });
  const ctx = s.ctx;
  await seedTree(ctx);
  const year = Number(cstDate().slice(0, 4));
  const today = cstDate();
  const canteen = (await createOrg(ctx, 'canteen', TREE.communityA1, '压测长寿食堂')).id;
  const kitchen = (await clientAs(s.app, ctx, 'canteen_staff', { orgId: canteen })).api;
  const bureau = (await clientAs(s.app, ctx, 'district_admin', { regionCode: TREE.district })).api;
  await kitchen.put(`/api/v1/canteens/${canteen}/profile`, { communities: [TREE.communityA1] });
  const dishes: string[] = [];
  for (const [name, category, priceFen] of [
    ['米饭', 'staple', 100],
    ['红烧肉', 'meat', 1000],
    ['清炒时蔬', 'vegetable', 600],
    ['番茄蛋汤', 'soup', 300],
    ['清蒸鲈鱼', 'meat', 1200],
  ] as const)
    dishes.push((await kitchen.post(`/api/v1/canteens/${canteen}/dishes`, { name, category, priceFen })).json().id);
  const menu = await kitchen.put(`/api/v1/canteens/${canteen}/menus/${today}/lunch`, {
    items: dishes.map((dishId) => ({ dishId })),
  });
  if (menu.statusCode !== 200) throw new Error(menu.body);
  const policy = (
    await bureau.post('/api/v1/policies', {
      name: '压测助餐补贴',
      kind: 'purchase_credit',
      amount: 6000,
      period: 'month',
      regionCode: TREE.district,
      conditions: { minAge: 80 },
      validFrom: `${year - 1}-01-01`,
      prorate: false,
    })
  ).json();
  await bureau.post(`/api/v1/policies/${policy.id}/activate`);
  await bureau.put(`/api/v1/meal-subsidy-rules/${policy.id}`, { perMealFen: { lunch: 500 }, dailyCapFen: 600 });
  await insertElders(ctx.db, MEALS, year);
  await runGrant(ctx, policy.id);
  await ctx.db.execute(sql`ANALYZE`);
  const elderIds = (
    await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM elders WHERE region_code = ${TREE.communityA1} ORDER BY id`)
  ).map((r) => r.id);
  console.log(kind, `seeded ${elderIds.length} diners, granted their meal lots`);

  const latencies: number[] = [];
  let ok = 0;
  let subsidised = 0;
  let next = 0;
  const t = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= elderIds.length) return;
        const t0 = performance.now();
        const r = await kitchen.post(
          `/api/v1/canteens/${canteen}/meals`,
          {
            elderId: elderIds[i],
            period: 'lunch',
            items: [{ dishId: dishes[0] }, { dishId: dishes[1 + (i % 4)] }, { dishId: dishes[3], qty: 1 }],
            payMethod: 'mobile',
          },
          { 'idempotency-key': `bench-${randomUUID()}` },
        );
        latencies.push(performance.now() - t0);
        if (r.statusCode === 201) {
          ok++;
          if (r.json().subsidyFen > 0) subsidised++;
        } else if (ok === 0) console.log(r.statusCode, r.body);
      }
    }),
  );
  const ms = Date.now() - t;
  latencies.sort((a, b) => a - b);

  // The reference: bare INSERTs of a meal row, same database, same number in flight.
  await ctx.db.execute(sql`CREATE TABLE bench_ref_meals (LIKE meals INCLUDING ALL)`);
  const refLat: number[] = [];
  let refNext = 0;
  const rt = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = refNext++;
        if (i >= elderIds.length) return;
        const t0 = performance.now();
        await ctx.db.execute(
          sql`INSERT INTO bench_ref_meals (ticket_no, canteen_id, elder_id, region_code, day, period, eaten_at, items, total_fen, subsidy_fen, self_pay_fen, pay_method, idempotency_key, request_hash)
              VALUES (${`L${i}`}, ${canteen}, ${elderIds[i]}, ${TREE.communityA1}, ${today}, 'lunch', now(), '[]'::jsonb, 1400, 500, 900, 'mobile', ${`ref-${i}`}, '-')`,
        );
        refLat.push(performance.now() - t0);
      }
    }),
  );
  const refMs = Date.now() - rt;
  await ctx.db.execute(sql`DROP TABLE bench_ref_meals`);
  refLat.sort((a, b) => a - b);
  const perSecond = +((ok / ms) * 1000).toFixed(1);
  const refPerSecond = +((elderIds.length / refMs) * 1000).toFixed(1);
  const check = await checkLedger(ctx.db);
  const out = {
    database: kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL',
    note: 'measured on a busy shared machine (2 cores shared by several engineers running tests at the same time)',
    meals: {
      requests: elderIds.length,
      served: ok,
      subsidised,
      concurrency: CONCURRENCY,
      ms,
      perSecond,
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p95Ms: +percentile(latencies, 95).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
    },
    reference: {
      what: 'bare single-row INSERT of a meal row (copy of meals with its indexes), same database and concurrency',
      inserts: elderIds.length,
      ms: refMs,
      perSecond: refPerSecond,
      p50Ms: +percentile(refLat, 50).toFixed(1),
      p99Ms: +percentile(refLat, 99).toFixed(1),
    },
    ratioToReference: +(perSecond / refPerSecond).toFixed(3),
    ledgerCheck: { ok: check.ok, transactions: check.transactions, entries: check.entries },
  };
  console.log(kind, JSON.stringify(out));
  await s.close();
  await database.drop();
  return out;
}

const kinds = (process.argv.slice(2).length ? process.argv.slice(2) : ['pglite']) as Array<'pglite' | 'postgres'>;
const results: Record<string, unknown> = {};
for (const k of kinds) results[k] = await run(k);
writeResult('meals-checkout', { meals: MEALS, concurrency: CONCURRENCY, results });
process.exit(0);
