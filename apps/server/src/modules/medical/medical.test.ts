import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { careFollowUps, careVisitFindings, careVisits } from '../care-visits/care-visits.schema.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { users } from '../users/users.schema.ts';
import { isElderDoctor } from './medical.access.ts';
import { backfillMedicalSeals } from './medical.sealed.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let district: Api;
let community: Api;
let communityB: Api;
let doctor: Api;
let doctorId: string;
let doctorB: Api;
let family: Api;
let institution: Api;
let operator: Api;
const today = cstDate();
const bornAged = (years: number) => `${Number(today.slice(0, 4)) - years}-01-01`;
const E = {} as Record<'a70' | 'b72' | 'c80' | 'young' | 'chronic' | 'other', string>;
const ids = {} as Record<'orgA' | 'orgB' | 'teamA' | 'teamB' | 'institution', string>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  const doc = await clientAs(s.app, s.ctx, 'doctor', {});
  doctor = doc.api;
  doctorId = doc.account.id;
  const docB = await clientAs(s.app, s.ctx, 'doctor', {});
  doctorB = docB.api;
  const mk = (o: Parameters<typeof createElder>[2], region: string = TREE.communityA1) =>
    createElder(s.ctx, region, { lat: 30.61, lng: 104.01, ...o }).then((e) => e.id);
  E.a70 = await mk({ name: '签约甲', birthDate: bornAged(70) });
  E.b72 = await mk({ name: '签约乙', birthDate: bornAged(72), chronicConditions: ['糖尿病'] });
  E.c80 = await mk({ name: '未签约', birthDate: bornAged(80) });
  E.young = await mk({ name: '六十岁', birthDate: bornAged(60) });
  E.chronic = await mk({ name: '高血压老人', birthDate: bornAged(78), chronicConditions: ['高血压'] }, TREE.communityA2);
  E.other = await mk({ name: '乙区老人', birthDate: bornAged(75) }, TREE.communityB1);
  const fam = await clientAs(s.app, s.ctx, 'family', {});
  await s.ctx.db.update(users).set({ elderId: E.a70 }).where(eq(users.id, fam.account.id));
  family = fam.api;
  const home = await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院');
  ids.institution = home.id;
  institution = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: home.id })).api;

  // Two community health centres, a team each, the doctors' logins linked as members.
  const orgA = await district.post('/api/v1/medical-orgs', {
    name: '甲街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: TREE.streetA,
  });
  expect(orgA.statusCode, orgA.body).toBe(201);
  ids.orgA = orgA.json().id;
  const orgB = await district.post('/api/v1/medical-orgs', {
    name: '乙街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: TREE.streetB,
  });
  ids.orgB = orgB.json().id;
  const teamA = await district.post('/api/v1/doctor-teams', {
    orgId: ids.orgA,
    name: '王医生团队',
    communities: [TREE.communityA1, TREE.communityA2],
  });
  expect(teamA.statusCode, teamA.body).toBe(201);
  ids.teamA = teamA.json().id;
  ids.teamB = (
    await district.post('/api/v1/doctor-teams', { orgId: ids.orgB, name: '李医生团队', communities: [TREE.communityB1] })
  ).json().id;
  const noLicence = await district.post(`/api/v1/doctor-teams/${ids.teamA}/members`, { name: '王医生', role: 'doctor' });
  expect(noLicence.statusCode).toBe(400);
  const m = await district.post(`/api/v1/doctor-teams/${ids.teamA}/members`, {
    name: '王医生',
    role: 'doctor',
    licenceNo: '110510000001',
    isLeader: true,
    username: doc.account.username,
  });
  expect(m.statusCode, m.body).toBe(201);
  expect(m.json().members[0]).toMatchObject({ name: '王医生', role: 'doctor', userId: doctorId, isLeader: true });
  await district.post(`/api/v1/doctor-teams/${ids.teamA}/members`, { name: '赵护士', role: 'nurse', licenceNo: 'N-001' });
  await district.post(`/api/v1/doctor-teams/${ids.teamB}/members`, {
    name: '李医生',
    role: 'doctor',
    licenceNo: '110510000002',
    username: docB.account.username,
  });
});
afterAll(() => s.close());

