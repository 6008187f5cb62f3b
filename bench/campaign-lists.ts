// Building one day's care-call lists (主动关爱) for 100,000 elders on PGlite and PostgreSQL: two
// overlapping campaigns (weekly 独居/空巢 70+, monthly 80+) merged per elder, fair assignment to
// 24 agents, then the same job again (idempotent: nothing new). Times in ms.
// Usage: npx tsx bench/campaign-lists.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DEFAULT_CARE_SCRIPT } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import { seededRandom } from '../apps/server/src/demo/random.ts';
import { SYSTEM_ACTOR } from '../apps/server/src/lib/actor.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { callAgents } from '../apps/server/src/modules/calls/calls.schema.ts';
import { createCampaign } from '../apps/server/src/modules/campaigns/campaigns.service.ts';
import { buildDailyLists } from '../apps/server/src/modules/campaigns/lists.service.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { createAccount } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { encodeRaw, type RawElder, rawElders } from './elders-data.ts';
import { writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 24);
const secretKey = randomBytes(32);
const cipher = new FieldCipher(secretKey);

console.log(`encoding ${COUNT} elders …`);
const raws: RawElder[] = [...rawElders(COUNT)];
const rnd = seededRandom(7);
const rows = raws.map((e) => encodeRaw(cipher, e, rnd));

/** Monday 2 March 2026, 06:30 China time (the job's hour). */
const NOW = new Date('2026-03-02T06:30:00+08:00');

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn', secretKey } });
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  let t = Date.now();
  for (let i = 0; i < rows.length; i += 1000) await s.ctx.db.insert(elders).values(rows.slice(i, i + 1000));
  await s.ctx.db.execute(sql`ANALYZE elders`);
  const loadMs = Date.now() - t;
  for (let i = 0; i < AGENTS; i++) {
    const regionCode = `990101${String((i % 6) + 1).padStart(3, '0')}`;
    const a = await createAccount(s.ctx, 'operator', { regionCode });
    await s.ctx.db
      .insert(callAgents)
      .values({ userId: a.id, extension: `bench-${i}`, regionCode })
      .onConflictDoNothing();
  }
  const base = { regionCode: '990101', script: DEFAULT_CARE_SCRIPT, workStart: '09:00', workEnd: '17:30' };
  const rules = { retryAfterMinutes: 120, maxAttemptsPerDay: 3, visitAfterDays: 3, active: true };
  await createCampaign(s.ctx, SYSTEM_ACTOR, {
    ...base,
    ...rules,
    name: '独居空巢 70+ 每周关爱',
    frequency: 'weekly',
    target: { livingSituations: ['alone', 'empty_nest'], minAge: 70 },
  });
  await createCampaign(s.ctx, SYSTEM_ACTOR, {
    ...base,
    ...rules,
    name: '高龄 80+ 每月关爱',
    frequency: 'monthly',
    target: { minAge: 80 },
  });

  const loadAverageBefore = os.loadavg().map((x) => +x.toFixed(2));
  t = performance.now();
  const first = await buildDailyLists(s.ctx, NOW);
  const firstMs = performance.now() - t;
  t = performance.now();
  const second = await buildDailyLists(s.ctx, NOW);
  const secondMs = performance.now() - t;
  const perAgent = await queryRows<{ n: number }>(
    s.ctx.db,
    sql`SELECT count(*)::int AS n FROM care_call_tasks WHERE agent_user_id IS NOT NULL GROUP BY agent_user_id ORDER BY 1`,
  );
  const result = {
    loadMs,
    buildMs: Math.round(firstMs),
    rerunMs: Math.round(secondMs),
    first,
    second,
    tasksPerAgent: { min: perAgent[0]?.n, max: perAgent[perAgent.length - 1]?.n, agents: perAgent.length },
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
const pglite = await run('pglite');
const postgres = await run('postgres');
writeResult('campaign-lists', {
  what: `buildDailyLists (the care-calls.build-lists job) over ${COUNT} elders in 36 communities, two campaigns merged per elder, ${AGENTS} agents; then the same day again (nothing new). The machine is shared: see loadAverage`,
  elders: COUNT,
  pglite,
  postgres,
});
