// The live bed board (床位一览) of an institution with 1,000 beds on PGlite and PostgreSQL: 5
// buildings × 10 floors × 10 rooms × 2 beds, 800 residents, 300 bed-bound devices and 50 open
// alarms on them. Measured: GET /api/v1/institutions/{id}/bed-board as an institution's staff
// member (what every bed board page and the home page load, and re-load on each bed change), 50
// times. Reference in the same run: GET /api/v1/institutions (the same auth and scope check, one
// row). Times in ms.
// Usage: npx tsx bench/institutions-bed-board.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { insertLayout } from '../apps/server/src/modules/institutions/institutions.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { clientAs, createOrg, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { encodeRaw, rawElders } from './elders-data.ts';
import { median, percentile, writeResult } from './lib.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const RESIDENTS = 800;
const secretKey = randomBytes(32);
const cipher = new FieldCipher(secretKey);

async function timed(n: number, f: () => Promise<{ statusCode: number }>) {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await f();
    lat.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`answer ${r.statusCode}`);
  }
  lat.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { runs: n, p50: r1(median(lat)), p95: r1(percentile(lat, 95)), max: r1(lat[lat.length - 1]) };
}

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn', secretKey } });
  await seedTree(s.ctx);
  const org = await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院');
  for (let b = 1; b <= 5; b++)
    await insertLayout(s.ctx.db, org.id, {
      name: `${b}号楼`,
      floors: Array.from({ length: 10 }, (_, f) => ({
        level: f + 1,
        name: `${f + 1}层`,
        rooms: Array.from({ length: 10 }, (_x, r) => ({
          name: `${f + 1}${String(r + 1).padStart(2, '0')}`,
          beds: [
            { label: '1', nursing: f < 8, priceFen: 260000 },
            { label: '2', nursing: f < 8, priceFen: 260000 },
          ],
        })),
      })),
    });
  const rnd = seededRandom(19);
  const rows = [...rawElders(RESIDENTS, 19_000)].map((e) => ({ ...encodeRaw(cipher, e, rnd), regionCode: TREE.communityA1 }));
  for (let i = 0; i < rows.length; i += 500) await s.ctx.db.insert(elders).values(rows.slice(i, i + 500));
  await s.ctx.db.execute(sql`
    WITH b AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM beds WHERE org_id = ${org.id}),
         e AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM elders)
    INSERT INTO admissions (org_id, elder_id, status, applied_on, nursing_level, bed_id, admitted_on)
    SELECT ${org.id}::uuid, e.id, 'admitted', current_date, 'level1', b.id, current_date FROM b JOIN e USING (n)`);
  await s.ctx.db.execute(
    sql`UPDATE beds SET status = 'occupied', admission_id = a.id FROM admissions a WHERE a.bed_id = beds.id`,
  );
  await s.ctx.db.execute(sql`
    INSERT INTO devices (id, type, elder_id, region_code, heartbeat_seconds, secret_nonce, online)
    SELECT 'BB-' || n, CASE WHEN n % 2 = 0 THEN 'bed' ELSE 'fall_radar' END, NULL, ${TREE.communityA1}, 600, 'n', true
    FROM generate_series(1, 300) AS n`);
  await s.ctx.db.execute(sql`
    INSERT INTO bed_devices (device_id, bed_id, org_id)
    SELECT 'BB-' || x.n, b.id, ${org.id}::uuid
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM beds WHERE org_id = ${org.id}) b
    JOIN generate_series(1, 300) AS x(n) ON x.n = b.n`);
  await s.ctx.db.execute(sql`
    INSERT INTO alarms (type, priority, raised_priority, merge_key, device_id, region_code, org_id)
    SELECT 'night_bed_exit', 'P2', 'P2', 'bb:' || n, 'BB-' || n, ${TREE.communityA1}, ${org.id}::uuid FROM generate_series(1, 50) AS n`);
  for (const t of ['beds', 'admissions', 'elders', 'devices', 'bed_devices', 'alarms'])
    await s.ctx.db.execute(sql.raw(`ANALYZE ${t}`));
  const staff = await clientAs(s.app, s.ctx, 'institution_staff', { orgId: org.id });
  const board = await staff.api.get(`/api/v1/institutions/${org.id}/bed-board`);
  const stats = board.json().stats;
  // Warm-up, then the reference and the board interleaved in blocks so both see the same load.
  await timed(5, () => staff.api.get(`/api/v1/institutions/${org.id}/bed-board`));
  const loadAverageBefore = os.loadavg().map((x) => +x.toFixed(2));
  const reference = await timed(RUNS, () => staff.api.get('/api/v1/institutions'));
  const bedBoard = await timed(RUNS, () => staff.api.get(`/api/v1/institutions/${org.id}/bed-board`));
  const result = {
    stats,
    bytes: board.body.length,
    bedBoard,
    reference,
    ratioP50: Math.round((bedBoard.p50 / reference.p50) * 10) / 10,
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
writeResult('institutions-bed-board', {
  what: `GET /institutions/{id}/bed-board for 1,000 beds (5 buildings × 10 floors × 10 rooms × 2), ${RESIDENTS} residents, 300 bed-bound devices, 50 open alarms, as the institution's staff, ${RUNS} times after a warm-up; reference in the same run: GET /institutions (same auth and scope, one row). The machine is shared: see loadAverage`,
  pglite,
  postgres,
});
