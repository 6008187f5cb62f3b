import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { connectRealtime } from '../../testing/realtime.ts';
import { waitFor } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { alarms } from '../alarms/alarms.schema.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { assessments } from '../assessments/assessments.schema.ts';
import { careCallAttempts, careCallTasks } from '../campaigns/campaigns.schema.ts';
import { careVisitFindings, careVisits } from '../care-visits/care-visits.schema.ts';
import { devices } from '../devices/devices.schema.ts';
import { meals } from '../meals/meals.schema.ts';
import { runMissedMealCheck } from '../meals/signals.service.ts';
import { serviceOrders } from '../orders/orders.schema.ts';
import { riskRadarJobs } from './risk-radar.jobs.ts';
import { runDaily, updateElders } from './risk-radar.service.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let streetA: Api;
let communityA1: Api;
let communityB1: Api;
let operator: Api;
const today = cstDate();
const now = Date.now();
const ago = (hours: number) => new Date(now - hours * 3600_000);
const E: Record<string, string> = {};
let seq = 0;

async function elder(key: string, name: string, regionCode: string, extra: Parameters<typeof createElder>[2] = {}) {
  E[key] = (await createElder(s.ctx, regionCode, { name, lat: 30.61, lng: 104.01, ...extra })).id;
  return E[key];
}
async function alarm(elderId: string, regionCode: string, v: Partial<typeof alarms.$inferInsert>) {
  await s.ctx.db.insert(alarms).values({
    type: 'fall',
    priority: 'P1',
    raisedPriority: 'P1',
    mergeKey: `t:${++seq}`,
    elderId,
    regionCode,
    ...v,
  });
}
async function device(elderId: string, regionCode: string, v: Partial<typeof devices.$inferInsert>) {
  const id = `RR${++seq}`;
  await s.ctx.db.insert(devices).values({
    id,
    type: 'pendant',
    elderId,
    regionCode,
    heartbeatSeconds: 300,
    secretNonce: 'n',
    online: true,
    lastSeenAt: new Date(),
    ...v,
  });
  return id;
}
async function assessment(elderId: string, regionCode: string, level: 'mild' | 'severe', assessedOn: string) {
  await s.ctx.db.insert(assessments).values({
    elderId,
    regionCode,
    reason: 'routine',
    assessedOn,
    background: {},
    scores: {},
    subtotals: {},
    total: level === 'mild' ? 70 : 30,
    preliminaryLevel: level,
    level,
    status: 'signed',
  } as typeof assessments.$inferInsert);
}
type Entry = {
  elderName: string;
  score: number;
  level: string;
  signals: Array<{ key: string; weight: number; evidence: Record<string, unknown> }>;
};
const radar = async (api: Api, q = '') =>
  (await api.get(`/api/v1/risk-radar${q}`)).json() as { day: string; items: Entry[]; total: number; newCount: number };
const byName = (items: Entry[], name: string) => items.find((x) => x.elderName === name);

beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityB1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;

  // 独居甲: lives alone, a regular diner away for 4 days (the meals module raises the signal), a
  // door sensor silent for 30 h, a fall 5 days ago closed as taken to hospital.
  const a = await elder('alone', '独居甲', TREE.communityA1, { livingSituation: 'alone' });
  const canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一食堂')).id;
  for (const d of [4, 5, 6, 8])
    await s.ctx.db.insert(meals).values({
      ticketNo: `R${++seq}`,
      canteenId: canteen,
      elderId: a,
      regionCode: TREE.communityA1,
      day: addDays(today, -d),
      period: 'lunch',
      eatenAt: new Date(`${addDays(today, -d)}T12:00:00+08:00`),
      items: [],
      totalFen: 1000,
      subsidyFen: 0,
      selfPayFen: 1000,
      payMethod: 'cash',
      status: 'served',
      idempotencyKey: `rr-${seq}`,
      requestHash: '-',
    });
  expect((await runMissedMealCheck(s.ctx)).raised).toBe(1);
  await device(a, TREE.communityA1, { type: 'door', lastActivityAt: ago(30), createdAt: ago(24 * 60) });
  await alarm(a, TREE.communityA1, {
    status: 'resolved',
    open: false,
    outcome: 'taken_to_hospital',
    raisedAt: ago(24 * 5),
    resolvedAt: ago(24 * 5 - 1),
  });

  // 能力降乙: the assessment went from mild to severe 10 days ago; two cancelled orders.
  const b = await elder('drop', '能力降乙', TREE.communityA1);
  await assessment(b, TREE.communityA1, 'mild', addDays(today, -200));
  await assessment(b, TREE.communityA1, 'severe', addDays(today, -10));
  const [{ id: itemId }] = await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM service_items LIMIT 1`);
  for (const d of [3, 9])
    await s.ctx.db.insert(serviceOrders).values({
      no: `RR${++seq}`,
      elderId: b,
      regionCode: TREE.communityA1,
      itemId,
      channel: 'console',
      status: 'cancelled',
      scheduledAt: ago(24 * d),
      durationMinutes: 60,
      payment: 'self',
      updatedAt: ago(24 * d),
    } as typeof serviceOrders.$inferInsert);

  // 乙区丙 (street B): a pendant off for 4 days, a terminal at 8 % whose low-battery alarm is 5
  // days old, three care-call dials unanswered.
  const c = await elder('devices', '乙区丙', TREE.communityB1);
  await device(c, TREE.communityB1, { type: 'pendant', worn: false, wornChangedAt: ago(24 * 4) });
  const term = await device(c, TREE.communityB1, { type: 'sos_terminal', battery: 8 });
  await alarm(c, TREE.communityB1, {
    type: 'battery_low',
    priority: 'P3',
    raisedPriority: 'P3',
    deviceId: term,
    raisedAt: ago(24 * 5),
  });
  const [task] = await s.ctx.db
    .insert(careCallTasks)
    .values({
      elderId: c,
      regionCode: TREE.communityB1,
      listDate: addDays(today, -2),
      campaignIds: [],
      workStartMinute: 540,
      workEndMinute: 1050,
      retryAfterMinutes: 120,
      maxAttemptsPerDay: 3,
      visitAfterDays: 3,
    })
    .returning();
  for (const h of [50, 47, 44])
    await s.ctx.db.insert(careCallAttempts).values({
      taskId: task.id,
      attemptKey: `k${h}`,
      result: 'no_answer',
      attemptDate: cstDate(ago(h)),
      at: ago(h),
    });

  // 探访戊 (community A2): a care visit 3 days overdue, and last week's visit found a fall risk (urgent).
  const v = await elder('visits', '探访戊', TREE.communityA2);
  await s.ctx.db.insert(careVisits).values({ elderId: v, regionCode: TREE.communityA2, dueOn: addDays(today, -3) });
  const [past] = await s.ctx.db
    .insert(careVisits)
    .values({
      elderId: v,
      regionCode: TREE.communityA2,
      dueOn: addDays(today, -8),
      status: 'done',
      outcome: 'met',
      visitedAt: ago(24 * 7),
    })
    .returning();
  await s.ctx.db.insert(careVisitFindings).values({
    visitId: past.id,
    elderId: v,
    regionCode: TREE.communityA2,
    type: 'falls',
    severity: 'urgent',
    foundAt: ago(24 * 7),
  });

  // 床位己 (community A2): a family care bed (family-beds module) whose last checked month was short
  // (September delivered, October not) and whose bed sensor is offline.
  const fbElder = await elder('bed', '床位己', TREE.communityA2);
  await assessment(fbElder, TREE.communityA2, 'severe', addDays(today, -40));
  const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ id: string }>(s.ctx.db, q))[0].id;
  const assessmentId = await one(sql`SELECT id FROM assessments WHERE elder_id = ${fbElder}`);
  const bedProvider = (await createOrg(s.ctx, 'provider', TREE.communityA2, '床位服务商')).id;
  const policyId = await one(sql`INSERT INTO policies (name, kind, amount, period, region_code, conditions, valid_from, status)
    VALUES ('家庭照护床位补贴', 'purchase_credit', 30000, 'month', ${TREE.district}, '{}'::jsonb, ${addDays(today, -90)}, 'active') RETURNING id`);
  const bedId =
    await one(sql`INSERT INTO family_beds (elder_id, region_code, status, applied_on, assessment_id, ability_level, provider_id, policy_id)
    VALUES (${fbElder}, ${TREE.communityA2}, 'active', ${addDays(today, -90)}, ${assessmentId}, 'severe', ${bedProvider}, ${policyId}) RETURNING id`);
  await s.ctx.db.execute(sql`INSERT INTO family_bed_months (bed_id, month, region_code, provider_id, policy_id, required, delivered, status, amount_fen)
    VALUES (${bedId}, '2026-09', ${TREE.communityA2}, ${bedProvider}, ${policyId}, 8, 8, 'delivered', 30000),
           (${bedId}, '2026-10', ${TREE.communityA2}, ${bedProvider}, ${policyId}, 8, 5, 'short', 0)`);
  const sensor = await device(fbElder, TREE.communityA2, { type: 'bed', online: false });
  await s.ctx.db.execute(sql`INSERT INTO family_bed_devices (device_id, bed_id) VALUES (${sensor}, ${bedId})`);

  // 误报丁: one false alarm only — not a signal. 平安戊: nothing at all.
  const d = await elder('false', '误报丁', TREE.communityA1);
  await alarm(d, TREE.communityA1, { status: 'resolved', open: false, outcome: 'false_alarm', raisedAt: ago(24) });
  await elder('calm', '平安戊', TREE.communityA1);
});
afterAll(() => s.close());

describe('risk radar scoring', () => {
  it('the daily job scores fixtures with known signals, explained with weights and evidence', async () => {
    const job = riskRadarJobs.find((j) => j.name === 'risk-radar.daily');
    if (!job) throw new Error('no daily job');
    await runJob(s.ctx, job, {});
    const all = await radar(bureau, '?level=low');
    expect(all.day).toBe(today);
    expect(all.items.map((x) => x.elderName).filter((n) => n !== '床位己')).toEqual(['独居甲', '乙区丙', '能力降乙', '探访戊']);
    // The family-beds module's signal: October short and the bed sensor offline (15, below 关注).
    expect(byName(all.items, '床位己')).toMatchObject({
      score: 15,
      level: 'low',
      signals: [{ key: 'care_bed', weight: 15, evidence: { shortMonth: '2026-10', offlineDevices: 1 } }],
    });
    // The care-visits module's signal: overdue visit and an urgent finding (15, below 关注).
    expect(byName(all.items, '探访戊')).toMatchObject({
      score: 15,
      level: 'low',
      signals: [
        {
          key: 'visits',
          weight: 15,
          evidence: { overdue: 1, overdueSince: addDays(today, -3), findings: 1, urgent: 1, notHome: 0 },
        },
      ],
    });

    const a = byName(all.items, '独居甲');
    // living alone 10 + missed meals 15 + no activity 25 + one alarm 8 + hospital 20.
    expect(a).toMatchObject({ score: 78, level: 'top' });
    const sig = Object.fromEntries((a?.signals ?? []).map((x) => [x.key, x]));
    expect(Object.keys(sig).sort()).toEqual(['alarms', 'hospital_outcome', 'living_alone', 'missed_meals', 'no_activity']);
    expect(sig.missed_meals).toMatchObject({
      weight: 15,
      evidence: { signals: 1, lastMealDay: addDays(today, -4), daysAbsent: 4 },
    });
    expect(sig.no_activity.weight).toBe(25);
    expect(sig.no_activity.evidence.hours).toBe(30);
    expect(sig.alarms).toMatchObject({ weight: 8, evidence: { count: 1, windowDays: 30 } });
    expect(sig.hospital_outcome.weight).toBe(20);

    const c = byName(all.items, '乙区丙');
    // not worn 10 + battery ignored 5 + unanswered calls 15.
    expect(c).toMatchObject({ score: 30, level: 'watch' });
    const cs = Object.fromEntries((c?.signals ?? []).map((x) => [x.key, x]));
    expect(cs.not_worn.evidence).toMatchObject({ devices: 1 });
    expect(cs.low_battery_ignored.evidence).toMatchObject({ devices: 1, battery: 8 });
    expect(cs.unanswered_calls.evidence).toMatchObject({ dials: 3, unreachedTasks: 0 });

    const b = byName(all.items, '能力降乙');
    // ability drop 15 + two cancelled orders 5.
    expect(b).toMatchObject({ score: 20, level: 'watch' });
    expect(b?.signals.find((x) => x.key === 'ability_drop')?.evidence).toMatchObject({ from: 'mild', to: 'severe' });
    expect(b?.signals.find((x) => x.key === 'cancelled_orders')?.evidence).toMatchObject({ count: 2 });
  });

  it('rerunning the day replaces its scores and opens the top-level task once', async () => {
    await runDaily(s.ctx);
    await runDaily(s.ctx);
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM risk_scores WHERE day = ${today}::date`,
    );
    // Every elder with a signal: the four above and 床位己.
    expect(n).toBe(5);
    const tasks = (await communityA1.get('/api/v1/risk-tasks?open=true')).json();
    expect(tasks.items.filter((t: { kind: string }) => t.kind === 'top_entry')).toHaveLength(1);
    expect(tasks.items[0]).toMatchObject({ elderName: '独居甲', kind: 'top_entry', enteredOn: today, score: 78 });
    expect(tasks.items[0].signals.map((x: { key: string }) => x.key)).toContain('hospital_outcome');
    // Still at the top the next day: no new task.
    await runDaily(s.ctx, null, addDays(today, 1));
    const [{ n: entries }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM risk_tasks WHERE kind = 'top_entry'`,
    );
    expect(entries).toBe(1);
    await s.ctx.db.execute(sql`DELETE FROM risk_scores WHERE day > ${today}::date`);
    await s.ctx.db.execute(sql`DELETE FROM risk_runs WHERE day > ${today}::date`);
  });

  it('an event updates one elder at once: a fall raised by the alarms module puts 能力降乙 higher', async () => {
    expect(byName((await radar(bureau)).items, '能力降乙')?.score).toBe(20);
    // Radar pages over the elder's community hear of it (ids only); another street's do not.
    const here = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const there = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    const rtHere = await connectRealtime(s.url, here.token);
    const rtThere = await connectRealtime(s.url, there.token);
    // The alarms module publishes alarm.raised; the radar's listener rescores the elder.
    await s.ctx.db.transaction((tx) =>
      raiseAlarm(s.ctx, tx, {
        type: 'fall',
        priority: 'P1',
        mergeKey: `fall:${E.drop}`,
        elderId: E.drop,
        deviceId: null,
        regionCode: TREE.communityA1,
        at: new Date(),
      }),
    );
    await expect.poll(async () => byName((await radar(bureau)).items, '能力降乙')?.score, { timeout: 10_000 }).toBe(28);
    const b = byName((await radar(bureau)).items, '能力降乙');
    expect(b?.signals.find((x) => x.key === 'alarms')?.evidence).toMatchObject({ count: 1 });
    const heard = await waitFor(async () =>
      rtHere.messages.find((m) => m.type === 'risk.updated' && (m.data as { elderIds: string[] }).elderIds.includes(E.drop)),
    );
    // No name, score or signal travels: the page re-reads its own scoped list.
    expect(Object.keys(heard.data as object).sort()).toEqual(['day', 'elderIds', 'entered']);
    expect(rtThere.messages.filter((m) => m.type === 'risk.updated')).toEqual([]);
    rtHere.close();
    rtThere.close();
    // A direct update of an elder changes nothing more (same inputs, same score).
    await updateElders(s.ctx, [E.drop]);
    expect(byName((await radar(bureau)).items, '能力降乙')?.score).toBe(28);
  });

  it('weights and thresholds come from the district settings the bureau sets (audited)', async () => {
    const cur = (await communityA1.get('/api/v1/risk-settings')).json();
    expect(cur).toMatchObject({ districtCode: TREE.district, customised: false, weights: { living_alone: 10 } });
    const body = {
      districtCode: TREE.district,
      weights: { ...cur.weights, living_alone: 40, cancelled_orders: 0 },
      thresholds: { ...cur.thresholds, levelTop: 90 },
    };
    expect((await communityA1.put('/api/v1/risk-settings', body)).statusCode).toBe(403);
    const bad = await bureau.put('/api/v1/risk-settings', { ...body, thresholds: { ...body.thresholds, levelHigh: 95 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.thresholds.levelHigh');
    expect((await bureau.put('/api/v1/risk-settings', { ...body, weights: { ...body.weights, bogus: 1 } })).statusCode).toBe(400);
    expect((await bureau.put('/api/v1/risk-settings', { ...body, districtCode: '990199' })).statusCode).toBe(404);
    const ok = await bureau.put('/api/v1/risk-settings', body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ customised: true, weights: { living_alone: 40 } });
    const [audit] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.settings'`,
    );
    expect(audit.n).toBe(1);

    expect((await bureau.post('/api/v1/risk-radar/run', {})).statusCode).toBe(200);
    const items = (await radar(bureau, '?level=low')).items;
    // living alone now 40: 40 + 15 + 25 + 8 + 20 = 108, capped at 100; top now starts at 90.
    expect(byName(items, '独居甲')).toMatchObject({ score: 100, level: 'top' });
    const b = byName(items, '能力降乙');
    expect(b?.signals.map((x) => x.key).sort()).toEqual(['ability_drop', 'alarms']);
    expect(b?.score).toBe(23);
  });
});

