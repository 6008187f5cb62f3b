// Authenticated GET /api/v1/regions per second on PGlite and on PostgreSQL, each as a ratio
// to a bare Fastify hello-world route measured in the same run with the same load (autocannon).
// Usage: npx tsx bench/regions-rps.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { createAccount, loginToken } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { writeResult } from './lib.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return { rps: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function hello() {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const r = await load(`${url}/hello`);
  await app.close();
  return r;
}

async function regions(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ listen: true, database, config: { logLevel: 'warn' } });
  await seedDemo(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const account = await createAccount(s.ctx, 'district_admin', { regionCode: '990101' });
  const token = await loginToken(s.app, account.username);
  const r = await load(`${s.url}/api/v1/regions?limit=50`, { authorization: `Bearer ${token}` });
  await s.close();
  await database.drop();
  return r;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const bare = await hello();
console.log('bare fastify', bare);
const pglite = await regions('pglite');
console.log('regions on PGlite', pglite);
const postgres = await regions('postgres');
console.log('regions on PostgreSQL', postgres);
const bareAgain = await hello();
const bareRps = Math.round((bare.rps + bareAgain.rps) / 2);
writeResult('regions-rps', {
  what: `autocannon ${CONNECTIONS} connections × ${DURATION} s; GET /api/v1/regions?limit=50 with a bearer token (session lookup, scope filter, 43 demo regions, count) vs a bare Fastify hello-world`,
  bareFastify: { ...bare, rpsSecondRun: bareAgain.rps, rpsMean: bareRps },
  pglite: { ...pglite, ratioToBare: +(pglite.rps / bareRps).toFixed(3) },
  postgres: { ...postgres, ratioToBare: +(postgres.rps / bareRps).toFixed(3) },
});
process.exit(0);
