import { DEFAULT_CARE_SCRIPT } from '@zhiyang/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callAgents, calls } from '../calls/calls.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { careCallAttempts, careCallTasks } from './campaigns.schema.ts';
import { buildDailyLists } from './lists.service.ts';

/**
 * A care call's dial is a call record (issue 14): one per dial however often it is posted, its
 * outcome read from the result; orders, alarms and complaints made from it count in the coverage,
 * and the outbound export says what the coverage says.
 */

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let admin: Api;
let agent: Awaited<ReturnType<typeof clientAs>>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  agent = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  await s.ctx.db.insert(callAgents).values({ userId: agent.account.id, extension: '8101', regionCode: TREE.streetA });
});
afterAll(() => s.close());

let seq = 50;
/**
 * A new community of street A with the given elders (70 and over), a campaign for it, and today's
 * list: one task per elder. Each test has its own community, so its counts are its own.
 */
async function listFor(names: string[], opts: { phone?: boolean } = {}) {
  const community = `${TREE.streetA}${String(++seq).padStart(3, '0')}`;
  await s.ctx.db.insert(regions).values({ code: community, parentCode: TREE.streetA, level: 'community', name: `社区${seq}` });
  const c = await admin.post('/api/v1/care-call-campaigns', {
    name: `关爱${names.join('')}`,
    regionCode: community,
    target: { minAge: 70 },
    frequency: 'weekly',
    script: DEFAULT_CARE_SCRIPT,
    workStart: '00:00',
    workEnd: '24:00',
  });
  expect(c.statusCode, c.body).toBe(201);
  const tasks: Array<{ id: string; elderId: string }> = [];
  const elders = [];
  for (const [i, name] of names.entries())
    elders.push(
      await createElder(s.ctx, community, {
        name,
        birthDate: '1945-01-01',
        lat: 30.61,
        lng: 104.01,
        ...(opts.phone ? { phone: `1380013${String(8100 + i)}` } : {}),
      }),
    );
  await buildDailyLists(s.ctx, new Date());
  for (const e of elders) {
    const [t] = await s.ctx.db.select().from(careCallTasks).where(eq(careCallTasks.elderId, e.id));
    tasks.push({ id: t.id, elderId: e.id });
  }
  // Later tests' lists leave this campaign's elders alone: one campaign per test.
  await admin.patch(`/api/v1/care-call-campaigns/${c.json().id}`, { active: false });
  return { campaignId: c.json().id as string, tasks, elders, community };
}

