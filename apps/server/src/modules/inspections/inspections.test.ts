import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { orgGrades } from './inspections.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let admin: Api;
let otherDistrictStreet: Api;
let staffA: Api;
let staffB: Api;
let community: Api;
let instA: string;
let instB: string;
let centre: string;
let gbt: { id: string; items: Array<{ code: string; max: number }> };

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const inWeek = new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  instA = (await createOrg(s.ctx, 'institution', TREE.communityA1, '福寿养老院')).id;
  instB = (await createOrg(s.ctx, 'institution', TREE.communityB1, '康乐养老院')).id;
  centre = (await createOrg(s.ctx, 'community_centre', TREE.communityA1, '幸福社区服务中心')).id;
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  otherDistrictStreet = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  staffA = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: instA })).api;
  staffB = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: instB })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  const templates = (await admin.get('/api/v1/inspection-templates')).json().items;
  gbt = templates.find((t: { code: string }) => t.code === 'gbt37276');
});
afterAll(() => s.close());

/** Every GB/T 37276 item at its maximum except the given ones (the total is 1000 minus what is taken off). */
const allMax = (except: Record<string, number> = {}) =>
  gbt.items.map((i) => ({ itemCode: i.code, score: except[i.code] ?? i.max }));

let round: { id: string };
let centreTemplate: { id: string };
async function inspectionOf(api: Api, orgId: string) {
  const list = (await api.get(`/api/v1/inspections?roundId=${round.id}`)).json().items;
  return list.find((i: { orgId: string }) => i.orgId === orgId) as { id: string; status: string };
}

describe('checklists and rounds', () => {
  it('GB/T 37276 is there with its four parts adding up to 1000 and five grade thresholds', () => {
    expect(gbt).toBeDefined();
    expect(gbt.items.reduce((n, i) => n + i.max, 0)).toBe(1000);
    expect(new Set(gbt.items.map((i: unknown) => (i as { section: string }).section))).toEqual(
      new Set(['环境', '设施设备', '运营管理', '服务']),
    );
  });

  it('a district checklist is versioned; thresholds that fall with the grade are refused', async () => {
    const body = {
      code: 'district-centre',
      name: '社区养老服务中心季度检查',
      orgType: 'community_centre',
      items: [
        { code: 'licence', section: '基本条件', text: '证照公示', max: 20 },
        { code: 'fire', section: '安全', text: '消防设施完好', max: 40 },
        { code: 'meals', section: '服务', text: '助餐服务台账', max: 40 },
      ],
      gradeThresholds: [
        { grade: 1, min: 60 },
        { grade: 2, min: 70 },
        { grade: 3, min: 80 },
        { grade: 4, min: 90 },
        { grade: 5, min: 95 },
      ],
    };
    const bad = await admin.post('/api/v1/inspection-templates', {
      ...body,
      gradeThresholds: [
        { grade: 1, min: 80 },
        { grade: 2, min: 70 },
      ],
    });
    expect(bad.statusCode).toBe(422);
    const v1 = await admin.post('/api/v1/inspection-templates', body);
    expect(v1.statusCode, v1.body).toBe(201);
    const v2 = await admin.post('/api/v1/inspection-templates', { ...body, name: '社区养老服务中心季度检查（修订）' });
    expect(v2.json()).toMatchObject({ version: 2, active: true, maxScore: 100 });
    centreTemplate = v2.json();
    // The national standard is not the district's to version.
    expect((await admin.post('/api/v1/inspection-templates', { ...body, code: 'gbt37276' })).statusCode).toBe(409);
    // Only the bureau's assessors write checklists.
    expect((await staffA.post('/api/v1/inspection-templates', body)).statusCode).toBe(403);
  });

  it('a round opens one inspection for every institution and centre of the district; once per period', async () => {
    const body = {
      kind: 'quarterly',
      periodCode: '2026Q4',
      name: '2026年第四季度检查',
      dueOn: inWeek,
      institutionTemplateId: gbt.id,
      centreTemplateId: centreTemplate.id,
    };
    expect((await admin.post('/api/v1/inspection-rounds', { ...body, periodCode: '2026' })).statusCode).toBe(400);
    const r = await admin.post('/api/v1/inspection-rounds', body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ inspections: 3, finished: 0 });
    round = r.json();
    expect((await admin.post('/api/v1/inspection-rounds', body)).statusCode).toBe(409);
  });

  it('an institution sees only its own inspection; another’s is a 404; a street sees its street', async () => {
    const own = (await staffA.get('/api/v1/inspections')).json();
    expect(own.items.map((i: { orgId: string }) => i.orgId)).toEqual([instA]);
    const b = await inspectionOf(admin, instB);
    expect((await staffA.get(`/api/v1/inspections/${b.id}`)).statusCode).toBe(404);
    const street = (await otherDistrictStreet.get('/api/v1/inspections')).json();
    expect(street.items.map((i: { orgId: string }) => i.orgId)).toEqual([instB]);
    const a = await inspectionOf(admin, instA);
    expect((await otherDistrictStreet.get(`/api/v1/inspections/${a.id}`)).statusCode).toBe(404);
  });
});

