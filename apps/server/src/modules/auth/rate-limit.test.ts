import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../jobs/job.ts';
import { runJob } from '../../jobs/workers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { authJobs } from './auth.jobs.ts';

// Two web processes of one city on one database, as behind a proxy: `a` and `b` share it and the
// secret key, as every process of an installation does.
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({ database: a.database, config: { secretKey: a.ctx.config.secretKey } });
  await seedTree(a.ctx);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

let lastAddress = 10;
/** A client address of its own for each test, so their counts do not meet. */
const newAddress = () => `198.51.100.${lastAddress++}`;

/** Self-registration allows ten attempts an hour per address; an invalid one counts and changes nothing. */
const register = (app: FastifyInstance, address: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/volunteer-registrations',
    remoteAddress: address,
    payload: { name: '限流测试', phone: '13600771000', regionCode: TREE.communityA1 },
  });

const registrations = async () =>
  (await queryRows<{ n: number }>(a.ctx.db, sql`SELECT count(*)::int AS n FROM volunteers WHERE name = '限流测试'`))[0].n;

describe('rate limits shared by every web process', () => {
  it('a client gets the limit once across two processes, not once per process', async () => {
    const ip = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await register(i % 2 ? b.app : a.app, ip)).statusCode);
    expect(statuses).toEqual(Array(10).fill(400));
    for (const app of [a.app, b.app]) {
      const limited = await register(app, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json().code).toBe('rate-limited');
      const wait = Number(limited.headers['retry-after']);
      expect(wait).toBeGreaterThan(3500);
      expect(wait).toBeLessThanOrEqual(3600);
    }
    // Another client and another route are counted apart.
    expect((await register(b.app, newAddress())).statusCode).toBe(400);
    const login = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: ip,
      payload: { username: 'nobody-here', password: 'Wrong#Pass2026' },
    });
    expect(login.statusCode).toBe(401);
    expect(await registrations()).toBe(0);
  });

  it('hits racing from both processes are each counted once', async () => {
    const ip = newAddress();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => register(i % 2 ? b.app : a.app, ip)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((c) => c === 400)).toHaveLength(10);
    expect(statuses.filter((c) => c === 429)).toHaveLength(20);
  });

  it('keeps no client address in clear, and a new window starts once the last one ended', async () => {
    const ip = newAddress();
    for (let i = 0; i < 11; i++) await register(a.app, ip);
    expect((await register(b.app, ip)).statusCode).toBe(429);
    const keys = await queryRows<{ key: string }>(a.ctx.db, sql`SELECT key FROM rate_limit_hits`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k.key).toMatch(/^[0-9a-f]{64}$/);
      expect(k.key).not.toContain('198.51.100');
    }
    // The hour is over (its end moved to the past): the address may try again, and the nightly
    // prune drops the ended window.
    await a.ctx.db.execute(sql`UPDATE rate_limit_hits SET resets_at = now() - interval '1 second'`);
    const job = authJobs.find((j) => j.name === 'auth.prune-login-failures') as JobDefinition;
    await runJob(a.ctx, job, {});
    expect(await queryRows(a.ctx.db, sql`SELECT key FROM rate_limit_hits`)).toEqual([]);
    expect((await register(b.app, ip)).statusCode).toBe(400);
  });
});
