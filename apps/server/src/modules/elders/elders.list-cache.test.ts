import { buildIdNumber, eldersContract } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReadCache } from '../../lib/read-cache.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { testDbKind } from '../../testing/db.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createAccount, seedTree, TEST_PASSWORD, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { httpAs, secondWebProcess } from '../../testing/server-process.ts';
import { sealAll, verifyAuditChain } from '../audit/audit.chain.ts';
import { elders } from './elders.schema.ts';
import { elderListCache } from './elders.service.ts';

// Region staff browsing the archive are answered from pages this process keeps in memory. These
// tests prove that every way the archive can change reaches the list — through the API, SQL
// straight into the table in this process (at once) and, on PostgreSQL, a change made by another
// server process (within a second, the poll's limit) — that scope is never mixed, and that every
// search is still on the audit trail.
const WITHIN_A_SECOND = { timeout: 1_000, interval: 20 };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
});
afterAll(() => s?.close());

type Page = { items: Array<{ id: string; name: string; status: string; regionName: string | null }>; total?: number };
const cache = () => elderListCache(s.ctx);
const searchesBy = async (userId: string) =>
  (
    await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'elder.search' AND actor_id = ${userId}::uuid`,
    )
  )[0].n;

/**
 * Every NOTIFY committed so far has reached this process: a marker published now has come back
 * (one channel, delivered in commit order), so no earlier change can still drop the pages.
 */
async function noticesArrived() {
  const mark = `test.marker-${Math.random()}`;
  const back = new Promise<void>((resolve) => {
    const off = s.ctx.events.onEvent((e) => {
      if (e.type === mark) {
        off();
        resolve();
      }
    });
  });
  await s.ctx.events.publish(s.ctx.db, { type: mark as `test.${string}`, data: {}, audience: {} });
  await back;
}

async function district() {
  const c = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const list = async (q = 'limit=100&count=true') => {
    const res = await c.api.get(`/api/v1/elders?${q}`);
    expect(res.statusCode).toBe(200);
    return res.json() as Page;
  };
  return { ...c, list, names: async () => (await list()).items.map((e) => e.name) };
}

describe('the elder list kept in memory', () => {
  it('answers repeated pages without asking the database, and audits every search', async () => {
    const { account, list } = await district();
    await list(); // the process keeps pages from here on, and so watches its own writes
    await createElder(s.ctx, TREE.communityA1, { name: '缓存一' });
    // Until the write's NOTIFY is back (PostgreSQL: over the listening connection), pages are
    // read from the database and not kept; then a page is kept at its next read.
    await noticesArrived();
    expect(cache().bypassing).toBe(false);
    const first = await list();
    const loads = cache().stats.loads;
    for (let i = 0; i < 5; i++) expect(await list()).toEqual(first);
    expect(cache().stats.loads).toBe(loads);
    expect(await searchesBy(account.id)).toBe(7);
  });

  it('shows a record created, edited and marked deceased through the API on the next read', async () => {
    const { api, list, names } = await district();
    expect(await names()).not.toContain('新建老人');
    const created = await api.post('/api/v1/elders', {
      name: '新建老人',
      idNumber: buildIdNumber('990101', '1938-05-12', 401, 'female'),
      regionCode: TREE.communityA2,
      livingSituation: 'alone',
      categories: [],
    });
    expect(created.statusCode).toBe(201);
    expect(await names()).toContain('新建老人');
    const id = created.json().id;
    expect((await api.patch(`/api/v1/elders/${id}`, { name: '改名老人' })).statusCode).toBe(200);
    expect(await names()).toContain('改名老人');
    expect(await names()).not.toContain('新建老人');
    expect((await api.post(`/api/v1/elders/${id}/status`, { status: 'deceased', date: '2026-11-01' })).statusCode).toBe(200);
    expect((await list()).items.find((e) => e.id === id)?.status).toBe('deceased');
  });

  it("shows this process's SQL straight into the table at once, and nothing of a write rolled back", async () => {
    const { names } = await district();
    expect(await names()).not.toContain('直写老人');
    const row = await createElder(s.ctx, TREE.communityA1, { name: '直写老人' });
    expect(await names()).toContain('直写老人');
    await s.ctx.db.execute(sql`UPDATE elders SET name = '直改老人' WHERE id = ${row.id}`);
    expect(await names()).toContain('直改老人');

    await expect(
      s.ctx.db.transaction(async (tx) => {
        await tx.update(elders).set({ name: '撤回老人' }).where(eq(elders.id, row.id));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await names()).toContain('直改老人');
    expect(await names()).not.toContain('撤回老人');

    await s.ctx.db.delete(elders).where(eq(elders.id, row.id));
    expect(await names()).not.toContain('直改老人');
  });

  it('shows a region renamed on the next read (the regions trigger)', async () => {
    const { list } = await district();
    await createElder(s.ctx, TREE.communityB1, { name: '更名社区老人' });
    const regionOf = async () => (await list()).items.find((e) => e.name === '更名社区老人')?.regionName;
    const before = await regionOf();
    await s.ctx.db.execute(sql`UPDATE regions SET name = '乙一新社区' WHERE code = ${TREE.communityB1}`);
    expect(await regionOf()).toBe('乙一新社区');
    await s.ctx.db.execute(sql`UPDATE regions SET name = ${before} WHERE code = ${TREE.communityB1}`);
    await expect.poll(regionOf, WITHIN_A_SECOND).toBe(before);
  });

  it("keeps each region's pages apart: a street never gets the district's page", async () => {
    await createElder(s.ctx, TREE.communityA1, { name: '甲街老人' });
    await createElder(s.ctx, TREE.communityB1, { name: '乙街老人' });
    const { names } = await district();
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    // The district's page first, so it is the one kept; then the street's, twice (kept too).
    expect(await names()).toEqual(expect.arrayContaining(['甲街老人', '乙街老人']));
    for (let i = 0; i < 2; i++) {
      const page = (await street.api.get('/api/v1/elders?limit=100&count=true')).json() as Page;
      expect(page.items.map((e) => e.name)).toContain('甲街老人');
      expect(page.items.map((e) => e.name)).not.toContain('乙街老人');
      expect(page.total).toBe(page.items.length);
    }
  });

  it("answers each page, kept or not, as the contract's serializer would, byte for byte", async () => {
    const { api } = await district();
    const schema = eldersContract.listElders.responseSchema;
    for (const url of [
      '/api/v1/elders?limit=100&count=true',
      '/api/v1/elders?limit=2&page=2',
      '/api/v1/elders?q=缓存&count=true',
    ]) {
      for (let i = 0; i < 2; i++) {
        const res = await api.get(url);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toBe(JSON.stringify(z.encode(schema, schema.parse(res.json()))));
      }
    }
  });

  it('audits reads that arrive together one row each, and the sealer chains them', async () => {
    const { api, account } = await district();
    const before = await searchesBy(account.id);
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.get('/api/v1/elders?limit=5')));
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    expect(await searchesBy(account.id)).toBe(before + 30);
    await sealAll(s.ctx.db, { block: true });
    expect(await verifyAuditChain(s.ctx.db)).toMatchObject({ ok: true, unsealed: { count: 0 } });
  });
});

describe('the list cache itself', () => {
  it('keeps no answer loaded while the tables changed under it', async () => {
    const c = new ReadCache<string>(10);
    let release = (_v: string) => {};
    const racing = c.get('k', () => new Promise<string>((r) => (release = r)));
    c.invalidate(); // a change arrives while the load runs
    release('old');
    expect(await racing).toBe('old');
    expect(await c.get('k', async () => 'new')).toBe('new');
    expect(await c.get('k', async () => 'not asked')).toBe('new');
  });

  it('goes to the database, keeping nothing, from a write of this process until its NOTIFY', async () => {
    const c = new ReadCache<string>(10);
    expect(await c.get('k', async () => 'before')).toBe('before');
    c.localWrite();
    expect(await c.get('k', async () => 'during')).toBe('during');
    expect(await c.get('k', async () => 'during again')).toBe('during again');
    c.invalidate(); // the NOTIFY of the commit
    expect(await c.get('k', async () => 'after')).toBe('after');
    expect(await c.get('k', async () => 'not asked')).toBe('after');
  });
});

describe.runIf(testDbKind() === 'postgres')('the elder list across two server processes on one PostgreSQL', () => {
  const urlOfB = secondWebProcess(() => s);

  it("shows this process's API write and SQL straight into the table in the other within a second", async () => {
    const admin = await createAccount(s.ctx, 'district_admin', { regionCode: TREE.district });
    const getB = await httpAs(urlOfB(), admin.username, TEST_PASSWORD);
    const namesB = async () => (await getB<Page>('/api/v1/elders?limit=100&count=true')).items.map((e) => e.name);
    // Loaded (and so kept) by process B before each change.
    expect(await namesB()).not.toContain('甲进程老人');
    expect(await namesB()).not.toContain('甲进程老人');

    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const created = await api.post('/api/v1/elders', {
      name: '甲进程老人',
      idNumber: buildIdNumber('990101', '1936-06-06', 402, 'female'),
      regionCode: TREE.communityA1,
      livingSituation: 'alone',
      categories: [],
    });
    expect(created.statusCode).toBe(201);
    await expect.poll(namesB, WITHIN_A_SECOND).toContain('甲进程老人');

    await s.ctx.db.execute(sql`UPDATE elders SET name = '甲进程改名' WHERE id = ${created.json().id}`);
    await expect.poll(namesB, WITHIN_A_SECOND).toContain('甲进程改名');
    await s.ctx.db.execute(sql`DELETE FROM elders WHERE id = ${created.json().id}`);
    await expect.poll(namesB, WITHIN_A_SECOND).not.toContain('甲进程改名');
  });
});