describe('radar access and actions', () => {
  it('each sees their own region; outside it is a 404; other roles are refused', async () => {
    expect((await radar(communityB1, '?level=low')).items.map((x) => x.elderName)).toEqual(['乙区丙']);
    expect((await radar(streetA, '?level=low')).items.map((x) => x.elderName).sort()).toEqual(
      ['独居甲', '探访戊', '能力降乙', '床位己'].sort(),
    );
    expect((await communityB1.get(`/api/v1/risk-radar/elders/${E.alone}`)).statusCode).toBe(404);
    expect((await communityB1.post(`/api/v1/risk-radar/elders/${E.alone}/plan`, { kind: 'visit' })).statusCode).toBe(404);
    expect((await communityB1.get(`/api/v1/risk-radar?regionCode=${TREE.communityA1}`)).statusCode).toBe(404);
    expect((await operator.get('/api/v1/risk-radar')).statusCode).toBe(403);
    const detail = await communityA1.get(`/api/v1/risk-radar/elders/${E.alone}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().current).toMatchObject({ elderName: '独居甲', level: 'top' });
  });

  it('plans a visit (once while open) and a call that lands on today’s care-call list', async () => {
    const v = await streetA.post(`/api/v1/risk-radar/elders/${E.drop}/plan`, { kind: 'visit', note: '请社区尽快上门' });
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({ kind: 'visit', elderName: '能力降乙', note: '请社区尽快上门', doneAt: null });
    // The visit is a care visit due today (care-visits module).
    const [cv] = await queryRows<{ elder_id: string; due_on: string; status: string }>(
      s.ctx.db,
      sql`SELECT elder_id, due_on::text, status FROM care_visits WHERE id = ${v.json().careVisitId}::uuid`,
    );
    expect(cv).toEqual({ elder_id: E.drop, due_on: today, status: 'scheduled' });
    const again = await streetA.post(`/api/v1/risk-radar/elders/${E.drop}/plan`, { kind: 'visit' });
    expect(again.json().id).toBe(v.json().id);
    expect((await streetA.post(`/api/v1/risk-radar/elders/${E.drop}/plan`, { kind: 'fly' })).statusCode).toBe(400);

    const call = await communityA1.post(`/api/v1/risk-radar/elders/${E.alone}/plan`, { kind: 'call' });
    expect(call.statusCode, call.body).toBe(201);
    const [t] = await queryRows<{ list_date: string; status: string }>(
      s.ctx.db,
      sql`SELECT list_date::text, status FROM care_call_tasks WHERE id = ${call.json().careCallTaskId}::uuid`,
    );
    expect(t).toEqual({ list_date: today, status: 'open' });

    const list = (await communityA1.get('/api/v1/risk-tasks?open=true')).json();
    expect(list.items.map((x: { kind: string }) => x.kind).sort()).toEqual(['call', 'top_entry', 'visit']);
    const done = await communityA1.post(`/api/v1/risk-tasks/${v.json().id}/done`, { note: '已上门，情况稳定' });
    expect(done.json()).toMatchObject({ doneNote: '已上门，情况稳定' });
    expect(done.json().doneAt).not.toBeNull();
    expect((await communityB1.post(`/api/v1/risk-tasks/${v.json().id}/done`, {})).statusCode).toBe(404);
    const [audits] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('risk.plan', 'risk.task.done')`,
    );
    expect(audits.n).toBe(3);
  });
});
