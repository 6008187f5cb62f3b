import { DEFAULT_CARE_SCRIPT } from '@zhiyang/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callAgents } from '../calls/calls.schema.ts';
import { devices } from '../devices/devices.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { buildListsJob } from './campaigns.jobs.ts';
import { careCallAttempts, careCallCampaigns, careCallTasks, careVisitTasks } from './campaigns.schema.ts';
import { coverage } from './campaigns.service.ts';
import { buildDailyLists } from './lists.service.ts';
import { myTasks, recordResult } from './results.service.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>['api'];

/** Monday 2 March 2026, 06:30 China time: the morning the job runs. */
const at = (day: string, time = '06:30') => new Date(`${day}T${time}:00+08:00`);
const MON = '2026-03-02';

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
});
afterAll(() => s.close());
// Each test works in its own street with its own campaigns; earlier campaigns are paused.
beforeEach(async () => {
  await s.ctx.db.update(careCallCampaigns).set({ active: false });
});

let streetSeq = 10;
/** A new street with one community under the test district. */
async function freshStreet() {
  const street = `${TREE.district}${String(++streetSeq).padStart(3, '0')}`;
  const community = `${street}001`;
  await s.ctx.db.insert(regions).values([
    { code: street, parentCode: TREE.district, level: 'street', name: `街道${streetSeq}` },
    { code: community, parentCode: street, level: 'community', name: `社区${streetSeq}` },
  ]);
  return { street, community };
}

async function agentIn(regionCode: string) {
  const a = await clientAs(s.app, s.ctx, 'operator', { regionCode });
  await s.ctx.db.insert(callAgents).values({ userId: a.account.id, extension: `8${a.account.id.slice(0, 6)}`, regionCode });
  return a;
}

const baseCampaign = {
  frequency: 'weekly',
  script: DEFAULT_CARE_SCRIPT,
  workStart: '09:00',
  workEnd: '17:30',
};