describe('scoring and grade', () => {
  it('self-assessment and the assessor’s score side by side; the total gives the grade and its history', async () => {
    const a = await inspectionOf(staffA, instA);
    expect(a.status).toBe('self_assessment');
    // Above an item's maximum, or an item not in the checklist: 422.
    const over = await staffA.put(`/api/v1/inspections/${a.id}/self-assessment`, {
      scores: [{ itemCode: 'env_location', score: 16 }],
    });
    expect(over.statusCode).toBe(422);
    expect(
      (await staffA.put(`/api/v1/inspections/${a.id}/self-assessment`, { scores: [{ itemCode: 'nope', score: 1 }] })).statusCode,
    ).toBe(422);
    // Handing in with items missing is refused; a draft is kept.
    const draft = await staffA.put(`/api/v1/inspections/${a.id}/self-assessment`, {
      scores: [{ itemCode: 'env_location', score: 15, note: '临近地铁站' }],
      submit: true,
    });
    expect(draft.statusCode).toBe(422);
    // Another institution cannot fill it in; nor can the bureau (self-assessment is the institution's).
    expect((await staffB.put(`/api/v1/inspections/${a.id}/self-assessment`, { scores: [] })).statusCode).toBe(404);
    expect((await admin.put(`/api/v1/inspections/${a.id}/self-assessment`, { scores: [] })).statusCode).toBe(403);
    const self = await staffA.put(`/api/v1/inspections/${a.id}/self-assessment`, {
      scores: allMax({ svc_daily: 90 }),
      submit: true,
    });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json()).toMatchObject({ status: 'assessing', selfScore: 990 });
    expect(
      (await staffA.put(`/api/v1/inspections/${a.id}/self-assessment`, { scores: allMax() })).statusCode,
      'handed in: no more changes',
    ).toBe(409);
    // The institution cannot score itself as the assessor.
    expect((await staffA.put(`/api/v1/inspections/${a.id}/scores`, { scores: allMax() })).statusCode).toBe(403);

    // The assessor: part first, finishing with items unscored is refused.
    const part = await admin.put(`/api/v1/inspections/${a.id}/scores`, {
      scores: [{ itemCode: 'svc_daily', score: 0, note: '夜间照料记录缺失' }],
    });
    expect(part.statusCode, part.body).toBe(200);
    expect((await admin.post(`/api/v1/inspections/${a.id}/finish`)).statusCode).toBe(422);
    const scored = await admin.put(`/api/v1/inspections/${a.id}/scores`, {
      scores: allMax({ svc_daily: 0, svc_medical: 0, svc_meals: 20 }),
    });
    const d = scored.json();
    const daily = d.items.find((i: { code: string }) => i.code === 'svc_daily');
    expect(daily).toMatchObject({ max: 100, selfScore: 90, score: 0 });
    expect(d.sections.find((x: { section: string }) => x.section === '服务')).toMatchObject({
      max: 600,
      selfScore: 590,
      score: 360,
    });

    const fin = await admin.post(`/api/v1/inspections/${a.id}/finish`);
    expect(fin.statusCode, fin.body).toBe(200);
    // 760 ≥ 750: 四级 by GB/T 37276's thresholds.
    expect(fin.json()).toMatchObject({ status: 'finished', totalScore: 760, grade: 4, selfScore: 990 });
    expect((await admin.post(`/api/v1/inspections/${a.id}/finish`)).statusCode).toBe(409);
    expect((await admin.put(`/api/v1/inspections/${a.id}/scores`, { scores: allMax() })).statusCode).toBe(409);
    const history = (await staffA.get(`/api/v1/org-grades/${instA}`)).json();
    expect(history.items).toEqual([
      expect.objectContaining({ grade: 4, score: 760, templateCode: 'gbt37276', period: '2026Q4' }),
    ]);
    expect((await staffB.get(`/api/v1/org-grades/${instA}`)).statusCode).toBe(404);
    const audit = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'inspection.finish'));
    expect(audit.at(-1)?.detail).toMatchObject({ totalScore: 760, grade: 4 });
  });

  it('a total below 一级 gives no grade and no history', async () => {
    const b = await inspectionOf(admin, instB);
    // 100 + 100 + 60 + 15 + 15 + 9.5 = 299.5 < 300; every other item 0.
    const some: Record<string, number> = {
      svc_daily: 100,
      svc_medical: 100,
      svc_meals: 60,
      env_location: 15,
      env_signage: 15,
      fac_dining: 9.5,
    };
    const final = gbt.items.map((i) => ({ itemCode: i.code, score: some[i.code] ?? 0 }));
    expect(final.reduce((n, l) => n + (l.score ?? 0), 0)).toBe(299.5);
    expect((await admin.put(`/api/v1/inspections/${b.id}/scores`, { scores: final })).statusCode).toBe(200);
    const fin = await admin.post(`/api/v1/inspections/${b.id}/finish`);
    expect(fin.json()).toMatchObject({ totalScore: 299.5, grade: null });
    expect(await s.ctx.db.select().from(orgGrades).where(eq(orgGrades.orgId, instB))).toEqual([]);
  });

  it('a community centre is assessed by the community’s staff, not by an institution', async () => {
    const c = await inspectionOf(admin, centre);
    expect((await staffA.put(`/api/v1/inspections/${c.id}/self-assessment`, { scores: [] })).statusCode).toBe(404);
    const a = await inspectionOf(admin, instA);
    // The community's staff do not assess an institution.
    expect((await community.put(`/api/v1/inspections/${a.id}/self-assessment`, { scores: [] })).statusCode).toBe(404);
    const self = await community.put(`/api/v1/inspections/${c.id}/self-assessment`, {
      scores: [
        { itemCode: 'licence', score: 20 },
        { itemCode: 'fire', score: 40 },
        { itemCode: 'meals', score: 35 },
      ],
      submit: true,
    });
    expect(self.json()).toMatchObject({ status: 'assessing', selfScore: 95 });
    await admin.put(`/api/v1/inspections/${c.id}/scores`, {
      scores: [
        { itemCode: 'licence', score: 20 },
        { itemCode: 'fire', score: 30 },
        { itemCode: 'meals', score: 38 },
      ],
    });
    // 88: 三级 by the district's thresholds (80 … 90).
    expect((await admin.post(`/api/v1/inspections/${c.id}/finish`)).json()).toMatchObject({ totalScore: 88, grade: 3 });
  });
});

