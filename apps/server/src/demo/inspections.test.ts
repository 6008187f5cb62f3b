import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedInspections } from './inspections.ts';
import { seedInstitutions } from './institutions.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedInstitutions(s.ctx);
  await seedInspections(s.ctx);
});
afterAll(() => s.close());

describe('demo inspections', () => {
  it('a quarter’s round: the institution and the centres graded, findings mostly rectified; a re-run adds none', async () => {
    const district = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const rounds = (await district.get('/api/v1/inspection-rounds')).json().items;
    expect(rounds).toHaveLength(1);
    expect(rounds[0].period).toMatch(/^\d{4}Q[1-4]$/);
    expect(rounds[0].inspections).toBe(38); // 福寿养老院, 康宁护理院 and the 36 community 养老服务站
    expect(rounds[0].finished).toBe(36);
    const list = (await district.get(`/api/v1/inspections?roundId=${rounds[0].id}`)).json().items;
    const home = list.find((i: { orgName: string }) => i.orgName === '福寿养老院');
    expect(home).toMatchObject({ status: 'finished', orgType: 'institution' });
    expect(home.grade).toBeGreaterThanOrEqual(3);
    expect(list.filter((i: { grade: number | null }) => i.grade !== null).length).toBeGreaterThan(15);
    const findings = (await district.get('/api/v1/inspection-findings')).json().items;
    const by = (st: string) => findings.filter((f: { status: string }) => f.status === st).length;
    expect(by('closed')).toBeGreaterThan(by('open'));
    expect(by('rectified')).toBeGreaterThan(0);
    // The institution's own staff see their inspection and findings.
    const inst = client(s.app, await loginToken(s.app, 'demo-institution', 'Demo#Pass2026'));
    expect((await inst.get('/api/v1/inspections')).json().items).toHaveLength(1);
    expect((await inst.get('/api/v1/inspection-findings')).json().items.length).toBeGreaterThan(0);
    const status = (await district.get('/api/v1/operating-status')).json().items;
    expect(status.find((x: { name: string }) => x.name === '福寿养老院')).toMatchObject({ residents: 90, grade: home.grade });
    await seedInspections(s.ctx);
    expect((await district.get('/api/v1/inspection-rounds')).json().items[0].inspections).toBe(38);
  });
});
