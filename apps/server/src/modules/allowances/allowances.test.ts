import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../jobs/job.ts';
import { runJob } from '../../jobs/workers.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, TREE } from '../../testing/factories.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { eligibilityScanJob } from './allowances.jobs.ts';
import { allowanceApplications } from './allowances.schema.ts';
import { allowanceWorld, bank, bornAged, cur, m1, Y } from './allowances.testing.ts';

type World = Awaited<ReturnType<typeof allowanceWorld>>;
let s: World['s'];
let district: World['district'];
let street: World['street'];
let community: World['community'];
let communityB: World['communityB'];
let apply: World['apply'];

beforeAll(async () => {
  ({ s, district, street, community, communityB, apply } = await allowanceWorld());
});
afterAll(() => s.close());

describe('tiers', () => {
  it('are data per district and year; an overlapping band, bad input or a street are refused', async () => {
    const list = (await street.get(`/api/v1/allowance-tiers?year=${Y}`)).json();
    expect(list.items.map((t: { minAge: number; monthlyFen: number }) => [t.minAge, t.monthlyFen])).toEqual([
      [80, 10000],
      [90, 20000],
      [100, 50000],
    ]);
    const base = { regionCode: TREE.district, year: Y, monthlyFen: 100, effectiveFrom: `${Y}-01-01` };
    expect((await district.post('/api/v1/allowance-tiers', { ...base, minAge: 85, maxAge: 95 })).statusCode).toBe(409);
    for (const body of [
      { ...base, minAge: 85, maxAge: 80 },
      { ...base, minAge: 70, monthlyFen: 0 },
      { ...base, minAge: 70, monthlyFen: 12.5 },
      { ...base, minAge: 70, regionCode: TREE.streetA },
      { ...base, minAge: 70, excludedCategories: ['rich'] },
      { ...base, minAge: 70, effectiveFrom: `${Y + 1}-01-01` },
    ]) {
      const r = await district.post('/api/v1/allowance-tiers', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await street.post('/api/v1/allowance-tiers', { ...base, minAge: 70 })).statusCode).toBe(403);
    expect((await district.post('/api/v1/allowance-tiers', { ...base, regionCode: '990102', minAge: 70 })).statusCode).toBe(404);
  });
});

describe('applications and the approval chain', () => {
  it('walk-in: community → street → district → 公示 with an objection, each step on the timeline and audited', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(85), name: '王秀英' });
    const id = await apply(e.id);
    const dup = await community.post('/api/v1/allowance-applications', { elderId: e.id, ...bank });
    expect(dup.statusCode).toBe(409);
    // Not the street's step yet; the street's staff cannot jump the community.
    expect((await street.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await community.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).json().status).toBe(
      'street',
    );
    // A rejection needs a reason.
    expect((await street.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'reject' })).statusCode).toBe(400);
    expect((await street.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).json().status).toBe(
      'district',
    );
    const noticed = (await district.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).json();
    expect(noticed.status).toBe('notice');
    expect(noticed.noticeEndsOn).toBeTruthy();

    const notices = (await community.get(`/api/v1/allowance-notices?regionCode=${TREE.communityA1}`)).json();
    const mine = notices.items.find((n: { applicationId: string }) => n.applicationId === id);
    expect(mine).toMatchObject({ elderName: '王秀英', monthlyFen: 10000, openObjections: 0 });
    expect(JSON.stringify(mine)).not.toContain(e.idNumber);
    expect((await communityB.get('/api/v1/allowance-notices')).json().items).toEqual([]);

    const obj = await community.post(`/api/v1/allowance-applications/${id}/objections`, {
      content: '老人已随子女迁居外地',
      objector: '邻居',
    });
    expect(obj.statusCode, obj.body).toBe(201);
    expect(obj.json().openObjections).toBe(1);
    // The district looks into it and dismisses it.
    expect(
      (
        await district.post(`/api/v1/allowance-applications/${id}/decisions`, {
          decision: 'approve',
          reason: '经核实仍在本区居住',
        })
      ).json(),
    ).toMatchObject({
      status: 'notice',
      openObjections: 0,
    });

    const detail = (await street.get(`/api/v1/allowance-applications/${id}`)).json();
    expect(detail.bankAccountMasked).toBe('****1234');
    expect(JSON.stringify(detail)).not.toContain(bank.bankAccount);
    expect(detail.timeline.map((t: { action: string }) => t.action)).toEqual([
      'applied',
      'approved_community',
      'approved_street',
      'approved_district',
      'objection',
      'objection_dismissed',
    ]);
    const [row] = await s.ctx.db.select().from(allowanceApplications).where(eq(allowanceApplications.id, id));
    expect(row.bankAccountEnc).not.toContain('1234');
    // The same steps on the elder's 360° timeline, in Chinese.
    const tl = (await street.get(`/api/v1/elders/${e.id}/timeline`)).json();
    const mineOnTimeline = tl.items.filter((x: { source: string }) => x.source === 'allowances');
    expect(mineOnTimeline.map((x: { title: string }) => x.title)).toEqual([
      '高龄津贴异议不成立',
      '高龄津贴公示期收到异议',
      '高龄津贴区审核通过，进入公示',
      '高龄津贴街道审核通过',
      '高龄津贴社区审核通过',
      '申请高龄津贴',
    ]);
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.targetType, 'allowance_application')));
    expect(audits.filter((a) => a.action !== 'allowance.application.read').length).toBe(6);
    // Opening the application (the elder's personal record) is on the trail too.
    expect(audits.some((a) => a.action === 'allowance.application.read')).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(bank.bankAccount);
  });

  it('a rejection carries its reason; out of reach is 404; an elder too young is refused', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(86) });
    const id = await apply(e.id);
    const r = await community.post(`/api/v1/allowance-applications/${id}/decisions`, {
      decision: 'reject',
      reason: '非本区户籍',
    });
    expect(r.json()).toMatchObject({ status: 'rejected', rejectReason: '非本区户籍' });
    expect((await communityB.get(`/api/v1/allowance-applications/${id}`)).statusCode).toBe(404);
    expect((await communityB.post('/api/v1/allowance-applications', { elderId: e.id, ...bank })).statusCode).toBe(404);
    const young = await createElder(s.ctx, TREE.communityA1, { birthDate: `${Y - 70}-01-01` });
    const y = await community.post('/api/v1/allowance-applications', { elderId: young.id, ...bank });
    expect(y.statusCode).toBe(422);
    const nonLocal = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(85), hukouLocal: false });
    expect((await community.post('/api/v1/allowance-applications', { elderId: nonLocal.id, ...bank })).statusCode).toBe(422);
  });

  it('the monthly scan proposes elders who reached 80 last month, once, for the community to confirm', async () => {
    const [y, m] = m1.split('-').map(Number);
    const reached = await createElder(s.ctx, TREE.communityA1, { birthDate: `${y - 80}-${String(m).padStart(2, '0')}-01` });
    const notYet = await createElder(s.ctx, TREE.communityA1, {
      birthDate: `${Number(cur.slice(0, 4)) - 80}-${cur.slice(5, 7)}-01`,
    });
    // The monthly job as the worker runs it (payload checked against its queue), twice: idempotent.
    await runJob(s.ctx, eligibilityScanJob as JobDefinition, {});
    await runJob(s.ctx, eligibilityScanJob as JobDefinition, {});
    const of = async (elderId: string) => (await community.get(`/api/v1/allowance-applications?elderId=${elderId}`)).json().items;
    const [proposal] = await of(reached.id);
    expect((await of(reached.id)).length).toBe(1);
    expect(proposal).toMatchObject({ status: 'proposed', source: 'scan' });
    expect(await of(notYet.id)).toEqual([]);
    // Approving without the bank account is refused; confirming moves it into the community's review.
    expect(
      (await community.post(`/api/v1/allowance-applications/${proposal.id}/decisions`, { decision: 'approve' })).statusCode,
    ).toBe(409);
    const c = await community.post(`/api/v1/allowance-applications/${proposal.id}/confirm`, bank);
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().status).toBe('community');
  });
});