async function campaign(body: Record<string, unknown>) {
  const r = await admin.post('/api/v1/care-call-campaigns', { ...baseCampaign, name: '独居关爱', ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; name: string };
}

const tasksOf = (elderId: string) => s.ctx.db.select().from(careCallTasks).where(eq(careCallTasks.elderId, elderId));
const taskIdsWith = async (campaignId: string) =>
  (
    await queryRows<{ elder_id: string }>(
      s.ctx.db,
      sql`SELECT elder_id FROM care_call_tasks WHERE campaign_ids @> ARRAY[${campaignId}::uuid] ORDER BY elder_id`,
    )
  ).map((r) => r.elder_id);
const actorOf = (account: { id: string; username: string; regionCode: string | null }) => ({
  id: account.id,
  username: account.username,
  displayName: account.username,
  role: 'operator' as const,
  regionCode: account.regionCode,
  orgId: null,
});

describe('building the day’s lists', () => {
  it('target rules pick the right elders: living situation and age on the day, birthday this week, silent devices', async () => {
    const { street, community } = await freshStreet();
    await agentIn(street);
    const old = await campaign({ regionCode: street, target: { livingSituations: ['alone', 'empty_nest'], minAge: 80 } });
    const birthday = await campaign({
      regionCode: street,
      target: { birthdayThisWeek: true, livingSituations: ['with_family'] },
    });
    const silent = await campaign({ regionCode: street, target: { noHeartbeatHours: 24 } });
    const e = async (birthDate: string, livingSituation: 'alone' | 'empty_nest' | 'with_family' = 'with_family') =>
      (await createElder(s.ctx, community, { birthDate, livingSituation })).id;
    const turns80Today = await e('1946-03-02', 'alone');
    const turns80Tomorrow = await e('1946-03-03', 'alone');
    const emptyNest86 = await e('1940-01-01', 'empty_nest');
    const withFamily96 = await e('1930-01-01', 'with_family');
    const birthdaySunday = await e('1950-03-08');
    const birthdayNextMonday = await e('1950-03-09');
    const birthdayLastSunday = await e('1950-03-01');
    const silentOne = await e('1955-05-05');
    const heardOne = await e('1955-05-06');
    const halfHeard = await e('1955-05-07');
    const now = at(MON);
    const seen = async (elderId: string, hoursAgo: number) => {
      const d = await createDevice(s.ctx, { elderId });
      await s.ctx.db
        .update(devices)
        .set({ lastSeenAt: new Date(now.getTime() - hoursAgo * 3600_000) })
        .where(eq(devices.id, d.id));
    };
    await seen(silentOne, 25);
    await seen(heardOne, 1);
    await seen(halfHeard, 30);
    await seen(halfHeard, 2);

    const r = await buildDailyLists(s.ctx, now);
    expect(r.day).toBe(MON);
    expect(await taskIdsWith(old.id)).toEqual([turns80Today, emptyNest86].sort());
    expect(await taskIdsWith(birthday.id)).toEqual([birthdaySunday]);
    expect(await taskIdsWith(silent.id)).toEqual([silentOne]);
    for (const id of [turns80Tomorrow, withFamily96, birthdayNextMonday, birthdayLastSunday, heardOne, halfHeard])
      expect(await tasksOf(id)).toEqual([]);
  });

  it('a family-care-bed campaign calls the elders whose bed is in service, not those applied for, suspended or ended', async () => {
    const { street, community } = await freshStreet();
    await agentIn(street);
    const beds = await campaign({ regionCode: street, target: { openFamilyCareBed: true } });
    const bedsAlone = await campaign({ regionCode: street, target: { openFamilyCareBed: true, livingSituations: ['alone'] } });
    const elder = async (livingSituation: 'alone' | 'with_family' = 'with_family') =>
      (await createElder(s.ctx, community, { birthDate: '1940-05-05', livingSituation })).id;
    const bed = async (elderId: string, status: string, activatedOn: string | null, endedOn: string | null = null) => {
      const [a] = await queryRows<{ id: string }>(
        s.ctx.db,
        sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total, preliminary_level, level, status)
            VALUES (${elderId}, ${community}, 'first', '2026-01-05', '{}', '{}', '{}', 40, 'moderate', 'moderate', 'signed') RETURNING id`,
      );
      await s.ctx.db.execute(sql`INSERT INTO family_beds (elder_id, region_code, status, applied_on, assessment_id, ability_level, activated_on, ended_on)
        VALUES (${elderId}, ${community}, ${status}, '2026-01-05', ${a.id}, 'moderate', ${activatedOn}, ${endedOn})`);
    };
    const inService = await elder('alone');
    const inServiceWithFamily = await elder();
    const suspended = await elder('alone');
    const applied = await elder('alone');
    const ended = await elder('alone');
    const none = await elder('alone');
    await bed(inService, 'active', '2026-01-20');
    await bed(inServiceWithFamily, 'active', '2026-01-20');
    await bed(suspended, 'suspended', '2026-01-20');
    await bed(applied, 'applied', null);
    await bed(ended, 'ended', '2026-01-20', '2026-02-20');

    await buildDailyLists(s.ctx, at(MON));
    expect(await taskIdsWith(beds.id)).toEqual([inService, inServiceWithFamily].sort());
    // With another condition, both must hold.
    expect(await taskIdsWith(bedsAlone.id)).toEqual([inService]);
    for (const id of [suspended, applied, ended, none]) expect(await tasksOf(id)).toEqual([]);

    // The campaign reads back with its condition, and a false one is refused: only `true` is a condition.
    const listed = await admin.get('/api/v1/care-call-campaigns');
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items as Array<{ id: string; target: unknown }>;
    expect(items.find((c) => c.id === beds.id)?.target).toEqual({ openFamilyCareBed: true });
    const refused = await admin.post('/api/v1/care-call-campaigns', {
      ...baseCampaign,
      name: '床位关爱',
      regionCode: street,
      target: { openFamilyCareBed: false },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
  });

  it('shares the elders fairly among the region’s agents, the least loaded first, the same way every time', async () => {
    const { street, community } = await freshStreet();
    const other = await freshStreet();
    const a1 = await agentIn(street);
    const a2 = await agentIn(community);
    const elsewhere = await agentIn(other.street);
    await campaign({ regionCode: street, target: { minAge: 60 } });
    for (let i = 0; i < 7; i++) await createElder(s.ctx, community, { birthDate: '1940-01-01' });
    await buildDailyLists(s.ctx, at(MON));
    const count = async (userId: string) =>
      (await s.ctx.db.select().from(careCallTasks).where(eq(careCallTasks.agentUserId, userId))).length;
    const [first, second] = [a1.account.id, a2.account.id].sort();
    expect([await count(first), await count(second)]).toEqual([4, 3]);
    expect(await count(elsewhere.account.id)).toBe(0);

    // Two more elders the next week: the open load is 4 / 3, so the second agent gets one more
    // first, then ties go by id.
    await s.ctx.db
      .update(careCallTasks)
      .set({ status: 'answered', closedAt: at(MON, '10:00') })
      .where(eq(careCallTasks.agentUserId, first));
    for (let i = 0; i < 2; i++) await createElder(s.ctx, community, { birthDate: '1941-01-01' });
    await buildDailyLists(s.ctx, at('2026-03-09'));
    // Due: the 4 answered last week and the 2 new elders (the 3 still open are not due again). Open
    // load before: first 0, second 3 → first takes 3, then ties go to the lower id: first 5, second 4.
    expect((await count(first)) + (await count(second))).toBe(7 + 6);
    const open = async (userId: string) =>
      (
        await s.ctx.db
          .select()
          .from(careCallTasks)
          .where(and(eq(careCallTasks.agentUserId, userId), eq(careCallTasks.status, 'open')))
      ).length;
    expect([await open(first), await open(second)]).toEqual([5, 4]);
  });

  it('merges two campaigns due on one elder into one task with both scripts', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const weekly = await campaign({ regionCode: street, target: { livingSituations: ['alone'] } });
    const monthly = await campaign({
      name: '高龄关爱',
      regionCode: street,
      frequency: 'monthly',
      target: { minAge: 80 },
      script: [
        { key: 'mood', text: '心情怎么样？', kind: 'scale' },
        { key: 'sleep', text: '睡得好吗？', kind: 'choice', options: ['well', 'poorly'] },
      ],
    });
    const both = await createElder(s.ctx, community, { birthDate: '1935-06-01', livingSituation: 'alone' });
    await buildDailyLists(s.ctx, at(MON));
    const [task] = await tasksOf(both.id);
    expect([...task.campaignIds].sort()).toEqual([weekly.id, monthly.id].sort());
    const [listed] = (await myTasks(s.ctx, actorOf(agent.account), at(MON, '09:00'))).items;
    expect(listed.campaigns.map((c) => c.name).sort()).toEqual(['独居关爱', '高龄关爱']);
    // mood is asked once; sleep comes from the second script.
    expect(listed.questions.map((q) => q.key)).toEqual(['health', 'needs', 'meals', 'mood', 'sleep']);
    // Tuesday: both campaigns were served this week / month, nothing new.
    await recordResult(s.ctx, actorOf(agent.account), task.id, { result: 'answered' }, at(MON, '09:10'));
    await buildDailyLists(s.ctx, at('2026-03-03'));
    expect(await tasksOf(both.id)).toHaveLength(1);
  });

  it('skips elders who asked not to be called, in hospital or deceased; the do-not-call flag is audited', async () => {
    const { street, community } = await freshStreet();
    await agentIn(street);
    const c = await campaign({ regionCode: street, target: { minAge: 70 } });
    const ok = await createElder(s.ctx, community, { birthDate: '1940-01-01' });
    const optOut = await createElder(s.ctx, community, { birthDate: '1940-01-01' });
    const hospital = await createElder(s.ctx, community, { birthDate: '1940-01-01', status: 'in_hospital' });
    const deceased = await createElder(s.ctx, community, { birthDate: '1940-01-01', status: 'deceased' });
    const staff = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: community })).api;
    const set = await staff.put(`/api/v1/elders/${optOut.id}/care-call-opt-out`, { optOut: true, reason: '本人表示不需要电话' });
    expect(set.statusCode, set.body).toBe(200);
    const noReason = await staff.put(`/api/v1/elders/${ok.id}/care-call-opt-out`, { optOut: true });
    expect(noReason.statusCode).toBe(400);
    const audits = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'elder.care-call-opt-out'));
    expect(audits.map((a) => a.targetId)).toEqual([optOut.id]);

    await buildDailyLists(s.ctx, at(MON));
    expect(await taskIdsWith(c.id)).toEqual([ok.id]);
    for (const e of [optOut, hospital, deceased]) expect(await tasksOf(e.id)).toEqual([]);

    // Cleared: the elder is called again (the next day's list).
    expect((await staff.put(`/api/v1/elders/${optOut.id}/care-call-opt-out`, { optOut: false })).statusCode).toBe(200);
    await buildDailyLists(s.ctx, at('2026-03-03'));
    expect(await tasksOf(optOut.id)).toHaveLength(1);
    // Set again while the task is open: the task is cancelled.
    await staff.put(`/api/v1/elders/${optOut.id}/care-call-opt-out`, { optOut: true, reason: '家属代为拒绝' });
    expect((await tasksOf(optOut.id))[0].status).toBe('cancelled');
  });

  it('the daily job run twice the same day creates nothing new', async () => {
    const { street, community } = await freshStreet();
    await agentIn(street);
    const c = await campaign({ regionCode: street, target: { minAge: 70 } });
    for (let i = 0; i < 3; i++) await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await runJob(s.ctx, buildListsJob, {});
    await runJob(s.ctx, buildListsJob, {});
    expect(await taskIdsWith(c.id)).toHaveLength(3);
    const again = await buildDailyLists(s.ctx, new Date());
    expect(again.created).toBe(0);
    expect(await taskIdsWith(c.id)).toHaveLength(3);
  });
});

describe('working the list', () => {
  it('retries no earlier than 2 h later, at most 3 a day, within working hours', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const actor = actorOf(agent.account);
    await campaign({ regionCode: street, target: { minAge: 70 } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, at(MON));
    const [task] = await tasksOf(elder.id);
    const dial = (time: string, day = MON) => recordResult(s.ctx, actor, task.id, { result: 'no_answer' }, at(day, time));

    const first = await dial('09:00');
    expect(first.nextAttemptAt).toBe(at(MON, '11:00').toISOString());
    await expect(dial('10:30')).rejects.toMatchObject({ status: 409 });
    const list = await myTasks(s.ctx, actor, at(MON, '10:30'));
    expect(list.items[0]).toMatchObject({ id: task.id, dueNow: false, attemptsToday: 1 });
    expect((await dial('11:00')).nextAttemptAt).toBe(at(MON, '13:00').toISOString());
    // The third of the day: the next is tomorrow at the start of working hours.
    const third = await dial('13:05');
    expect(third).toMatchObject({ attemptsToday: 3, attempts: 3, nextAttemptAt: at('2026-03-03', '09:00').toISOString() });
    await expect(dial('16:00')).rejects.toMatchObject({ status: 409 });
    // Tuesday 16:00: 18:00 would be after 17:30, so Wednesday 09:00.
    expect((await dial('16:00', '2026-03-03')).nextAttemptAt).toBe(at('2026-03-04', '09:00').toISOString());
    expect((await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, task.id))).length).toBe(4);
  });

  it('3 days without an answer end the task with exactly one visit task for the community worker', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const actor = actorOf(agent.account);
    const c = await campaign({ regionCode: street, target: { livingSituations: ['alone'] } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01', livingSituation: 'alone' });
    const days = [MON, '2026-03-03', '2026-03-04'];
    let taskId = '';
    for (const [i, day] of days.entries()) {
      await buildDailyLists(s.ctx, at(day));
      const tasks = await tasksOf(elder.id);
      expect(tasks).toHaveLength(1); // carried over, never a second task
      taskId = tasks[0].id;
      const mine = await myTasks(s.ctx, actor, at(day, '09:00'));
      expect(mine.items.map((t) => t.id)).toContain(taskId);
      for (const time of ['09:00', '11:00', '13:00']) {
        const r = await recordResult(s.ctx, actor, taskId, { result: 'no_answer' }, at(day, time));
        const last = i === 2 && time === '13:00';
        expect(r.status).toBe(last ? 'unreached' : 'open');
      }
    }
    // Thursday and Friday: the job runs again; still one visit task, no new call this week.
    await buildDailyLists(s.ctx, at('2026-03-05'));
    await buildDailyLists(s.ctx, at('2026-03-06'));
    const visits = await s.ctx.db.select().from(careVisitTasks).where(eq(careVisitTasks.elderId, elder.id));
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ reason: 'unreached', taskId, detail: { days: 3, attempts: 9 } });
    await expect(recordResult(s.ctx, actor, taskId, { result: 'answered' }, at('2026-03-05', '09:00'))).rejects.toMatchObject({
      status: 409,
    });

    // The community worker lists it (with the reason) and marks it done; another community's worker cannot.
    const worker = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: community })).api;
    const list = await worker.get('/api/v1/care-visit-tasks?open=true');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        elderId: elder.id,
        reason: 'unreached',
        days: 3,
        attempts: 9,
        campaigns: [{ id: c.id, name: c.name }],
      }),
    ]);
    const stranger = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
    expect((await stranger.get('/api/v1/care-visit-tasks')).json().items).toEqual([]);
    expect((await stranger.post(`/api/v1/care-visit-tasks/${visits[0].id}/done`, {})).statusCode).toBe(404);
    const done = await worker.post(`/api/v1/care-visit-tasks/${visits[0].id}/done`, { note: '已上门，老人安好' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().doneAt).not.toBeNull();
    expect((await worker.get('/api/v1/care-visit-tasks?open=true')).json().items).toEqual([]);
  });

  it('a task unanswered on 3 days but dialled once on the last ends with the next morning’s job', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const actor = actorOf(agent.account);
    await campaign({ regionCode: street, target: { minAge: 70 } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, at(MON));
    const [task] = await tasksOf(elder.id);
    for (const day of [MON, '2026-03-03', '2026-03-04'])
      await recordResult(s.ctx, actor, task.id, { result: 'busy' }, at(day, '10:00'));
    expect((await tasksOf(elder.id))[0].status).toBe('open');
    const r = await buildDailyLists(s.ctx, at('2026-03-05'));
    expect(r.unreached).toBe(1);
    expect((await tasksOf(elder.id))[0].status).toBe('unreached');
    expect(await s.ctx.db.select().from(careVisitTasks).where(eq(careVisitTasks.elderId, elder.id))).toHaveLength(1);
  });

  it('records the result and the answers once, whether retried with the same attempt id or Idempotency-Key', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    await campaign({ regionCode: street, target: { minAge: 70 } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01', name: '王秀英' });
    await buildDailyLists(s.ctx, new Date());
    const mine = await agent.api.get('/api/v1/care-call-tasks/mine');
    expect(mine.statusCode).toBe(200);
    const [task] = mine.json().items;
    expect(task).toMatchObject({ elderId: elder.id, elderName: '王秀英', status: 'open' });
    const body = {
      result: 'answered',
      attemptId: 'attempt-0001',
      answers: { health: 'good', needs: '想要助餐服务', meals: 'needs_help', mood: 4 },
    };
    const first = await agent.api.post(`/api/v1/care-call-tasks/${task.id}/results`, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'answered', attempts: 1, lastResult: 'answered' });
    const again = await agent.api.post(`/api/v1/care-call-tasks/${task.id}/results`, body);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ status: 'answered', attempts: 1, callId: first.json().callId });
    const attempts = await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, task.id));
    expect(attempts).toEqual([
      expect.objectContaining({ result: 'answered', callId: first.json().callId, attemptKey: 'attempt-0001' }),
    ]);
    const answers = await queryRows<{
      question_key: string;
      choice: string | null;
      scale: number | null;
      text_value: string | null;
    }>(
      s.ctx.db,
      sql`SELECT question_key, choice, scale, text_value FROM care_call_answers WHERE task_id = ${task.id} ORDER BY question_key`,
    );
    expect(answers).toEqual([
      { question_key: 'health', choice: 'good', scale: null, text_value: null },
      { question_key: 'meals', choice: 'needs_help', scale: null, text_value: null },
      { question_key: 'mood', choice: null, scale: 4, text_value: null },
      { question_key: 'needs', choice: null, scale: null, text_value: '想要助餐服务' },
    ]);
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'care-call.result'), eq(auditLog.targetId, task.id)));
    expect(audits).toHaveLength(1);

    // The same with an Idempotency-Key on another elder's task.
    const e2 = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, new Date(Date.now() + 60_000));
    const [t2] = await tasksOf(e2.id);
    const headers = { 'idempotency-key': 'care-result-0001' };
    const a = await agent.api.post(`/api/v1/care-call-tasks/${t2.id}/results`, { result: 'refused' }, headers);
    const b = await agent.api.post(`/api/v1/care-call-tasks/${t2.id}/results`, { result: 'refused' }, headers);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json()).toEqual(a.json());
    expect(await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, t2.id))).toHaveLength(1);
  });
});

describe('supervising the lists', () => {
  it('a supervisor sees the day’s tasks; an unassigned one is taken by the agent of the region who works it', async () => {
    const { street, community } = await freshStreet();
    await campaign({ regionCode: street, target: { minAge: 70 } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, new Date()); // no agent in the street yet
    const [task] = await tasksOf(elder.id);
    expect(task.agentUserId).toBeNull();
    const list = await admin.get('/api/v1/care-call-tasks?unassigned=true');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((t: { id: string }) => t.id)).toContain(task.id);

    const agent = await agentIn(street);
    expect((await agent.api.get('/api/v1/care-call-tasks')).statusCode).toBe(403);
    const r = await agent.api.post(`/api/v1/care-call-tasks/${task.id}/results`, { result: 'answered' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().agentUserId).toBe(agent.account.id);
    const mine = await agent.api.get('/api/v1/care-call-tasks/mine');
    expect(mine.json().items.map((t: { id: string }) => t.id)).toContain(task.id);
    const other = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetB })).api;
    expect((await other.get('/api/v1/care-call-tasks')).json().items.map((t: { id: string }) => t.id)).not.toContain(task.id);
    expect((await admin.get('/api/v1/care-call-tasks?date=2026-13-01')).statusCode).toBe(400);
  });
});

describe('coverage report', () => {
  it('counts targeted, reached, answered rate, answers per question and visit tasks, as counted by hand', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const actor = actorOf(agent.account);
    const c = await campaign({ regionCode: street, target: { minAge: 70 }, maxAttemptsPerDay: 2 });
    const elders: Array<{ id: string }> = [];
    for (let i = 0; i < 4; i++) elders.push(await createElder(s.ctx, community, { birthDate: '1945-01-01' }));
    await buildDailyLists(s.ctx, at(MON));
    const task = async (i: number) => (await tasksOf(elders[i].id))[0].id;
    const post = async (
      i: number,
      result: 'answered' | 'no_answer',
      day: string,
      time: string,
      answers?: Record<string, string | number>,
    ) => recordResult(s.ctx, actor, await task(i), { result, answers }, at(day, time));
    // A: answered at once — health good, meals regular, mood 4.
    await post(0, 'answered', MON, '09:00', { health: 'good', meals: 'regular', mood: 4 });
    // B: no answer, then answered — health fair, mood 2, needs text.
    await post(1, 'no_answer', MON, '09:00');
    await post(1, 'answered', MON, '11:00', { health: 'fair', mood: 2, needs: '灯坏了' });
    // C: 2 a day for 3 days, never answered → unreached, one visit task.
    for (const day of [MON, '2026-03-03', '2026-03-04']) {
      await post(2, 'no_answer', day, '09:00');
      await post(2, 'no_answer', day, '11:00');
    }
    // D: one no answer, still open.
    await post(3, 'no_answer', MON, '09:30');

    const supervisor = { ...SYSTEM_ACTOR, role: 'district_admin' as const, id: null, regionCode: street };
    const report = await coverage(s.ctx, supervisor, at('2026-03-04', '18:00'));
    const row = report.items.find((r) => r.campaignId === c.id);
    expect(row).toMatchObject({
      periodFrom: MON,
      periodTo: '2026-03-04',
      targeted: 4,
      reached: 2,
      reachedRate: 0.5,
      attempts: 1 + 2 + 6 + 1,
      answeredAttempts: 2,
      answeredRate: 0.2,
      open: 1,
      unreached: 1,
      visitTasks: 1,
    });
    const q = Object.fromEntries((row?.questions ?? []).map((x) => [x.key, x]));
    expect(q.health).toMatchObject({ answered: 2, counts: { good: 1, fair: 1, poor: 0 } });
    expect(q.meals).toMatchObject({ answered: 1, counts: { regular: 1, irregular: 0, needs_help: 0 } });
    expect(q.mood).toMatchObject({ answered: 2, counts: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 }, mean: 3 });
    expect(q.needs).toMatchObject({ answered: 1 });
    // Another street's supervisor counts none of these tasks.
    const other = await coverage(s.ctx, { ...supervisor, regionCode: TREE.streetB }, at('2026-03-04', '18:00'));
    expect(other.items.find((r) => r.campaignId === c.id)).toBeUndefined();
    // Over HTTP: call:read (street staff) may read it; a community worker may not.
    const street_ = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: street })).api;
    expect((await street_.get('/api/v1/care-call-coverage')).statusCode).toBe(200);
    const worker = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: community })).api;
    expect((await worker.get('/api/v1/care-call-coverage')).statusCode).toBe(403);
  });
});

describe('access and bad input', () => {
  it('an agent cannot edit campaigns; another street’s campaign and task answer 404', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const c = await campaign({ regionCode: street, target: { minAge: 70 } });
    const create = await agent.api.post('/api/v1/care-call-campaigns', {
      ...baseCampaign,
      name: '坐席自建',
      regionCode: street,
      target: { minAge: 70 },
    });
    expect(create.statusCode).toBe(403);
    expect((await agent.api.patch(`/api/v1/care-call-campaigns/${c.id}`, { active: false })).statusCode).toBe(403);

    const otherAdmin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetB })).api;
    expect((await otherAdmin.patch(`/api/v1/care-call-campaigns/${c.id}`, { active: false })).statusCode).toBe(404);
    const paused = await admin.patch(`/api/v1/care-call-campaigns/${c.id}`, { active: false });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().active).toBe(false);
    await admin.patch(`/api/v1/care-call-campaigns/${c.id}`, { active: true });

    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, new Date());
    const [task] = await tasksOf(elder.id);
    const outsider = await agentIn(TREE.streetB);
    expect((await outsider.api.post(`/api/v1/care-call-tasks/${task.id}/results`, { result: 'no_answer' })).statusCode).toBe(404);
    expect((await outsider.api.get('/api/v1/care-call-tasks/mine')).json().items).toEqual([]);
    const staffB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
    expect((await staffB.put(`/api/v1/elders/${elder.id}/care-call-opt-out`, { optOut: true, reason: '测试' })).statusCode).toBe(
      404,
    );
    const optOut = await queryRows<{ care_call_opt_out: boolean }>(
      s.ctx.db,
      sql`SELECT care_call_opt_out FROM elders WHERE id = ${elder.id}`,
    );
    expect(optOut[0].care_call_opt_out).toBe(false);
  });

  it('bad input is a 400 problem+json and writes nothing', async () => {
    const { street, community } = await freshStreet();
    const agent = await agentIn(street);
    const count = async () => (await s.ctx.db.select().from(careCallCampaigns)).length;
    const before = await count();
    const good = { ...baseCampaign, name: '测试', regionCode: street, target: { minAge: 70 } };
    for (const bad of [
      { ...good, target: {} },
      { ...good, target: { sql: 'true' } },
      { ...good, workStart: '9点' },
      { ...good, workStart: '18:00', workEnd: '09:00' },
      { ...good, frequency: 'daily' },
      { ...good, script: [{ key: 'mood', text: '心情', kind: 'choice' }] },
      { ...good, extra: 1 },
      { ...good, regionCode: `${street}999` },
      { ...good, regionCode: '990102' },
    ]) {
      const r = await admin.post('/api/v1/care-call-campaigns', bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect(await count()).toBe(before);

    await campaign({ regionCode: street, target: { minAge: 70 } });
    const elder = await createElder(s.ctx, community, { birthDate: '1945-01-01' });
    await buildDailyLists(s.ctx, new Date());
    const [task] = await tasksOf(elder.id);
    for (const bad of [
      { result: 'answered', answers: { mood: 7 } },
      { result: 'answered', answers: { health: 'excellent' } },
      { result: 'answered', answers: { unknown_q: 'x' } },
      { result: 'no_answer', answers: { mood: 3 } },
      { result: 'maybe' },
      { result: 'answered', callId: 'not-a-uuid' },
    ]) {
      const r = await agent.api.post(`/api/v1/care-call-tasks/${task.id}/results`, bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect(await s.ctx.db.select().from(careCallAttempts).where(eq(careCallAttempts.taskId, task.id))).toEqual([]);
    expect((await tasksOf(elder.id))[0]).toMatchObject({ status: 'open', attempts: 0 });
  });
});
