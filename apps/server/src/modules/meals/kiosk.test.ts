import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { elderJobs } from '../elders/elders.jobs.ts';
import { elderQrToken } from '../orders/visits.service.ts';

// The kiosk's fallback lookup (GET /canteens/{id}/elders?q=): QR card, ID number, its last 4,
// phone or name, only among the elders the canteen serves, with no number in the answer.

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let kitchen: Api;
let kitchenB: Api;
let community: Api;
let canteenA: string;
let canteenB: string;
let zhang: { id: string; idNumber: string };
let outsider: { id: string; idNumber: string };

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteenA = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  canteenB = (await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂')).id;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenA })).api;
  kitchenB = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenB })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  expect((await kitchen.put(`/api/v1/canteens/${canteenA}/profile`, { communities: [TREE.communityA1] })).statusCode).toBe(200);
  zhang = await createElder(s.ctx, TREE.communityA1, { name: '张秀英', phone: '13900001111', birthDate: '1940-05-01' });
  await createElder(s.ctx, TREE.communityA1, { name: '张建国' });
  await createElder(s.ctx, TREE.communityA1, { name: '张已故', status: 'deceased' });
  outsider = await createElder(s.ctx, TREE.communityB1, { name: '张桂兰', phone: '13900002222' });
});
afterAll(() => s.close());

const find = (api: Api, q: string, canteen = canteenA) =>
  api.get(`/api/v1/canteens/${canteen}/elders?q=${encodeURIComponent(q)}`);
const names = (res: { json(): { items: Array<{ name: string }> } }) => res.json().items.map((e) => e.name);

describe('kiosk elder lookup', () => {
  it('finds the elder by QR card, ID number, its last 4, phone and name, among the canteen’s elders only', async () => {
    const byQr = await find(kitchen, elderQrToken(s.ctx, zhang.id));
    expect(byQr.statusCode, byQr.body).toBe(200);
    expect(byQr.json().items).toEqual([
      { id: zhang.id, name: '张秀英', sex: 'female', age: expect.any(Number), communityName: expect.any(String) },
    ]);
    expect(JSON.stringify(byQr.json())).not.toContain(zhang.idNumber);
    expect(names(await find(kitchen, zhang.idNumber))).toEqual(['张秀英']);
    expect(names(await find(kitchen, zhang.idNumber.slice(-4)))).toContain('张秀英');
    expect(names(await find(kitchen, '139 0000 1111'))).toEqual(['张秀英']);
    // By name: the deceased elder and the elder of a community the canteen does not serve are left out.
    expect(names(await find(kitchen, '张')).sort()).toEqual(['张建国', '张秀英']);
    expect(names(await find(kitchen, outsider.idNumber))).toEqual([]);
    expect(names(await find(kitchen, elderQrToken(s.ctx, outsider.id)))).toEqual([]);
    expect(names(await find(kitchen, '13900002222'))).toEqual([]);
    expect(names(await find(kitchen, 'ZYQR1.0000000000000000'))).toEqual([]);
  });

  it('finds the elder by the phone’s last 4 once the blind index is filled (the backfill job for older rows)', async () => {
    const byPhoneTail = (api: Api) =>
      api.get(`/api/v1/canteens/${canteenA}/elders?q=1111&by=phoneTail4`).then((r) => {
        expect(r.statusCode, r.body).toBe(200);
        return names(r);
      });
    // These rows were written straight into the table, without the index (as before 0526).
    expect(await byPhoneTail(kitchen)).toEqual([]);
    const job = elderJobs.find((j) => j.name === 'elders.phone-tail-backfill');
    if (!job) throw new Error('no backfill job');
    await runJob(s.ctx, job, {});
    await runJob(s.ctx, job, {}); // a second run finds nothing left to do
    const [{ missing }] = await queryRows<{ missing: string }>(
      s.ctx.db,
      sql`SELECT count(*) missing FROM elders WHERE phone_enc IS NOT NULL AND phone_tail4_hash IS NULL`,
    );
    expect(Number(missing)).toBe(0);
    expect(await byPhoneTail(kitchen)).toEqual(['张秀英']);
    // The outsider's phone ends in 2222: not served by this canteen.
    expect(names(await find(kitchen, '2222'))).toEqual([]);
    // Without `by`, four digits are tried as the ID's and the phone's last 4.
    expect(names(await find(kitchen, '1111'))).toContain('张秀英');
    expect(names(await find(kitchen, zhang.idNumber.slice(-4)))).toContain('张秀英');
    const bad = await kitchen.get(`/api/v1/canteens/${canteenA}/elders?q=1111&by=phone`);
    expect(bad.statusCode).toBe(400);
  });

  it('is audited without what was typed', async () => {
    const rows = await queryRows<{ detail: unknown }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'meal.elder-lookup' AND target_id = ${canteenA}`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(rows)).not.toContain(zhang.idNumber);
    expect(JSON.stringify(rows)).not.toContain('13900001111');
    expect(JSON.stringify(rows)).not.toContain('"1111"');
  });

  it('another canteen’s staff get a 404, staff who do not serve meals a 403; bad input a 400, never a 500', async () => {
    expect((await find(kitchenB, '张')).statusCode).toBe(404);
    // Community staff do not serve meals at all.
    expect((await find(community, '张')).statusCode).toBe(403);
    const empty = await find(kitchen, ' ');
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('problem+json');
    expect((await find(kitchen, 'x'.repeat(61))).statusCode).toBe(400);
    expect((await find(kitchen, "'; DROP TABLE elders; --")).statusCode).toBe(200);
    expect(names(await find(kitchen, '100%_'))).toEqual([]);
  });
});
