import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeOf } from '../../gateway/device-gate.ts';
import type { EventIntake } from '../../gateway/intake.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { connectRealtime } from '../../testing/realtime.ts';
import { createDevice, type SafetyServer, startSafetyServer, waitFor } from '../../testing/safety.ts';
import { accountPhone } from '../users/users.phone.ts';
import { users } from '../users/users.schema.ts';

let s: SafetyServer;
let intake: EventIntake;

beforeAll(async () => {
  s = await startSafetyServer({ listen: true });
  await seedTree(s.ctx);
  intake = intakeOf(s.ctx, () => {
    throw new Error('intake exists');
  });
});
afterAll(() => s.close());

let n = 0;
async function send(deviceId: string, type: string, data: Record<string, unknown> = {}) {
  const dev = await intake.device(deviceId);
  if (!dev) throw new Error('no device');
  return intake.submit(
    { deviceId, msgId: `f-${++n}`, type, data, deviceTs: new Date(), receivedAt: new Date(), transport: 'internal' },
    dev,
  );
}

/** A family account bound to `elderId` whose phone is `phone` (a contact of the elder, or not). */
async function familyOf(elderId: string, phone: string | null) {
  const f = await clientAs(s.app, s.ctx, 'family');
  await s.ctx.db
    .update(users)
    .set({ elderId, ...accountPhone(s.ctx.cipher, phone) })
    .where(eq(users.id, f.account.id));
  return f;
}

