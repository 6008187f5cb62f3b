import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { regions } from '../regions/regions.schema.ts';

// The call log's text search (GET /calls?q=): the elder's name or pinyin, the notes, or a full
// number through the blind index — inside the caller's region only, and on the audit trail.

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let agent: Api; // operator of the test district
let otherDistrictAgent: Api; // operator of another district
let agentUserId: string;
const OTHER = { district: '990102', street: '990102001', community: '990102001001' };

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((c) => c.id).sort();

async function logCall(api: Api, body: Record<string, unknown>) {
  const r = await api.post('/api/v1/calls', {
    direction: 'inbound',
    offeredAt: minutesAgo(10),
    endedAt: minutesAgo(5),
    outcome: 'answered',
    categoryCode: 'comfort',
    ...body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; elderId: string | null };
}

async function search(q: string, api = agent) {
  const r = await api.get(`/api/v1/calls?q=${encodeURIComponent(q)}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

let liu: string; // 刘桂芳's call, from her own phone
let liuBySon: string; // from her son's phone
let zhou: string; // 周建国's call about meals
let unknownCaller: string; // an unknown number, no elder
let outbound: string; // an outbound call to a number
let elsewhere: string; // the same elder name and note words in another district

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  await s.ctx.db.insert(regions).values([
    { code: OTHER.district, parentCode: null, level: 'district', name: '另一区' },
    { code: OTHER.street, parentCode: OTHER.district, level: 'street', name: '丙街道' },
    { code: OTHER.community, parentCode: OTHER.street, level: 'community', name: '丙一社区' },
  ]);
  const a = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  agent = a.api;
  agentUserId = a.account.id;
  otherDistrictAgent = (await clientAs(s.app, s.ctx, 'operator', { regionCode: OTHER.district })).api;

  const e1 = await createElder(s.ctx, TREE.communityA1, { name: '刘桂芳', phone: '13811112222' });
  await addContact(s.ctx, e1.id, { name: '刘小军', relationship: 'child', phone: '13933334444', callOrder: 1 });
  await createElder(s.ctx, TREE.communityB1, { name: '周建国', phone: '13855556666' });
  await createElder(s.ctx, OTHER.community, { name: '刘桂芳', phone: '13877778888' });

  liu = (await logCall(agent, { number: '13811112222', notes: '询问高龄津贴怎么申请' })).id;
  liuBySon = (await logCall(agent, { number: '139-3333-4444', notes: '儿子代为询问' })).id;
  zhou = (await logCall(agent, { number: '13855556666', notes: '想订午餐，助餐点送餐' })).id;
  unknownCaller = (await logCall(agent, { number: '13700001111', notes: '问路，非本区老人' })).id;
  outbound = (await logCall(agent, { direction: 'outbound', number: '02788886666', notes: '回访物业' })).id;
  elsewhere = (await logCall(otherDistrictAgent, { number: '13877778888', notes: '想订午餐' })).id;
});
afterAll(() => s.close());

describe('call log search (q)', () => {
  it("finds calls by the elder's name, including calls from a contact's phone filed under her", async () => {
    expect(ids(await search('刘桂芳'))).toEqual([liu, liuBySon].sort());
    // One character is a name prefix, as in the archive's search.
    expect(ids(await search('周'))).toEqual([zhou]);
  });

  it('finds calls by pinyin initials or full pinyin of the name (the archive’s columns)', async () => {
    expect(ids(await search('lgf'))).toEqual([liu, liuBySon].sort());
    expect(ids(await search('zhoujian'))).toEqual([zhou]);
  });

  it('finds calls by words of the notes, with or without an elder', async () => {
    expect(ids(await search('午餐'))).toEqual([zhou]);
    expect(ids(await search('问路'))).toEqual([unknownCaller]);
    // LIKE wildcards are literal characters, not patterns.
    expect((await search('%')).items).toEqual([]);
  });

  it('finds calls by a full phone number through the blind index: the call’s own number, either end, and the elder’s', async () => {
    // The son's number: the call he made (its caller hash), and — being a contact of 刘桂芳 — her calls.
    expect(ids(await search('13933334444'))).toEqual([liu, liuBySon].sort());
    // An unknown caller is found by the number alone; spaces and dashes as people type them.
    expect(ids(await search('137 0000 1111'))).toEqual([unknownCaller]);
    expect(ids(await search('+86 137-0000-1111'))).toEqual([unknownCaller]);
    // An outbound call by the number dialled (its called hash).
    expect(ids(await search('027-88886666'))).toEqual([outbound]);
    // Part of a number is not a phone search and finds nothing in the encrypted numbers.
    expect((await search('3333')).items).toEqual([]);
  });

  it('no match is an empty page', async () => {
    const r = await search('不存在的人');
    expect(r).toEqual({ items: [], total: 0 });
  });

  it("another district's calls are never returned, and its agent does not see ours", async () => {
    const mine = await search('午餐');
    expect(ids(mine)).not.toContain(elsewhere);
    expect(ids(await search('13877778888'))).toEqual([]);
    expect(ids(await search('刘桂芳', otherDistrictAgent))).toEqual([elsewhere]);
    expect(ids(await search('13933334444', otherDistrictAgent))).toEqual([]);
  });

  it('combines with the other filters', async () => {
    expect(
      ids(await agent.get(`/api/v1/calls?q=${encodeURIComponent('刘桂芳')}&direction=outbound`).then((r) => r.json())),
    ).toEqual([]);
    const r = await agent.get(`/api/v1/calls?q=lgf&agent=${agentUserId}&limit=1`);
    expect(r.json()).toMatchObject({ total: 2 });
    expect(r.json().items).toHaveLength(1);
  });

  it('a search is audited: which filters and how many matched, never the term or a number', async () => {
    // 刘桂芳's own number: her call and her son's call filed under her.
    expect(ids(await search('13811112222'))).toEqual([liu, liuBySon].sort());
    const [row] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.search'), eq(auditLog.actorId, agentUserId)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row).toMatchObject({ targetType: 'call', detail: { filters: ['q'], results: 2 } });
    expect(JSON.stringify(row)).not.toContain('13811112222');
    // A list without a search is not one.
    const before = (await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'call.search'))).length;
    await agent.get('/api/v1/calls?direction=inbound');
    expect((await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'call.search'))).length).toBe(before);
  });

  it('bad input is a 400 problem+json naming q', async () => {
    for (const q of ['', '   ', 'x'.repeat(51), 'a\u0000b']) {
      const r = await agent.get(`/api/v1/calls?q=${encodeURIComponent(q)}`);
      expect(r.statusCode, JSON.stringify(q)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.json().errors)).toContain('q');
    }
  });
});
