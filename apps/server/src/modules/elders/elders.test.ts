import { buildIdNumber, idCheckChar } from '@zhiyang/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import type { DomainEvent } from '../../lib/events.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { itemByCode } from '../../testing/service.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { users } from '../users/users.schema.ts';
import { elderJobs } from './elders.jobs.ts';
import { elders } from './elders.schema.ts';
import { backfillElderPrivate } from './private-backfill.ts';

let s: TestServer;
let staff: Awaited<ReturnType<typeof clientAs>>;
let otherStaff: Awaited<ReturnType<typeof clientAs>>;
let seq = 0;

/** What a copy of the database shows of an elder's private columns. */
const storedPrivate = async (id: string) =>
  (
    await queryRows<Record<string, unknown>>(
      s.ctx.db,
      sql`SELECT address, chronic_conditions, allergies, diet_restrictions, notes, private_enc, address_masked
          FROM elders WHERE id = ${id}`,
    )
  )[0];

const newId = (birth = '1942-03-15', sex: 'male' | 'female' = 'female') => buildIdNumber('990101', birth, 100 + ++seq, sex);
const body = (over: Record<string, unknown> = {}) => ({
  name: '张秀英',
  idNumber: newId(),
  phone: '13812345678',
  regionCode: TREE.communityA1,
  address: '锦华路1号3栋2单元',
  livingSituation: 'alone',
  categories: ['dibao'],
  ...over,
});

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  otherStaff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
});
afterAll(() => s.close());

