import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { regionBoundaries, regions } from './regions.schema.ts';

let s: TestServer;
let fake: Server;
const asked: string[] = [];
beforeAll(async () => {
  // A local stand-in for the 天地图 geocoder: the test never reaches the internet.
  fake = createServer((req, res) => {
    asked.push(req.url ?? '');
    const ds = JSON.parse(new URL(req.url ?? '/', 'http://x').searchParams.get('ds') ?? '{}') as { keyWord?: string };
    res.setHeader('content-type', 'application/json');
    if (ds.keyWord?.includes('甲一')) {
      res.end(
        JSON.stringify({
          status: '0',
          msg: 'ok',
          location: { lon: 104.0123456789, lat: 30.6112345678, keyWord: ds.keyWord, level: '门址' },
        }),
      );
    } else res.end(JSON.stringify({ status: '101', msg: '结果为空' }));
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as AddressInfo).port;
  s = await startTestServer({
    config: { geocoder: 'tianditu', geocoderKey: 'server-key', geocoderUrl: `http://127.0.0.1:${port}/geocoder` },
  });
  await seedTree(s.ctx);
});
afterAll(async () => {
  await s.close();
  await new Promise((r) => fake.close(r));
});

/** A closed square ring around (lat, lng), [lng, lat] order as GeoJSON wants. */
const square = (lat: number, lng: number, d = 0.005) => [
  [
    [lng - d, lat - d],
    [lng + d, lat - d],
    [lng + d, lat + d],
    [lng - d, lat + d],
    [lng - d, lat - d],
  ],
];
const polygon = (lat: number, lng: number) => ({ type: 'Polygon', coordinates: square(lat, lng) });
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const stored = async () =>
  (await s.ctx.db.select({ code: regionBoundaries.regionCode }).from(regionBoundaries)).map((r) => r.code).sort();

describe('region boundaries', () => {
  it('a district admin sets, replaces and removes one community outline; each change is audited', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const put = await api.put(`/api/v1/regions/${TREE.communityA1}/boundary`, { geometry: polygon(30.61, 104.01) });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ code: TREE.communityA1, vertices: 5 });
    const again = await api.put(`/api/v1/regions/${TREE.communityA1}/boundary`, {
      geometry: { type: 'MultiPolygon', coordinates: [square(30.61, 104.01), square(30.63, 104.03, 0.001)] },
    });
    expect(again.json().vertices).toBe(10);
    const fc = (await api.get(`/api/v1/regions/boundaries?within=${TREE.communityA1}`)).json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].properties).toMatchObject({ code: TREE.communityA1, name: '甲一社区', level: 'community' });
    expect(fc.features[0].geometry.type).toBe('MultiPolygon');
    const actions = await s.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, TREE.communityA1));
    expect(actions.filter((a) => a.action === 'region.boundary.set')).toHaveLength(2);

    expect((await api.delete(`/api/v1/regions/${TREE.communityA1}/boundary`)).statusCode).toBe(204);
    expect(await stored()).not.toContain(TREE.communityA1);
    expect((await api.delete(`/api/v1/regions/${TREE.communityA1}/boundary`)).statusCode).toBe(404);
  });

  it.each([
    ['a point', { type: 'Point', coordinates: [104, 30.6] }, 'geometry.type'],
    [
      'an open ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104.1, 30.1],
            [104, 30.1],
          ],
        ],
      },
      'coordinates[0]',
    ],
    [
      'swapped latitude and longitude',
      {
        type: 'Polygon',
        coordinates: [
          [
            [30, 104],
            [30.1, 104],
            [30.1, 104.1],
            [30, 104],
          ],
        ],
      },
      '[0][0]',
    ],
    [
      'too few positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104, 30],
          ],
        ],
      },
      'coordinates[0]',
    ],
    [
      'text for a number',
      {
        type: 'Polygon',
        coordinates: [
          [
            ['104', 30],
            [104.1, 30],
            [104.1, 30.1],
            ['104', 30],
          ],
        ],
      },
      '[0][0]',
    ],
    ['nothing', null, 'geometry'],
  ])('refuses %s with a 422 naming the place, and keeps the old outline', async (_what, geometry, where) => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    await api.put(`/api/v1/regions/${TREE.communityA2}/boundary`, { geometry: polygon(30.62, 104.02) });
    const res = await api.put(`/api/v1/regions/${TREE.communityA2}/boundary`, { geometry });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('invalid-geometry');
    expect(body.errors[0].path).toContain(where);
    const fc = (await api.get(`/api/v1/regions/boundaries?within=${TREE.communityA2}`)).json();
    expect(fc.features[0].geometry.coordinates).toEqual(square(30.62, 104.02));
  });

  it('refuses an outline over the vertex limit and a body over the size limit', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const ring = Array.from({ length: 20_001 }, (_, i) => [104 + Math.cos(i / 3000) * 0.01, 30.6 + Math.sin(i / 3000) * 0.01]);
    ring.push(ring[0]);
    const many = await api.put(`/api/v1/regions/${TREE.streetB}/boundary`, {
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    expect(many.statusCode).toBe(422);
    expect(many.json().errors[0].message).toContain('顶点过多');
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const big = await api.put(`/api/v1/regions/${TREE.streetB}/boundary`, {
      geometry: { type: 'Polygon', coordinates: [], pad: huge },
    });
    expect(big.statusCode).toBe(413);
    expect(await stored()).not.toContain(TREE.streetB);
  });

  it('imports a FeatureCollection by code and by name, all or nothing', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await stored();
    const bad = await api.post('/api/v1/regions/boundaries/import', {
      type: 'FeatureCollection',
      features: [
        feature({ code: TREE.streetA }, polygon(30.6, 104)),
        feature({ name: '乙一社区' }, polygon(30.5, 104.1)),
        feature({ name: '不存在社区' }, polygon(30.5, 104.2)),
        feature(
          { 区划代码: TREE.communityA2 },
          {
            type: 'Polygon',
            coordinates: [
              [
                [104, 30],
                [104.1, 30],
                [104, 30.1],
                [104.2, 30.2],
              ],
            ],
          },
        ),
      ],
    });
    expect(bad.statusCode).toBe(422);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['body.features[2]', 'body.features[3].geometry.coordinates[0]']);
    expect(await stored()).toEqual(before);

    const good = await api.post('/api/v1/regions/boundaries/import', {
      type: 'FeatureCollection',
      name: 'district outlines',
      features: [
        feature({ code: TREE.streetA, extra: 1 }, polygon(30.6, 104)),
        { ...feature({ 名称: '乙一社区' }, polygon(30.5, 104.1)), id: 'x' },
        { type: 'Feature', id: Number(TREE.communityA1), properties: null, geometry: polygon(30.61, 104.01) },
      ],
    });
    expect(good.statusCode).toBe(200);
    expect(good.json().updated).toBe(3);
    expect(good.json().matched.map((m: { code: string; by: string }) => `${m.code}:${m.by}`)).toEqual([
      `${TREE.streetA}:code`,
      `${TREE.communityB1}:name`,
      `${TREE.communityA1}:code`,
    ]);
    expect(await stored()).toEqual(expect.arrayContaining([TREE.streetA, TREE.communityB1, TREE.communityA1]));
    const [entry] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'region.boundary.import'))
      .orderBy(auditLog.at);
    expect(entry).toBeTruthy();
  });

  it('refuses the same region twice and a feature that names none', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await api.post('/api/v1/regions/boundaries/import', {
      type: 'FeatureCollection',
      features: [
        feature({ code: TREE.streetB }, polygon(30.5, 104)),
        feature({ name: '乙街道' }, polygon(30.5, 104)),
        feature({ colour: 'red' }, polygon(30.5, 104)),
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.features[1]', 'body.features[2]']);
    expect(await stored()).not.toContain(TREE.streetB);
  });

  it('street staff see only their street’s outlines and may not change any; another street is a 404 for a writer', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    await admin.api.put(`/api/v1/regions/${TREE.communityB1}/boundary`, { geometry: polygon(30.5, 104.1) });
    await admin.api.put(`/api/v1/regions/${TREE.communityA1}/boundary`, { geometry: polygon(30.61, 104.01) });
    const staff = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const codes = (await staff.api.get('/api/v1/regions/boundaries')).json().features.map((f: { id: string }) => f.id);
    expect(codes).toContain(TREE.communityA1);
    expect(codes.every((c: string) => c.startsWith(TREE.streetA))).toBe(true);
    expect((await staff.api.put(`/api/v1/regions/${TREE.communityA1}/boundary`, { geometry: polygon(30, 104) })).statusCode).toBe(
      403,
    );

    // A district admin of another district cannot reach this one's regions, by code or by name.
    await s.ctx.db
      .insert(regions)
      .values({ code: '990102', parentCode: null, level: 'district', name: '邻区' })
      .onConflictDoNothing();
    const other = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: '990102' });
    expect((await other.api.put(`/api/v1/regions/${TREE.communityA1}/boundary`, { geometry: polygon(30, 104) })).statusCode).toBe(
      404,
    );
    const byName = await other.api.post('/api/v1/regions/boundaries/import', {
      type: 'FeatureCollection',
      features: [feature({ name: '甲一社区' }, polygon(30, 104))],
    });
    expect(byName.statusCode).toBe(422);
    expect((await other.api.get('/api/v1/regions/boundaries')).json().features).toEqual([]);
  });

  it('deleting a region removes its outline with it', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect((await api.post('/api/v1/regions', { code: '990101002009', name: '乙九社区' })).statusCode).toBe(201);
    await api.put('/api/v1/regions/990101002009/boundary', { geometry: polygon(30.5, 104.3) });
    expect(await stored()).toContain('990101002009');
    expect((await api.delete('/api/v1/regions/990101002009')).statusCode).toBe(204);
    expect(await stored()).not.toContain('990101002009');
  });
});

