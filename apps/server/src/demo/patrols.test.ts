import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedBoundaries } from './boundaries.ts';
import { seedDistrict } from './district.ts';
import { seedPatrols } from './patrols.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedBoundaries(s.ctx);
  await seedPatrols(s.ctx);
});
afterAll(() => s.close());

describe('demo 安防巡查 of 福寿养老院', () => {
  it('two routes, a month of runs mostly complete with some misses, hazards in every state; a re-run adds none', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-institution', 'Demo#Pass2026'));
    const [inst] = (await api.get('/api/v1/institutions')).json().items;
    const routes = (await api.get(`/api/v1/institutions/${inst.orgId}/patrol-routes`)).json();
    expect(routes.items.map((r: { name: string }) => r.name).sort()).toEqual(['夜间安全巡查', '日间安全巡查'].sort());
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() + 8 * 3600_000 - 31 * 86400_000).toISOString().slice(0, 10);
    const runs = (await api.get(`/api/v1/institutions/${inst.orgId}/patrol-runs?from=${from}&to=${today}`)).json()
      .items as Array<{
      status: string;
    }>;
    const by = (st: string) => runs.filter((r) => r.status === st).length;
    expect(runs.length).toBeGreaterThan(110);
    expect(by('complete')).toBeGreaterThan(runs.length * 0.7);
    expect(by('missed')).toBeGreaterThan(0);
    expect(by('late')).toBeGreaterThan(0);
    const hazards = (await api.get(`/api/v1/institutions/${inst.orgId}/patrol-hazards`)).json().items as Array<{
      status: string;
      overdue: boolean;
    }>;
    expect(new Set(hazards.map((h) => h.status))).toEqual(new Set(['open', 'rectified', 'closed']));
    expect(hazards.some((h) => h.overdue)).toBe(true);
    const risk = (await api.get(`/api/v1/institutions/${inst.orgId}/risk`)).json();
    expect(risk.areas.length).toBeGreaterThan(5);
    expect(['red', 'orange', 'yellow']).toContain(risk.colour);
    const map = (await api.get('/api/v1/institution-risk-map')).json();
    expect(map.items[0].lat).not.toBeNull();
    await seedPatrols(s.ctx);
    expect((await api.get(`/api/v1/institutions/${inst.orgId}/patrol-routes`)).json().total).toBe(2);
  });
});
