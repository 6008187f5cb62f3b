import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedCalls, seedCareCampaigns } from './calls.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';

const PASSWORD = 'Demo#Pass2026';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: PASSWORD });
  await seedElders(s.ctx);
  await seedCalls(s.ctx, { demoPassword: PASSWORD });
  await seedCareCampaigns(s.ctx);
}, 300_000);
afterAll(() => s.close());

describe('demo call centre', () => {
  it('has the hotline, six agents who can log in, and the knowledge base', async () => {
    const agents = await queryRows<{ username: string; extension: string }>(
      s.ctx.db,
      sql`SELECT u.username, a.extension FROM call_agents a JOIN users u ON u.id = a.user_id ORDER BY a.extension`,
    );
    expect(agents.map((a) => a.username)).toEqual(expect.arrayContaining(['demo-operator', 'demo-agent-1', 'demo-agent-5']));
    expect(agents).toHaveLength(6);
    expect(await loginToken(s.app, 'demo-agent-3', PASSWORD)).toEqual(expect.any(String));
    const [hotline] = await queryRows<{ number: string }>(s.ctx.db, sql`SELECT number FROM call_hotlines`);
    expect(hotline.number).toBe('968962');
    const [gl] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM kb_articles WHERE title_initials LIKE 'gljt%'`,
    );
    expect(gl.n).toBe(1);
  });

  it('three months of calls whose answered mix follows the Wuhan shares, reported by the inbound report', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-district', PASSWORD));
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 91 * 86_400_000).toISOString();
    const res = await api.get(
      `/api/v1/call-reports/inbound?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=month`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.totals.offered).toBeGreaterThan(2500);
    expect(r.totals.pctAbandoned).toBeGreaterThan(2);
    expect(r.totals.pctAbandoned).toBeLessThan(7);
    const share = (code: string) => r.byCategory.find((c: { code: string }) => c.code === code)?.pct ?? 0;
    // Wuhan 2016: 家政服务 37.6 %, 心理慰藉 36.2 %, 助餐 13.4 %, 康复护理 3.9 %; within sampling noise.
    expect(share('housekeeping')).toBeGreaterThan(34);
    expect(share('housekeeping')).toBeLessThan(41);
    expect(share('comfort')).toBeGreaterThan(33);
    expect(share('comfort')).toBeLessThan(40);
    expect(share('meals')).toBeGreaterThan(11);
    expect(share('meals')).toBeLessThan(16);
    expect(r.byAgent).toHaveLength(6);
    expect(r.repeatCallers.numbers).toBeGreaterThan(0);
  });

  it('two care-call campaigns, and today’s care-call list already shared among the agents', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-operator', PASSWORD));
    const campaigns = await queryRows<{ name: string; frequency: string }>(
      s.ctx.db,
      sql`SELECT name, frequency FROM care_call_campaigns ORDER BY name`,
    );
    expect(campaigns.map((c) => c.frequency).sort()).toEqual(['monthly', 'weekly']);
    const [tasks] = await queryRows<{ n: number; agents: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT agent_user_id)::int AS agents FROM care_call_tasks`,
    );
    expect(tasks.n).toBeGreaterThan(0);
    expect(tasks.agents).toBe(6);
    const mine = await api.get('/api/v1/care-call-tasks/mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.length).toBeGreaterThan(0);
  });

  it('the morning’s care calls so far: the outbound report shows reached elders and the script’s answers, and work is left', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-operator', PASSWORD));
    const coverage = await api.get('/api/v1/care-call-coverage');
    expect(coverage.statusCode, coverage.body).toBe(200);
    const rows = coverage.json().items as Array<{
      targeted: number;
      reached: number;
      attempts: number;
      open: number;
      questions: Array<{ key: string; answered: number }>;
    }>;
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.reached)).toBeGreaterThan(0);
    expect(sum((r) => r.reached)).toBeLessThan(sum((r) => r.targeted));
    expect(sum((r) => r.attempts)).toBeGreaterThan(sum((r) => r.reached));
    expect(sum((r) => r.open)).toBeGreaterThan(0);
    expect(sum((r) => r.questions.find((q) => q.key === 'mood')?.answered ?? 0)).toBeGreaterThan(0);
    // Every dial is an outbound call of the call log.
    const [dials] = await queryRows<{ attempts: number; calls: number }>(
      s.ctx.db,
      sql`SELECT (SELECT count(*)::int FROM care_call_attempts) AS attempts,
                 (SELECT count(*)::int FROM calls WHERE care_call_attempt_id IS NOT NULL AND direction = 'outbound') AS calls`,
    );
    expect(dials.calls).toBe(dials.attempts);
  });
});