describe('map settings and address lookup', () => {
  it('says which geocoder answers but never its key, and finds an address through it in WGS-84 with 6 decimals', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const settings = (await api.get('/api/v1/map/settings')).json();
    expect(settings).toMatchObject({ tileUrl: null, geocoder: 'tianditu', subdomains: 'abc' });
    expect(JSON.stringify(settings)).not.toContain('server-key');

    const hit = await api.get(`/api/v1/map/geocode?address=${encodeURIComponent('甲一社区锦华路46号')}`);
    expect(hit.statusCode).toBe(200);
    expect(hit.json().results).toEqual([{ lat: 30.611235, lng: 104.012346, label: '甲一社区锦华路46号 · 门址' }]);
    const last = new URL(asked.at(-1) ?? '', 'http://x');
    expect(last.searchParams.get('tk')).toBe('server-key');
    expect(JSON.parse(last.searchParams.get('ds') ?? '{}')).toEqual({ keyWord: '甲一社区锦华路46号' });

    const miss = await api.get(`/api/v1/map/geocode?address=${encodeURIComponent('无此地址')}`);
    expect(miss.json().results).toEqual([]);
    expect((await api.get('/api/v1/map/geocode?address=x')).statusCode).toBe(400);
  });

  it('answers 409 geocoder-unavailable when none is configured', async () => {
    const none = await startTestServer({ database: undefined });
    try {
      const { api } = await clientAs(none.app, none.ctx, 'district_admin', { regionCode: null });
      expect((await api.get('/api/v1/map/settings')).json().geocoder).toBe('none');
      const res = await api.get(`/api/v1/map/geocode?address=${encodeURIComponent('锦华路46号')}`);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('geocoder-unavailable');
    } finally {
      await none.close();
    }
  });

  it('fills the tile key into the templates the browser gets; a geocoder that is down is a 502', async () => {
    const tiles = await startTestServer({
      config: {
        geocoder: 'tianditu',
        geocoderKey: 'k',
        geocoderUrl: 'http://127.0.0.1:9/geocoder',
        mapTileUrl: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
        mapLabelTileUrl: 'https://t{s}.tianditu.gov.cn/cva_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
        mapTileKey: 'browser-key',
        mapTileSubdomains: '01234567',
        mapTileAttribution: '© 天地图',
      },
    });
    try {
      const { api } = await clientAs(tiles.app, tiles.ctx, 'district_admin', { regionCode: null });
      const res = await api.get('/api/v1/map/settings');
      expect(res.json()).toMatchObject({
        tileUrl: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=browser-key',
        labelTileUrl: 'https://t{s}.tianditu.gov.cn/cva_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=browser-key',
        subdomains: '01234567',
        attribution: '© 天地图',
        geocoder: 'tianditu',
      });
      const down = await api.get(`/api/v1/map/geocode?address=${encodeURIComponent('锦华路46号')}`);
      expect(down.statusCode).toBe(502);
      expect(down.json().code).toBe('geocoder-failed');
      expect(down.body).not.toContain('锦华路');
      // The pages' policy lets the map load 天地图's tiles (JSON answers carry the data policy).
      const page = await tiles.app.inject({ method: 'GET', url: '/api/docs/' });
      expect(page.headers['content-security-policy']).toContain('img-src');
      expect(page.headers['content-security-policy']).toContain('https://*.tianditu.gov.cn');
    } finally {
      await tiles.close();
    }
  });
});
