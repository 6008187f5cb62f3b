import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode, makeCreditCode } from '../../testing/service.ts';
import { callHotlines } from '../calls/calls.schema.ts';
import {
  inspectionFindings,
  inspectionRounds,
  inspections,
  inspectionTemplates,
  orgGrades,
} from '../inspections/inspections.schema.ts';
import { serviceComplaints } from '../orders/orders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { providerProfiles } from '../providers/providers.schema.ts';
import { holdListing } from './credit.testing.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let streetA: Api;
let badAdmin: Api;
let goodAdmin: Api;
let good: string;
let bad: string;
let lowD: string;
let canteen: string;
let elderId: string;
const today = cstDate();
const lastMonth = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
const ELDER_NAME = '欧阳秀英';
const ELDER_PHONE = '13912345678';
const site = { lat: 30.6, lng: 104.0 };

const file = async (id: string, api = bureau) => (await api.get(`/api/v1/credit/organizations/${id}`)).json();
const event = (id: string, kind: string, occurredOn = today, title = '测试事件') =>
  bureau.post(`/api/v1/credit/organizations/${id}/events`, { kind, occurredOn, title, documentNo: '武民罚〔2026〕1号' });

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetA = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  good = (
    await createServiceProvider(s.ctx, { regionCode: TREE.streetA, communities: [TREE.communityA1], site, name: '守信居家服务' })
  ).org.id;
  bad = (
    await createServiceProvider(s.ctx, {
      regionCode: TREE.streetA,
      communities: [TREE.communityA1],
      site: { lat: 30.6001, lng: 104.0001 },
      name: '失信居家服务',
    })
  ).org.id;
  lowD = (
    await createServiceProvider(s.ctx, { regionCode: TREE.streetA, communities: [TREE.communityA1], site, name: '低分居家服务' })
  ).org.id;
  badAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: bad })).api;
  goodAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: good })).api;
  canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  // Organisations' contact phones are not for the public pages.
  await s.ctx.db
    .update(organizations)
    .set({ contactName: '王经理', contactPhone: '13800138000' })
    .where(eq(organizations.id, good));
  const elder = await createElder(s.ctx, TREE.communityA1, { name: ELDER_NAME, phone: ELDER_PHONE, lat: 30.6, lng: 104.0 });
  elderId = elder.id;
  await s.ctx.db.insert(callHotlines).values({ number: '96890', name: '智养服务热线', regionCode: TREE.district });
});
afterAll(() => s?.close());

describe('credit file and score', () => {
  it('lists dated, sourced events and explains the score line by line', async () => {
    expect((await event(good, 'commitment', today, '签署信用承诺书')).statusCode).toBe(201);
    const p = await event(good, 'penalty', addDays(today, -365), '未按规定公示收费标准');
    expect(p.statusCode, p.body).toBe(201);
    // A complaint on the call centre's record about this provider is read from the orders module.
    const [c] = await s.ctx.db
      .insert(serviceComplaints)
      .values({ elderId, regionCode: TREE.communityA1, providerId: good, reason: '迟到', dueAt: new Date() })
      .returning();
    const f = await file(good);
    const lines = f.explanation.lines as Array<Record<string, unknown>>;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'commitment', source: 'credit', weight: 5, ageDays: 0, points: 5 }),
        expect.objectContaining({ kind: 'complaint', source: 'orders', sourceId: c.id, weight: -5, points: -5 }),
        expect.objectContaining({
          kind: 'penalty',
          title: '未按规定公示收费标准（武民罚〔2026〕1号）',
          occurredOn: addDays(today, -365),
          factor: 0.5,
          points: -10,
        }),
      ]),
    );
    // Base 85 + 5 − 5 − 10 = 75: level B; each line is in the sum.
    expect(f.explanation).toMatchObject({ base: 85, raw: 75, score: 75, level: 'B' });
    expect(f.organization).toMatchObject({
      name: '守信居家服务',
      kind: 'provider',
      level: 'B',
      complaintCount: 1,
      blocked: false,
    });
  });

  it('refuses a future date, a kind not recorded by hand, and writes by anyone but the bureau', async () => {
    const future = await event(good, 'commitment', addDays(today, 3));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('body.occurredOn');
    expect((await event(good, 'complaint')).statusCode).toBe(400);
    const street = await streetA.post(`/api/v1/credit/organizations/${good}/events`, {
      kind: 'commitment',
      occurredOn: today,
      title: 'x',
    });
    expect(street.statusCode).toBe(403);
    // An organisation reads its own file only.
    expect((await goodAdmin.get(`/api/v1/credit/organizations/${good}`)).statusCode).toBe(200);
    expect((await goodAdmin.get(`/api/v1/credit/organizations/${bad}`)).statusCode).toBe(404);
  });

  it('the bureau sets the weights as data and every organisation is rescored', async () => {
    const r = (await bureau.get('/api/v1/credit/rules')).json();
    expect(r.customised).toBe(false);
    const wrong = await bureau.put('/api/v1/credit/rules', { ...r.rules, levels: { A: 60, B: 75, C: 90 } });
    expect(wrong.statusCode).toBe(400);
    const set = await bureau.put('/api/v1/credit/rules', {
      ...r.rules,
      weights: { ...r.rules.weights, complaint: -10 },
      caps: {},
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await file(good)).explanation).toMatchObject({ raw: 70, level: 'C' });
    expect((await bureau.put('/api/v1/credit/rules', r.rules)).statusCode).toBe(200);
    expect((await file(good)).explanation.score).toBe(75);
  });
});

