import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { users } from '../users/users.schema.ts';

// Asking for a home medical visit from the phone pages and the call centre: who may ask for whom
// (the elder for themselves, the family for their elder, the call centre for the caller's elder)
// and an Idempotency-Key resend making one visit, also when two arrive at once.

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let elder: Api;
let family: Api;
let operator: Api;
let operatorB: Api;
let community: Api;
const E = {} as Record<'mine' | 'other' | 'streetB', string>;

const visitsOf = (elderId: string) =>
  queryRows<{ id: string; source: string }>(s.ctx.db, sql`SELECT id, source FROM medical_visits WHERE elder_id = ${elderId}`);

async function logCall(api: Api, elderId?: string) {
  const r = await api.post('/api/v1/calls', {
    direction: 'inbound',
    ...(elderId ? { elderId } : {}),
    offeredAt: new Date(Date.now() - 60_000).toISOString(),
    outcome: 'answered',
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  const district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA })).api;
  operatorB = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB })).api;
  E.mine = (await createElder(s.ctx, TREE.communityA1, { name: '上门甲' })).id;
  E.other = (await createElder(s.ctx, TREE.communityA1, { name: '上门乙' })).id;
  E.streetB = (await createElder(s.ctx, TREE.communityB1, { name: '乙街老人' })).id;
  const el = await clientAs(s.app, s.ctx, 'elder', {});
  await s.ctx.db.update(users).set({ elderId: E.mine }).where(eq(users.id, el.account.id));
  elder = el.api;
  const fam = await clientAs(s.app, s.ctx, 'family', {});
  await s.ctx.db.update(users).set({ elderId: E.mine }).where(eq(users.id, fam.account.id));
  family = fam.api;
  const org = await district.post('/api/v1/medical-orgs', {
    name: '甲街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: TREE.streetA,
  });
  expect(org.statusCode, org.body).toBe(201);
  const team = await district.post('/api/v1/doctor-teams', {
    orgId: org.json().id,
    name: '王医生团队',
    communities: [TREE.communityA1, TREE.communityB1],
  });
  expect(team.statusCode, team.body).toBe(201);
});
afterAll(() => s.close());

describe('asking for a home medical visit', () => {
  it('the elder and the family ask for their own elder only; another elder is a 404 and nothing is written', async () => {
    const own = await elder.post('/api/v1/medical-visits', { reason: '想请医生上门量血压' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ source: 'elder', elderId: E.mine, status: 'requested' });
    const fam = await family.post('/api/v1/medical-visits', { elderId: E.mine, reason: '老人最近头晕' });
    expect(fam.statusCode, fam.body).toBe(201);
    expect(fam.json()).toMatchObject({ source: 'family', elderId: E.mine });
    for (const api of [elder, family]) {
      const r = await api.post('/api/v1/medical-visits', { elderId: E.other, reason: '替别人叫医生' });
      expect(r.statusCode).toBe(404);
    }
    expect(await visitsOf(E.other)).toEqual([]);
    const mine = (await family.get('/api/v1/medical-visits/mine/requests')).json();
    expect(mine.items).toHaveLength(2);
    expect(mine.items.every((v: { address: unknown }) => v.address === null)).toBe(true);
  });

  it('the call centre asks on a call for the caller’s elder: no call, another elder or another street’s call is refused', async () => {
    const noCall = await operator.post('/api/v1/medical-visits', { elderId: E.other, reason: '电话求助：腿肿' });
    expect(noCall.statusCode).toBe(400);
    expect(noCall.json().errors[0].path).toBe('body.callId');
    const callId = await logCall(operator, E.other);
    const wrongElder = await operator.post('/api/v1/medical-visits', { callId, elderId: E.mine, reason: '电话求助：腿肿' });
    expect(wrongElder.statusCode).toBe(400);
    const noElderCall = await logCall(operator);
    const unmatched = await operator.post('/api/v1/medical-visits', { callId: noElderCall, reason: '电话求助：腿肿' });
    expect(unmatched.statusCode).toBe(422);
    // A call another street's operator cannot see is not theirs to act on.
    const outside = await operatorB.post('/api/v1/medical-visits', { callId, reason: '电话求助：腿肿' });
    expect(outside.statusCode).toBe(404);
    expect(await visitsOf(E.other)).toEqual([]);

    const ok = await operator.post('/api/v1/medical-visits', { callId, reason: '电话求助：腿肿' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ source: 'call_centre', elderId: E.other });
    const [audit] = await queryRows<{ detail: { callId?: string } }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'medical.visit.request' AND target_id = ${ok.json().id}`,
    );
    expect(audit.detail.callId).toBe(callId);
    // Community staff ask without a call.
    const staff = await community.post('/api/v1/medical-visits', { elderId: E.other, reason: '巡访发现血压高' });
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json().source).toBe('staff');
  });

  it('an Idempotency-Key resend — one after another or two at once — is one visit; another body with the key is a 422', async () => {
    const before = (await visitsOf(E.streetB)).length;
    const famB = await clientAs(s.app, s.ctx, 'family', {});
    await s.ctx.db.update(users).set({ elderId: E.streetB }).where(eq(users.id, famB.account.id));
    const body = { reason: '请医生来看看腿伤' };
    const key = { 'idempotency-key': 'visit-req-0001' };
    const [a, b] = await Promise.all([
      famB.api.post('/api/v1/medical-visits', body, key),
      famB.api.post('/api/v1/medical-visits', body, key),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const c = await famB.api.post('/api/v1/medical-visits', body, key);
    expect(c.json().id).toBe(a.json().id);
    expect((await visitsOf(E.streetB)).length).toBe(before + 1);
    const reused = await famB.api.post('/api/v1/medical-visits', { reason: '另一件事情' }, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency-key-reused');
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'medical.visit.request' AND target_id = ${a.json().id}`,
    );
    expect(n).toBe(1);
  });

  it('bad input is a 400 and changes nothing', async () => {
    const before = (await visitsOf(E.mine)).length;
    expect((await family.post('/api/v1/medical-visits', { reason: '' })).statusCode).toBe(400);
    expect((await family.post('/api/v1/medical-visits', { reason: '头晕', extra: 1 })).statusCode).toBe(400);
    expect((await operator.post('/api/v1/medical-visits', { callId: 'not-a-uuid', reason: '头晕头晕' })).statusCode).toBe(400);
    expect((await family.post('/api/v1/medical-visits', { reason: '头晕头晕' }, { 'idempotency-key': 'x' })).statusCode).toBe(
      400,
    );
    expect((await visitsOf(E.mine)).length).toBe(before);
  });
});
