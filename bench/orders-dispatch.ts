// Service loop at district scale: 100,000 elders, 1,000 providers, 10,000 workers.
//  1. a year-start points grant to every elder (runGrant), then the same run again (must grant 0);
//  2. orders created and automatically dispatched over HTTP (POST /api/v1/service-orders):
//     throughput and latency percentiles, with C requests in flight.
// Usage: npx tsx bench/orders-dispatch.ts [pglite|postgres ...]   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
//  3. the reference, in the same run: the same number of bare single-row INSERTs of an order row
//     (into a copy of service_orders with its indexes), with the same number in flight.
// Env: BENCH_ELDERS (100000), BENCH_PROVIDERS (1000), BENCH_ORDERS (2000), BENCH_CONCURRENCY (8),
//      BENCH_TAG (suffix of the result file, e.g. `before`)
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../apps/server/src/db/client.ts';
import { startPgliteMaintenance } from '../apps/server/src/db/pglite-maintenance.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { policies } from '../apps/server/src/modules/policies/policies.schema.ts';
import { runGrant } from '../apps/server/src/modules/policies/policies.service.ts';
import { checkLedger } from '../apps/server/src/modules/wallets/ledger.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { client, createAccount, loginToken } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { percentile, writeResult } from './lib.ts';

const ELDERS = Number(process.env.BENCH_ELDERS ?? 100_000);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 1000);
const WORKERS_PER_PROVIDER = 10;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const STREETS = 10;
const COMMUNITIES_PER_STREET = 20; // 200 communities; each provider serves 2 → 10 providers per community
const DISTRICT = '990101';
const community = (i: number) =>
  `${DISTRICT}${String(Math.floor(i / COMMUNITIES_PER_STREET) + 1).padStart(3, '0')}${String((i % COMMUNITIES_PER_STREET) + 1).padStart(3, '0')}`;
const COMMUNITIES = STREETS * COMMUNITIES_PER_STREET;

