import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../jobs/job.ts';
import { runJob } from '../../jobs/workers.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { escalateJob, followUpSweepJob } from './care-visits.jobs.ts';
import { careFollowUps, careVisits } from './care-visits.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let district: Api;
let street: Api;
let community: Api;
let communityId: string;
let responder: Api;
let responderId: string;
let communityB: Api;
const today = cstDate();
const bornAged = (years: number) => `${Number(today.slice(0, 4)) - years}-01-15`;
const E = {} as Record<'alone90' | 'empty80' | 'disabled' | 'young' | 'other', string>;

const form = {
  health: 'good',
  mood: 'good',
  gas: 'hazard',
  electricity: 'ok',
  fallsRisk: 'high',
  food: 'enough',
  hygiene: 'ok',
  medicines: 'ok',
  needs: ['adaptation'],
};
// A 1×1 JPEG's first bytes are enough for the type check.
const jpeg = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]).toString('base64')}`;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  // The community's worker exists first: new plans of the community go to them.
  ({
    api: community,
    account: { id: communityId },
  } = await clientAs(s.app, s.ctx, 'community_staff', {
    regionCode: TREE.communityA1,
  }));
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  street = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  ({
    api: responder,
    account: { id: responderId },
  } = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.communityA1 }));
  communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  const mk = (overrides: Parameters<typeof createElder>[2], region: string = TREE.communityA1) =>
    createElder(s.ctx, region, { lat: 30.61, lng: 104.01, ...overrides }).then((e) => e.id);
  E.alone90 = await mk({ name: '独居九十', birthDate: bornAged(92), livingSituation: 'alone' });
  E.empty80 = await mk({ name: '空巢八十', birthDate: bornAged(82), livingSituation: 'empty_nest' });
  E.disabled = await mk({ name: '失能低保', birthDate: bornAged(70), abilityLevel: 'severe', categories: ['dibao'] });
  E.young = await mk({ name: '年轻老人', birthDate: bornAged(65) });
  E.other = await mk({ name: '乙区独居', birthDate: bornAged(91), livingSituation: 'alone' }, TREE.communityB1);
});
afterAll(() => s.close());

type Member = { elderId: string; groups: Array<{ group: string; source: string }>; plan: { intervalDays: number } | null };
async function members(api: Api) {
  const r = await api.get('/api/v1/care-group-members?limit=200');
  expect(r.statusCode, r.body).toBe(200);
  return new Map((r.json().items as Member[]).map((m) => [m.elderId, m]));
}
const codes = (m: Member | undefined) => (m?.groups ?? []).map((g) => `${g.group}:${g.source}`).sort();

describe('groups from the archive', () => {
  it('are computed from living situation, categories, ability level and age; staff add what the archive cannot say', async () => {
    const r = await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district });
    expect(r.statusCode, r.body).toBe(200);
    let m = await members(community);
    expect(codes(m.get(E.alone90))).toEqual(['age_80:computed', 'age_90:computed', 'alone:computed']);
    expect(codes(m.get(E.empty80))).toEqual(['age_80:computed', 'empty_nest:computed']);
    expect(codes(m.get(E.disabled))).toEqual(['dibao:computed', 'disabled:computed']);
    expect(m.has(E.young)).toBe(false);
    expect(m.has(E.other)).toBe(false); // another street's elder is out of reach

    // A new assessment lowers the ability level on the archive: 失能 becomes 半失能 at the next run.
    await s.ctx.db.execute(sql`UPDATE elders SET ability_level = 'moderate' WHERE id = ${E.disabled}`);
    // Staff mark what the archive does not hold.
    const set = await community.put(`/api/v1/care-groups/${E.disabled}`, { groups: ['left_behind'], note: '子女在外地' });
    expect(set.statusCode, set.body).toBe(200);
    await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district });
    m = await members(community);
    expect(codes(m.get(E.disabled))).toEqual(['dibao:computed', 'left_behind:staff', 'semi_disabled:computed']);

    const counts = (await street.get('/api/v1/care-groups')).json().items as Array<{ group: string; elders: number }>;
    expect(counts.find((c) => c.group === 'alone')?.elders).toBe(1);
    expect((await community.put(`/api/v1/care-groups/${E.other}`, { groups: ['left_behind'] })).statusCode).toBe(404);
    const bad = await community.put(`/api/v1/care-groups/${E.disabled}`, { groups: ['rich'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await district.post('/api/v1/care-groups/compute', { regionCode: '990102' })).statusCode).toBe(404);
  });

  it('the household record keeps phones encrypted and shows them masked; reading it is audited', async () => {
    const put = await community.put(`/api/v1/care-households/${E.alone90}`, {
      members: [],
      carerName: '王女儿',
      carerPhone: '13912345678',
      housing: 'own',
      housingCondition: 'poor',
      keyHolderName: '邻居李',
      keyHolderPhone: '13800001111',
    });
    expect(put.statusCode, put.body).toBe(200);
    const h = (await street.get(`/api/v1/care-households/${E.alone90}`)).json();
    expect(h).toMatchObject({ carerPhoneMasked: '139****5678', keyHolderPhoneMasked: '138****1111', housingCondition: 'poor' });
    // The form sends a phone only when it changes: left out, the one on file stays; null clears it.
    const again = await community.put(`/api/v1/care-households/${E.alone90}`, {
      members: [{ name: '王女儿', relationship: '女儿', age: 60 }],
      carerName: '王女儿',
      keyHolderName: '邻居李',
      keyHolderPhone: null,
    });
    expect(again.json()).toMatchObject({
      carerPhoneMasked: '139****5678',
      keyHolderPhoneMasked: null,
      members: [{ name: '王女儿' }],
    });
    const raw = await s.ctx.db.execute(sql`SELECT carer_phone_enc FROM care_households WHERE elder_id = ${E.alone90}`);
    expect(JSON.stringify(raw)).not.toContain('13912345678');
    const audits = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'care.household.update'));
    expect(JSON.stringify(audits)).not.toContain('13912345678');
    expect((await communityB.get(`/api/v1/care-households/${E.alone90}`)).statusCode).toBe(404);
  });
});

describe('visit plans', () => {
  it('rules as data schedule due visits for the community worker; a second run adds none; overdue visits go to the street', async () => {
    const rules = await district.put('/api/v1/care-visit-rules', {
      regionCode: TREE.district,
      rules: [
        { groups: ['alone', 'age_90'], riskLevel: 'high', intervalDays: 7 },
        { groups: ['empty_nest', 'age_80'], riskLevel: 'medium', intervalDays: 30 },
        { groups: ['alone'], riskLevel: 'medium', intervalDays: 14 },
      ],
    });
    expect(rules.statusCode, rules.body).toBe(200);
    expect((await street.put('/api/v1/care-visit-rules', { regionCode: TREE.district, rules: [] })).statusCode).toBe(404);
    const run = (await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district })).json();
    expect(run.scheduled).toBe(3); // alone90, empty80 here and the other street's 90+ elder living alone
    const m = await members(community);
    expect(m.get(E.alone90)?.plan).toMatchObject({ riskLevel: 'high', intervalDays: 7, assigneeId: communityId });
    expect(m.get(E.empty80)?.plan).toMatchObject({ riskLevel: 'medium', intervalDays: 30 });
    expect(m.get(E.disabled)?.plan).toBeNull();

    const mine = (await community.get(`/api/v1/care-visits?assignee=me&from=${today}&to=${addDays(today, 14)}`)).json();
    expect(mine.items.map((v: { elderId: string }) => v.elderId).sort()).toEqual([E.alone90, E.empty80].sort());
    expect(mine.items.every((v: { dueOn: string }) => v.dueOn === today)).toBe(true);
    expect((await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district })).json().scheduled).toBe(0);

    // The 80-year-old's visit is 5 days late; the district's delay is 3 days.
    await district.put('/api/v1/care-visit-settings', { regionCode: TREE.district, escalateAfterDays: 3, followUpDays: 7 });
    await s.ctx.db
      .update(careVisits)
      .set({ dueOn: addDays(today, -5) })
      .where(and(eq(careVisits.elderId, E.empty80), eq(careVisits.status, 'scheduled')));
    expect((await street.get('/api/v1/care-visits?escalated=true')).json().items).toHaveLength(0);
    await runJob(s.ctx, escalateJob as JobDefinition, {});
    await runJob(s.ctx, escalateJob as JobDefinition, {});
    const escalated = (await street.get('/api/v1/care-visits?escalated=true')).json().items;
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({ elderId: E.empty80, overdue: true, escalated: true, escalatedTo: TREE.streetA });
    const overdue = (await community.get('/api/v1/care-visits?overdue=true')).json().items;
    expect(overdue.map((v: { elderId: string }) => v.elderId)).toEqual([E.empty80]);
    const runs = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'care.visit.escalate'));
    expect(runs).toHaveLength(1);
  });
});

describe('visit records', () => {
  let visitId: string;
  it('a grid worker records offline: the replay with the same key is recorded once; the next visit is planned from it', async () => {
    const assign = await community.put(`/api/v1/care-visit-plans/${E.alone90}`, { assigneeId: responderId });
    expect(assign.statusCode, assign.body).toBe(200);
    const mine = (await responder.get('/api/v1/care-visits?assignee=me&status=scheduled')).json().items;
    expect(mine.map((v: { elderId: string }) => v.elderId)).toEqual([E.alone90]);
    visitId = mine[0].id;
    const at = new Date(Date.now() - 20 * 60_000).toISOString();
    const body = { at, outcome: 'met', lat: 30.6101, lng: 104.0101, form, notes: '燃气软管老化', photos: [jpeg] };
    const key = { 'idempotency-key': 'visit-offline-0001' };
    const first = await responder.post(`/api/v1/care-visits/${visitId}/record`, body, key);
    expect(first.statusCode, first.body).toBe(200);
    const again = await responder.post(`/api/v1/care-visits/${visitId}/record`, body, key);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const d = first.json();
    expect(d).toMatchObject({ status: 'done', outcome: 'met', checkInMethod: 'gps', visitedAt: at });
    expect(d.checkInDistanceM).toBeLessThan(50);
    expect(d.findingList.map((f: { type: string; severity: string }) => `${f.type}:${f.severity}`).sort()).toEqual([
      'falls:concern',
      'gas:urgent',
      'need:concern',
    ]);
    expect(d.photos).toHaveLength(1);
    const recorded = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'care.visit.record'));
    expect(recorded).toHaveLength(1);
    // Another record of the same visit (another key) is refused.
    expect(
      (await responder.post(`/api/v1/care-visits/${visitId}/record`, body, { 'idempotency-key': 'visit-offline-0002' }))
        .statusCode,
    ).toBe(409);
    // The key of this record sent for another visit is refused, not replayed.
    const [other] = (await community.get(`/api/v1/care-visits?elderId=${E.empty80}&status=scheduled`)).json().items;
    expect((await responder.post(`/api/v1/care-visits/${other.id}/record`, body, key)).statusCode).toBe(422);
    expect((await community.get(`/api/v1/care-visits/${other.id}`)).json().status).toBe('scheduled');
    // The elder's 360° timeline says what the visit found.
    const timeline = (await community.get(`/api/v1/elders/${E.alone90}/timeline`)).json();
    expect(JSON.stringify(timeline)).toContain('关爱巡访：发现燃气隐患、跌倒风险、服务需求');
    const next = (await community.get(`/api/v1/care-visits?elderId=${E.alone90}&status=scheduled`)).json().items;
    expect(next).toHaveLength(1);
    expect(next[0].dueOn).toBe(addDays(cstDate(new Date(at)), 7));
  });

  it('bad records change nothing: a wrong QR code, no position, no form; another street gets 404', async () => {
    const [v] = (await community.get(`/api/v1/care-visits?elderId=${E.empty80}&status=scheduled`)).json().items;
    for (const body of [
      { outcome: 'met', qr: 'ZYQR1.not-this-elder', form },
      { outcome: 'met', form },
      { outcome: 'met', lat: 30.61, lng: 104.01 },
      { outcome: 'met', lat: 30.61, lng: 104.01, form: { ...form, gas: 'maybe' } },
      { outcome: 'met', lat: 30.61, lng: 104.01, form, photos: ['data:image/jpeg;base64,aGVsbG8='] },
    ]) {
      const r = await community.post(`/api/v1/care-visits/${v.id}/record`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await community.get(`/api/v1/care-visits/${v.id}`)).json().status).toBe('scheduled');
    expect((await communityB.get(`/api/v1/care-visits/${v.id}`)).statusCode).toBe(404);
    // The elder's QR code checks in; not meeting the elder is itself a finding.
    const ok = await community.post(`/api/v1/care-visits/${v.id}/record`, {
      outcome: 'not_home',
      qr: elderQrToken(s.ctx, E.empty80),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ checkInMethod: 'qr', findingList: [{ type: 'not_home' }] });
  });

  it('each follow-up type is tracked to closure; orders and alarms close themselves when done', async () => {
    const d = (await community.get(`/api/v1/care-visits/${visitId}`)).json();
    const finding = (t: string) => d.findingList.find((f: { type: string }) => f.type === t).id;
    const create = (api: Api, body: Record<string, unknown>) => api.post('/api/v1/care-follow-ups', body);

    // Alarm: raised in the alarm centre, closed when the alarm is resolved.
    const alarm = await create(community, { findingId: finding('gas'), type: 'alarm', detail: '燃气软管老化，有泄漏气味' });
    expect(alarm.statusCode, alarm.body).toBe(201);
    expect(alarm.json()).toMatchObject({ status: 'open', alarmStatus: 'raised', deadline: addDays(today, 7) });
    const a = (await district.get(`/api/v1/alarms/${alarm.json().alarmId}`)).json();
    expect(a).toMatchObject({ type: 'visit_finding', priority: 'P1', elderId: E.alone90 });
    expect((await district.post(`/api/v1/alarms/${a.id}/acknowledge`)).statusCode).toBe(200);
    expect((await district.post(`/api/v1/alarms/${a.id}/resolve`, { outcome: 'assisted_at_home' })).statusCode).toBe(200);

    // Service order: through the orders module; closed when served.
    const provider = await createServiceProvider(s.ctx, {
      regionCode: TREE.streetA,
      communities: [TREE.communityA1],
      site: { lat: 30.61, lng: 104.01 },
    });
    expect(provider.org.id).toBeTruthy();
    const cleaning = await itemByCode(s.ctx, 'cleaning');
    const order = { itemId: cleaning.id, scheduledAt: hoursFromNow(24), payment: 'self' };
    expect(
      (await create(responder, { findingId: finding('falls'), type: 'service_order', detail: '上门整理通道', order })).statusCode,
    ).toBe(403);
    const so = await create(community, { findingId: finding('falls'), type: 'service_order', detail: '上门整理通道', order });
    expect(so.statusCode, so.body).toBe(201);
    expect(so.json().orderNo).toBeTruthy();
    // The service loop's own tests walk an order to 'served'; here only its end matters.
    await s.ctx.db.execute(sql`UPDATE service_orders SET status = 'served' WHERE id = ${so.json().orderId}`);

    await runJob(s.ctx, followUpSweepJob as JobDefinition, {});
    const closed = (await community.get('/api/v1/care-follow-ups?status=closed')).json().items;
    expect(closed.map((f: { type: string }) => f.type).sort()).toEqual(['alarm', 'service_order']);

    // 适老化改造: closed by the community with what was done.
    const ad = await create(responder, { findingId: finding('need'), type: 'home_adaptation', detail: '卫生间加装扶手' });
    expect(ad.statusCode, ad.body).toBe(201);
    const adClosed = await community.post(`/api/v1/care-follow-ups/${ad.json().id}/close`, { note: '扶手已安装' });
    expect(adClosed.json()).toMatchObject({ status: 'closed', closingNote: '扶手已安装', overdue: false });
    expect((await community.post(`/api/v1/care-follow-ups/${ad.json().id}/close`, { note: '再次关闭' })).statusCode).toBe(409);

    // A task for the street: the street closes it, not the community.
    const st = await create(community, { findingId: finding('need'), type: 'street_task', detail: '协调房屋维修资金' });
    expect((await community.post(`/api/v1/care-follow-ups/${st.json().id}/close`, { note: '已协调' })).statusCode).toBe(403);
    expect((await street.post(`/api/v1/care-follow-ups/${st.json().id}/close`, { note: '已协调' })).json().status).toBe('closed');

    // Doctor referral past its deadline is listed as overdue until closed.
    const dr = await create(community, {
      findingId: finding('falls'),
      type: 'doctor_referral',
      detail: '请家庭医生评估跌倒风险',
    });
    await s.ctx.db
      .update(careFollowUps)
      .set({ deadline: addDays(today, -1) })
      .where(eq(careFollowUps.id, dr.json().id));
    const late = (await street.get('/api/v1/care-follow-ups?overdue=true')).json().items;
    expect(late.map((f: { id: string }) => f.id)).toEqual([dr.json().id]);
    expect((await street.post(`/api/v1/care-follow-ups/${dr.json().id}/close`, { note: '医生已上门' })).json()).toMatchObject({
      status: 'closed',
    });
    expect((await street.get('/api/v1/care-follow-ups?overdue=true')).json().items).toHaveLength(0);

    expect(
      (await communityB.post(`/api/v1/care-follow-ups`, { findingId: finding('gas'), type: 'street_task', detail: '越权' }))
        .statusCode,
    ).toBe(404);
    expect((await create(community, { findingId: finding('gas'), type: 'service_order', detail: '没有工单' })).statusCode).toBe(
      400,
    );
  });

  it('statistics: coverage per group, findings by type, follow-ups closed on time, per community and worker', async () => {
    const r = await street.get(`/api/v1/care-visit-stats?from=${addDays(today, -30)}&to=${today}`);
    expect(r.statusCode, r.body).toBe(200);
    const st = r.json();
    expect(st.groups.find((g: { group: string }) => g.group === 'alone')).toEqual({
      group: 'alone',
      elders: 1,
      planned: 1,
      visitedInPlan: 1,
    });
    // The 80-year-old was not met: a visit is recorded, and coverage counts it (the plan was kept).
    expect(st.groups.find((g: { group: string }) => g.group === 'empty_nest')).toMatchObject({ planned: 1, visitedInPlan: 1 });
    expect(st.findingsByType).toEqual(
      expect.arrayContaining([
        { type: 'gas', count: 1 },
        { type: 'not_home', count: 1 },
      ]),
    );
    expect(st.followUps).toEqual({ total: 5, closed: 5, closedOnTime: 4, open: 0, overdue: 0 });
    expect(st.communities).toEqual([
      expect.objectContaining({ regionCode: TREE.communityA1, planned: 2, visitedInPlan: 2, visits: 2, overdue: 0, findings: 4 }),
    ]);
    expect(st.workers.find((w: { userId: string }) => w.userId === responderId)).toMatchObject({ visits: 1, findings: 3 });
    expect((await street.get(`/api/v1/care-visit-stats?from=${today}&to=${addDays(today, -3)}`)).statusCode).toBe(400);
  });
});