describe('events from the inspections module 检查评级', () => {
  it('a finished inspection, a re-checked and an overdue finding are lines of the institution file; the grade is public', async () => {
    const home = (await createOrg(s.ctx, 'institution', TREE.communityA1, '甲一社区颐养院')).id;
    const [template] = await s.ctx.db
      .select()
      .from(inspectionTemplates)
      .where(eq(inspectionTemplates.orgType, 'institution'))
      .limit(1);
    const [round] = await s.ctx.db
      .insert(inspectionRounds)
      .values({ regionCode: TREE.district, kind: 'annual', period: '2026', name: '2026 年度评定', dueOn: today })
      .returning();
    const [n] = await s.ctx.db
      .insert(inspections)
      .values({
        roundId: round.id,
        orgId: home,
        orgType: 'institution',
        regionCode: TREE.communityA1,
        templateId: template.id,
        period: '2026',
        status: 'finished',
        totalScore: 650,
        grade: 3,
        finishedAt: new Date(),
      })
      .returning();
    await s.ctx.db
      .insert(orgGrades)
      .values({ orgId: home, inspectionId: n.id, grade: 3, score: 650, templateCode: template.code, awardedOn: today });
    await s.ctx.db.insert(inspectionFindings).values([
      { inspectionId: n.id, orgId: home, description: '消防通道堆放杂物', deadline: addDays(today, -10), status: 'open' },
      {
        inspectionId: n.id,
        orgId: home,
        description: '药品未分类存放',
        deadline: addDays(today, 10),
        status: 'closed',
        recheckedAt: new Date(),
      },
    ]);
    const f = await file(home);
    expect(f.explanation.lines.map((l: { kind: string; source: string; title: string }) => [l.kind, l.source, l.title])).toEqual(
      expect.arrayContaining([
        ['inspection_pass', 'inspections', '2026 检查，评定三级'],
        ['rectified', 'inspections', '整改复查通过：药品未分类存放'],
        ['rectification_overdue', 'inspections', `逾期未整改（期限 ${addDays(today, -10)}）：消防通道堆放杂物`],
      ]),
    );
    // Base 85 + 3 + 8 − 15 (overdue: about 10 days old, almost in full) ≈ 81: level B.
    expect(f.explanation.level).toBe('B');
    const pub = (await s.app.inject({ method: 'GET', url: '/api/v1/public/institutions' })).json();
    expect(pub.items).toEqual([expect.objectContaining({ name: '甲一社区颐养院', grade: '三级', creditLevel: 'B' })]);
  });
});