async function insertRows(db: DbOrTx, table: string, columns: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = sql.join(
      chunk.map(
        (r) =>
          sql`(${sql.join(
            r.map((v) => sql`${v}`),
            sql`, `,
          )})`,
      ),
      sql`, `,
    );
    await db.execute(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(', '))}) VALUES ${values}`);
  }
}

async function seed(db: DbOrTx) {
  let x = 42;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const regionRows: unknown[][] = [[DISTRICT, null, 'district', '压测区', 30.6, 104.0]];
  for (let s = 0; s < STREETS; s++)
    regionRows.push([`${DISTRICT}${String(s + 1).padStart(3, '0')}`, DISTRICT, 'street', `街道${s + 1}`, 30.6, 104.0]);
  const centre: Array<[number, number]> = [];
  for (let c = 0; c < COMMUNITIES; c++) {
    const lat = 30.5 + (c % 20) * 0.01;
    const lng = 103.9 + Math.floor(c / 20) * 0.01;
    centre.push([lat, lng]);
    regionRows.push([community(c), community(c).slice(0, 9), 'community', `社区${c + 1}`, lat, lng]);
  }
  await insertRows(db, 'regions', ['code', 'parent_code', 'level', 'name', 'lat', 'lng'], regionRows);
  const elders: unknown[][] = [];
  for (let i = 0; i < ELDERS; i++) {
    const c = Math.floor(rnd() * COMMUNITIES);
    const birth = `${1925 + Math.floor(rnd() * 40)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
    elders.push([
      `老人${i}`,
      `enc${i}`,
      `bench-id-${i}`,
      birth,
      i % 2 ? 'male' : 'female',
      community(c),
      centre[c][0] + (rnd() - 0.5) * 0.005,
      centre[c][1] + (rnd() - 0.5) * 0.005,
    ]);
  }
  await insertRows(
    db,
    'elders',
    ['name', 'id_number_enc', 'id_number_hash', 'birth_date', 'sex', 'region_code', 'lat', 'lng'],
    elders,
  );
  const items = await queryRows<{ id: string; ref_price_fen: number }>(db, sql`SELECT id, ref_price_fen FROM service_items`);
  const orgs: unknown[][] = [];
  const profiles: unknown[][] = [];
  const areas: unknown[][] = [];
  const sites: unknown[][] = [];
  const offerings: unknown[][] = [];
  const usersRows: unknown[][] = [];
  const staff: unknown[][] = [];
  for (let p = 0; p < PROVIDERS; p++) {
    const id = randomUUID();
    const c = p % COMMUNITIES;
    orgs.push([id, 'provider', `服务商${p}`, community(c).slice(0, 9)]);
    profiles.push([id, `BENCH${String(p).padStart(13, '0')}`, 'approved', 1000, Math.floor(rnd() * 200), 50]);
    areas.push([id, community(c)], [id, community((c + 1) % COMMUNITIES)]);
    sites.push([id, `站点${p}`, community(c), centre[c][0] + (rnd() - 0.5) * 0.01, centre[c][1] + (rnd() - 0.5) * 0.01]);
    for (const it of items) offerings.push([id, it.id, it.ref_price_fen]);
    for (let w = 0; w < WORKERS_PER_PROVIDER; w++) {
      const uid = randomUUID();
      usersRows.push([uid, `bw-${p}-${w}`, 'x', `工人${p}-${w}`, 'service_worker', id]);
      staff.push([uid, id, `工人${p}-${w}`, '2099-12-31', '2099-12-31']);
    }
  }
  await insertRows(db, 'organizations', ['id', 'type', 'name', 'region_code'], orgs);
  await insertRows(
    db,
    'provider_profiles',
    ['org_id', 'credit_code', 'approval_status', 'daily_capacity', 'rating_sum', 'rating_count'],
    profiles,
  );
  await insertRows(db, 'provider_areas', ['org_id', 'region_code'], areas);
  await insertRows(db, 'provider_sites', ['org_id', 'name', 'region_code', 'lat', 'lng'], sites);
  await insertRows(db, 'provider_offerings', ['org_id', 'item_id', 'price_fen'], offerings);
  await insertRows(db, 'users', ['id', 'username', 'password_hash', 'display_name', 'role', 'org_id'], usersRows);
  await insertRows(
    db,
    'provider_staff',
    ['user_id', 'org_id', 'name', 'care_cert_valid_until', 'health_cert_valid_until'],
    staff,
  );
  await db.execute(sql`ANALYZE`);
}

