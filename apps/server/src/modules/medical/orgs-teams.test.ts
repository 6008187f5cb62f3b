import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { regions } from '../regions/regions.schema.ts';

/** The bureau changes its register of medical organisations, teams and members (the console's edit forms). */
type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let district: Api;
let otherDistrict: Api;
let community: Api;
let orgId: string;
let teamId: string;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  await s.ctx.db.insert(regions).values([
    { code: '990102', parentCode: null, level: 'district', name: '另一区' },
    { code: '990102001', parentCode: '990102', level: 'street', name: '丙街道' },
    { code: '990102001001', parentCode: '990102001', level: 'community', name: '丙一社区' },
  ]);
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  otherDistrict = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: '990102' })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  const org = await district.post('/api/v1/medical-orgs', {
    name: '甲街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: TREE.streetA,
    phone: '028-1234567',
  });
  expect(org.statusCode, org.body).toBe(201);
  orgId = org.json().id;
  const team = await district.post('/api/v1/doctor-teams', { orgId, name: '王医生团队', communities: [TREE.communityA1] });
  expect(team.statusCode, team.body).toBe(201);
  teamId = team.json().id;
});

afterAll(async () => {
  await s?.close();
});

const audits = (action: string, targetId: string) =>
  s.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

describe('medical organisations', () => {
  it('the bureau renames an organisation, sets its licence, clears its phone; audited', async () => {
    const r = await district.patch(`/api/v1/medical-orgs/${orgId}`, {
      name: '甲街道社区卫生服务中心（总部）',
      licenceNo: 'PDY12345-510100',
      phone: null,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      name: '甲街道社区卫生服务中心（总部）',
      licenceNo: 'PDY12345-510100',
      phone: null,
      kind: 'community_health_centre',
      status: 'active',
      teams: 1,
    });
    expect(await audits('medical.org.update', orgId)).toHaveLength(1);
  });

  it('refuses bad input, other districts and staff without medical:manage, changing nothing', async () => {
    expect((await district.patch(`/api/v1/medical-orgs/${orgId}`, { kind: 'spa' })).statusCode).toBe(400);
    expect((await district.patch(`/api/v1/medical-orgs/${orgId}`, { regionCode: TREE.streetB })).statusCode).toBe(400);
    expect((await otherDistrict.patch(`/api/v1/medical-orgs/${orgId}`, { name: '改名' })).statusCode).toBe(404);
    expect((await community.patch(`/api/v1/medical-orgs/${orgId}`, { name: '改名' })).statusCode).toBe(403);
    const [o] = (await district.get('/api/v1/medical-orgs')).json().items;
    expect(o.name).toBe('甲街道社区卫生服务中心（总部）');
  });

  it('closing needs its teams disbanded first (409)', async () => {
    const r = await district.patch(`/api/v1/medical-orgs/${orgId}`, { status: 'closed' });
    expect(r.statusCode).toBe(409);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });
});

describe('elders a team may sign', () => {
  it('by name or initials in the team’s communities, without a contract; a doctor reaches them, another street’s staff do not', async () => {
    const year = Number(cstDate().slice(0, 4));
    const zhou = await createElder(s.ctx, TREE.communityA1, { name: '周秀英', birthDate: `${year - 77}-01-01` });
    await createElder(s.ctx, TREE.communityA1, { name: '周德明', birthDate: `${year - 70}-01-01` });
    await createElder(s.ctx, TREE.communityB1, { name: '周桂芳', birthDate: `${year - 80}-01-01` });
    const doc = await clientAs(s.app, s.ctx, 'doctor', {});
    const add = await district.post(`/api/v1/doctor-teams/${teamId}/members`, {
      name: '李医生',
      role: 'doctor',
      licenceNo: '110510000009',
      username: doc.account.username,
    });
    expect(add.statusCode, add.body).toBe(201);
    const q = (api: Api, text: string) =>
      api.get(`/api/v1/doctor-contracts/candidates?teamId=${teamId}&q=${encodeURIComponent(text)}`);
    const byDoctor = await q(doc.api, '周');
    expect(byDoctor.statusCode, byDoctor.body).toBe(200);
    // 周桂芳 lives in a community the team does not serve.
    expect(byDoctor.json().items.map((e: { name: string }) => e.name)).toEqual(['周德明', '周秀英']);
    expect(byDoctor.json().items[1]).toEqual({
      id: zhou.id,
      name: '周秀英',
      age: 77,
      regionCode: TREE.communityA1,
      regionName: '甲一社区',
    });
    expect((await q(doc.api, 'zxy')).json().items.map((e: { name: string }) => e.name)).toEqual(['周秀英']);
    // The doctor signs from it; the elder is no longer a candidate.
    const signed = await doc.api.post('/api/v1/doctor-contracts', {
      elderId: zhou.id,
      teamId,
      package: 'basic',
      startsOn: cstDate(),
    });
    expect(signed.statusCode, signed.body).toBe(201);
    expect((await q(community, '周')).json().items.map((e: { name: string }) => e.name)).toEqual(['周德明']);
    const ended = await district.post(`/api/v1/doctor-contracts/${signed.json().id}/end`, { reason: '测试结束' });
    expect(ended.statusCode, ended.body).toBe(200);
    // Staff of another street do not reach the team; a team id that does not exist is a 404; no query is a 400.
    const streetB = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
    expect((await q(streetB, '周')).statusCode).toBe(404);
    expect((await district.get(`/api/v1/doctor-contracts/candidates?teamId=${teamId}`)).statusCode).toBe(400);
  });
});