describe('family safety page API', () => {
  it("shows only the family's own elder: open alarm and who handles it, devices in plain states, notices to this member", async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { name: '郑秀英', livingSituation: 'alone' });
    await addContact(s.ctx, elder.id, { name: '郑小明', relationship: '儿子', phone: '13900001111', callOrder: 1 });
    await addContact(s.ctx, elder.id, { name: '郑小红', relationship: '女儿', phone: '13900002222', callOrder: 2 });
    const son = await familyOf(elder.id, '13900001111');
    const pendant = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    const smoke = await createDevice(s.ctx, { elderId: elder.id, type: 'smoke' });
    const watch = await createDevice(s.ctx, { elderId: elder.id, type: 'watch' });
    await send(pendant.id, 'heartbeat', { battery: 90 });
    await send(smoke.id, 'heartbeat', { battery: 12 });
    await send(watch.id, 'worn', { worn: false });

    expect((await son.api.get('/api/v1/family/elders')).json()).toEqual({ items: [{ id: elder.id, name: '郑秀英' }] });
    let v = (await son.api.get(`/api/v1/family/elders/${elder.id}/safety`)).json();
    expect(v.openAlarms.filter((a: { type: string }) => a.type === 'sos')).toEqual([]);
    const state = Object.fromEntries(v.devices.map((d: { id: string; state: string }) => [d.id, d.state]));
    expect(state).toEqual({ [pendant.id]: 'ok', [smoke.id]: 'low_battery', [watch.id]: 'not_worn' });

    // Live: an SOS reaches the son's page as a "refresh" nudge (no alarm data), and the view shows it.
    const rt = await connectRealtime(s.url, son.token);
    await send(pendant.id, 'sos');
    await waitFor(async () => rt.messages.find((m) => m.type === 'family.safety' && m.data.elderId === elder.id));
    expect(rt.messages.some((m) => m.type.startsWith('alarm.'))).toBe(false);
    v = (await son.api.get(`/api/v1/family/elders/${elder.id}/safety`)).json();
    const sos = v.openAlarms.find((a: { type: string }) => a.type === 'sos');
    expect(sos).toMatchObject({ type: 'sos', priority: 'P1', status: 'raised', handledBy: null });

    // An operator takes it and resolves it; the family sees who handled it, then the outcome.
    const op = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    expect((await op.api.post(`/api/v1/alarms/${sos.id}/acknowledge`)).statusCode).toBe(200);
    v = (await son.api.get(`/api/v1/family/elders/${elder.id}/safety`)).json();
    expect(v.openAlarms.find((a: { id: string }) => a.id === sos.id)).toMatchObject({
      status: 'acknowledged',
      handledBy: op.account.displayName,
    });
    const resolved = await op.api.post(`/api/v1/alarms/${sos.id}/resolve`, { outcome: 'assisted_at_home' });
    expect(resolved.statusCode).toBe(200);
    await waitFor(async () => rt.messages.filter((m) => m.type === 'family.safety').length >= 3);
    v = (await son.api.get(`/api/v1/family/elders/${elder.id}/safety`)).json();
    expect(v.openAlarms.find((a: { id: string }) => a.id === sos.id)).toBeUndefined();
    expect(v.recentAlarms[0]).toMatchObject({ id: sos.id, type: 'sos', outcome: 'assisted_at_home' });
    expect(v.recentAlarms[0].resolvedAt).toBeTruthy();
    // The outcome notice went to both contacts; the son sees only his, in words (no codes).
    expect(v.notices).toHaveLength(1);
    expect(v.notices[0]).toMatchObject({ reason: 'resolved', readAt: null });
    expect(v.notices[0].body).toContain('一键呼救');
    expect(v.notices[0].body).toContain('上门协助');
    expect(v.notices[0].body).not.toMatch(/assisted_at_home|\bsos\b/);
    const all = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM notifications WHERE alarm_id = ${sos.id}`,
    );
    expect(all[0].n).toBe(2);

    // Marked read; the daughter's notice cannot be marked by him (404), and stays unread.
    expect((await son.api.post(`/api/v1/family/notices/${v.notices[0].id}/read`)).statusCode).toBe(204);
    v = (await son.api.get(`/api/v1/family/elders/${elder.id}/safety`)).json();
    expect(v.notices[0].readAt).toBeTruthy();
    const [hers] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`SELECT id FROM notifications WHERE alarm_id = ${sos.id} AND id <> ${v.notices[0].id}`,
    );
    expect((await son.api.post(`/api/v1/family/notices/${hers.id}/read`)).statusCode).toBe(404);
    const [still] = await queryRows<{ read_at: Date | null }>(
      s.ctx.db,
      sql`SELECT read_at FROM notifications WHERE id = ${hers.id}`,
    );
    expect(still.read_at).toBeNull();

    // Reads and the change are audited.
    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE actor_id = ${son.account.id} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['family.safety.read', 'notification.read']));
    rt.close();
  });

  it("another family's elder, staff, an unbound family account: 404, nothing leaks", async () => {
    const mine = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const theirs = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const dev = await createDevice(s.ctx, { elderId: theirs.id, type: 'pendant' });
    const me = await familyOf(mine.id, '13900003333');
    const them = await familyOf(theirs.id, '13900004444');
    const rtMe = await connectRealtime(s.url, me.token);
    const rtThem = await connectRealtime(s.url, them.token);
    await send(dev.id, 'sos');
    await waitFor(async () => rtThem.messages.find((m) => m.type === 'family.safety'));
    expect(rtMe.messages.some((m) => m.type === 'family.safety')).toBe(false);

    const other = await me.api.get(`/api/v1/family/elders/${theirs.id}/safety`);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);

    const unbound = await clientAs(s.app, s.ctx, 'family');
    expect((await unbound.api.get('/api/v1/family/elders')).json()).toEqual({ items: [] });
    expect((await unbound.api.get(`/api/v1/family/elders/${mine.id}/safety`)).statusCode).toBe(404);
    const op = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    expect((await op.api.get(`/api/v1/family/elders/${mine.id}/safety`)).statusCode).toBe(404);
    const elderAccount = await clientAs(s.app, s.ctx, 'elder');
    expect((await elderAccount.api.get(`/api/v1/family/elders/${mine.id}/safety`)).statusCode).toBe(403);
    expect((await me.api.get('/api/v1/family/elders/not-a-uuid/safety')).statusCode).toBe(400);
    rtMe.close();
    rtThem.close();
  });
});
