import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

/** 上门医疗 and 家庭病床 on the elder's 360° timeline: who came and when, never the findings or diagnosis. */
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});

afterAll(async () => {
  await s?.close();
});

describe('medical events on the elder timeline', () => {
  it('a home visit made, a 家庭病床 admitted and discharged show for community staff without health details', async () => {
    const today = cstDate();
    const district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
    const community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
    const doc = await clientAs(s.app, s.ctx, 'doctor', {});
    const elder = await createElder(s.ctx, TREE.communityA1, {
      name: '周玉兰',
      birthDate: `${Number(today.slice(0, 4)) - 82}-05-01`,
      lat: 30.61,
      lng: 104.01,
      chronicConditions: ['高血压'],
    });
    const org = (
      await district.post('/api/v1/medical-orgs', {
        name: '甲街道社区卫生服务中心',
        kind: 'community_health_centre',
        regionCode: TREE.streetA,
      })
    ).json();
    const team = (
      await district.post('/api/v1/doctor-teams', { orgId: org.id, name: '王医生团队', communities: [TREE.communityA1] })
    ).json();
    const member = await district.post(`/api/v1/doctor-teams/${team.id}/members`, {
      name: '王医生',
      role: 'doctor',
      licenceNo: '110510000001',
      username: doc.account.username,
    });
    expect(member.statusCode, member.body).toBe(201);
    const contract = await community.post('/api/v1/doctor-contracts', {
      elderId: elder.id,
      teamId: team.id,
      package: 'chronic',
      startsOn: today,
    });
    expect(contract.statusCode, contract.body).toBe(201);

    const ep = await doc.api.post('/api/v1/home-bed-episodes', {
      elderId: elder.id,
      diagnosis: '高血压病3级',
      admittedOn: today,
      visitsPerWeek: 2,
      planItems: [{ code: 'JTBC-001', name: '家庭病床查床', amountFen: 2500 }],
    });
    expect(ep.statusCode, ep.body).toBe(201);
    const round = ep.json().visits[0];
    const rec = await doc.api.post(`/api/v1/medical-visits/${round.id}/record`, {
      lat: 30.6101,
      lng: 104.0101,
      findings: '血压162/98，双下肢轻度水肿',
    });
    expect(rec.statusCode, rec.body).toBe(200);
    const out = await doc.api.post(`/api/v1/home-bed-episodes/${ep.json().id}/discharge`, {
      dischargedOn: today,
      summary: '血压平稳，撤床',
    });
    expect(out.statusCode, out.body).toBe(200);

    const res = await community.get(`/api/v1/elders/${elder.id}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const medical = (res.json().items as Array<{ source: string; kind: string; title: string }>).filter(
      (e) => e.source === 'medical',
    );
    expect(medical.map((e) => e.kind).sort()).toEqual([
      'medical.home-bed.admitted',
      'medical.home-bed.discharged',
      'medical.visit.done',
    ]);
    expect(medical.find((e) => e.kind === 'medical.visit.done')?.title).toBe('上门医疗：王医生团队 王医生已上门（家庭病床）');
    expect(medical.find((e) => e.kind === 'medical.home-bed.admitted')?.title).toBe('家庭病床建床：王医生团队');
    // Health details stay with the elder's doctors.
    expect(res.body).not.toContain('血压162');
    expect(res.body).not.toContain('高血压病3级');
    expect(res.body).not.toContain('血压平稳');
  });
});
