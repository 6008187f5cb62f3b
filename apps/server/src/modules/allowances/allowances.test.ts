import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstMonth } from '../../lib/dates.ts';
import { readTable } from '../../lib/spreadsheet.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { ledgerAccounts } from '../wallets/ledger.schema.ts';
import { addMonths } from './allowances.rules.ts';
import { allowanceApplications, allowanceRollLines } from './allowances.schema.ts';
import { districtFundOwner } from './rolls.service.ts';
import { scanEligible } from './tiers.service.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let district: Api;
let street: Api;
let community: Api;
let communityB: Api;

// Months relative to the current month in China, so the test holds on any day and at any hour.
const cur = cstMonth();
const m1 = addMonths(cur, -1);
const m2 = addMonths(cur, -2);
const m3 = addMonths(cur, -3);
const Y = Number(cur.slice(0, 4));
const bank = { bankName: '测试银行', bankAccount: '6222020000001234', accountHolder: '本人' };
/** Born on the 15th of January, `age` years before this year: the same band in every month tested. */
const bornAged = (age: number) => `${Y - age}-01-15`;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  street = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  for (const year of [Y - 1, Y]) {
    for (const [minAge, maxAge, monthlyFen] of [
      [80, 89, 10000],
      [90, 99, 20000],
      [100, null, 50000],
    ] as const) {
      const r = await district.post('/api/v1/allowance-tiers', {
        regionCode: TREE.district,
        year,
        minAge,
        maxAge,
        monthlyFen,
        effectiveFrom: `${year}-01-01`,
        effectiveTo: `${year}-12-31`,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  }
});
afterAll(() => s.close());

async function apply(elderId: string, body: Record<string, unknown> = {}) {
  const r = await community.post('/api/v1/allowance-applications', { elderId, ...bank, ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

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
    await scanEligible(s.ctx);
    await scanEligible(s.ctx); // idempotent
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

describe('suspension and objections', () => {
  /** An elder in community A1 through the chain and a 公示 that ended, made active by a roll of an old month. */
  async function activeApp(name: string) {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(88), name });
    const id = await apply(e.id);
    for (const api of [community, street, district])
      expect((await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(200);
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET notice_ends_on = CURRENT_DATE - 2 WHERE id = ${id}`);
    return { elderId: e.id, id };
  }

  it('an upheld objection rejects; a failed verification suspends; staff resume with or without back-pay', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(83), name: '赵玉兰' });
    const id = await apply(e.id);
    for (const api of [community, street, district])
      await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' });
    await community.post(`/api/v1/allowance-applications/${id}/objections`, { content: '已在外地领取同类补贴' });
    // Not the community's decision; the district upholds it with a reason.
    expect(
      (await community.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'reject', reason: '异议' })).statusCode,
    ).toBe(409);
    const upheld = await district.post(`/api/v1/allowance-applications/${id}/decisions`, {
      decision: 'reject',
      reason: '经核实重复享受',
    });
    expect(upheld.json()).toMatchObject({ status: 'rejected', rejectReason: '经核实重复享受' });
    expect((await community.post(`/api/v1/allowance-applications/${id}/objections`, { content: '再次' })).statusCode).toBe(409);

    const a = await activeApp('孙桂芳');
    const b = await activeApp('周美华');
    // Activation happens in the district's daily upkeep (the same as before a roll).
    const { dailyUpkeep } = await import('./tiers.service.ts');
    await dailyUpkeep(s.ctx);
    expect((await community.get(`/api/v1/allowance-applications/${a.id}`)).json().status).toBe('active');

    const failed = await community.post(`/api/v1/allowance-applications/${a.id}/verifications`, {
      month: cur,
      method: 'video',
      result: 'failed',
      note: '视频中无法确认本人',
    });
    expect(failed.statusCode, failed.body).toBe(201);
    expect(failed.json()).toMatchObject({ status: 'suspended', suspendReason: 'verification', suspendedFrom: cur });
    // Staff resume it by hand without back-pay (e.g. the family brought the elder in later).
    const resumed = await community.post(`/api/v1/allowance-applications/${a.id}/resume`, {
      note: '本人到社区核验',
      backPay: false,
    });
    expect(resumed.json()).toMatchObject({ status: 'active', suspendReason: null });
    const [row] = await s.ctx.db.select().from(allowanceApplications).where(eq(allowanceApplications.id, a.id));
    expect(row.arrearsFrom).toBeNull();

    const sus = await community.post(`/api/v1/allowance-applications/${b.id}/suspend`, {
      reason: 'moved_out',
      note: '随子女迁居外地',
    });
    expect(sus.json()).toMatchObject({ status: 'suspended', suspendReason: 'moved_out' });
    expect(
      (await community.post(`/api/v1/allowance-applications/${b.id}/suspend`, { reason: 'manual', note: '再次' })).statusCode,
    ).toBe(409);
    const back = await community.post(`/api/v1/allowance-applications/${b.id}/resume`, { note: '已迁回', backPay: true });
    expect(back.json().status).toBe('active');
    const [rowB] = await s.ctx.db.select().from(allowanceApplications).where(eq(allowanceApplications.id, b.id));
    expect(rowB.arrearsFrom).toBe(cur);
    // Bad input is a 400 problem, never a 500.
    for (const body of [
      { month: '2026-13', method: 'video', result: 'passed' },
      { month: addMonths(cur, 2), method: 'video', result: 'passed' },
      { month: cur, method: 'face', result: 'passed' },
      { month: cur, method: 'video', result: 'maybe' },
    ]) {
      const r = await community.post(`/api/v1/allowance-applications/${b.id}/verifications`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    const timeline = (await community.get(`/api/v1/allowance-applications/${b.id}`)).json().timeline;
    expect(timeline.map((t: { action: string }) => t.action).slice(-3)).toEqual([
      'notice_ended',
      'suspended_moved_out',
      'resumed',
    ]);
    // Tidy: these two are not part of the roll tests below.
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET status = 'stopped' WHERE id IN (${a.id}, ${b.id})`);
  });
});

describe('payment rolls', () => {
  const ids = {} as Record<'a' | 'b' | 'c' | 'd', { elder: string; app: string }>;

  beforeAll(async () => {
    const [y1, mm1] = m1.split('-').map(Number);
    const births = {
      a: bornAged(85),
      b: `${y1 - 90}-${String(mm1).padStart(2, '0')}-10`, // turns 90 during m1: the 90–99 tier from cur
      c: bornAged(84),
      d: bornAged(87),
    };
    for (const [k, birthDate] of Object.entries(births) as Array<[keyof typeof ids, string]>) {
      const e = await createElder(s.ctx, TREE.communityA2, { birthDate, name: `发放老人${k}` });
      const r = await street.post('/api/v1/allowance-applications', {
        elderId: e.id,
        ...bank,
        bankAccount: `62220200000${k.charCodeAt(0)}99`,
      });
      expect(r.statusCode, r.body).toBe(201);
      ids[k] = { elder: e.id, app: r.json().id };
    }
    // The community of A2 is reviewed by its own staff.
    const a2 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA2 })).api;
    for (const k of ['a', 'b', 'c', 'd'] as const) {
      for (const api of [a2, street, district])
        expect(
          (await api.post(`/api/v1/allowance-applications/${ids[k].app}/decisions`, { decision: 'approve' })).statusCode,
        ).toBe(200);
    }
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET notice_ends_on = CURRENT_DATE - 2 WHERE status = 'notice'`);
    await district.put('/api/v1/allowance-settings', {
      regionCode: TREE.district,
      noticeDays: 7,
      verificationPeriod: 'month',
      missedPeriodsSuspend: 2,
    });
  });

  it('pays each elder the tier of each month once, suspends after missed verifications and back-pays on verification', async () => {
    // A dry roll of m3 activates the 公示 that ended; then "they were approved in m2" (c: in m3).
    const first = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m3 });
    expect(first.statusCode, first.body).toBe(200);
    for (const k of ['a', 'b', 'd'] as const)
      await s.ctx.db.update(allowanceApplications).set({ paidFrom: m2 }).where(eq(allowanceApplications.id, ids[k].app));
    await s.ctx.db.update(allowanceApplications).set({ paidFrom: m3 }).where(eq(allowanceApplications.id, ids.c.app));
    for (const k of ['a', 'b', 'd'] as const) {
      const v = await community.post(`/api/v1/allowance-applications/${ids[k].app}/verifications`, {
        month: m1,
        method: 'in_person',
        result: 'passed',
      });
      // community A1 does not reach A2's elders
      expect(v.statusCode).toBe(404);
      const ok = await street.post(`/api/v1/allowance-applications/${ids[k].app}/verifications`, {
        month: m1,
        method: 'video',
        result: 'passed',
      });
      expect(ok.statusCode, ok.body).toBe(201);
    }

    const r1 = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
    expect(r1.statusCode, r1.body).toBe(200);
    const roll1 = (await district.get(`/api/v1/allowance-rolls/${r1.json().id}`)).json();
    const byElder = (roll: { lines: Array<{ elderId: string; month: string; amountFen: number; kind: string }> }) =>
      Object.fromEntries(
        (['a', 'b', 'c', 'd'] as const).map((k) => [
          k,
          roll.lines.filter((l) => l.elderId === ids[k].elder).map((l) => `${l.month}:${l.kind}:${l.amountFen}`),
        ]),
      );
    // c was paid from m3 and never verified in m2 or m3: suspended, not paid.
    expect(byElder(roll1)).toEqual({
      a: [`${m1}:regular:10000`],
      b: [`${m1}:regular:10000`],
      c: [],
      d: [`${m1}:regular:10000`],
    });
    expect(roll1.totalFen).toBe(30000);
    expect(roll1.lines[0].bankAccountMasked).toMatch(/^\*{4}\d{4}$/);
    expect(JSON.stringify(roll1)).not.toContain('6222020000');
    const c = (await street.get(`/api/v1/allowance-applications/${ids.c.app}`)).json();
    expect(c).toMatchObject({ status: 'suspended', suspendReason: 'verification', suspendedFrom: m1 });

    // Generating m1 again answers the same roll and adds nothing.
    const again = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
    expect(again.json()).toMatchObject({ id: r1.json().id, lineCount: 3, totalFen: 30000 });

    // The district approves: fund → payout in the ledger; approving twice changes nothing.
    const ap = await district.post(`/api/v1/allowance-rolls/${r1.json().id}/approve`, {});
    expect(ap.statusCode, ap.body).toBe(200);
    expect(ap.json().status).toBe('approved');
    const ap2 = await district.post(`/api/v1/allowance-rolls/${r1.json().id}/approve`, {});
    expect(ap2.json().ledgerTransactionId).toBe(ap.json().ledgerTransactionId);
    const [payout] = await s.ctx.db
      .select()
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.kind, 'payout'), eq(ledgerAccounts.ownerId, districtFundOwner(TREE.district))));
    expect(payout.balance).toBe(30000);

    // c verifies by video: resumed, with back-pay of m1 in the next roll.
    const v = await street.post(`/api/v1/allowance-applications/${ids.c.app}/verifications`, {
      month: m1,
      method: 'video',
      result: 'passed',
    });
    expect(v.json()).toMatchObject({ status: 'active', suspendReason: null });
    // The archive records d's death on the 5th of m2 — after m1 was paid, so m1 is an overpayment.
    const dies = await street.post(`/api/v1/elders/${ids.d.elder}/status`, { status: 'deceased', date: `${m2}-05` });
    expect(dies.statusCode, dies.body).toBe(200);
    // The listener stops the allowance as soon as the archive says so (the roll would too).
    await expect
      .poll(async () => (await street.get(`/api/v1/allowance-applications/${ids.d.app}`)).json().status)
      .toBe('stopped');

    // Two generations of the current month at once: one roll, nobody paid twice.
    const [g1, g2] = await Promise.all([
      district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur }),
      district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur }),
    ]);
    expect([g1.statusCode, g2.statusCode]).toEqual([200, 200]);
    expect(g1.json().id).toBe(g2.json().id);
    const roll2 = (await district.get(`/api/v1/allowance-rolls/${g1.json().id}`)).json();
    expect(byElder(roll2)).toEqual({
      a: [`${cur}:regular:10000`],
      b: [`${cur}:regular:20000`], // crossed 90 in m1: the next tier from cur
      c: [`${m1}:arrears:10000`, `${cur}:regular:10000`].sort(),
      d: [], // died in m2: stopped
    });
    // 王秀英 (first test) left 公示 too: paid from the month she applied, this one, never before.
    const wang = roll2.lines.filter((l: { elderName: string }) => l.elderName === '王秀英');
    expect(wang.map((l: { month: string; amountFen: number }) => `${l.month}:${l.amountFen}`)).toEqual([`${cur}:10000`]);
    expect(roll2.totalFen).toBe(60000);
    expect(roll2.linesTotal).toBe(5);
    const dupes = await s.ctx.db.execute(
      sql`SELECT elder_id, month FROM allowance_roll_lines GROUP BY elder_id, month HAVING count(*) > 1`,
    );
    expect((dupes as unknown as { rows: unknown[] }).rows).toEqual([]);

    // d was paid for m1, after the month of death: flagged for recovery.
    const d = (await street.get(`/api/v1/allowance-applications/${ids.d.app}`)).json();
    expect(d).toMatchObject({ status: 'stopped', suspendReason: 'death', stoppedAfter: m2, overpaidFen: 10000 });
    expect(d.timeline.at(-1).action).toBe('stopped_death');

    // Only an approved roll goes to the bank; the file has full ID and account numbers, and is audited.
    expect((await district.get(`/api/v1/allowance-rolls/${g1.json().id}/export`)).statusCode).toBe(409);
    await district.post(`/api/v1/allowance-rolls/${g1.json().id}/approve`, {});
    const file = await district.get(`/api/v1/allowance-rolls/${g1.json().id}/export`);
    expect(file.statusCode).toBe(200);
    const table = await readTable(file.rawPayload, 'roll.xlsx', { maxBytes: 10_000_000, maxRows: 1000 });
    expect(table.headers).toEqual([
      '序号',
      '姓名',
      '身份证号',
      '开户银行',
      '银行账号',
      '户名',
      '金额（元）',
      '所属月份',
      '类别',
      '社区代码',
    ]);
    expect(table.rows.length).toBe(5);
    const aRow = table.rows.map((r) => r.cells).find((r) => r[1] === '发放老人a') as string[];
    expect(String(aRow[2])).toMatch(/^\d{17}[\dX]$/);
    expect(String(aRow[4])).toBe(`62220200000${'a'.charCodeAt(0)}99`);
    expect(String(aRow[6])).toBe('100.00');
    const exportAudit = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'allowance.roll.export'));
    expect(exportAudit.length).toBe(1);
    const lines = await s.ctx.db.select().from(allowanceRollLines);
    expect(lines.filter((l) => l.elderId === ids.d.elder && l.recoveryDue).length).toBe(1);
  });

  it('rolls are the district’s: a street gets 403, another district 404, a future month 422', async () => {
    expect((await street.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur })).statusCode).toBe(403);
    expect((await district.post('/api/v1/allowance-rolls', { regionCode: '990102', month: cur })).statusCode).toBe(404);
    expect(
      (await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: addMonths(cur, 1) })).statusCode,
    ).toBe(422);
    expect((await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: '2026-13' })).statusCode).toBe(
      400,
    );
    const streetAdmin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA })).api;
    const [roll] = (await district.get('/api/v1/allowance-rolls')).json().items;
    expect((await streetAdmin.get(`/api/v1/allowance-rolls/${roll.id}`)).statusCode).toBe(404);
  });
});
