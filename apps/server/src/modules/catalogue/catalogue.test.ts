import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { serviceItems } from './catalogue.schema.ts';

let s: TestServer;
let bureau: Awaited<ReturnType<typeof clientAs>>['api'];

const item = {
  category: 'comfort',
  name: '读报陪伴',
  unit: 'hour',
  durationMinutes: 60,
  refPriceFen: 2500,
  ceilingPriceFen: 3000,
  points: 25,
};

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
});
afterAll(() => s.close());

const count = async () => (await s.ctx.db.select({ id: serviceItems.id }).from(serviceItems)).length;

describe('catalogue items', () => {
  it('the bureau adds an item (code generated), sees it in the catalogue, and the change is audited', async () => {
    const r = await bureau.post('/api/v1/service-items', item);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ ...item, active: true });
    expect(r.json().code).toMatch(/^item_[0-9a-f]{8}$/);
    const list = (await bureau.get('/api/v1/service-items', undefined)).json();
    expect(list.items.map((i: { name: string }) => i.name)).toContain('读报陪伴');
    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'catalogue.create'), eq(auditLog.targetId, r.json().id)));
    expect(audits[0].detail).toMatchObject({ name: '读报陪伴', refPriceFen: 2500 });

    const edit = await bureau.patch(`/api/v1/service-items/${r.json().id}`, { name: '读报聊天', unit: 'visit', points: 20 });
    expect(edit.json()).toMatchObject({ name: '读报聊天', unit: 'visit', points: 20 });
    const [upd] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'catalogue.update'), eq(auditLog.targetId, r.json().id)));
    expect(upd.detail).toMatchObject({ changed: { name: { from: '读报陪伴', to: '读报聊天' }, points: { from: 25, to: 20 } } });
  });

  it('refuses bad input with a 4xx and adds nothing', async () => {
    const before = await count();
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ ...item, name: '新项目1', ceilingPriceFen: 2000 }, 400], // ceiling below reference
      [{ ...item, name: '新项目2', refPriceFen: 25.5 }, 400], // fractional fen
      [{ ...item, name: '新项目3', category: 'leisure' }, 400], // not a GB/T 43153 category
      [{ ...item, name: '新项目4', unit: 'day' }, 400],
      [{ ...item, name: '新项目5', durationMinutes: 0 }, 400],
      [{ ...item, name: '新项目6', points: -1 }, 400],
      [{ ...item, name: '' }, 400],
      [{ ...item, name: '新项目7', priceYuan: 25 }, 400], // unknown field
      [{ ...item, name: '新项目8', code: 'Bad Code' }, 400],
      [{ ...item, name: '助洁', category: 'daily_care' }, 409], // same name in the category
      [{ ...item, name: '新项目9', code: 'cleaning' }, 409], // code taken
    ];
    for (const [body, status] of cases) {
      const r = await bureau.post('/api/v1/service-items', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect(await count()).toBe(before);
    const provider = (await clientAs(s.app, s.ctx, 'provider_admin')).api;
    expect((await provider.post('/api/v1/service-items', { ...item, name: '服务商自加' })).statusCode).toBe(403);
  });
});
