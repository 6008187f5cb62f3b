// Authenticated reads per second, each as a ratio to a bare Fastify hello-world route measured in
// the same run with the same load (autocannon): GET /api/v1/regions as an API client sends it
// (no count) and as the console's regions page sends it (count=true), and the elder list page's
// first request (GET /api/v1/elders?page=1&limit=20&count=true: session, scope, capped count,
// masked rows, the audited search). Each on PGlite and on PostgreSQL, with the session cache on
// (the default) and off (SESSION_CACHE_SECONDS=0, every request asks the database for the session:
// the behaviour before the cache). The machine is shared: compare ratios within one run only.
// Usage: npx tsx bench/authenticated-reads.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
// BENCH_CACHE_OFF=0 skips the cache-off server (the default cache only); BENCH_DBS=pglite or postgres
// runs one database; BENCH_LABEL names the result file (authenticated-reads-<label>.json);
// BENCH_SETTLE_SECONDS waits that long after the seed before the first read; BENCH_READS=regionsApi,…
// measures only the reads named; BENCH_LOG_LEVEL sets the server's log level (default info, as deployed).
import os from 'node:os';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { createTestDatabase, type TestDatabase } from '../apps/server/src/testing/db.ts';
import { createAccount, loginToken } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { writeResult } from './lib.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 20;
// The server logs as a deployment does by default (LOG_LEVEL=info); BENCH_LOG_LEVEL=warn as runs before 2026-11-29 did.
const LOG_LEVEL = (process.env.BENCH_LOG_LEVEL ?? 'info') as 'info';

const READS = {
  regionsApi: '/api/v1/regions?limit=50',
  regionsPage: '/api/v1/regions?limit=20&page=1&count=true',
  elderListPage: '/api/v1/elders?page=1&limit=20&count=true',
  // What the first request costs beyond the framework and the session: the smallest authenticated
  // answer (one region), and the elder list's next page (no count; still the audited search).
  regionsOne: '/api/v1/regions?limit=1',
  elderListNext: '/api/v1/elders?page=2&limit=20',
  // A text search (pinyin initial): never answered from the kept pages, so it shows the cost of
  // the database read and the audited search together.
  elderSearch: '/api/v1/elders?page=1&limit=20&count=true&q=w',
} as const;
type ReadName = keyof typeof READS;

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return { rps: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}
type Load = Awaited<ReturnType<typeof load>>;

async function hello() {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const r = await load(`${url}/hello`);
  await app.close();
  return r;
}

/** One server on `database` with the session cache on or off; every read measured with one district admin's token. */
async function reads(database: TestDatabase, cacheSeconds: number, seed: boolean) {
  const s = await startTestServer({ listen: true, database, config: { logLevel: LOG_LEVEL, sessionCacheSeconds: cacheSeconds } });
  if (seed) await seedDemo(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const account = await createAccount(s.ctx, 'district_admin', { regionCode: null });
  const token = await loginToken(s.app, account.username);
  // BENCH_SETTLE_SECONDS: let the work the seed left behind (jobs, the audit sealer; on PGlite in
  // this very thread) finish before the first read is measured, else the first read pays for it.
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_SECONDS ?? 0) * 1000));
  const out = {} as Record<ReadName, Load>;
  const only = process.env.BENCH_READS?.split(',');
  for (const [name, path] of Object.entries(READS) as Array<[ReadName, string]>) {
    if (only && !only.includes(name)) continue;
    out[name] = await load(`${s.url}${path}`, { authorization: `Bearer ${token}` });
    console.log(`  ${database.kind} cache ${cacheSeconds ? 'on' : 'off'} ${name}`, out[name]);
  }
  await s.close();
  return out;
}

async function onDatabase(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const withCacheOff = process.env.BENCH_CACHE_OFF !== '0';
  const cacheOff = withCacheOff ? await reads(database, 0, true) : undefined;
  const cacheOn = await reads(database, 5, !withCacheOff);
  await database.drop();
  return { cacheOff, cacheOn };
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const loadBefore = os.loadavg();
const bare = await hello();
console.log('bare fastify', bare);
const dbs = (process.env.BENCH_DBS ?? 'pglite,postgres').split(',');
const pglite = dbs.includes('pglite') ? await onDatabase('pglite') : undefined;
const postgres = dbs.includes('postgres') ? await onDatabase('postgres') : undefined;
const bareAgain = await hello();
console.log('bare fastify again', bareAgain);
const bareRps = Math.round((bare.rps + bareAgain.rps) / 2);

const withRatios = (r: Record<ReadName, Load> | undefined) =>
  r && Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { ...v, ratioToBare: +(v.rps / bareRps).toFixed(3) }]));
writeResult(process.env.BENCH_LABEL ? `authenticated-reads-${process.env.BENCH_LABEL}` : 'authenticated-reads', {
  what: `autocannon ${CONNECTIONS} connections × ${DURATION} s per read, one district admin's bearer token, demo district; regionsApi = ${READS.regionsApi} (no count), regionsPage = ${READS.regionsPage} (the console's regions page), elderListPage = ${READS.elderListPage} (the console's elder list, first request; audited; region staff's pages kept in memory until the archive changes), elderListNext = ${READS.elderListNext}, elderSearch = ${READS.elderSearch} (a text search: always the database). cacheOff = SESSION_CACHE_SECONDS=0 (session read from the database on every request, as before the cache); cacheOn = the default 5 s cache. Ratios are to the mean of two bare Fastify hello-world runs in the same process run; the machine is shared with other engineers' work, so only ratios within this run compare.`,
  logLevel: LOG_LEVEL,
  loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) },
  bareFastify: { ...bare, rpsSecondRun: bareAgain.rps, rpsMean: bareRps },
  pglite: pglite && { cacheOff: withRatios(pglite.cacheOff), cacheOn: withRatios(pglite.cacheOn) },
  postgres: postgres && { cacheOff: withRatios(postgres.cacheOff), cacheOn: withRatios(postgres.cacheOn) },
});
process.exit(0);
