import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { users } from '../users/users.schema.ts';

// The elder page's SOS button against the real database with the job system running: the same
// P1 a pendant raises, in the operator's queue, with the pendant's cancel window.

type Api = ReturnType<typeof client>;
let s: SafetyServer;
let operator: Api;
let staff: Api;
let n = 0;

async function elderAccount(role: 'elder' | 'family' = 'elder') {
  const e = await createElder(s.ctx, TREE.communityA1, { birthDate: `1939-03-${String(++n).padStart(2, '0')}` });
  const acc = await createAccount(s.ctx, role);
  await s.ctx.db.update(users).set({ elderId: e.id }).where(eq(users.id, acc.id));
  return { elderId: e.id, api: client(s.app, await loginToken(s.app, acc.username)) };
}

const queueOf = async (elderId: string) =>
  ((await operator.get('/api/v1/alarms?limit=100')).json().items as Array<Record<string, unknown>>).filter(
    (a) => a.elderId === elderId,
  );

beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  staff = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
});
afterAll(() => s.close());

describe("the elder page's SOS", () => {
  it("raises a P1 SOS the operator's queue shows; a second press merges into it; both are audited", async () => {
    const { elderId, api } = await elderAccount();
    const r = await api.post('/api/v1/alarms/sos', {});
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ priority: 'P1', status: 'raised', cancelled: false });
    expect(new Date(r.json().cancelUntil).getTime()).toBeGreaterThan(Date.now());
    const queue = await queueOf(elderId);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ id: r.json().alarmId, type: 'sos', priority: 'P1', status: 'raised' });

    const again = await api.post('/api/v1/alarms/sos', {});
    expect(again.json().alarmId).toBe(r.json().alarmId);
    expect(await queueOf(elderId)).toHaveLength(1);
    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${r.json().alarmId} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['alarm.sos', 'alarm.sos']);
  });

  it('cancelled within the window it becomes a cancelled SOS at P3', async () => {
    const { elderId, api } = await elderAccount();
    const r = await api.post('/api/v1/alarms/sos', {});
    const c = await api.post('/api/v1/alarms/sos/cancel', {});
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ alarmId: r.json().alarmId, cancelled: true, priority: 'P3' });
    expect((await queueOf(elderId))[0]).toMatchObject({ type: 'sos_cancelled', priority: 'P3' });
    // Nothing left to cancel.
    expect((await api.post('/api/v1/alarms/sos/cancel', {})).statusCode).toBe(409);
  });

  it("after the elder's cancel window the cancel is only noted: the P1 stays", async () => {
    const { elderId, api } = await elderAccount();
    expect((await staff.put(`/api/v1/safety-rules/${elderId}`, { sosCancelSeconds: 0 })).statusCode).toBe(200);
    const r = await api.post('/api/v1/alarms/sos', {});
    await new Promise((resolve) => setTimeout(resolve, 5)); // past a 0-second window
    const c = await api.post('/api/v1/alarms/sos/cancel', {});
    expect(c.json()).toMatchObject({ alarmId: r.json().alarmId, cancelled: false, priority: 'P1' });
    expect((await queueOf(elderId))[0]).toMatchObject({ type: 'sos', priority: 'P1' });
    const detail = (await operator.get(`/api/v1/alarms/${r.json().alarmId}`)).json();
    expect(JSON.stringify(detail)).toContain('late_cancel');
  });

  it('only an elder account with an archive may press it', async () => {
    const family = await elderAccount('family');
    expect((await family.api.post('/api/v1/alarms/sos', {})).statusCode).toBe(403);
    expect((await operator.post('/api/v1/alarms/sos', {})).statusCode).toBe(403);
    const lone = await createAccount(s.ctx, 'elder');
    const api = client(s.app, await loginToken(s.app, lone.username));
    expect((await api.post('/api/v1/alarms/sos', {})).statusCode).toBe(404);
  });
});