describe('findings', () => {
  it('finding → rectification by the institution → re-check: not passed opens it again, passed closes it', async () => {
    const a = await inspectionOf(admin, instA);
    expect(
      (await admin.post(`/api/v1/inspections/${a.id}/findings`, { itemCode: null, description: 'x', dueOn: '2020-01-01' }))
        .statusCode,
    ).toBe(400);
    const f = await admin.post(`/api/v1/inspections/${a.id}/findings`, {
      itemCode: 'fac_safety',
      description: '三楼消防通道堆放杂物',
      severity: 'serious',
      dueOn: inWeek,
    });
    expect(f.statusCode, f.body).toBe(201);
    const id = f.json().id;
    expect((await staffA.get('/api/v1/inspection-findings?status=open')).json().items.map((x: { id: string }) => x.id)).toEqual([
      id,
    ]);
    expect((await staffB.get('/api/v1/inspection-findings')).json().items).toEqual([]);
    expect((await staffB.post(`/api/v1/inspection-findings/${id}/rectify`, { rectification: '已清理' })).statusCode).toBe(404);
    // Not rectified yet: nothing to re-check.
    expect((await admin.post(`/api/v1/inspection-findings/${id}/recheck`, { passed: true })).statusCode).toBe(409);
    const r1 = await staffA.post(`/api/v1/inspection-findings/${id}/rectify`, { rectification: '已清理杂物' });
    expect(r1.json()).toMatchObject({ status: 'rectified', rectification: '已清理杂物' });
    expect((await staffA.post(`/api/v1/inspection-findings/${id}/rectify`, { rectification: 'again' })).statusCode).toBe(409);
    // The institution cannot close its own finding.
    expect((await staffA.post(`/api/v1/inspection-findings/${id}/recheck`, { passed: true })).statusCode).toBe(403);
    const no = await admin.post(`/api/v1/inspection-findings/${id}/recheck`, { passed: false, note: '仍有纸箱' });
    expect(no.json()).toMatchObject({ status: 'open', recheckNote: '仍有纸箱' });
    await staffA.post(`/api/v1/inspection-findings/${id}/rectify`, { rectification: '纸箱已全部清走，张贴禁止堆放标识' });
    const yes = await admin.post(`/api/v1/inspection-findings/${id}/recheck`, { passed: true });
    expect(yes.json()).toMatchObject({ status: 'closed' });
    const detail = (await staffA.get(`/api/v1/inspections/${a.id}`)).json();
    expect(detail.findings).toEqual([expect.objectContaining({ id, status: 'closed', severity: 'serious' })]);
  });
});