/** Bare INSERTs of an order row (no auth, audit, ledger or dispatch), CONCURRENCY in flight. */
async function referenceInserts(db: DbOrTx, elderIds: string[], itemId: string, when: string) {
  await db.execute(sql`CREATE TABLE bench_ref_orders (LIKE service_orders INCLUDING ALL)`);
  const latencies: number[] = [];
  let next = 0;
  const t = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= elderIds.length) return;
        const t0 = performance.now();
        await db.execute(
          sql`INSERT INTO bench_ref_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, quantity, payment, points)
              VALUES (${`REF${i}`}, ${elderIds[i]}, ${`${DISTRICT}001001`}, ${itemId}, 'console', 'created', ${when}, 120, 2, 'points', 80)`,
        );
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const ms = Date.now() - t;
  await db.execute(sql`DROP TABLE bench_ref_orders`);
  latencies.sort((a, b) => a - b);
  return {
    what: 'bare single-row INSERT of an order row, same database and concurrency',
    inserts: elderIds.length,
    ms,
    perSecond: +((elderIds.length / ms) * 1000).toFixed(1),
    p99Ms: +percentile(latencies, 99).toFixed(1),
  };
}

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn' } });
  // As `npm start` runs it: on PGlite, the server's own analyse and vacuum (no autovacuum there).
  const maintenance = startPgliteMaintenance(database);
  let t = Date.now();
  await seed(s.ctx.db);
  const seedMs = Date.now() - t;
  console.log(
    kind,
    `seeded ${ELDERS} elders, ${PROVIDERS} providers, ${PROVIDERS * WORKERS_PER_PROVIDER} workers in ${seedMs} ms`,
  );

  const year = new Date().getUTCFullYear();
  const [policy] = await s.ctx.db
    .insert(policies)
    .values({
      name: '压测积分',
      kind: 'points_grant',
      amount: 300,
      period: 'year',
      regionCode: DISTRICT,
      conditions: { minAge: 60 },
      validFrom: `${year}-01-01`,
      status: 'active',
    })
    .returning();
  t = Date.now();
  const first = await runGrant(s.ctx, policy.id, { day: `${year}-01-01` });
  const grantMs = Date.now() - t;
  t = Date.now();
  const second = await runGrant(s.ctx, policy.id, { day: `${year}-01-02` });
  const regrantMs = Date.now() - t;
  console.log(kind, 'grant', first.granted, `${grantMs} ms; second run granted ${second.granted} in ${regrantMs} ms`);

  const operator = await createAccount(s.ctx, 'operator', { regionCode: DISTRICT });
  const api = client(s.app, await loginToken(s.app, operator.username));
  const elderIds = (await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM elders ORDER BY id LIMIT ${ORDERS}`)).map(
    (r) => r.id,
  );
  const item = (await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM service_items WHERE code = 'cleaning'`))[0].id;
  const when = new Date(Date.now() + 26 * 3600_000).toISOString();
  const latencies: number[] = [];
  let ok = 0;
  let dispatched = 0;
  let next = 0;
  t = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= elderIds.length) return;
        const t0 = performance.now();
        const r = await api.post('/api/v1/service-orders', {
          elderId: elderIds[i],
          itemId: item,
          scheduledAt: when,
          quantity: 2,
        });
        latencies.push(performance.now() - t0);
        if (r.statusCode === 201) {
          ok++;
          if (r.json().status === 'dispatched') dispatched++;
        } else if (ok === 0) console.log(r.statusCode, r.body);
      }
    }),
  );
  const ordersMs = Date.now() - t;
  latencies.sort((a, b) => a - b);
  const reference = await referenceInserts(s.ctx.db, elderIds, item, when);
  const perSecond = +((ok / ordersMs) * 1000).toFixed(1);
  const check = await checkLedger(s.ctx.db);
  const out = {
    seedMs,
    grant: {
      elders: first.granted,
      ms: grantMs,
      perSecond: Math.round((first.granted / grantMs) * 1000),
      secondRunGranted: second.granted,
      secondRunMs: regrantMs,
    },
    orders: {
      requests: elderIds.length,
      created: ok,
      dispatched,
      concurrency: CONCURRENCY,
      ms: ordersMs,
      perSecond,
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p95Ms: +percentile(latencies, 95).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
    },
    reference,
    ratioToReference: +(perSecond / reference.perSecond).toFixed(3),
    ledgerCheck: { ok: check.ok, transactions: check.transactions, entries: check.entries },
  };
  console.log(kind, JSON.stringify(out));
  await maintenance.stop();
  await s.close();
  await database.drop();
  return out;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const kinds = (process.argv.slice(2).length ? process.argv.slice(2) : ['pglite', 'postgres']) as Array<'pglite' | 'postgres'>;
const results: Record<string, unknown> = {};
for (const k of kinds) results[k] = await run(k);
const tag = process.env.BENCH_TAG ? `-${process.env.BENCH_TAG}` : '';
writeResult(`orders-dispatch${kinds.length === 1 ? `-${kinds[0]}` : ''}${tag}`, {
  what: 'POST /api/v1/service-orders through the real app (auth, Idempotency-less create, points reserve under row locks, audit, automatic dispatch over 10 candidate providers per community, history, event); runGrant() year-start grant to every elder in 1,000-elder batches, then a second run',
  scale: { elders: ELDERS, providers: PROVIDERS, workers: PROVIDERS * WORKERS_PER_PROVIDER, communities: COMMUNITIES },
  ...results,
});
process.exit(0);
