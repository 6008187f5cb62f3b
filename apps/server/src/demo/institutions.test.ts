import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { DEMO_RESIDENTS, seedInstitutions } from './institutions.ts';

let s: TestServer;
let seedMs = 0;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  const t = Date.now();
  await seedInstitutions(s.ctx);
  seedMs = Date.now() - t;
});
afterAll(() => s.close());

describe('demo nursing homes', () => {
  it('demo-institution sees 120 beds, 90 residents with both assessments and care plans, and bed devices; a re-run adds none', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-institution', 'Demo#Pass2026'));
    const [inst] = (await api.get('/api/v1/institutions')).json().items;
    expect(inst).toMatchObject({ name: '福寿养老院', ownership: 'public_private', capacity: 120 });
    const board = (await api.get(`/api/v1/institutions/${inst.orgId}/bed-board`)).json();
    expect(board.stats).toMatchObject({ beds: 120, occupied: DEMO_RESIDENTS, nursingBeds: 100 });
    const beds = board.buildings.flatMap((b: { floors: Array<{ rooms: Array<{ beds: Array<{ devices: unknown[] }> }> }> }) =>
      b.floors.flatMap((f) => f.rooms.flatMap((r) => r.beds)),
    );
    expect(beds.filter((b: { devices: unknown[] }) => b.devices.length > 0).length).toBeGreaterThan(20);
    const residents = (await api.get(`/api/v1/institutions/${inst.orgId}/admissions?status=admitted`)).json();
    expect(residents.total).toBe(DEMO_RESIDENTS);
    for (const r of residents.items.slice(0, 5)) {
      expect(r.abilityLevel).toBeTruthy();
      expect(r.latestAssessment?.id).toBe(r.abilityAssessmentId);
      expect(r.riskLevel).toBeTruthy();
      expect(r.carePlan.length).toBeGreaterThan(0);
    }
    await seedInstitutions(s.ctx);
    expect((await api.get(`/api/v1/institutions/${inst.orgId}/bed-board`)).json().stats.beds).toBe(120);
    expect(seedMs).toBeLessThan(20_000);
  });

  it('the district has a second, private home: 康宁护理院 with 60 nursing beds and 40 residents of its own', async () => {
    const bureau = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const homes = (await bureau.get('/api/v1/institutions')).json().items as Array<{ name: string; orgId: string }>;
    expect(homes.map((h) => h.name).sort()).toEqual(['康宁护理院', '福寿养老院'].sort());
    const kn = homes.find((h) => h.name === '康宁护理院');
    expect(kn).toMatchObject({ ownership: 'private', capacity: 60 });
    const board = (await bureau.get(`/api/v1/institutions/${kn?.orgId}/bed-board`)).json();
    expect(board.stats).toMatchObject({ beds: 60, occupied: 40, nursingBeds: 60 });
    // No elder lives in both homes.
    const residents = async (orgId?: string) =>
      (
        (await bureau.get(`/api/v1/institutions/${orgId}/admissions?status=admitted&limit=100`)).json().items as Array<{
          elderId: string;
        }>
      ).map((r) => r.elderId);
    const fs = new Set(await residents(homes.find((h) => h.name === '福寿养老院')?.orgId));
    expect((await residents(kn?.orgId)).filter((id) => fs.has(id))).toEqual([]);
  });
});