describe('contracts and the 健康管理率', () => {
  it('signs, refuses a second active contract and a team that does not serve the community, renews and ends', async () => {
    const byDoctor = await doctor.post('/api/v1/doctor-contracts', {
      elderId: E.a70,
      teamId: ids.teamA,
      package: 'elderly',
      startsOn: today,
    });
    expect(byDoctor.statusCode, byDoctor.body).toBe(201);
    expect(byDoctor.json()).toMatchObject({ elderName: '签约甲', status: 'active', teamName: '王医生团队', elderAge: 70 });
    const byStaff = await community.post('/api/v1/doctor-contracts', {
      elderId: E.b72,
      teamId: ids.teamA,
      package: 'chronic',
      startsOn: today,
    });
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    const again = await community.post('/api/v1/doctor-contracts', {
      elderId: E.a70,
      teamId: ids.teamA,
      package: 'basic',
      startsOn: today,
    });
    expect(again.statusCode).toBe(409);
    const wrongTeam = await district.post('/api/v1/doctor-contracts', {
      elderId: E.c80,
      teamId: ids.teamB,
      package: 'basic',
      startsOn: today,
    });
    expect(wrongTeam.statusCode).toBe(422);
    // Another street's doctor cannot reach an elder their team does not serve.
    const outside = await doctorB.post('/api/v1/doctor-contracts', {
      elderId: E.c80,
      teamId: ids.teamB,
      package: 'basic',
      startsOn: today,
    });
    expect(outside.statusCode).toBe(404);

    const cov = await community.get('/api/v1/doctor-contracts/coverage');
    expect(cov.statusCode, cov.body).toBe(200);
    const a1 = cov.json().communities.find((c: { regionCode: string }) => c.regionCode === TREE.communityA1);
    // Elders 65+ of 甲一: 签约甲, 签约乙, 未签约 (六十岁 is younger): 2 of 3.
    expect(a1).toMatchObject({ elders65: 3, contracted65: 2, regionName: '甲一社区' });
    expect(a1.rate).toBeCloseTo(2 / 3, 3);

    const renewed = await doctor.post(`/api/v1/doctor-contracts/${byDoctor.json().id}/renew`, {});
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json().previousId).toBe(byDoctor.json().id);
    expect(renewed.json().startsOn > byDoctor.json().endsOn).toBe(true);
    const list = await doctor.get(`/api/v1/doctor-contracts?elderId=${E.a70}&count=true`);
    expect(
      list
        .json()
        .items.map((c: { status: string }) => c.status)
        .sort(),
    ).toEqual(['active', 'renewed']);
    // The renewal starts after today: the elder is not counted as covered today by it, but the old
    // period was closed as 'renewed'; coverage counts only periods running today.
    const ended = await community.post(`/api/v1/doctor-contracts/${byStaff.json().id}/end`, { reason: '老人迁出' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'ended', endReason: '老人迁出' });
    const cov2 = (await community.get('/api/v1/doctor-contracts/coverage')).json();
    expect(cov2.communities.find((c: { regionCode: string }) => c.regionCode === TREE.communityA1).contracted65).toBe(0);
    // Sign 签约乙 again for the rest of the tests.
    expect(
      (await doctor.post('/api/v1/doctor-contracts', { elderId: E.b72, teamId: ids.teamA, package: 'chronic', startsOn: today }))
        .statusCode,
    ).toBe(201);
    const cov3 = (await district.get(`/api/v1/doctor-contracts/coverage?regionCode=${TREE.communityA1}`)).json();
    expect(cov3.total).toMatchObject({ elders65: 3, contracted65: 1 });
  });

  it('is scoped: a doctor sees their teams’ contracts, another street’s doctor none and a 404 on them', async () => {
    const mine = (await doctor.get('/api/v1/doctor-contracts?count=true')).json();
    expect(mine.total).toBeGreaterThanOrEqual(2);
    const theirs = (await doctorB.get('/api/v1/doctor-contracts?count=true')).json();
    expect(theirs.total).toBe(0);
    const id = mine.items.find((c: { status: string }) => c.status === 'active').id;
    expect((await doctorB.post(`/api/v1/doctor-contracts/${id}/end`, { reason: '试一试' })).statusCode).toBe(404);
    expect((await communityB.post(`/api/v1/doctor-contracts/${id}/end`, { reason: '试一试' })).statusCode).toBe(404);
    expect(await isElderDoctor(s.ctx, doctorId, E.a70)).toBe(true);
    expect(await isElderDoctor(s.ctx, doctorId, E.c80)).toBe(false);
  });
});