describe('operating status and the public list', () => {
  it('lists every institution and centre with its last inspection and grade; an institution sees itself', async () => {
    const all = (await admin.get('/api/v1/operating-status')).json().items;
    const a = all.find((x: { orgId: string }) => x.orgId === instA);
    expect(a).toMatchObject({ orgType: 'institution', open: true, residents: 0, staffOnDutyToday: 0, grade: 4, openAlarms: 0 });
    expect(a.lastInspection).toMatchObject({ period: '2026Q4', totalScore: 760 });
    expect(all.find((x: { orgId: string }) => x.orgId === centre)).toMatchObject({
      orgType: 'community_centre',
      residents: null,
      grade: 3,
    });
    expect((await staffA.get('/api/v1/operating-status')).json().items.map((x: { orgId: string }) => x.orgId)).toEqual([instA]);
  });

  it('the public list needs no login and carries no personal data', async () => {
    const r = await client(s.app).get('/api/v1/public/institution-grades');
    expect(r.statusCode).toBe(200);
    const items = r.json().items;
    const a = items.find((x: { id: string }) => x.id === instA);
    expect(a).toMatchObject({ name: '福寿养老院', grade: 4, gradeAwardedOn: today, beds: 0 });
    for (const it of items)
      expect(Object.keys(it).sort()).toEqual([
        'address',
        'beds',
        'freeBeds',
        'grade',
        'gradeAwardedOn',
        'id',
        'name',
        'regionCode',
      ]);
    // No contact person or phone of the organisation, no staff, no residents.
    expect(r.body).not.toMatch(/contact|phone|elder|resident|idNumber/i);
  });
});
