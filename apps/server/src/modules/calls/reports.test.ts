import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../lib/spreadsheet.ts';
import { clientAs, createAccount, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let s: TestServer;
let agentA: string;
let agentB: string;

const DAY1 = '2026-11-10T02:00:00.000Z'; // 10:00 China time on 10 Nov
const DAY2 = '2026-11-11T02:00:00.000Z';
const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

interface Fixture {
  region: string;
  base: string;
  wait?: number;
  talk?: number;
  wrap?: number;
  outcome: 'answered' | 'abandoned' | 'no_answer';
  endAfter?: number;
  category?: string;
  agent?: () => string;
  caller: string;
  direction?: 'inbound' | 'outbound';
}

async function insertCall(f: Fixture) {
  const answered = f.wait === undefined ? null : at(f.base, f.wait);
  const ended = answered ? at(answered, f.talk ?? 0) : at(f.base, f.endAfter ?? 30);
  const wrapEnd = answered && f.wrap !== undefined ? at(ended, f.wrap) : null;
  await s.ctx.db.execute(sql`INSERT INTO calls (direction, caller_hash, offered_at, answered_at, ended_at, wrap_up_ended_at,
      outcome, category_code, agent_user_id, region_code)
    VALUES (${f.direction ?? 'inbound'}, ${f.caller}, ${f.base}, ${answered}, ${ended}, ${wrapEnd}, ${f.outcome},
      ${f.category ?? null}, ${f.agent?.() ?? null}, ${f.region})`);
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  agentA = (await createAccount(s.ctx, 'operator', { regionCode: TREE.district })).id;
  agentB = (await createAccount(s.ctx, 'operator', { regionCode: TREE.district })).id;
  await s.ctx.db.execute(sql`UPDATE users SET display_name = '坐席甲' WHERE id = ${agentA}`);
  await s.ctx.db.execute(sql`UPDATE users SET display_name = '坐席乙' WHERE id = ${agentB}`);
  const A1 = TREE.communityA1;
  // Hand-counted: six inbound calls in the period for the district, five of them in street A.
  await insertCall({
    region: A1,
    base: DAY1,
    wait: 10,
    talk: 120,
    wrap: 30,
    outcome: 'answered',
    category: 'housekeeping',
    agent: () => agentA,
    caller: 'x',
  });
  await insertCall({
    region: A1,
    base: at(DAY1, 600),
    wait: 40,
    talk: 60,
    wrap: 20,
    outcome: 'answered',
    category: 'enquiry_allowance',
    agent: () => agentA,
    caller: 'x',
  });
  await insertCall({
    region: A1,
    base: at(DAY1, 3600),
    wait: 100,
    talk: 300,
    wrap: 60,
    outcome: 'answered',
    category: 'comfort',
    agent: () => agentB,
    caller: 'y',
  });
  await insertCall({ region: A1, base: DAY2, outcome: 'abandoned', endAfter: 50, caller: 'z' });
  await insertCall({ region: A1, base: at(DAY2, 60), outcome: 'no_answer', endAfter: 30, caller: 'x' });
  await insertCall({
    region: TREE.communityB1,
    base: at(DAY2, 120),
    wait: 5,
    talk: 100,
    wrap: 10,
    outcome: 'answered',
    agent: () => agentB,
    caller: 'w',
  });
  // Not counted: an outbound care call, and a call before the period.
  await insertCall({
    region: A1,
    base: at(DAY1, 60),
    wait: 3,
    talk: 30,
    outcome: 'answered',
    caller: 'x',
    direction: 'outbound',
  });
  await insertCall({ region: A1, base: '2026-11-01T02:00:00.000Z', wait: 3, talk: 30, outcome: 'answered', caller: 'x' });
});
afterAll(() => s.close());

const PERIOD = 'from=2026-11-09T16:00:00%2B00:00&to=2026-11-11T16:00:00%2B00:00';

