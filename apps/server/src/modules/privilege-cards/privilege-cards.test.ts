import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, TREE } from '../../testing/factories.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { privilegeCards } from './privilege-cards.schema.ts';
import { bornAgo, cardWorld } from './privilege-cards.testing.ts';

type World = Awaited<ReturnType<typeof cardWorld>>;
let s: World['s'];
let district: World['district'];
let street: World['street'];
let community: World['community'];
let communityB: World['communityB'];

beforeAll(async () => {
  ({ s, district, street, community, communityB } = await cardWorld());
});
afterAll(() => s.close());

const problem = (r: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  return r.json() as { code: string; errors?: Array<{ message: string }> };
};

describe('applications at the desk', () => {
  it('an elder of 60 today is taken; 59 (60 tomorrow) is refused; a second application is refused; audited', async () => {
    const young = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(60, 1), name: '赵小英' });
    const r59 = await community.post('/api/v1/privilege-cards', { elderId: young.id });
    expect(r59.statusCode).toBe(422);
    expect(problem(r59).errors?.[0].message).toBe('under_60');

    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(60), name: '张秀英' });
    const r = await community.post('/api/v1/privilege-cards', { elderId: e.id });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ elderName: '张秀英', status: 'checking', source: 'staff' });
    expect(r.json().idNumberMasked).toMatch(/\*/);
    const dup = await street.post('/api/v1/privilege-cards', { elderId: e.id });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).code).toBe('duplicate');
    const [audit] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'privilege-card.application.create'), eq(auditLog.targetId, r.json().id)));
    expect(audit).toBeTruthy();
  });

  it('the database holds one live application per elder even when the service is bypassed', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(70) });
    const row = { elderId: e.id, regionCode: e.regionCode, source: 'staff' as const, status: 'checking' as const };
    await s.ctx.db.insert(privilegeCards).values(row);
    await expect(s.ctx.db.insert(privilegeCards).values({ ...row, status: 'passed' })).rejects.toThrow();
    // A rejected or revoked one does not block a new application.
    await s.ctx.db.insert(privilegeCards).values({ ...row, status: 'revoked' });
  });

  it('the district’s residence rule: 户籍 only, or 户籍 or years of residence', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(65), hukouLocal: false, name: '外地老人' });
    const r1 = await community.post('/api/v1/privilege-cards', { elderId: e.id, residenceSince: '2000-01-01' });
    expect(problem(r1).errors?.[0].message).toBe('not_local_hukou');
    const rule = { regionCode: TREE.district, residenceRule: 'hukou_or_residence', minResidenceYears: 5 };
    expect((await community.put('/api/v1/privilege-card-settings', rule)).statusCode).toBe(403);
    expect((await district.put('/api/v1/privilege-card-settings', rule)).statusCode).toBe(200);
    expect((await street.get(`/api/v1/privilege-card-settings?regionCode=${TREE.district}`)).json()).toMatchObject(rule);
    const recent = bornAgo(3);
    const r2 = await community.post('/api/v1/privilege-cards', { elderId: e.id, residenceSince: recent });
    expect(problem(r2).errors?.[0].message).toBe('residence_too_short');
    const r3 = await community.post('/api/v1/privilege-cards', { elderId: e.id, residenceSince: '2000-01-01' });
    expect(r3.statusCode, r3.body).toBe(201);
    expect(r3.json().residenceSince).toBe('2000-01-01');
    await district.put('/api/v1/privilege-card-settings', { ...rule, residenceRule: 'hukou', minResidenceYears: 0 });
  });

  it('an elder out of reach is 404; bad input is 400 problem+json', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(75) });
    expect((await communityB.post('/api/v1/privilege-cards', { elderId: e.id })).statusCode).toBe(404);
    expect((await communityB.get(`/api/v1/privilege-cards?elderId=${e.id}`)).json().total).toBe(0);
    for (const body of [
      {},
      { elderId: 'x' },
      { elderId: e.id, residenceSince: '2999-01-01' },
      { elderId: e.id, residenceSince: 'yesterday' },
      { elderId: e.id, extra: 1 },
    ]) {
      const r = await community.post('/api/v1/privilege-cards', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      problem(r);
    }
    for (const body of [
      { regionCode: TREE.streetA, residenceRule: 'hukou', minResidenceYears: 0 },
      { regionCode: TREE.district, residenceRule: 'anyone', minResidenceYears: 0 },
      { regionCode: TREE.district, residenceRule: 'hukou', minResidenceYears: -1 },
    ])
      expect((await district.put('/api/v1/privilege-card-settings', body)).statusCode, JSON.stringify(body)).toBe(400);
    expect(
      (
        await district.put('/api/v1/privilege-card-settings', {
          regionCode: '990102',
          residenceRule: 'hukou',
          minResidenceYears: 0,
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('on the phone page', () => {
  it('the elder applies, the family sees it; a second is refused; staff and unbound accounts reach nothing', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(68), name: '钱秀珍' });
    const self = await clientAs(s.app, s.ctx, 'elder');
    const fam = await clientAs(s.app, s.ctx, 'family');
    await s.ctx.db.execute(sql`UPDATE users SET elder_id = ${e.id} WHERE id IN (${self.account.id}, ${fam.account.id})`);
    expect((await self.api.get('/api/v1/privilege-card/mine')).json()).toMatchObject({
      elder: { name: '钱秀珍' },
      card: null,
      ineligibleReason: null,
    });
    const r = await self.api.post('/api/v1/privilege-card/mine', {});
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'checking', source: 'self' });
    expect((await fam.api.post('/api/v1/privilege-card/mine', {})).statusCode).toBe(409);
    expect((await fam.api.get('/api/v1/privilege-card/mine')).json().card).toMatchObject({ status: 'checking' });
    expect((await community.get(`/api/v1/privilege-cards?elderId=${e.id}`)).json().items[0]).toMatchObject({ source: 'self' });
    expect((await self.api.post('/api/v1/privilege-cards', { elderId: e.id })).statusCode).toBe(403);
    expect((await district.get('/api/v1/privilege-card/mine')).statusCode).toBe(403);
    const lone = await clientAs(s.app, s.ctx, 'family');
    expect((await lone.api.get('/api/v1/privilege-card/mine')).json()).toMatchObject({ elder: null, card: null });
    expect((await lone.api.post('/api/v1/privilege-card/mine', {})).statusCode).toBe(404);
  });

  it('a young elder sees why they cannot apply', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(59) });
    const self = await clientAs(s.app, s.ctx, 'elder');
    await s.ctx.db.execute(sql`UPDATE users SET elder_id = ${e.id} WHERE id = ${self.account.id}`);
    expect((await self.api.get('/api/v1/privilege-card/mine')).json().ineligibleReason).toBe('under_60');
    expect((await self.api.post('/api/v1/privilege-card/mine', {})).statusCode).toBe(422);
  });
});