describe('creating a record', () => {
  it('derives birth date and sex from the ID, encrypts at rest and masks in answers', async () => {
    const idNumber = newId('1940-02-29', 'male');
    const res = await staff.api.post('/api/v1/elders', body({ name: '李建国', idNumber }));
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ birthDate: '1940-02-29', sex: 'male', phoneMasked: '138****5678', regionName: '甲一社区' });
    expect(e.idNumberMasked).toBe(`990101********${idNumber.slice(-4)}`);
    const [row] = await s.ctx.db.select().from(elders).where(eq(elders.id, e.id));
    expect(row.idNumberEnc).not.toContain(idNumber);
    expect(row.phoneEnc).not.toContain('13812345678');
    expect(row.namePinyin).toBe('lijianguo');
    expect(row.nameInitials).toBe('ljg');
  });

  it('keeps the address, health notes and notes encrypted at rest, and only the street in clear', async () => {
    const res = await staff.api.post(
      '/api/v1/elders',
      body({
        name: '周玉兰',
        chronicConditions: ['高血压'],
        allergies: ['青霉素'],
        dietRestrictions: ['低盐'],
        notes: '独居，耳背',
      }),
    );
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      address: '锦华路1号3栋2单元',
      chronicConditions: ['高血压'],
      allergies: ['青霉素'],
      dietRestrictions: ['低盐'],
      notes: '独居，耳背',
    });
    // What a copy of the database shows: the clear columns are empty, the box does not read.
    const raw = await storedPrivate(e.id);
    expect(raw).toMatchObject({ address: null, chronic_conditions: [], allergies: [], diet_restrictions: [], notes: null });
    expect(raw.address_masked).toBe('锦华路****');
    for (const clear of ['1号3栋', '高血压', '青霉素', '低盐', '耳背']) expect(String(raw.private_enc)).not.toContain(clear);
    // An edit of one health field keeps the others, and the record reads back whole.
    const edited = await staff.api.patch(`/api/v1/elders/${e.id}`, { allergies: [] });
    expect(edited.json()).toMatchObject({
      address: '锦华路1号3栋2单元',
      chronicConditions: ['高血压'],
      allergies: [],
      notes: '独居，耳背',
    });
    expect((await staff.api.get(`/api/v1/elders/${e.id}`)).json().dietRestrictions).toEqual(['低盐']);
  });

  it('reads a record written before encryption, then the backfill seals it once and clears the plain text', async () => {
    const e = (await staff.api.post('/api/v1/elders', body({ name: '钱桂芝' }))).json();
    // As 0995 found it: everything in the plain columns, no box.
    await s.ctx.db.execute(sql`UPDATE elders SET private_enc = NULL, address_masked = NULL, address = '青松路8号1栋',
      chronic_conditions = ARRAY['糖尿病'], allergies = ARRAY['海鲜'], diet_restrictions = ARRAY['低糖'], notes = '旧档案'
      WHERE id = ${e.id}`);
    const before = (await staff.api.get(`/api/v1/elders/${e.id}`)).json();
    expect(before).toMatchObject({
      address: '青松路8号1栋',
      chronicConditions: ['糖尿病'],
      allergies: ['海鲜'],
      notes: '旧档案',
    });
    const listed = (await staff.api.get('/api/v1/elders?q=钱桂芝')).json().items[0];
    expect(listed.addressMasked).toBe('青松路****');
    const job = elderJobs.find((j) => j.name === 'elders.private-backfill');
    if (!job) throw new Error('no backfill job');
    // Two runs at once and one after: each row is sealed by one of them, the last finds nothing.
    const [a, b] = await Promise.all([backfillElderPrivate(s.ctx, 1), backfillElderPrivate(s.ctx, 1)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    await runJob(s.ctx, job, {});
    expect(await backfillElderPrivate(s.ctx)).toBe(0);
    const raw = await storedPrivate(e.id);
    expect(raw).toMatchObject({ address: null, chronic_conditions: [], allergies: [], diet_restrictions: [], notes: null });
    expect(raw.address_masked).toBe('青松路****');
    expect(JSON.parse(s.ctx.cipher.decrypt(String(raw.private_enc)))).toMatchObject({
      address: '青松路8号1栋',
      allergies: ['海鲜'],
    });
    expect((await staff.api.get(`/api/v1/elders/${e.id}`)).json()).toMatchObject({
      address: '青松路8号1栋',
      chronicConditions: ['糖尿病'],
      dietRestrictions: ['低糖'],
      notes: '旧档案',
    });
    // No elder is left with anything in the plain columns.
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM elders WHERE private_enc IS NULL OR address IS NOT NULL OR notes IS NOT NULL
          OR cardinality(chronic_conditions) + cardinality(allergies) + cardinality(diet_restrictions) > 0`,
    );
    expect(n).toBe(0);
  });

  it.each([
    ['wrong check digit', { idNumber: `${'99010119420315101X'.slice(0, 17)}Y` }, 'body.idNumber'],
    [
      'bad check character',
      (() => {
        const b = '99010119420315123';
        const ok = idCheckChar(b);
        return { idNumber: b + (ok === '0' ? '1' : '0') };
      })(),
      'body.idNumber',
    ],
    [
      'impossible date',
      (() => {
        const b = '99010119420230123';
        return { idNumber: b + idCheckChar(b) };
      })(),
      'body.idNumber',
    ],
    ['birth date disagreeing with the ID', { birthDate: '1942-03-16' }, 'body.birthDate'],
    ['sex disagreeing with the ID', { sex: 'male' }, 'body.sex'],
    ['unknown region', { regionCode: '990101009009' }, 'body.regionCode'],
    ['a street instead of a community', { regionCode: '990101001000' }, 'body.regionCode'],
    ['bad phone', { phone: '12345' }, 'body.phone'],
    ['unknown category', { categories: ['vip'] }, 'body.categories'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_label, over, path) => {
    const before = (await s.ctx.db.select().from(elders)).length;
    const res = await staff.api.post('/api/v1/elders', body(over));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await s.ctx.db.select().from(elders)).length).toBe(before);
  });

  it('refuses a region outside the caller scope and a duplicate ID number', async () => {
    expect((await staff.api.post('/api/v1/elders', body({ regionCode: TREE.communityB1 }))).statusCode).toBe(400);
    const idNumber = newId();
    expect((await staff.api.post('/api/v1/elders', body({ idNumber }))).statusCode).toBe(201);
    const dup = await staff.api.post('/api/v1/elders', body({ idNumber: idNumber.toLowerCase(), name: '王五' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe('body.idNumber');
  });

  it('accepts a passport with explicit birth date and sex', async () => {
    const res = await staff.api.post(
      '/api/v1/elders',
      body({ idType: 'passport', idNumber: 'E12345678', birthDate: '1950-01-02', sex: 'male', name: 'John Smith' }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().age).toBeGreaterThanOrEqual(76);
  });
});

describe('reading and scope', () => {
  it('audits every read and answers 404 outside the region', async () => {
    const e = (await staff.api.post('/api/v1/elders', body())).json();
    const res = await staff.api.get(`/api/v1/elders/${e.id}`);
    expect(res.statusCode).toBe(200);
    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read'), eq(auditLog.targetId, e.id)));
    expect(reads).toHaveLength(1);
    expect(reads[0].actorId).toBe(staff.account.id);
    expect((await otherStaff.api.get(`/api/v1/elders/${e.id}`)).statusCode).toBe(404);
    expect((await otherStaff.api.patch(`/api/v1/elders/${e.id}`, { address: 'x' })).statusCode).toBe(404);
    const provider = await clientAs(s.app, s.ctx, 'provider_admin');
    expect((await provider.api.get(`/api/v1/elders/${e.id}`)).statusCode).toBe(403);
    expect((await provider.api.get(`/api/v1/elders/${e.id}/brief`)).statusCode).toBe(404);
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect((await street.api.get(`/api/v1/elders/${e.id}`)).statusCode).toBe(200);
  });

  it('names the hukou region on the full record, so the profile shows a name and not a code', async () => {
    const e = (await staff.api.post('/api/v1/elders', body({ hukouLocal: true, hukouRegionCode: TREE.district }))).json();
    const res = await staff.api.get(`/api/v1/elders/${e.id}`);
    expect(res.json()).toMatchObject({ hukouLocal: true, hukouRegionCode: TREE.district });
    expect(res.json().hukouRegionName).toEqual(expect.any(String));
    const away = (await staff.api.post('/api/v1/elders', body({ hukouLocal: false, hukouRegionCode: '510104' }))).json();
    expect((await staff.api.get(`/api/v1/elders/${away.id}`)).json().hukouRegionName).toBeNull();
  });

  it('shows a provider the minimum fields of an elder it has an order for, and nothing of others', async () => {
    const e = (await staff.api.post('/api/v1/elders', body({ dietRestrictions: ['低盐'] }))).json();
    const serving = await createOrg(s.ctx, 'provider', TREE.streetA);
    const other = await createOrg(s.ctx, 'provider', TREE.streetA);
    const item = await itemByCode(s.ctx, 'cleaning');
    await s.ctx.db.execute(sql`
      INSERT INTO service_orders (no, elder_id, region_code, item_id, provider_id, channel, status, scheduled_at, duration_minutes, payment)
      VALUES ('T-1', ${e.id}, ${TREE.communityA1}, ${item.id}, ${serving.id}, 'console', 'dispatched', now(), 60, 'self')`);
    const provider = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: serving.id });
    const brief = await provider.api.get(`/api/v1/elders/${e.id}/brief`);
    expect(brief.statusCode).toBe(200);
    expect(brief.json()).toMatchObject({
      name: e.name,
      address: e.address,
      dietRestrictions: ['低盐'],
      phoneMasked: '138****5678',
    });
    expect(brief.json().idNumberMasked).toBeUndefined();
    expect(brief.json().contacts).toBeUndefined();
    const stranger = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: other.id });
    expect((await stranger.api.get(`/api/v1/elders/${e.id}/brief`)).statusCode).toBe(404);
    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read-brief'), eq(auditLog.targetId, e.id)));
    expect(reads).toHaveLength(1);
  });

  it('reveals full values only with the permission, with a reason on the trail', async () => {
    const idNumber = newId();
    const e = (await staff.api.post('/api/v1/elders', body({ idNumber }))).json();
    const res = await staff.api.post(`/api/v1/elders/${e.id}/reveal`, { fields: ['idNumber', 'phone'], reason: '核对身份' });
    expect(res.json()).toMatchObject({ idNumber, phone: '13812345678' });
    const [row] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.reveal'), eq(auditLog.targetId, e.id)));
    expect(row.detail).toEqual({ fields: ['idNumber', 'phone'], reason: '核对身份' });
    expect(JSON.stringify(row.detail)).not.toContain(idNumber);
    const responder = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.communityA1 });
    expect(
      (await responder.api.post(`/api/v1/elders/${e.id}/reveal`, { fields: ['idNumber'], reason: '核对身份' })).statusCode,
    ).toBe(403);
  });
});

describe('search', () => {
  let target: { id: string; idNumber: string };
  beforeAll(async () => {
    target = { idNumber: newId('1938-06-01', 'female'), id: '' };
    const res = await staff.api.post(
      '/api/v1/elders',
      body({
        name: '欧阳秀英',
        idNumber: target.idNumber,
        phone: '13900001111',
        categories: ['tekun'],
        livingSituation: 'empty_nest',
      }),
    );
    target.id = res.json().id;
    await staff.api.post(`/api/v1/elders/${target.id}/contacts`, { name: '欧阳明', relationship: '子女', phone: '13700002222' });
    await createElder(s.ctx, TREE.communityB1, { name: '欧阳秀兰' });
  });

  const ids = async (qs: string, api = staff.api) => {
    const res = await api.get(`/api/v1/elders?${qs}`);
    expect(res.statusCode).toBe(200);
    return res.json().items.map((i: { id: string }) => i.id);
  };

  it.each([
    ['q=oyxy'],
    ['q=ouyangxiuying'],
    ['q=OUYANG'],
    ['q=%E6%AC%A7%E9%98%B3%E7%A7%80%E8%8B%B1'],
    ['q=%E7%A7%80%E8%8B%B1'],
    ['q=13900001111'],
    ['q=13700002222'],
  ])('finds the elder by %s within scope', async (qs) => {
    expect(await ids(qs)).toContain(target.id);
  });

  it('finds by the last 4, 5 and 6 characters and by the full ID number', async () => {
    for (const n of [4, 5, 6, 18]) expect(await ids(`q=${target.idNumber.slice(-n)}`)).toContain(target.id);
  });

  it('filters by category, living situation, age and ability level; never leaks another community', async () => {
    expect(await ids('category=tekun')).toEqual([target.id]);
    expect(await ids('livingSituation=empty_nest&q=oy')).toEqual([target.id]);
    expect(await ids('ageMin=88&ageMax=88&q=oy')).toEqual([target.id]);
    expect(await ids('ageMin=89&q=oy')).toEqual([]);
    expect(await ids('abilityLevel=none&q=oy')).toEqual([target.id]);
    expect(await ids('q=oyxl')).toEqual([]);
    expect(await ids('q=oyxl', otherStaff.api)).toHaveLength(1);
  });

  it('counts exactly up to 1,000 matches and then says there are more', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => {
      const idNumber = buildIdNumber('990101', '1950-01-01', i % 500, i < 500 ? 'male' : 'female');
      return {
        name: '多多',
        idNumberEnc: s.ctx.cipher.encrypt(`${idNumber}${i}`),
        idNumberHash: `bulk-${i}`,
        birthDate: '1950-01-01',
        sex: 'male' as const,
        regionCode: TREE.communityA2,
      };
    });
    await s.ctx.db.insert(elders).values(rows);
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const many = (await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA2}&count=true`)).json();
    expect(many).toMatchObject({ total: 1000, totalCapped: true });
    const few = (await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA1}&count=true`)).json();
    expect(few.totalCapped).toBe(false);
    expect(few.total).toBeLessThan(1000);
    // Every page tells the same total: the last one, one past the end (no rows to carry the count)
    // and a search with no match at all.
    const pages = Math.ceil(few.total / 2);
    const last = (await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA1}&limit=2&page=${pages}&count=true`)).json();
    expect(last).toMatchObject({ total: few.total, totalCapped: false });
    expect(last.items.length).toBe(few.total - (pages - 1) * 2);
    const past = (
      await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA1}&limit=2&page=${pages + 1}&count=true`)
    ).json();
    expect(past).toMatchObject({ items: [], total: few.total, totalCapped: false });
    const pastMany = (await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA2}&limit=50&page=30&count=true`)).json();
    expect(pastMany).toMatchObject({ items: [], total: 1000, totalCapped: true });
    const none = (
      await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA1}&q=${encodeURIComponent('无此人名')}&count=true`)
    ).json();
    expect(none).toMatchObject({ items: [], total: 0, totalCapped: false });
    // Without count=true the page comes without a total (no count query), and the search is still audited.
    const uncounted = (await street.api.get(`/api/v1/elders?regionCode=${TREE.communityA2}&limit=5`)).json();
    expect(uncounted.items).toHaveLength(5);
    expect(uncounted).not.toHaveProperty('total');
    expect(uncounted).not.toHaveProperty('totalCapped');
    const searches = await s.ctx.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.search'), eq(auditLog.actorId, street.account.id)));
    expect(searches.map((r) => r.detail)).toContainEqual(expect.objectContaining({ shown: 5 }));
    expect(searches.map((r) => r.detail)).toContainEqual(expect.objectContaining({ results: 1000 }));
  });

  it('shows masked values in lists', async () => {
    const item = (await staff.api.get(`/api/v1/elders?q=${target.idNumber}`)).json().items[0];
    expect(item.idNumberMasked).toMatch(/^990101\*{8}.{4}$/);
    expect(item.phoneMasked).toBe('139****1111');
    // The street only: the house number, building and unit are on the full record.
    expect(item.addressMasked).toBe('锦华路****');
    expect(JSON.stringify(item)).not.toContain('1号3栋');
    expect((await staff.api.get(`/api/v1/elders/${target.id}`)).json().address).toBe('锦华路1号3栋2单元');
  });
});

describe('status, contacts, family binding and timeline', () => {
  it('publishes elder.status-changed and requires a date of death', async () => {
    const e = (await staff.api.post('/api/v1/elders', body())).json();
    const seen: DomainEvent[] = [];
    const off = s.ctx.events.onEvent((ev) => seen.push(ev));
    expect((await staff.api.post(`/api/v1/elders/${e.id}/status`, { status: 'deceased' })).statusCode).toBe(400);
    const res = await staff.api.post(`/api/v1/elders/${e.id}/status`, { status: 'in_hospital', reason: '肺炎住院' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('in_hospital');
    const back = await staff.api.post(`/api/v1/elders/${e.id}/status`, { status: 'active' });
    expect(back.json().assessmentDue).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    off();
    const changes = seen.filter((ev) => ev.type === 'elder.status-changed');
    expect(changes.map((c) => (c.data as { to: string }).to)).toEqual(['in_hospital', 'active']);
    expect((changes[0].data as { elderId: string }).elderId).toBe(e.id);
    const timeline = (await staff.api.get(`/api/v1/elders/${e.id}/timeline`)).json();
    expect(timeline.items.map((i: { kind: string }) => i.kind)).toEqual(
      expect.arrayContaining(['elder.status-changed', 'elder.created']),
    );
    expect(timeline.items[0].at >= timeline.items[timeline.items.length - 1].at).toBe(true);
  });

  it('keeps contacts in call order', async () => {
    const e = (await staff.api.post('/api/v1/elders', body())).json();
    const url = `/api/v1/elders/${e.id}/contacts`;
    await staff.api.post(url, { name: '儿子', relationship: '子女', phone: '13800000001' });
    await staff.api.post(url, { name: '邻居', relationship: '邻居', phone: '13800000002', holdsKey: true });
    const list = (await staff.api.post(url, { name: '女儿', relationship: '子女', phone: '13800000003', callOrder: 1 })).json();
    expect(list.map((c: { name: string }) => c.name)).toEqual(['女儿', '儿子', '邻居']);
    expect(list.map((c: { callOrder: number }) => c.callOrder)).toEqual([1, 2, 3]);
    expect(list[0].phoneMasked).toBe('138****0003');
    const reordered = (await staff.api.put(`${url}/order`, { ids: [list[2].id, list[0].id, list[1].id] })).json();
    expect(reordered.map((c: { name: string }) => c.name)).toEqual(['邻居', '女儿', '儿子']);
    const after = (await staff.api.delete(`${url}/${list[0].id}`)).json();
    expect(after.map((c: { callOrder: number; name: string }) => `${c.callOrder}${c.name}`)).toEqual(['1邻居', '2儿子']);
    expect((await otherStaff.api.post(url, { name: 'x', relationship: '子女', phone: '13800000009' })).statusCode).toBe(404);
  });

  it('binds a family account only with a single-use invite code', async () => {
    const e = (await staff.api.post('/api/v1/elders', body())).json();
    const fam = await clientAs(s.app, s.ctx, 'family');
    expect((await fam.api.post('/api/v1/family/bind', { code: 'ABCD-EFGH' })).statusCode).toBe(400);
    expect((await fam.api.post(`/api/v1/elders/${e.id}/invite-codes`)).statusCode).toBe(403);
    expect((await otherStaff.api.post(`/api/v1/elders/${e.id}/invite-codes`)).statusCode).toBe(404);
    const { code } = (await staff.api.post(`/api/v1/elders/${e.id}/invite-codes`)).json();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const bound = await fam.api.post('/api/v1/family/bind', { code: code.toLowerCase() });
    expect(bound.json()).toEqual({ elderId: e.id, name: e.name });
    const [u] = await s.ctx.db.select().from(users).where(eq(users.id, fam.account.id));
    expect(u.elderId).toBe(e.id);
    const fam2 = await clientAs(s.app, s.ctx, 'family');
    expect((await fam2.api.post('/api/v1/family/bind', { code })).statusCode).toBe(400);

    // The elder can invite from their own account.
    const elderAcc = await clientAs(s.app, s.ctx, 'elder');
    await s.ctx.db.update(users).set({ elderId: e.id }).where(eq(users.id, elderAcc.account.id));
    expect((await elderAcc.api.post(`/api/v1/elders/${e.id}/invite-codes`)).statusCode).toBe(201);
    const other = (await staff.api.post('/api/v1/elders', body())).json();
    expect((await elderAcc.api.post(`/api/v1/elders/${other.id}/invite-codes`)).statusCode).toBe(404);
  });

  it('updates with the same rules and marks a re-assessment due when disability changes', async () => {
    const e = (await staff.api.post('/api/v1/elders', body())).json();
    expect(e.assessmentDue).toBe(true);
    const bad = await staff.api.patch(`/api/v1/elders/${e.id}`, { birthDate: '1950-01-01' });
    expect(bad.statusCode).toBe(400);
    const ok = await staff.api.patch(`/api/v1/elders/${e.id}`, { dietRestrictions: ['低盐'], disabilityLevel: 2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ dietRestrictions: ['低盐'], disabilityLevel: 2 });
  });
});

describe('OpenAPI', () => {
  it('documents the elder routes', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of [
      '/api/v1/elders',
      '/api/v1/elders/{id}',
      '/api/v1/elders/{id}/contacts',
      '/api/v1/elders/{id}/timeline',
      '/api/v1/family/bind',
    ])
      expect(doc.paths[p]).toBeDefined();
  });
});