const callsOfTask = (taskId: string) => s.ctx.db.select().from(calls).where(eq(calls.campaignTaskId, taskId));
const post = (taskId: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  agent.api.post(`/api/v1/care-call-tasks/${taskId}/results`, body, headers);

describe('a dial is a call record', () => {
  it('an answered dial writes one outbound call record of the elder, the agent and 主动关爱, posted twice or raced', async () => {
    const { tasks, elders } = await listFor(['李桂兰', '周玉珍'], { phone: true });
    const body = { result: 'answered', attemptId: 'dial-0001', answers: { health: 'good', mood: 4 }, note: '老人很好' };
    const first = await post(tasks[0].id, body);
    expect(first.statusCode, first.body).toBe(201);
    const callId = first.json().callId;
    expect(callId).toEqual(expect.any(String));
    expect(first.json()).toMatchObject({ status: 'answered', lastCallId: callId });
    const again = await post(tasks[0].id, body);
    expect(again.statusCode).toBe(201);
    expect(again.json().callId).toBe(callId);

    const rows = await callsOfTask(tasks[0].id);
    expect(rows).toHaveLength(1);
    const [attempt] = await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, tasks[0].id));
    expect(rows[0]).toMatchObject({
      id: callId,
      direction: 'outbound',
      elderId: elders[0].id,
      partyKind: 'elder',
      calledHash: elders[0].phoneHash,
      agentUserId: agent.account.id,
      outcome: 'answered',
      categoryCode: 'care_call',
      notes: '老人很好',
      regionCode: elders[0].regionCode,
      careCallAttemptId: attempt.id,
      loggedBy: agent.account.id,
    });
    expect(rows[0].answeredAt).not.toBeNull();
    expect(attempt.callId).toBe(callId);

    // In the call log like any call: outbound, the elder's number masked, the category's name.
    const detail = await agent.api.get(`/api/v1/calls/${callId}`);
    expect(detail.json()).toMatchObject({
      direction: 'outbound',
      elderName: '李桂兰',
      categoryName: '主动关爱',
      campaignTaskId: tasks[0].id,
      calledMasked: expect.stringMatching(/^138\*{4}\d{4}$/),
    });
    const logged = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.log'), eq(auditLog.targetId, callId)));
    expect(logged).toHaveLength(1);

    // Raced: the same dial posted twice at once (with and without an Idempotency-Key) is one record.
    const raced = { result: 'no_answer', attemptId: 'dial-0002' };
    const results = await Promise.all([
      post(tasks[1].id, raced),
      post(tasks[1].id, raced),
      post(tasks[1].id, raced, { 'idempotency-key': 'race-0002' }),
      post(tasks[1].id, raced, { 'idempotency-key': 'race-0002' }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const ids = new Set(results.map((r) => r.json().callId));
    expect(ids.size).toBe(1);
    const records = await callsOfTask(tasks[1].id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'no_answer', answeredAt: null, direction: 'outbound' });
    expect(await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, tasks[1].id))).toHaveLength(1);
  });

  it('each result reads as the call’s outcome; a refusal was picked up, a wrong number never reached the elder', async () => {
    const results = ['answered', 'no_answer', 'busy', 'wrong_number', 'refused'] as const;
    const { tasks } = await listFor(['甲老人', '乙老人', '丙老人', '丁老人', '戊老人']);
    const outcome = { answered: 'answered', no_answer: 'no_answer', busy: 'busy', wrong_number: 'failed', refused: 'answered' };
    for (const [i, result] of results.entries()) {
      const r = await post(tasks[i].id, { result });
      expect(r.statusCode, r.body).toBe(201);
      const rows = await callsOfTask(tasks[i].id);
      expect(rows, result).toHaveLength(1);
      expect(rows[0].outcome, result).toBe(outcome[result]);
      expect(rows[0].id).toBe(r.json().callId);
      // No phone on file: the elder is named, the number is not known.
      expect(rows[0]).toMatchObject({ elderId: tasks[i].elderId, partyKind: 'unknown', calledEnc: null });
    }
    // Two dials of one task: two records, the task names the latest.
    const retry = await s.ctx.db.select().from(careCallTasks).where(eq(careCallTasks.id, tasks[1].id));
    await s.ctx.db.update(careCallTasks).set({ nextAttemptAt: null }).where(eq(careCallTasks.id, retry[0].id));
    const second = await post(tasks[1].id, { result: 'answered' });
    expect(second.statusCode, second.body).toBe(201);
    expect(await callsOfTask(tasks[1].id)).toHaveLength(2);
    expect(second.json().lastCallId).toBe(second.json().callId);
  });

  it('a call the telephony made for the dial is linked, not written again; another call or an inbound one is refused', async () => {
    const { tasks, elders } = await listFor(['郑淑芬', '冯桂英']);
    const made = await agent.api.post('/api/v1/calls', {
      direction: 'outbound',
      elderId: elders[0].id,
      offeredAt: new Date(Date.now() - 120_000).toISOString(),
      endedAt: new Date(Date.now() - 60_000).toISOString(),
      outcome: 'answered',
    });
    expect(made.statusCode, made.body).toBe(201);
    const r = await post(tasks[0].id, { result: 'answered', callId: made.json().id });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().callId).toBe(made.json().id);
    const rows = await callsOfTask(tasks[0].id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: made.json().id, categoryCode: 'care_call', outcome: 'answered' });
    // The same call cannot record a second dial; an inbound call is not a dial.
    const twice = await post(tasks[1].id, { result: 'answered', callId: made.json().id });
    expect(twice.statusCode).toBe(409);
    const inbound = await agent.api.post('/api/v1/calls', {
      direction: 'inbound',
      elderId: elders[1].id,
      offeredAt: new Date(Date.now() - 60_000).toISOString(),
      outcome: 'answered',
    });
    const bad = await post(tasks[1].id, { result: 'answered', callId: inbound.json().id });
    expect(bad.statusCode).toBe(400);
    expect(await callsOfTask(tasks[1].id)).toHaveLength(0);
    expect((await s.ctx.db.select().from(careCallTasks).where(eq(careCallTasks.id, tasks[1].id)))[0].status).toBe('open');
  });
});