describe('the dishonesty list 失信名单', () => {
  it('a 严重违法失信 event lists by rule; the provider appeals once and the bureau decides', async () => {
    expect((await event(bad, 'penalty_major', today, '虚报服务工单骗取补贴')).statusCode).toBe(201);
    const f = await file(bad);
    expect(f.organization).toMatchObject({ listed: true, blocked: true, level: 'D' });
    expect(f.listings[0]).toMatchObject({
      basis: 'rule',
      status: 'listed',
      reason: expect.stringContaining('虚报服务工单骗取补贴'),
    });
    // The provider's own flag follows the list (its pages and the candidate lists read it).
    const [p] = await s.ctx.db.select().from(providerProfiles).where(eq(providerProfiles.orgId, bad));
    expect(p.dishonest).toBe(true);

    // The appeal is the organisation's own: another provider has no listing to appeal.
    expect((await goodAdmin.post('/api/v1/credit/appeal', { text: '我们没有虚报工单' })).json().code).toBe('invalid-state');
    expect((await bureau.post('/api/v1/credit/appeal', { text: '局端不能申诉' })).statusCode).toBe(403);
    const a = await badAdmin.post('/api/v1/credit/appeal', { text: '该工单系系统误报，已提交服务记录' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ appealStatus: 'pending', appealedOn: today });
    expect((await badAdmin.post('/api/v1/credit/appeal', { text: '再次申诉内容' })).json().code).toBe('already-handled');
    const listed = (await bureau.get('/api/v1/credit/listings')).json();
    expect(listed.items).toEqual([expect.objectContaining({ orgName: '失信居家服务', appealStatus: 'pending' })]);
    const d = await bureau.post(`/api/v1/credit/organizations/${bad}/appeal/decision`, {
      upheld: false,
      decision: '服务记录不能证明',
    });
    expect(d.json()).toMatchObject({ status: 'listed', appealStatus: 'rejected', appealDecision: '服务记录不能证明' });
  });

  it('the bureau lists by decision with a reason and removes with one', async () => {
    const l = await bureau.post(`/api/v1/credit/organizations/${canteen}/listing`, { reason: '食品安全抽检不合格且拒不整改' });
    expect(l.statusCode, l.body).toBe(201);
    expect(l.json()).toMatchObject({ basis: 'decision', orgKind: 'canteen', listedOn: today });
    expect((await bureau.post(`/api/v1/credit/organizations/${canteen}/listing`, { reason: '重复列入' })).statusCode).toBe(409);
    expect(
      (await streetA.post(`/api/v1/credit/organizations/${canteen}/listing/remove`, { reason: '整改完成' })).statusCode,
    ).toBe(403);
  });
});

