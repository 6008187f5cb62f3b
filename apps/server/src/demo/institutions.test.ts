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

describe('demo 福寿养老院', () => {
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
});