describe('call-centre reports', () => {
  it('counts the service level, times, categories, agents and repeat callers of the district', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await api.get(`/api/v1/call-reports/inbound?${PERIOD}&bucket=day`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.totals).toMatchObject({
      offered: 6,
      answered: 4,
      abandoned: 1,
      unanswered: 1,
      answeredWithin15s: 2,
      answeredWithin60s: 3,
      answeredWithin180s: 4,
      pctWithin15s: 33.3,
      pctWithin60s: 50,
      pctWithin180s: 66.7,
      pctAbandoned: 16.7,
      avgWaitSeconds: 38.8, // (10 + 40 + 100 + 5) / 4
      avgTalkSeconds: 145, // (120 + 60 + 300 + 100) / 4
      avgWrapUpSeconds: 30, // (30 + 20 + 60 + 10) / 4
    });
    // China days: 10 Nov (three calls, all answered) and 11 Nov (three calls, one answered, one abandoned).
    expect(r.buckets).toEqual([
      { start: '2026-11-09T16:00:00.000Z', offered: 3, answered: 3, abandoned: 0 },
      { start: '2026-11-10T16:00:00.000Z', offered: 3, answered: 1, abandoned: 1 },
    ]);
    // A sub-category (高龄津贴) counts under its parent (咨询); the uncategorised call apart.
    expect(r.byCategory).toEqual(
      expect.arrayContaining([
        { code: 'housekeeping', name: '家政服务', calls: 1, pct: 25 },
        { code: 'enquiry', name: '咨询', calls: 1, pct: 25 },
        { code: 'comfort', name: '心理慰藉 / 聊天陪伴', calls: 1, pct: 25 },
        { code: null, name: null, calls: 1, pct: 25 },
      ]),
    );
    expect(r.byAgent).toEqual(
      expect.arrayContaining([
        { userId: agentA, name: '坐席甲', answered: 2, avgTalkSeconds: 90, avgWrapUpSeconds: 25 },
        { userId: agentB, name: '坐席乙', answered: 2, avgTalkSeconds: 200, avgWrapUpSeconds: 35 },
      ]),
    );
    // x called three times in the period (twice answered, once not): one repeat number, three calls.
    expect(r.repeatCallers).toEqual({ numbers: 1, calls: 3 });
  });

  it('street staff see their street only; hours bucket in China time', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const r = (await api.get(`/api/v1/call-reports/inbound?${PERIOD}&bucket=hour`)).json();
    expect(r.totals).toMatchObject({ offered: 5, answered: 3, abandoned: 1 });
    expect(r.buckets.map((b: { start: string; offered: number }) => [b.start, b.offered])).toEqual([
      ['2026-11-10T02:00:00.000Z', 2],
      ['2026-11-10T03:00:00.000Z', 1],
      ['2026-11-11T02:00:00.000Z', 2],
    ]);
  });

  it('exports the report as a workbook with Chinese headers and the same numbers', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await api.get(`/api/v1/call-reports/inbound/export?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const table = await readTable(res.rawPayload, 'r.xlsx', { maxBytes: 1e6, maxRows: 100 });
    expect(table.headers).toEqual(['指标', '数值']);
    const value = (name: string) => table.rows.find((row) => row.cells[0] === name)?.cells[1];
    expect(value('呼入总量')).toBe('6');
    expect(value('60 秒内接通率 %')).toBe('50');
    expect(value('重复来电次数')).toBe('3');
  });

  it('live: a call waiting now and today’s answered share', async () => {
    const now = Date.now();
    await s.ctx.db.execute(sql`INSERT INTO calls (direction, offered_at, region_code)
      VALUES ('inbound', ${new Date(now - 20_000).toISOString()}, ${TREE.communityA1})`);
    await s.ctx.db.execute(sql`INSERT INTO calls (direction, offered_at, answered_at, outcome, region_code)
      VALUES ('inbound', ${new Date(now - 4_000).toISOString()}, ${new Date(now - 2_000).toISOString()}, 'answered', ${TREE.communityA1})`);
    const { api } = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const live = (await api.get('/api/v1/call-reports/live')).json();
    expect(live.waiting).toBe(1);
    expect(live.longestWaitSeconds).toBeGreaterThanOrEqual(20);
    expect(live.answeredToday).toBe(1);
    expect(live.offeredToday).toBe(2);
    expect(live.pctWithin60sToday).toBe(50);
  });

  it('refuses a bad bucket or date with a 400 problem, and a provider with a 403', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    for (const q of ['bucket=week', 'from=yesterday', 'to=2026-13-01T00:00:00Z']) {
      const res = await api.get(`/api/v1/call-reports/inbound?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('problem+json');
    }
    const provider = await clientAs(s.app, s.ctx, 'provider_admin');
    expect((await provider.api.get('/api/v1/call-reports/inbound')).statusCode).toBe(403);
  });
});
