import { type BoundaryGeometry, checkBoundaryGeometry, pointInBoundary } from '@zhiyang/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elders } from '../modules/elders/elders.schema.ts';
import { regionBoundaries } from '../modules/regions/regions.schema.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedBoundaries } from './boundaries.ts';
import { DEMO_DISTRICT, seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedBoundaries(s.ctx);
  await seedElders(s.ctx);
});
afterAll(() => s.close());

describe('demo boundaries', () => {
  it('outline the district, its 6 streets and 36 communities with valid geometry', async () => {
    const rows = await s.ctx.db.select().from(regionBoundaries);
    expect(rows).toHaveLength(1 + 6 + 36);
    for (const r of rows) expect(checkBoundaryGeometry(r.geometry).ok).toBe(true);
    const streets = rows.filter((r) => r.regionCode.length === 9);
    expect(streets.every((r) => r.geometry.type === 'Polygon')).toBe(true);
    expect(rows.find((r) => r.regionCode === DEMO_DISTRICT.code)?.isDemo).toBe(true);
  });

  it('put every demo elder’s home inside the outline of the elder’s own community', async () => {
    const outlines = new Map<string, BoundaryGeometry>(
      (await s.ctx.db.select().from(regionBoundaries)).map((r) => [r.regionCode, r.geometry]),
    );
    const homes = await s.ctx.db.select({ regionCode: elders.regionCode, lat: elders.lat, lng: elders.lng }).from(elders);
    const placed = homes.filter((h) => h.lat !== null && h.lng !== null);
    const inside = placed.filter((h) => {
      const g = outlines.get(h.regionCode);
      return g && pointInBoundary(h.lat as number, h.lng as number, g);
    });
    expect(placed.length).toBeGreaterThan(2500);
    expect(inside.length).toBe(placed.length);
  });
});
