// Search latency over 100,000 elders on PGlite and PostgreSQL, through the HTTP API (session,
// scope, blind indexes, count, audit row per search — what a user waits for).
// Usage: npx tsx bench/elders-search.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { createAccount, loginToken } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { encodeRaw, type RawElder, rawElders } from './elders-data.ts';
import { percentile, writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const secretKey = randomBytes(32);
const cipher = new FieldCipher(secretKey);

console.log(`encoding ${COUNT} elders …`);
let t = Date.now();
const raws: RawElder[] = [...rawElders(COUNT)];
const rnd = seededRandom(7);
const rows = raws.map((e) => encodeRaw(cipher, e, rnd));
console.log(`encoded in ${Date.now() - t} ms`);

// Look-ups that exist in the data: a few real elders' name, ID tail and phone.
const sample = raws.filter((_, i) => i % 9973 === 0).slice(0, 8);
const withPhone = raws.filter((e) => e.phone).slice(0, 8);
const queries: Array<[string, (i: number) => string]> = [
  ['name (2 chars, contains)', (i) => `q=${encodeURIComponent(sample[i % sample.length].name.slice(1))}`],
  ['full name', (i) => `q=${encodeURIComponent(sample[i % sample.length].name)}`],
  ['pinyin initials', (i) => `q=${['wxy', 'zjg', 'lgl', 'cdm', 'hgh'][i % 5]}`],
  ['full pinyin prefix', (i) => `q=${['wangxiuying', 'zhangjianguo', 'liguilan', 'chende'][i % 4]}`],
  ['ID last 4', (i) => `q=${sample[i % sample.length].idNumber.slice(-4)}`],
  ['ID last 6', (i) => `q=${sample[i % sample.length].idNumber.slice(-6)}`],
  ['full ID number', (i) => `q=${sample[i % sample.length].idNumber}`],
  ['phone', (i) => `q=${withPhone[i % withPhone.length].phone}`],
  ['no filter (first page)', () => ''],
  ['community', (i) => `regionCode=990101${String((i % 6) + 1).padStart(3, '0')}00${(i % 6) + 1}`],
  ['category', (i) => `category=${['dibao', 'tekun', 'disabled_care', 'entitled'][i % 4]}`],
  ['living + age 80–89', (i) => `livingSituation=${['alone', 'empty_nest'][i % 2]}&ageMin=80&ageMax=89`],
  ['ability + status', (i) => `abilityLevel=${['severe', 'total', 'moderate'][i % 3]}&status=active`],
  ['pinyin + community + age', (i) => `q=w&regionCode=990101001&ageMin=${70 + (i % 10)}`],
  ['page 50', () => 'page=50'],
];

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn', secretKey } });
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  t = Date.now();
  for (let i = 0; i < rows.length; i += 1000) await s.ctx.db.insert(elders).values(rows.slice(i, i + 1000));
  await s.ctx.db.execute(sql`ANALYZE elders`);
  const loadMs = Date.now() - t;
  console.log(`${kind}: loaded ${rows.length} in ${loadMs} ms`);
  const result: Record<string, unknown> = { loadMs, loadAverageBefore: os.loadavg().map((x) => +x.toFixed(2)) };
  for (const [who, role, regionCode] of [
    ['district admin (whole district)', 'district_admin', '990101'],
    ['community staff (one community)', 'community_staff', '990101001001'],
  ] as const) {
    const acc = await createAccount(s.ctx, role, { regionCode });
    const token = await loginToken(s.app, acc.username);
    const all: number[] = [];
    const per: Record<string, { p50: number; p95: number; max: number; hits: number }> = {};
    for (const [label, qs] of queries) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = performance.now();
        const res = await s.app.inject({
          method: 'GET',
          url: `/api/v1/elders?${qs(i)}&count=true`,
          headers: { authorization: `Bearer ${token}` },
        });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body}`);
        if (i >= 2) {
          times.push(ms);
          hits = res.json().total;
        }
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      per[label] = {
        p50: +percentile(times, 50).toFixed(1),
        p95: +percentile(times, 95).toFixed(1),
        max: +times[times.length - 1].toFixed(1),
        hits,
      };
    }
    all.sort((a, b) => a - b);
    result[who] = {
      overall: {
        p50: +percentile(all, 50).toFixed(1),
        p95: +percentile(all, 95).toFixed(1),
        p99: +percentile(all, 99).toFixed(1),
        n: all.length,
      },
      queries: per,
    };
    console.log(kind, who, result[who]);
    result.loadAverageAfter = os.loadavg().map((x) => +x.toFixed(2));
  }
  await s.close();
  await database.drop();
  return result;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const pglite = await run('pglite');
const postgres = await run('postgres');
writeResult('elders-search', {
  what: `GET /api/v1/elders over ${COUNT} elders in 36 communities via app.inject (auth, scope, blind indexes, total capped at 1,000, audit row); ${RUNS} timed runs per query after 2 warm-ups; latencies in ms. The machine is shared with other work: see loadAverage (2 cores)`,
  elders: COUNT,
  pglite,
  postgres,
});
process.exit(0);