describe('home medical visits', () => {
  it('family asks, the contracted team schedules, the doctor records on the phone; reads are audited and scoped', async () => {
    const req = await family.post('/api/v1/medical-visits', { reason: '最近头晕，想请医生上门看看' });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({ source: 'family', status: 'requested', teamId: ids.teamA, elderName: '签约甲' });
    const id = req.json().id;
    const call = await operator.post('/api/v1/calls', {
      direction: 'inbound',
      elderId: E.c80,
      offeredAt: new Date(Date.now() - 60_000).toISOString(),
      outcome: 'answered',
    });
    expect(call.statusCode, call.body).toBe(201);
    const byOperator = await operator.post('/api/v1/medical-visits', { callId: call.json().id, reason: '电话求助：腿肿' });
    expect(byOperator.statusCode, byOperator.body).toBe(201);
    // No contract: the team serving the community takes it.
    expect(byOperator.json()).toMatchObject({ source: 'call_centre', teamId: ids.teamA });

    const todayList = (await doctor.get(`/api/v1/medical-visits?mine=true&on=${today}`)).json();
    expect(todayList.items.map((v: { id: string }) => v.id)).toContain(id);
    expect((await doctorB.get(`/api/v1/medical-visits/${id}`)).statusCode).toBe(404);
    expect((await communityB.get(`/api/v1/medical-visits/${id}`)).statusCode).toBe(404);

    const sch = await doctor.post(`/api/v1/medical-visits/${id}/schedule`, { scheduledOn: today });
    expect(sch.statusCode, sch.body).toBe(200);
    expect(sch.json()).toMatchObject({ status: 'scheduled', memberName: '王医生' });
    const badQr = await doctor.post(`/api/v1/medical-visits/${id}/record`, { qr: 'ZYQR1.wrong-code', findings: '血压偏高' });
    expect(badQr.statusCode).toBe(400);
    const body = {
      qr: elderQrToken(s.ctx, E.a70),
      findings: '血压偏高，精神可',
      advice: '低盐饮食，一周后复测',
      vitals: { systolic: 152, diastolic: 92, pulse: 78 },
    };
    const rec = await doctor.post(`/api/v1/medical-visits/${id}/record`, body, { 'idempotency-key': 'visit-rec-0001' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json()).toMatchObject({
      status: 'done',
      checkInMethod: 'qr',
      vitals: { systolic: 152 },
      findings: '血压偏高，精神可',
    });
    const replay = await doctor.post(`/api/v1/medical-visits/${id}/record`, body, { 'idempotency-key': 'visit-rec-0001' });
    expect(replay.statusCode).toBe(200);
    expect((await doctor.post(`/api/v1/medical-visits/${id}/record`, body)).statusCode).toBe(409);

    // The family sees the state of its request, not the record.
    const mine = (await family.get('/api/v1/medical-visits/mine/requests')).json();
    expect(mine.items[0]).toMatchObject({ id, status: 'done', address: null });
    expect(mine.items[0].findings).toBeUndefined();

    const read = await community.get(`/api/v1/medical-visits/${id}`);
    expect(read.statusCode).toBe(200);
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read'), eq(auditLog.targetId, E.a70)));
    expect(audits.some((a) => (a.detail as { part?: string }).part === 'medical_visit')).toBe(true);
  });
});

describe('家庭病床', () => {
  it('checks the criteria, admits with a plan, records visits with billing lines and discharges', async () => {
    const put = await district.put('/api/v1/home-bed-criteria', {
      regionCode: TREE.district,
      minAge: 65,
      chronicConditions: ['高血压', '糖尿病'],
      abilityLevels: ['severe', 'total'],
    });
    expect(put.statusCode, put.body).toBe(200);
    const check = (await doctor.get(`/api/v1/home-bed-criteria/check/${E.a70}`)).json();
    expect(check.eligible).toBe(false);
    const refused = await doctor.post('/api/v1/home-bed-episodes', {
      elderId: E.a70,
      diagnosis: '高血压',
      admittedOn: today,
      visitsPerWeek: 2,
      planItems: [{ code: 'JC001', name: '家庭病床查床', amountFen: 3000 }],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].path).toBe('criteria.chronic_or_ability');

    const plan = {
      elderId: E.b72,
      diagnosis: '2型糖尿病',
      admittedOn: today,
      visitsPerWeek: 2,
      planItems: [
        { code: 'JC001', name: '家庭病床查床', amountFen: 3000 },
        { code: 'XT001', name: '血糖监测', amountFen: 800 },
      ],
    };
    const ep = await doctor.post('/api/v1/home-bed-episodes', plan);
    expect(ep.statusCode, ep.body).toBe(201);
    expect(ep.json()).toMatchObject({ status: 'open', teamId: ids.teamA, criteriaCheck: { eligible: true } });
    expect(ep.json().visits).toHaveLength(1);
    expect((await doctor.post('/api/v1/home-bed-episodes', plan)).statusCode).toBe(409);

    const visitId = ep.json().visits[0].id;
    const rec = await doctor.post(`/api/v1/medical-visits/${visitId}/record`, {
      lat: 30.6101,
      lng: 104.0101,
      findings: '空腹血糖 8.1',
      vitals: { glucose: 8.1 },
      billing: [
        { itemCode: 'JC001', itemName: '家庭病床查床', amountFen: 3000 },
        { itemCode: 'XT001', itemName: '血糖监测', quantity: 2, amountFen: 800 },
      ],
    });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().billing.map((b: { status: string }) => b.status)).toEqual(['recorded', 'recorded']);
    expect(rec.json().checkInDistanceM).toBeLessThan(50);
    const next = await doctor.post(`/api/v1/home-bed-episodes/${ep.json().id}/visits`, { scheduledOn: today });
    expect(next.statusCode, next.body).toBe(201);
    const detail = (await doctor.get(`/api/v1/home-bed-episodes/${ep.json().id}`)).json();
    expect(detail).toMatchObject({ visitsDone: 1, billedFen: 4600 });
    expect((await doctorB.get(`/api/v1/home-bed-episodes/${ep.json().id}`)).statusCode).toBe(404);

    const out = await doctor.post(`/api/v1/home-bed-episodes/${ep.json().id}/discharge`, {
      dischargedOn: today,
      summary: '血糖平稳，转门诊随访',
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().status).toBe('discharged');
    expect(out.json().visits.find((v: { id: string }) => v.id === next.json().id).status).toBe('cancelled');
    // A visit on a visit that is not a 家庭病床 visit takes no billing lines.
    const plain = (await community.post('/api/v1/medical-visits', { elderId: E.a70, reason: '复测血压' })).json();
    const noBill = await doctor.post(`/api/v1/medical-visits/${plain.id}/record`, {
      lat: 30.61,
      lng: 104.01,
      findings: '血压 138/86',
      billing: [{ itemCode: 'JC001', itemName: '查床', amountFen: 3000 }],
    });
    expect(noBill.statusCode).toBe(400);
  });
});

describe('partnerships and referrals', () => {
  it('a care-visit finding’s doctor referral is one step, and closing the referral closes the follow-up', async () => {
    const [visit] = await s.ctx.db
      .insert(careVisits)
      .values({ elderId: E.chronic, regionCode: TREE.communityA2, dueOn: today, status: 'done' })
      .returning();
    const [finding] = await s.ctx.db
      .insert(careVisitFindings)
      .values({
        visitId: visit.id,
        elderId: E.chronic,
        regionCode: TREE.communityA2,
        type: 'health',
        severity: 'concern',
        foundAt: new Date(),
      })
      .returning();
    const fu = await district.post('/api/v1/care-follow-ups', {
      findingId: finding.id,
      type: 'doctor_referral',
      detail: '老人自述胸闷，请家庭医生上门',
    });
    expect(fu.statusCode, fu.body).toBe(201);
    const refs = (await doctor.get('/api/v1/medical-referrals?status=pending')).json();
    const ref = refs.items.find((r: { followUpId: string }) => r.followUpId === fu.json().id);
    expect(ref).toMatchObject({ source: 'care_visit', status: 'pending', medicalOrgId: ids.orgA, elderName: '高血压老人' });
    expect((await doctorB.post(`/api/v1/medical-referrals/${ref.id}/status`, { status: 'accepted' })).statusCode).toBe(404);

    const acc = await doctor.post(`/api/v1/medical-referrals/${ref.id}/status`, { status: 'accepted', scheduleVisitOn: today });
    expect(acc.statusCode, acc.body).toBe(200);
    const visits = (await doctor.get(`/api/v1/medical-visits?elderId=${E.chronic}`)).json();
    const v = visits.items.find((x: { referralId: string }) => x.referralId === ref.id);
    expect(v).toMatchObject({ status: 'scheduled', source: 'referral' });
    await doctor.post(`/api/v1/medical-visits/${v.id}/record`, { lat: 30.61, lng: 104.01, findings: '心电图正常' });
    const after = (await doctor.get('/api/v1/medical-referrals')).json().items.find((r: { id: string }) => r.id === ref.id);
    expect(after.status).toBe('visited');
    expect((await doctor.post(`/api/v1/medical-referrals/${ref.id}/status`, { status: 'accepted' })).statusCode).toBe(409);
    const done = await doctor.post(`/api/v1/medical-referrals/${ref.id}/status`, { status: 'completed', note: '已处理' });
    expect(done.statusCode, done.body).toBe(200);
    await expect
      .poll(async () => (await s.ctx.db.select().from(careFollowUps).where(eq(careFollowUps.id, fu.json().id)))[0].status, {
        timeout: 10_000,
      })
      .toBe('closed');
  });

  it('an institution refers with the green channel of its partnership; refusal needs a reason', async () => {
    const p = await district.post('/api/v1/medical-partnerships', {
      orgId: ids.institution,
      medicalOrgId: ids.orgA,
      agreementNo: 'YY-2026-01',
      startsOn: today,
      endsOn: `${Number(today.slice(0, 4)) + 2}-12-31`,
      greenChannel: true,
      services: '巡诊、转诊绿色通道',
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ greenChannel: true, orgName: '福寿养老院', status: 'active' });
    // The institution reaches its own residents only: admit the elder as an applicant.
    await s.ctx.db.execute(
      sql`INSERT INTO admissions (org_id, elder_id, status, applied_on) VALUES (${ids.institution}, ${E.c80}, 'applied', ${today})`,
    );
    const r = await institution.post('/api/v1/medical-referrals', {
      elderId: E.c80,
      medicalOrgId: ids.orgA,
      reason: '跌倒后髋部疼痛',
      urgency: 'urgent',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ source: 'institution', greenChannel: true, fromOrgName: '福寿养老院', status: 'pending' });
    const own = (await institution.get('/api/v1/medical-referrals')).json();
    expect(own.items.map((x: { id: string }) => x.id)).toEqual([r.json().id]);
    expect(
      (await institution.post('/api/v1/medical-referrals', { elderId: E.other, medicalOrgId: ids.orgA, reason: '外区' }))
        .statusCode,
    ).toBe(404);
    expect((await doctor.post(`/api/v1/medical-referrals/${r.json().id}/status`, { status: 'rejected' })).statusCode).toBe(400);
    const rej = await doctor.post(`/api/v1/medical-referrals/${r.json().id}/status`, {
      status: 'rejected',
      note: '请直接送医院急诊',
    });
    expect(rej.json().status).toBe('rejected');
    const ended = await district.post(`/api/v1/medical-partnerships/${p.json().id}/end`, {});
    expect(ended.json().status).toBe('ended');
  });
});

describe('医养结合 records stored encrypted (0997)', () => {
  const plainLeft = async () =>
    (
      await queryRows<{ n: number }>(
        s.ctx.db,
        sql`SELECT (SELECT count(*) FROM medical_visits
                     WHERE private_enc IS NULL OR reason IS NOT NULL OR findings IS NOT NULL OR advice IS NOT NULL OR vitals IS NOT NULL)
                 + (SELECT count(*) FROM home_bed_episodes
                     WHERE private_enc IS NULL OR diagnosis IS NOT NULL OR criteria_check IS NOT NULL OR discharge_summary IS NOT NULL)
                 + (SELECT count(*) FROM medical_referrals WHERE private_enc IS NULL OR reason IS NOT NULL OR note IS NOT NULL) AS n`,
      )
    )[0].n;

  it('keeps every visit’s reason, findings, advice and vitals, every 家庭病床’s diagnosis and discharge summary and every referral’s reason and note sealed', async () => {
    // The tests above requested, recorded and discharged through the API.
    expect(Number(await plainLeft())).toBe(0);
    const sealed = await queryRows<{ private_enc: string }>(
      s.ctx.db,
      sql`SELECT private_enc FROM medical_visits UNION ALL SELECT private_enc FROM home_bed_episodes
          UNION ALL SELECT private_enc FROM medical_referrals`,
    );
    expect(sealed.length).toBeGreaterThan(5);
    const all = sealed.map((r) => r.private_enc).join('\n');
    for (const clear of [
      '头晕',
      '血压偏高',
      '低盐饮食',
      '152',
      '2型糖尿病',
      '血糖平稳',
      '跌倒后髋部疼痛',
      '高血压',
      '急诊',
      '已处理',
    ])
      expect(all).not.toContain(clear);
    // The referral answers' audit entries say that a note was written, not what it says.
    const answers = await queryRows<{ detail: Record<string, unknown> }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'medical.referral.update'`,
    );
    expect(answers.length).toBeGreaterThanOrEqual(2);
    expect(answers.filter((a) => a.detail.noted === true).length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(answers)).not.toMatch(/急诊|已处理/);
  });

  it('reads rows written before 0997 the same before and after the backfill, which seals each once', async () => {
    const [team] = await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM doctor_teams WHERE id = ${ids.teamA}`);
    const [ep] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO home_bed_episodes (elder_id, team_id, region_code, status, diagnosis, admitted_on, criteria_check,
            visits_per_week, discharged_on, discharge_summary)
          VALUES (${E.c80}, ${team.id}, ${TREE.communityA1}, 'discharged', '慢阻肺', ${today},
            ${JSON.stringify({ eligible: true, checks: [{ rule: 'chronic_or_ability', passed: true, detail: '慢性病：慢阻肺' }] })}::jsonb, 1, ${today}, '咳喘缓解')
          RETURNING id`,
    );
    const [visit] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO medical_visits (elder_id, region_code, team_id, source, episode_id, reason, status, scheduled_on,
            findings, advice, vitals, visited_at)
          VALUES (${E.c80}, ${TREE.communityA1}, ${team.id}, 'episode', ${ep.id}, '家庭病床查床：慢阻肺', 'done', ${today},
            '双肺呼吸音粗', '坚持吸入治疗', ${JSON.stringify({ spo2: 93, pulse: 88 })}::jsonb, now())
          RETURNING id`,
    );
    const [ref] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO medical_referrals (elder_id, region_code, source, medical_org_id, team_id, reason)
          VALUES (${E.c80}, ${TREE.communityA1}, 'care_staff', ${ids.orgA}, ${team.id}, '夜间憋醒') RETURNING id`,
    );
    // Answered by the version before notes were sealed: the reason sealed, the refusal note in clear.
    const [answered] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO medical_referrals (elder_id, region_code, source, medical_org_id, team_id, private_enc, status, note)
          VALUES (${E.c80}, ${TREE.communityA1}, 'care_staff', ${ids.orgA}, ${team.id},
            ${s.ctx.cipher.encrypt(JSON.stringify({ reason: '反复咳嗽' }))}, 'rejected', '建议呼吸科门诊') RETURNING id`,
    );
    const read = async () => ({
      visit: (await doctor.get(`/api/v1/medical-visits/${visit.id}`)).json(),
      episode: (await doctor.get(`/api/v1/home-bed-episodes/${ep.id}`)).json(),
      referral: (await doctor.get('/api/v1/medical-referrals?limit=100'))
        .json()
        .items.find((x: { id: string }) => x.id === ref.id),
      answered: (await doctor.get('/api/v1/medical-referrals?limit=100'))
        .json()
        .items.find((x: { id: string }) => x.id === answered.id),
    });
    const before = await read();
    expect(before.visit).toMatchObject({
      reason: '家庭病床查床：慢阻肺',
      findings: '双肺呼吸音粗',
      advice: '坚持吸入治疗',
      vitals: { spo2: 93, pulse: 88 },
    });
    expect(before.episode).toMatchObject({
      diagnosis: '慢阻肺',
      dischargeSummary: '咳喘缓解',
      criteriaCheck: { eligible: true, checks: [{ rule: 'chronic_or_ability', detail: '慢性病：慢阻肺' }] },
    });
    expect(before.referral).toMatchObject({ reason: '夜间憋醒', note: null });
    expect(before.answered).toMatchObject({ reason: '反复咳嗽', note: '建议呼吸科门诊', status: 'rejected' });
    expect(Number(await plainLeft())).toBe(4);

    // Two processes' jobs at once seal the four rows between them, once; a third finds nothing.
    const [a, b] = await Promise.all([backfillMedicalSeals(s.ctx, 1), backfillMedicalSeals(s.ctx, 1)]);
    expect(a + b).toBe(4);
    expect(await backfillMedicalSeals(s.ctx)).toBe(0);
    expect(Number(await plainLeft())).toBe(0);
    const stored = await queryRows<{ private_enc: string }>(
      s.ctx.db,
      sql`SELECT private_enc FROM medical_visits WHERE id = ${visit.id} UNION ALL
          SELECT private_enc FROM home_bed_episodes WHERE id = ${ep.id} UNION ALL
          SELECT private_enc FROM medical_referrals WHERE id IN (${ref.id}, ${answered.id})`,
    );
    expect(stored).toHaveLength(4);
    expect(stored.map((r) => r.private_enc).join()).not.toMatch(/慢阻肺|双肺|吸入|憋醒|咳喘|咳嗽|呼吸科/);
    const after = await read();
    expect(after).toEqual(before);
  });
});