describe('on the phone page', () => {
  it('the elder applies for themself, the family sees it; the community reviews it; no one reaches another elder', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(82), name: '钱秀珍' });
    const other = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(82), name: '别家老人' });
    const self = await clientAs(s.app, s.ctx, 'elder');
    const fam = await clientAs(s.app, s.ctx, 'family');
    await s.ctx.db.execute(sql`UPDATE users SET elder_id = ${e.id} WHERE id IN (${self.account.id}, ${fam.account.id})`);
    const before = (await self.api.get('/api/v1/allowance/mine')).json();
    expect(before).toMatchObject({ elder: { name: '钱秀珍' }, application: null, nextMonthFen: 10000, ineligibleReason: null });
    const r = await self.api.post('/api/v1/allowance/mine', { ...bank, accountHolder: '钱秀珍' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'community', source: 'self', bankAccountMasked: '****1234' });
    expect((await fam.api.post('/api/v1/allowance/mine', bank)).statusCode).toBe(409);
    const seen = (await fam.api.get('/api/v1/allowance/mine')).json();
    expect(seen.application).toMatchObject({ id: r.json().id, status: 'community' });
    expect(seen.application.timeline.map((t: { action: string }) => t.action)).toEqual(['applied']);
    // The phone accounts cannot list, open another's application or act as staff.
    expect((await fam.api.get('/api/v1/allowance-applications')).statusCode).toBe(403);
    expect((await self.api.post('/api/v1/allowance-applications', { elderId: other.id, ...bank })).statusCode).toBe(403);
    expect(
      (await self.api.post(`/api/v1/allowance-applications/${r.json().id}/decisions`, { decision: 'approve' })).statusCode,
    ).toBe(403);
    // The community finds it in its list and reviews it as any other.
    const list = (await community.get(`/api/v1/allowance-applications?elderId=${e.id}`)).json();
    expect(list.items[0]).toMatchObject({ source: 'self', status: 'community' });
    // A staff account has no phone-page allowance; an unbound family account sees nothing.
    expect((await district.get('/api/v1/allowance/mine')).statusCode).toBe(403);
    const lone = await clientAs(s.app, s.ctx, 'family');
    expect((await lone.api.get('/api/v1/allowance/mine')).json()).toMatchObject({ elder: null, application: null });
    expect((await lone.api.post('/api/v1/allowance/mine', bank)).statusCode).toBe(404);
  });
});