describe('a listed or D-level organisation is blocked (409 credit-blocked)', () => {
  it('new dispatch: a manual dispatch to it is refused and automatic dispatch passes it by', async () => {
    // 低分居家服务 falls to D by two penalties without being listed (the rule waits 90 days at D).
    await event(lowD, 'penalty', today, '服务人员无证上岗');
    await event(lowD, 'penalty', today, '未按约定时间上门');
    expect((await file(lowD)).organization).toMatchObject({ level: 'D', listed: false, blocked: true });

    const credit = await bureau.post(
      `/api/v1/wallets/${elderId}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 1000, reason: '测试' },
      { 'idempotency-key': 'credit-test-points' },
    );
    expect(credit.statusCode).toBe(201);
    const cleaning = await itemByCode(s.ctx, 'cleaning');
    const order = await bureau.post('/api/v1/service-orders', { elderId, itemId: cleaning.id, scheduledAt: hoursFromNow(5) });
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().providerId).toBe(good);
    const candidates = (await bureau.get(`/api/v1/service-orders/${order.json().id}/candidates`)).json();
    expect(candidates.items.map((c: { providerId: string }) => c.providerId)).not.toContain(lowD);
    for (const providerId of [lowD, bad]) {
      const r = await bureau.post(`/api/v1/service-orders/${order.json().id}/dispatch`, { providerId, reason: '就近' });
      expect(r.statusCode, r.body).toBe(409);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe(providerId === bad ? 'provider-unavailable' : 'credit-blocked');
    }
  });

  it('a listing committing while a manual dispatch is being made is never missed by it', async () => {
    const cleaning = await itemByCode(s.ctx, 'cleaning');
    const order = await bureau.post('/api/v1/service-orders', { elderId, itemId: cleaning.id, scheduledAt: hoursFromNow(6) });
    expect(order.statusCode, order.body).toBe(201);
    const racing = (
      await createServiceProvider(s.ctx, {
        regionCode: TREE.streetA,
        communities: [TREE.communityA1],
        site,
        name: '并发居家服务',
      })
    ).org.id;
    // The listing's transaction holds the organisation while the dispatch request comes in.
    const listing = await holdListing(s.ctx.db, racing, today);
    const dispatch = bureau.post(`/api/v1/service-orders/${order.json().id}/dispatch`, { providerId: racing, reason: '就近' });
    await new Promise((r) => setTimeout(r, 400));
    await listing.commit();
    const r = await dispatch;
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('credit-blocked');
    // The order stays with the provider automatic dispatch chose.
    expect((await bureau.get(`/api/v1/service-orders/${order.json().id}`)).json().providerId).toBe(order.json().providerId);
  });

  it('new purchase agreement: approving a D-level provider into the purchased services is refused', async () => {
    const reg = await bureau.post('/api/v1/providers', {
      name: '新申请养老服务公司',
      regionCode: TREE.streetA,
      creditCode: makeCreditCode(),
      legalPerson: '赵强',
      dailyCapacity: 20,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const id = reg.json().id;
    await event(id, 'penalty_major', today, '以往经营中严重失信');
    const r = await bureau.post(`/api/v1/providers/${id}/approve`, {});
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('credit-blocked');
  });

  it('new subsidy: a provider settlement and a canteen meal-subsidy statement are refused', async () => {
    const p = await bureau.post('/api/v1/settlements', { providerId: lowD, period: lastMonth });
    expect(p.statusCode, p.body).toBe(409);
    expect(p.json().code).toBe('credit-blocked');
    const c = await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth });
    expect(c.statusCode, c.body).toBe(409);
    expect(c.json().code).toBe('credit-blocked');
    // Off the list (and not at D), the canteen's statement is drawn up again.
    const off = await bureau.post(`/api/v1/credit/organizations/${canteen}/listing/remove`, { reason: '整改完成，复查合格' });
    expect(off.json()).toMatchObject({ status: 'removed', removalReason: '整改完成，复查合格' });
    expect((await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth })).statusCode).toBe(201);
    // The good provider's statement is not blocked.
    expect((await bureau.post('/api/v1/settlements', { providerId: good, period: lastMonth })).statusCode).toBe(201);
  });

  it('an upheld appeal ends the listing, but a D level still blocks', async () => {
    const l = await bureau.post(`/api/v1/credit/organizations/${lowD}/listing`, { reason: '多次违规' });
    expect(l.statusCode).toBe(201);
    const lowAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: lowD })).api;
    expect((await lowAdmin.post('/api/v1/credit/appeal', { text: '已全部整改到位' })).statusCode).toBe(200);
    const d = await bureau.post(`/api/v1/credit/organizations/${lowD}/appeal/decision`, {
      upheld: true,
      decision: '整改材料属实',
    });
    expect(d.json()).toMatchObject({ status: 'removed', appealStatus: 'upheld' });
    const r = await bureau.post('/api/v1/settlements', { providerId: lowD, period: lastMonth });
    expect(r.json()).toMatchObject({ code: 'credit-blocked', detail: expect.stringContaining('level D') });
  });
});

describe('public disclosure 信息公开 (no login)', () => {
  // Whole numbers only: a run of digits inside a record's UUID (…-614763559084) is not a phone.
  const ID_NUMBER = /(?<![0-9A-Za-z.-])\d{17}[\dXx](?![0-9A-Za-z.])/;
  const MOBILE = /(?<![0-9A-Za-z.-])1[3-9]\d{9}(?![0-9A-Za-z.])/;

  it('shows approved providers, canteens, institutions, policies in force and the hotline, without personal data', async () => {
    const anon = async (path: string) => {
      const r = await s.app.inject({ method: 'GET', url: `/api/v1/public/${path}` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['cache-control']).toContain('max-age');
      expect(r.body).not.toMatch(ID_NUMBER);
      expect(r.body).not.toMatch(MOBILE);
      expect(r.body).not.toContain(ELDER_NAME);
      expect(r.body).not.toContain('王经理');
      return r.json();
    };
    const providers = await anon('providers');
    expect(providers.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '守信居家服务', creditLevel: 'B', listed: false, complaintCount: 1, grade: null }),
        expect.objectContaining({ name: '失信居家服务', creditLevel: 'D', listed: true }),
      ]),
    );
    // A provider still waiting for approval is not disclosed.
    expect(providers.items.map((p: { name: string }) => p.name)).not.toContain('新申请养老服务公司');
    expect((await anon('canteens')).items).toEqual([expect.objectContaining({ name: '甲一社区长寿食堂', listed: false })]);
    expect((await anon('institutions')).items).toHaveLength(1);
    expect((await anon('policies')).items).toEqual([]);
    expect((await anon('hotline')).items).toEqual([{ name: '智养服务热线', number: '96890' }]);
    expect((await anon('providers?q=失信')).items).toHaveLength(1);
  });

  it('the nightly rescoring is idempotent', async () => {
    const first = await bureau.post('/api/v1/credit/rescore');
    expect(first.statusCode, first.body).toBe(200);
    const second = (await bureau.post('/api/v1/credit/rescore')).json();
    expect(second).toMatchObject({ scored: first.json().scored, listed: 0 });
    expect((await bureau.get('/api/v1/credit/organizations?level=D')).json().items.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['失信居家服务', '低分居家服务']),
    );
  });
});