describe('family-doctor teams and members', () => {
  it('renames a team and widens the communities it serves; a community of another district is a 400', async () => {
    const r = await district.patch(`/api/v1/doctor-teams/${teamId}`, {
      name: '王建华团队',
      communities: [TREE.communityA1, TREE.communityA2],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ name: '王建华团队', communities: [{ code: TREE.communityA1 }, { code: TREE.communityA2 }] });
    expect(await audits('medical.team.update', teamId)).toHaveLength(1);
    const bad = await district.patch(`/api/v1/doctor-teams/${teamId}`, { communities: ['990102001001'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.communities.0');
  });

  it('a member becomes the leader (the former leader steps down) and changes role; a doctor needs a licence', async () => {
    const add = (body: object) => district.post(`/api/v1/doctor-teams/${teamId}/members`, body);
    expect((await add({ name: '王医生', role: 'doctor', licenceNo: '110510000001', isLeader: true })).statusCode).toBe(201);
    const team = (await add({ name: '刘护士', role: 'nurse' })).json();
    const nurse = team.members.find((m: { name: string }) => m.name === '刘护士');
    // A nurse without a licence cannot become a doctor; with one she can, and she leads now.
    const noLicence = await district.patch(`/api/v1/doctor-team-members/${nurse.id}`, { role: 'public_health' });
    expect(noLicence.statusCode).toBe(400);
    const r = await district.patch(`/api/v1/doctor-team-members/${nurse.id}`, {
      role: 'public_health',
      licenceNo: '110510000002',
      isLeader: true,
    });
    expect(r.statusCode, r.body).toBe(200);
    const members = r.json().members as Array<{ name: string; role: string; isLeader: boolean; licenceNo: string | null }>;
    expect(members.find((m) => m.name === '刘护士')).toMatchObject({
      role: 'public_health',
      isLeader: true,
      licenceNo: '110510000002',
    });
    expect(members.find((m) => m.name === '王医生')).toMatchObject({ isLeader: false });
  });

  it('a team with an active contract keeps the community and cannot be disbanded until the contract ends', async () => {
    const year = Number(cstDate().slice(0, 4));
    const elder = await createElder(s.ctx, TREE.communityA2, { name: '周玉兰', birthDate: `${year - 80}-01-01` });
    const signed = await community.post('/api/v1/doctor-contracts', {
      elderId: elder.id,
      teamId,
      package: 'basic',
      startsOn: cstDate(),
    });
    // Community staff of 甲一社区 do not reach 甲二社区's elder: the district signs.
    expect(signed.statusCode).toBe(404);
    const contract = await district.post('/api/v1/doctor-contracts', {
      elderId: elder.id,
      teamId,
      package: 'basic',
      startsOn: cstDate(),
    });
    expect(contract.statusCode, contract.body).toBe(201);
    const drop = await district.patch(`/api/v1/doctor-teams/${teamId}`, { communities: [TREE.communityA1] });
    expect(drop.statusCode).toBe(422);
    expect((await district.patch(`/api/v1/doctor-teams/${teamId}`, { status: 'disbanded' })).statusCode).toBe(409);
    const still = (await district.get('/api/v1/doctor-teams')).json().items[0];
    expect(still).toMatchObject({ status: 'active', communities: [{ code: TREE.communityA1 }, { code: TREE.communityA2 }] });

    const end = await district.post(`/api/v1/doctor-contracts/${contract.json().id}/end`, { reason: '老人迁出本区' });
    expect(end.statusCode, end.body).toBe(200);
    const disband = await district.patch(`/api/v1/doctor-teams/${teamId}`, { status: 'disbanded' });
    expect(disband.statusCode, disband.body).toBe(200);
    expect(disband.json().status).toBe('disbanded');
    // Now the organisation has no active team and may close.
    const closed = await district.patch(`/api/v1/medical-orgs/${orgId}`, { status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', teams: 0 });
  });
});
