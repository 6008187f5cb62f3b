import { regionsContract } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testDbKind } from '../../testing/db.ts';
import { clientAs, createAccount, seedTree, TEST_PASSWORD, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { httpAs, secondWebProcess } from '../../testing/server-process.ts';
import { regionCacheFor } from './regions.cache.ts';

// The region list is held in memory; these tests prove every way the table can change reaches
// it: the API, SQL typed straight into the table (the statement trigger's NOTIFY), and — on
// PostgreSQL — a change made by another server process. "Within a second" is the poll's limit.
const WITHIN_A_SECOND = { timeout: 1_000, interval: 20 };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
});
afterAll(() => s?.close());

type List = { items: Array<{ code: string; name: string }> };
const cache = () => regionCacheFor(s.ctx.events);

describe('the region list in memory', () => {
  it('answers repeated reads without asking the database again', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    await api.get('/api/v1/regions?limit=200');
    const loads = cache().stats.loads;
    const hits = cache().stats.hits;
    for (let i = 0; i < 5; i++) expect((await api.get('/api/v1/regions?limit=200')).statusCode).toBe(200);
    expect((await api.get('/api/v1/regions/tree')).statusCode).toBe(200);
    expect(cache().stats.loads).toBe(loads);
    expect(cache().stats.hits).toBeGreaterThanOrEqual(hits + 6);
  });

  it('builds a page and the tree once and sends the kept bytes until the regions change', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const tree = async () => JSON.stringify((await api.get('/api/v1/regions/tree')).json());
    const first = await api.get('/api/v1/regions?limit=200');
    const treeBefore = await tree();
    const kept = cache().stats.derivedHits;
    const again = await api.get('/api/v1/regions?limit=200');
    expect(again.body).toBe(first.body);
    expect(await tree()).toBe(treeBefore);
    expect(cache().stats.derivedHits).toBe(kept + 2);

    expect((await api.post('/api/v1/regions', { code: '990101001007', name: '新建社区' })).statusCode).toBe(201);
    const after = await api.get('/api/v1/regions?limit=200');
    expect(after.body).not.toBe(first.body);
    expect(after.json().items.map((r: { code: string }) => r.code)).toContain('990101001007');
    expect(await tree()).toContain('新建社区');
    expect((await api.delete('/api/v1/regions/990101001007')).statusCode).toBe(204);
    expect(await tree()).not.toContain('新建社区');
  });

  it("answers each page as the contract's serializer would, byte for byte", async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const schema = regionsContract.listRegions.responseSchema;
    const pages = [
      [api, '/api/v1/regions?limit=200'],
      [api, '/api/v1/regions?limit=2&page=2&count=true'],
      [api, `/api/v1/regions?parentCode=${TREE.streetA}&count=true`],
      [api, '/api/v1/regions?q=nothing-like-this&count=true'],
      [street.api, '/api/v1/regions?limit=200'],
    ] as const;
    for (const [client, url] of pages) {
      for (let i = 0; i < 2; i++) {
        const res = await client.get(url);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toBe(JSON.stringify(z.encode(schema, schema.parse(res.json()))));
      }
    }
    const page = (await api.get('/api/v1/regions?limit=2&page=2&count=true')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect(
      (await street.api.get('/api/v1/regions?limit=200'))
        .json()
        .items.every((r: { code: string }) => r.code.startsWith(TREE.streetA)),
    ).toBe(true);
  });

  it('shows a region created, renamed and deleted through the API on the next read', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const codes = async () => ((await api.get('/api/v1/regions?limit=200')).json() as List).items.map((r) => r.code);
    expect(await codes()).not.toContain('990101001009');
    expect((await api.post('/api/v1/regions', { code: '990101001009', name: '缓存社区' })).statusCode).toBe(201);
    expect(await codes()).toContain('990101001009');
    expect((await api.patch('/api/v1/regions/990101001009', { name: '改名社区' })).statusCode).toBe(200);
    const named = ((await api.get('/api/v1/regions?limit=200&q=改名')).json() as List).items;
    expect(named.map((r) => r.code)).toEqual(['990101001009']);
    expect((await api.delete('/api/v1/regions/990101001009')).statusCode).toBe(204);
    expect(await codes()).not.toContain('990101001009');
  });

  it('sees SQL written straight into the table within a second (the statement trigger)', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const list = async () => ((await api.get('/api/v1/regions?limit=200')).json() as List).items;
    const codes = async () => (await list()).map((r) => r.code);
    expect(await codes()).not.toContain('990101001008');
    expect(cache().loaded).toBe(true);

    await s.ctx.db.execute(
      sql`INSERT INTO regions (code, parent_code, level, name) VALUES ('990101001008', ${TREE.streetA}, 'community', '直写社区')`,
    );
    await expect.poll(codes, WITHIN_A_SECOND).toContain('990101001008');

    await s.ctx.db.execute(sql`UPDATE regions SET name = '直改社区' WHERE code = '990101001008'`);
    await expect.poll(async () => (await list()).find((r) => r.code === '990101001008')?.name, WITHIN_A_SECOND).toBe('直改社区');

    await s.ctx.db.execute(sql`DELETE FROM regions WHERE code = '990101001008'`);
    await expect.poll(codes, WITHIN_A_SECOND).not.toContain('990101001008');
  });

  it('keeps no list loaded while the table changed under it (a racing load is not stored)', async () => {
    const c = cache();
    c.invalidate();
    let release = () => {};
    const load = c.all(() => new Promise<never[]>((r) => (release = () => r([]))));
    c.invalidate(); // a change arrives while the load runs
    release();
    await load;
    expect(c.loaded).toBe(false);
  });

  it('does not keep a value built from rows a change has since replaced', async () => {
    const c = cache();
    c.invalidate();
    const rows = await c.all(async () => []);
    c.invalidate(); // a change arrives while a request still holds the old rows
    expect(c.derive('page', rows, () => 'old')).toBe('old');
    const current = await c.all(async () => []);
    expect(c.derive('page', current, () => 'new')).toBe('new');
    expect(c.derive('page', current, () => 'not asked')).toBe('new');
  });
});

describe.runIf(testDbKind() === 'postgres')('the region list across two server processes on one PostgreSQL', () => {
  const urlOfB = secondWebProcess(() => s);

  it("shows another process's API write and SQL straight into the table within a second", async () => {
    const admin = await createAccount(s.ctx, 'district_admin', { regionCode: null });
    const getB = await httpAs(urlOfB(), admin.username, TEST_PASSWORD);
    const codesB = async () => (await getB<List>('/api/v1/regions?limit=200')).items.map((r) => r.code);
    // Loaded (and so held) by process B before each change.
    expect(await codesB()).not.toContain('990101002007');
    expect(await codesB()).not.toContain('990101002007');

    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    expect((await api.post('/api/v1/regions', { code: '990101002007', name: '甲进程社区' })).statusCode).toBe(201);
    await expect.poll(codesB, WITHIN_A_SECOND).toContain('990101002007');

    await s.ctx.db.execute(
      sql`INSERT INTO regions (code, parent_code, level, name) VALUES ('990101002006', ${TREE.streetB}, 'community', '直写社区')`,
    );
    await expect.poll(codesB, WITHIN_A_SECOND).toContain('990101002006');
    await s.ctx.db.execute(sql`DELETE FROM regions WHERE code IN ('990101002006', '990101002007')`);
    await expect.poll(codesB, WITHIN_A_SECOND).not.toContain('990101002006');
  });
});
