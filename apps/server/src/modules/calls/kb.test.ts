import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { kbArticles } from './calls.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api; // district admin: kb:write
let streetAAdmin: Api; // district-admin role scoped to street A: kb:write there
let agentA: Api; // operator of street A: call:read, no kb:write
let agentB: Api; // operator of street B
let allowanceId: string;

const titles = (r: { json: () => { items: Array<{ title: string }> } }) => r.json().items.map((a) => a.title);

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetAAdmin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA })).api;
  agentA = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA })).api;
  agentB = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB })).api;
  const a = await bureau.post('/api/v1/kb/articles', {
    title: '高龄津贴',
    body: '年满80周岁的本区户籍老人每月可领取高龄津贴，由社区代为申请。',
    keywords: '补贴 津贴 80岁',
    categoryCode: 'enquiry_allowance',
  });
  expect(a.statusCode, a.body).toBe(201);
  allowanceId = a.json().id;
  expect(a.json()).toMatchObject({ titleInitials: 'gljt', regionCode: TREE.district, active: true });
  const b = await bureau.post('/api/v1/kb/articles', { title: '老年人优待证办理', body: '携带身份证到街道便民服务中心办理。' });
  expect(b.statusCode, b.body).toBe(201);
});
afterAll(() => s.close());

describe('knowledge base (知识库)', () => {
  it('finds an article by the pinyin initials of its title and by keyword in title, keywords or body', async () => {
    expect(titles(await agentA.get('/api/v1/kb/articles?q=gljt'))).toEqual(['高龄津贴']);
    expect(titles(await agentA.get('/api/v1/kb/articles?q=GLJT'))).toEqual(['高龄津贴']);
    expect(titles(await agentA.get(`/api/v1/kb/articles?q=${encodeURIComponent('津贴')}`))).toEqual(['高龄津贴']);
    expect(titles(await agentA.get(`/api/v1/kb/articles?q=${encodeURIComponent('身份证')}`))).toEqual(['老年人优待证办理']);
    expect(titles(await agentA.get(`/api/v1/kb/articles?q=${encodeURIComponent('80岁')}`))).toEqual(['高龄津贴']);
    expect(titles(await agentA.get('/api/v1/kb/articles?q=ydz'))).toEqual(['老年人优待证办理']);
    expect((await agentA.get('/api/v1/kb/articles?q=zzzz')).json()).toEqual({ items: [], total: 0 });
    expect((await agentA.get('/api/v1/kb/articles?q=%25')).json().items).toEqual([]); // a LIKE wildcard is a plain character
    expect(titles(await agentA.get('/api/v1/kb/articles?categoryCode=enquiry_allowance'))).toEqual(['高龄津贴']);
  });

  it("a district article is read in its streets; a street's article only there (and by the district)", async () => {
    const local = await streetAAdmin.post('/api/v1/kb/articles', {
      title: '甲街道助餐点',
      body: '甲街道助餐点在社区服务中心一楼。',
    });
    expect(local.statusCode, local.body).toBe(201);
    expect(local.json()).toMatchObject({ regionCode: TREE.streetA, titleInitials: 'jjdzcd' });
    expect(titles(await agentA.get('/api/v1/kb/articles'))).toContain('甲街道助餐点');
    expect(titles(await agentB.get('/api/v1/kb/articles'))).not.toContain('甲街道助餐点');
    expect(titles(await agentB.get('/api/v1/kb/articles'))).toContain('高龄津贴');
    expect(titles(await bureau.get('/api/v1/kb/articles'))).toContain('甲街道助餐点');
    expect((await agentB.get(`/api/v1/kb/articles/${local.json().id}`)).statusCode).toBe(404);
    expect((await agentA.get(`/api/v1/kb/articles/${local.json().id}`)).statusCode).toBe(200);
    // A street may read the district's article but not change it.
    expect((await streetAAdmin.patch(`/api/v1/kb/articles/${allowanceId}`, { body: '改' })).statusCode).toBe(403);
  });

  it('editing a title recomputes its initials; only kb:write may write', async () => {
    const denied = await agentA.post('/api/v1/kb/articles', { title: '坐席自写', body: '不可' });
    expect(denied.statusCode).toBe(403);
    const created = await bureau.post('/api/v1/kb/articles', { title: '长寿补贴', body: '九十岁以上老人。' });
    expect(created.json().titleInitials).toBe('csbt');
    const edit = await bureau.patch(`/api/v1/kb/articles/${created.json().id}`, { title: '百岁老人长寿补贴' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().titleInitials).toBe('bslrcsbt');
    expect(titles(await agentA.get('/api/v1/kb/articles?q=bslr'))).toEqual(['百岁老人长寿补贴']);
    const [audit] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'kb.update'), eq(auditLog.targetId, created.json().id)));
    expect(audit.detail).toMatchObject({ changed: ['title'] });

    const off = await bureau.patch(`/api/v1/kb/articles/${created.json().id}`, { active: false });
    expect(off.json().active).toBe(false);
    expect(titles(await agentA.get('/api/v1/kb/articles?q=bslr'))).toEqual([]);
    expect(titles(await bureau.get('/api/v1/kb/articles?q=bslr&includeInactive=true'))).toEqual(['百岁老人长寿补贴']);
    const del = await bureau.delete(`/api/v1/kb/articles/${created.json().id}`);
    expect(del.json()).toEqual({ id: created.json().id, removed: 'deleted' });
    expect((await bureau.get(`/api/v1/kb/articles/${created.json().id}`)).statusCode).toBe(404);
  });

  it('bad input is a 400 problem+json and writes nothing', async () => {
    const count = async () => (await s.ctx.db.select().from(kbArticles)).length;
    const before = await count();
    for (const body of [
      { title: '', body: '正文' },
      { title: '标题', body: '' },
      { title: '标题', body: '正文', regionCode: 'abc' },
      { title: '标题', body: '正文', regionCode: TREE.streetB }, // outside the writer's region
      { title: '标题', body: '正文', categoryCode: 'no_such_category' },
      { title: '标题', body: '正文', surprise: true },
    ]) {
      const r = await streetAAdmin.post('/api/v1/kb/articles', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await bureau.patch(`/api/v1/kb/articles/${allowanceId}`, {})).statusCode).toBe(400);
    expect((await agentA.get(`/api/v1/kb/articles?q=${'长'.repeat(51)}`)).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('the article used is linked from the call; an article used by a call is kept, inactive, when removed', async () => {
    const call = await agentA.post('/api/v1/calls', {
      direction: 'inbound',
      number: '13800000123',
      offeredAt: new Date(Date.now() - 60_000).toISOString(),
      outcome: 'answered',
      categoryCode: 'enquiry_allowance',
    });
    expect(call.statusCode, call.body).toBe(201);
    const link = await agentA.post(`/api/v1/calls/${call.json().id}/article`, { articleId: allowanceId });
    expect(link.json()).toMatchObject({ kind: 'article', id: allowanceId, created: true });
    const again = await agentA.post(`/api/v1/calls/${call.json().id}/article`, { articleId: allowanceId });
    expect(again.json().created).toBe(false);
    expect((await agentA.get(`/api/v1/calls/${call.json().id}`)).json()).toMatchObject({
      articleId: allowanceId,
      articleTitle: '高龄津贴',
    });
    const del = await bureau.delete(`/api/v1/kb/articles/${allowanceId}`);
    expect(del.json().removed).toBe('deactivated');
    expect((await agentA.get(`/api/v1/calls/${call.json().id}`)).json().articleTitle).toBe('高龄津贴');
  });
});