describe('follow-ups and the outbound report', () => {
  it('an order, an alarm and a complaint from a care call count once in the coverage, and the export says the same', async () => {
    const { campaignId, tasks, elders, community } = await listFor(['陈秀英', '林凤英', '黄美兰']);
    await createServiceProvider(s.ctx, { regionCode: TREE.streetA, communities: [community], site: { lat: 30.61, lng: 104.01 } });
    const credit = await admin.post(
      `/api/v1/wallets/${elders[0].id}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 1000, reason: '测试' },
      { 'idempotency-key': 'care-dials-credit-1' },
    );
    expect(credit.statusCode, credit.body).toBe(201);
    // Hand-counted: 陈秀英 answered (health good, mood 4, a need), 林凤英 refused, 黄美兰 no answer.
    const answered = await post(tasks[0].id, {
      result: 'answered',
      answers: { health: 'good', mood: 4, needs: '想请人打扫卫生', meals: 'regular' },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    await post(tasks[1].id, { result: 'refused' });
    await post(tasks[2].id, { result: 'no_answer' });
    const callId = answered.json().callId;
    const cleaning = await itemByCode(s.ctx, 'cleaning');
    for (let i = 0; i < 2; i++) {
      const o = await agent.api.post(`/api/v1/calls/${callId}/order`, { itemId: cleaning.id, note: '想请人打扫卫生' });
      expect(o.statusCode, o.body).toBe(200);
      const a = await agent.api.post(`/api/v1/calls/${callId}/alarm`, { priority: 'P2', note: '独居，身体需关注' });
      expect(a.statusCode, a.body).toBe(200);
      const c = await agent.api.post(`/api/v1/calls/${callId}/complaint`, { reason: '上次保洁没有按时上门' });
      expect(c.statusCode, c.body).toBe(200);
    }

    const cov = (await admin.get('/api/v1/care-call-coverage')).json();
    const row = cov.items.find((x: { campaignId: string }) => x.campaignId === campaignId);
    expect(row).toMatchObject({
      targeted: 3,
      reached: 1,
      attempts: 3,
      answeredAttempts: 1,
      open: 1,
      unreached: 0,
      visitTasks: 0,
      followUps: { orders: 1, alarms: 1, complaints: 1 },
    });
    // Another street's staff count none of it.
    const other = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
    const elsewhere = (await other.get('/api/v1/care-call-coverage')).json();
    expect(elsewhere.items.find((x: { campaignId: string }) => x.campaignId === campaignId)).toBeUndefined();

    const res = await admin.get('/api/v1/call-reports/outbound/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('外呼关爱报表.xlsx'));
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const values = (name: string) => {
      const rows: unknown[][] = [];
      wb.getWorksheet(name)?.eachRow((r) => {
        rows.push((r.values as unknown[]).slice(1));
      });
      return rows;
    };
    const summary = values('汇总');
    expect(summary[0]).toEqual([
      '活动',
      '频次',
      '统计起',
      '统计止',
      '目标人数',
      '已接通人数',
      '覆盖率 %',
      '拨打次数',
      '接通次数',
      '接通率 %',
      '待拨',
      '未联系上',
      '上门探访任务',
      '服务工单',
      '告警',
      '投诉',
    ]);
    const mine = summary.find((r) => r[0] === '关爱陈秀英林凤英黄美兰');
    expect(mine).toEqual([
      '关爱陈秀英林凤英黄美兰',
      '每周',
      row.periodFrom,
      row.periodTo,
      3,
      1,
      33.3,
      3,
      1,
      33.3,
      1,
      0,
      0,
      1,
      1,
      1,
    ]);
    const answers = values('问卷统计').filter((r) => r[0] === '关爱陈秀英林凤英黄美兰');
    expect(answers).toEqual([
      ['关爱陈秀英林凤英黄美兰', '最近身体感觉怎么样？', '单选', '好', 1],
      ['关爱陈秀英林凤英黄美兰', '最近身体感觉怎么样？', '单选', '一般', 0],
      ['关爱陈秀英林凤英黄美兰', '最近身体感觉怎么样？', '单选', '不好', 0],
      ['关爱陈秀英林凤英黄美兰', '最近有什么需要帮忙的吗？', '文字', '已回答', 1],
      ['关爱陈秀英林凤英黄美兰', '这几天吃饭正常吗？', '单选', '正常', 1],
      ['关爱陈秀英林凤英黄美兰', '这几天吃饭正常吗？', '单选', '不规律', 0],
      ['关爱陈秀英林凤英黄美兰', '这几天吃饭正常吗？', '单选', '需要帮助', 0],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '1 分', 0],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '2 分', 0],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '3 分', 0],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '4 分', 1],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '5 分', 0],
      ['关爱陈秀英林凤英黄美兰', '心情怎么样？（1 很差 – 5 很好）', '评分 1–5', '平均分', 4],
    ]);
    // A community worker has no call:read: no export.
    const worker = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
    expect((await worker.get('/api/v1/call-reports/outbound/export')).statusCode).toBe(403);
  });
});
