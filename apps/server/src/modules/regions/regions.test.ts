import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { regions } from './regions.schema.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

function multipart(filename: string, content: Buffer) {
  const boundary = `----zy${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(token: string, filename: string, content: Buffer) {
  const m = multipart(filename, content);
  return s.app.inject({
    method: 'POST',
    url: '/api/v1/regions/import',
    payload: m.body,
    headers: { authorization: `Bearer ${token}`, 'content-type': m.contentType },
  });
}

const regionCount = async () => (await s.ctx.db.select().from(regions)).length;

describe('regions in scope', () => {
  it('a community worker sees only her community, and another community is a 404', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const list = await api.get('/api/v1/regions?limit=200');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { code: string }) => r.code)).toEqual([TREE.communityA1]);
    expect((await api.get(`/api/v1/regions/${TREE.communityB1}`)).statusCode).toBe(404);
    expect((await api.get(`/api/v1/regions/${TREE.communityA1}`)).statusCode).toBe(200);
  });

  it('answers the total only when asked, for every combination of filters, within the scope', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const list = async (query: string) => {
      const res = await api.get(`/api/v1/regions?${query}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: Array<{ code: string }>; total?: number };
      return { codes: body.items.map((r) => r.code), total: body.total };
    };
    expect(await list('limit=1')).toEqual({ codes: [TREE.streetA], total: undefined });
    expect(await list('limit=1&count=true')).toEqual({ codes: [TREE.streetA], total: 3 });
    expect(await list('limit=1&page=2&count=true')).toEqual({ codes: [TREE.communityA1], total: 3 });
    expect(await list('limit=1&count=false')).toEqual({ codes: [TREE.streetA], total: undefined });
    expect(await list(`parentCode=${TREE.streetA}&count=true`)).toEqual({
      codes: [TREE.communityA1, TREE.communityA2],
      total: 2,
    });
    expect(await list('level=community&count=true')).toEqual({ codes: [TREE.communityA1, TREE.communityA2], total: 2 });
    expect(await list(`q=${encodeURIComponent('甲一')}&count=true`)).toEqual({ codes: [TREE.communityA1], total: 1 });
    expect(await list(`q=${TREE.streetB}&count=true`)).toEqual({ codes: [], total: 0 });
    expect(await list(`q=${TREE.streetA}&level=community&parentCode=${TREE.streetA}`)).toEqual({
      codes: [TREE.communityA1, TREE.communityA2],
      total: undefined,
    });
    const bad = await api.get('/api/v1/regions?count=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.count');
  });

  it('a street worker gets her street as the root of the tree', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const tree = (await api.get('/api/v1/regions/tree')).json().items;
    expect(tree).toHaveLength(1);
    expect(tree[0].code).toBe(TREE.streetA);
    expect(tree[0].children.map((c: { code: string }) => c.code).sort()).toEqual([TREE.communityA1, TREE.communityA2]);
  });

  it('a provider’s staff, choosing the community of a new service site, get the whole tree (names are public)', async () => {
    const org = await createOrg(s.ctx, 'provider', TREE.streetA, '康乐居家养老服务社');
    const { api } = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: org.id });
    const tree = (await api.get('/api/v1/regions/tree')).json().items;
    expect(tree.map((r: { code: string }) => r.code)).toEqual([TREE.district]);
    const streets = tree[0].children.map((c: { code: string }) => c.code).sort();
    expect(streets).toEqual([TREE.streetA, TREE.streetB]);
  });
});

describe('region changes', () => {
  it('derives level and parent from the code, and refuses an orphan or a wrong length', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const created = await api.post('/api/v1/regions', { code: '990101001003', name: '甲三社区', lat: 30.62, lng: 104.02 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ level: 'community', parentCode: TREE.streetA });
    const orphan = await api.post('/api/v1/regions', { code: '990101009001', name: '无父社区' });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors[0].path).toBe('body.code');
    const wrong = await api.post('/api/v1/regions', { code: '9901010011', name: '十位' });
    expect(wrong.statusCode).toBe(400);
    const dup = await api.post('/api/v1/regions', { code: '990101001003', name: '重复' });
    expect(dup.statusCode).toBe(409);
  });

  it('a district admin cannot create a region in another district', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect((await api.post('/api/v1/regions', { code: '880101', name: '别区' })).statusCode).toBe(400);
    expect((await api.post('/api/v1/regions', { code: '880101001', name: '别街' })).statusCode).toBe(400);
  });

  it('will not delete a region that has children', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    expect((await api.delete(`/api/v1/regions/${TREE.streetB}`)).statusCode).toBe(409);
    const leaf = await api.post('/api/v1/regions', { code: '990101002009', name: '临时社区' });
    expect(leaf.statusCode).toBe(201);
    expect((await api.delete('/api/v1/regions/990101002009')).statusCode).toBe(204);
    expect((await api.get('/api/v1/regions/990101002009')).statusCode).toBe(404);
  });
});

describe('region import', () => {
  it('imports a CSV with parents before children and updates existing codes', async () => {
    const { token } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const csv =
      '区划代码,名称,纬度,经度\n770101001001,新社区,30.1,104.1\n770101,新区,30,104\n770101001,新街道,,\n990101001001,甲一社区（改名）,30.61,104.01\n';
    const res = await upload(token, 'regions.csv', Buffer.from(csv));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 3, updated: 1, errors: [] });
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    expect((await api.get('/api/v1/regions/770101001001')).json().parentCode).toBe('770101001');
    expect((await api.get(`/api/v1/regions/${TREE.communityA1}`)).json().name).toBe('甲一社区（改名）');
  });

  it('writes nothing when any row is bad, and says which row and why', async () => {
    const { token } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const before = await regionCount();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('r');
    ws.addRow(['code', 'name', 'lat', 'lng']);
    ws.addRow(['660101', '好区', 30, 104]);
    ws.addRow(['66010100', '坏代码', 30, 104]);
    ws.addRow(['660101001', '', 30, 104]);
    ws.addRow(['660101002', '纬度错', 300, 104]);
    ws.addRow(['660101003', { formula: '1+1' }, null, null]);
    const res = await upload(token, 'regions.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.created).toBe(0);
    expect(body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5, 6]);
    expect(await regionCount()).toBe(before);
  });

  it('refuses a CSV renamed to .xlsx and an unknown file type with a clear 400', async () => {
    const { token } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const renamed = await upload(token, 'regions.xlsx', Buffer.from('code,name\n550101,x\n'));
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().detail).toMatch(/not an Excel workbook/);
    expect((await upload(token, 'regions.pdf', Buffer.from('%PDF'))).statusCode).toBe(400);
    const broken = await upload(token, 'regions.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100, 7)]));
    expect(broken.statusCode).toBe(400);
  });

  it('offers a template that imports cleanly back', async () => {
    const { api, token } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const tpl = await api.get('/api/v1/regions/import-template');
    expect(tpl.statusCode).toBe(200);
    const res = await upload(token, 'template.xlsx', tpl.rawPayload);
    expect(res.json()).toMatchObject({ created: 3, errors: [] });
  });
});
