import { TECHNICAL_ALARM_TYPES } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeOf } from '../../gateway/device-gate.ts';
import type { EventIntake } from '../../gateway/intake.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { connectRealtime } from '../../testing/realtime.ts';
import { createDevice, type SafetyServer, startSafetyServer, waitFor } from '../../testing/safety.ts';
import { checkInactivity, checkNotWorn, checkOffline, MASS_OFFLINE_THRESHOLD } from './alarms.jobs.ts';

let s: SafetyServer;
let intake: EventIntake;
let elder: Awaited<ReturnType<typeof createElder>>;
let op1: Awaited<ReturnType<typeof clientAs>>;
let op2: Awaited<ReturnType<typeof clientAs>>;

beforeAll(async () => {
  s = await startSafetyServer({ listen: true, config: { alarmAckSeconds: 1, alarmContactsSeconds: 1 } });
  await seedTree(s.ctx);
  intake = intakeOf(s.ctx, () => {
    throw new Error('intake exists');
  });
  elder = await createElder(s.ctx, TREE.communityA1, {
    livingSituation: 'alone',
    lat: 30.61,
    lng: 104.01,
    address: '甲一社区 3 栋 2 单元 401',
  });
  await addContact(s.ctx, elder.id, { name: '张二', relationship: 'son', phone: '13800000002', callOrder: 2 });
  await addContact(s.ctx, elder.id, {
    name: '张一',
    relationship: 'daughter',
    phone: '13800000001',
    callOrder: 1,
    holdsKey: true,
  });
  op1 = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  op2 = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
});
afterAll(() => s.close());

let n = 0;
/** Send an event as a device would (through the shared intake, as MQTT and HTTP do). */
async function send(deviceId: string, type: string, data: Record<string, unknown> = {}, msgId = `a-${++n}`) {
  const dev = await intake.device(deviceId);
  if (!dev) throw new Error('no device');
  return intake.submit({ deviceId, msgId, type, data, deviceTs: new Date(), receivedAt: new Date(), transport: 'internal' }, dev);
}
const openAlarms = (deviceId: string) =>
  queryRows<{ id: string; type: string; priority: string; event_count: number; status: string }>(
    s.ctx.db,
    sql`SELECT id, type, priority, event_count, status FROM alarms WHERE device_id = ${deviceId} AND open ORDER BY raised_at`,
  );

describe('alarm rules', () => {
  it('an SOS reaches every operator over the WebSocket at once; repeats merge into one alarm with a count', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    const rt = await connectRealtime(s.url, op1.token);
    const other = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    const rtOther = await connectRealtime(s.url, other.token);
    await send(dev.id, 'sos');
    const raised = await waitFor(async () => rt.messages.find((m) => m.type === 'alarm.raised' && m.data.deviceId === dev.id));
    expect(raised.data).toMatchObject({
      type: 'sos',
      priority: 'P1',
      status: 'raised',
      elderId: elder.id,
      elderName: elder.name,
    });
    await send(dev.id, 'sos');
    await send(dev.id, 'sos');
    const list = await openAlarms(dev.id);
    expect(list).toHaveLength(1);
    expect(list[0].event_count).toBe(3);
    await waitFor(async () => rt.messages.filter((m) => m.type === 'alarm.updated' && m.data.deviceId === dev.id).length >= 2);
    expect(rtOther.messages.some((m) => m.type.startsWith('alarm.'))).toBe(false); // other community: nothing
    rt.close();
    rtOther.close();
  });

  it('a cancel within 30 s turns the SOS into a P3 "cancelled SOS — call back"; a new SOS restores P1', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'watch' });
    await send(dev.id, 'sos');
    await send(dev.id, 'sos_cancel');
    let [a] = await openAlarms(dev.id);
    expect(a).toMatchObject({ type: 'sos_cancelled', priority: 'P3', status: 'raised' });
    await send(dev.id, 'sos');
    [a] = await openAlarms(dev.id);
    expect(a).toMatchObject({ type: 'sos', priority: 'P1', event_count: 2 });
  });

  it('fall, smoke and gas alarm at once; a disabled device is kept but raises nothing', async () => {
    for (const [type, devType] of [
      ['fall', 'fall_radar'],
      ['smoke', 'smoke'],
      ['gas', 'gas'],
    ] as const) {
      const dev = await createDevice(s.ctx, { elderId: elder.id, type: devType });
      await send(dev.id, type);
      expect((await openAlarms(dev.id))[0]).toMatchObject({ type, priority: 'P1' });
    }
  });

  it('vitals alarm only after N consecutive out-of-range readings, critical only if all are critical', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'watch' });
    await send(dev.id, 'vitals', { heartRate: 140 });
    await send(dev.id, 'vitals', { heartRate: 72 });
    await send(dev.id, 'vitals', { heartRate: 141 });
    await send(dev.id, 'vitals', { heartRate: 120 });
    expect(await openAlarms(dev.id)).toHaveLength(0);
    await send(dev.id, 'vitals', { heartRate: 142 });
    expect((await openAlarms(dev.id))[0]).toMatchObject({ type: 'vitals_warning', priority: 'P2' });
    await send(dev.id, 'vitals', { heartRate: 145, spo2: 85 });
    await send(dev.id, 'vitals', { heartRate: 150 });
    expect(await openAlarms(dev.id)).toHaveLength(1);
    expect((await openAlarms(dev.id))[0]).toMatchObject({ type: 'vitals_critical', priority: 'P1' });
  });

  it('per-elder overrides: geofence radius; low battery; watch leaving the geofence', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'watch' });
    await s.ctx.db.execute(
      sql`INSERT INTO safety_rule_overrides (elder_id, rules) VALUES (${elder.id}, ${JSON.stringify({ geofence: { radiusM: 300 } })}::jsonb)`,
    );
    await send(dev.id, 'location', { lat: 30.611, lng: 104.011 }); // ~150 m
    expect(await openAlarms(dev.id)).toHaveLength(0);
    await send(dev.id, 'location', { lat: 30.62, lng: 104.01 }); // ~1 km
    expect((await openAlarms(dev.id))[0]).toMatchObject({ type: 'geofence_exit', priority: 'P2' });
    await send(dev.id, 'heartbeat', { battery: 12 });
    expect((await openAlarms(dev.id)).map((a) => a.type)).toContain('battery_low');
    await s.ctx.db.execute(sql`DELETE FROM safety_rule_overrides WHERE elder_id = ${elder.id}`);
  });

  it('an outage (many devices of one street dropping at once) is one alarm with the count, not one per device', async () => {
    const outage = await createElder(s.ctx, TREE.communityB1, { livingSituation: 'alone' });
    const devices = [];
    for (let i = 0; i < MASS_OFFLINE_THRESHOLD; i++)
      devices.push(await createDevice(s.ctx, { elderId: outage.id, type: 'smoke' }));
    const ids = devices.map((d) => d.id);
    await s.ctx.db.execute(sql`UPDATE devices SET online = true, last_seen_at = now() - interval '13 hours' WHERE id IN ${ids}`);
    await checkOffline(s.ctx);
    const mass = await queryRows<{ type: string; region_code: string; data: { count: number }; device_id: string | null }>(
      s.ctx.db,
      sql`SELECT type, region_code, data, device_id FROM alarms WHERE type = 'devices_offline_mass' AND open`,
    );
    expect(mass).toHaveLength(1);
    expect(mass[0]).toMatchObject({ region_code: TREE.streetB, device_id: null, data: { count: MASS_OFFLINE_THRESHOLD } });
    for (const id of ids) expect(await openAlarms(id)).toEqual([]);
    const [{ offline }] = await queryRows<{ offline: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS offline FROM devices WHERE NOT online AND elder_id = ${outage.id}`,
    );
    expect(offline).toBe(MASS_OFFLINE_THRESHOLD);
  });

  it('offline after 3 missed heartbeats; inactivity warns before it alarms; not worn for 3 days', async () => {
    const door = await createDevice(s.ctx, { elderId: elder.id, type: 'door' });
    await send(door.id, 'door', { open: true });
    await s.ctx.db.execute(sql`UPDATE devices SET last_seen_at = now() - interval '3 hours 1 minute' WHERE id = ${door.id}`);
    await checkOffline(s.ctx);
    expect((await openAlarms(door.id)).map((a) => a.type)).toEqual(['device_offline']);

    // 09:00 China time, last door event 9 h before: a warning; at 13 h: the alarm (same open alarm, upgraded).
    const morning = new Date('2026-11-23T01:00:00Z');
    await s.ctx.db.execute(
      sql`UPDATE devices SET last_activity_at = ${new Date(morning.getTime() - 9 * 3_600_000).toISOString()} WHERE id = ${door.id}`,
    );
    await checkInactivity(s.ctx, morning);
    const inact = () =>
      queryRows<{ type: string; priority: string }>(
        s.ctx.db,
        sql`SELECT type, priority FROM alarms WHERE merge_key = ${`elder:${elder.id}:inactivity`} AND open`,
      );
    expect(await inact()).toEqual([{ type: 'inactivity_warning', priority: 'P3' }]);
    await checkInactivity(s.ctx, new Date(morning.getTime() + 4 * 3_600_000));
    expect(await inact()).toEqual([{ type: 'inactivity', priority: 'P2' }]);
    // At 02:00 China time nothing is evaluated (asleep is not inactive).
    const pendant = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    await send(pendant.id, 'worn', { worn: false });
    await s.ctx.db.execute(sql`UPDATE devices SET worn_changed_at = now() - interval '3 days 2 hours' WHERE id = ${pendant.id}`);
    await checkNotWorn(s.ctx);
    expect((await openAlarms(pendant.id)).map((a) => a.type)).toEqual(['not_worn']);
  });
});

describe('alarm lifecycle', () => {
  it('two operators cannot both take one alarm: exactly one wins, the other is told who holds it', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'sos_terminal' });
    await send(dev.id, 'sos');
    const [a] = await openAlarms(dev.id);
    const [r1, r2] = await Promise.all([
      op1.api.post(`/api/v1/alarms/${a.id}/acknowledge`),
      op2.api.post(`/api/v1/alarms/${a.id}/acknowledge`),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    const winner = r1.statusCode === 200 ? op1 : op2;
    expect(loser.json().detail).toContain(winner.account.displayName);
    const got = (await op1.api.get(`/api/v1/alarms/${a.id}`)).json();
    expect(got.holder.id).toBe(winner.account.id);
    expect(got.status).toBe('acknowledged');
  });

  it('raised → acknowledged → actions → responder accepted → on site → resolved with outcome → reviewed', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    await send(dev.id, 'fall', { confidence: 0.95 });
    const [a] = await openAlarms(dev.id);
    const api = op1.api;
    expect((await api.post(`/api/v1/alarms/${a.id}/resolve`, { outcome: 'false_alarm' })).statusCode).toBe(409); // acknowledge first
    expect((await api.post(`/api/v1/alarms/${a.id}/acknowledge`)).statusCode).toBe(200);

    const card = (await api.get(`/api/v1/alarms/${a.id}`)).json();
    expect(card.elder.name).toBe(elder.name);
    expect(card.contacts.map((c: { name: string; holdsKey: boolean; phone: string }) => [c.name, c.holdsKey, c.phone])).toEqual([
      ['张一', true, '13800000001'],
      ['张二', false, '13800000002'],
    ]);
    expect(card.devices.find((d: { id: string }) => d.id === dev.id).lastEvents[0].type).toBe('fall');

    const contactId = card.contacts[0].id;
    expect((await api.post(`/api/v1/alarms/${a.id}/actions`, { kind: 'called_elder', result: 'no answer' })).statusCode).toBe(
      201,
    );
    expect(
      (await api.post(`/api/v1/alarms/${a.id}/actions`, { kind: 'called_contact', contactId, result: 'going' })).statusCode,
    ).toBe(201);

    // Nearest responder: two on duty, the nearer is proposed first; one off duty is not proposed.
    const near = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.communityA1 });
    const far = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.streetA });
    const off = await clientAs(s.app, s.ctx, 'responder', { regionCode: TREE.communityA1 });
    await near.api.put('/api/v1/responders/me', { onDuty: true, lat: 30.612, lng: 104.011 });
    await far.api.put('/api/v1/responders/me', { onDuty: true, lat: 30.65, lng: 104.05 });
    await off.api.put('/api/v1/responders/me', { onDuty: false, lat: 30.61, lng: 104.01 });
    const proposed = (await api.get(`/api/v1/responders?alarmId=${a.id}`)).json().items;
    expect(proposed.map((p: { userId: string }) => p.userId)).toEqual([near.account.id, far.account.id]);
    expect(proposed[0].distanceM).toBeLessThan(300);

    const rt = await connectRealtime(s.url, near.token);
    const d = await api.post(`/api/v1/alarms/${a.id}/dispatch`, {
      responderId: near.account.id,
      distanceM: proposed[0].distanceM,
    });
    expect(d.statusCode).toBe(201);
    await waitFor(async () => rt.messages.find((m) => m.type === 'alarm.dispatch'));
    const tasks = (await near.api.get('/api/v1/responders/me/tasks')).json();
    expect(tasks.items[0]).toMatchObject({ alarmId: a.id, status: 'offered', address: elder.address });
    expect(tasks.items[0].navigationUrl).toContain('104.01');
    const dispatchId = d.json().id;
    expect((await near.api.post(`/api/v1/alarm-dispatches/${dispatchId}/on-site`)).statusCode).toBe(422);
    expect((await near.api.post(`/api/v1/alarm-dispatches/${dispatchId}/accept`)).statusCode).toBe(200);
    expect((await api.get(`/api/v1/alarms/${a.id}`)).json().status).toBe('responding');
    expect((await near.api.post(`/api/v1/alarm-dispatches/${dispatchId}/en-route`)).statusCode).toBe(200);
    expect((await near.api.post(`/api/v1/alarm-dispatches/${dispatchId}/on-site`)).statusCode).toBe(200);
    expect((await api.get(`/api/v1/alarms/${a.id}`)).json().status).toBe('on_site');
    expect((await near.api.post(`/api/v1/alarm-dispatches/${dispatchId}/done`)).statusCode).toBe(200);
    rt.close();

    const noOutcome = await api.post(`/api/v1/alarms/${a.id}/resolve`, {});
    expect(noOutcome.statusCode).toBe(400);
    const resolved = await api.post(`/api/v1/alarms/${a.id}/resolve`, { outcome: 'assisted_at_home', note: '扶起，无外伤' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'assisted_at_home' });
    expect((await api.post(`/api/v1/alarms/${a.id}/review`, { note: 'ok' })).json().status).toBe('reviewed');
    const kinds = (await api.get(`/api/v1/alarms/${a.id}`)).json().actions.map((x: { kind: string }) => x.kind);
    expect(kinds).toEqual([
      'acknowledged',
      'called_elder',
      'called_contact',
      'dispatched_responder',
      'responder_accepted',
      'responder_en_route',
      'responder_on_site',
      'responder_done',
      'resolved',
      'reviewed',
    ]);
    // The family is told what happened (outbox, delivered by the log provider).
    await waitFor(async () => {
      const r = await queryRows<{ n: number }>(
        s.ctx.db,
        sql`SELECT count(*)::int AS n FROM notifications WHERE alarm_id = ${a.id} AND reason = 'resolved' AND status = 'sent'`,
      );
      return r[0].n === 2;
    });
  });

  it('the database refuses to close an alarm without an outcome', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'smoke' });
    await send(dev.id, 'smoke');
    const [a] = await openAlarms(dev.id);
    await expect(s.ctx.db.execute(sql`UPDATE alarms SET status = 'resolved', open = false WHERE id = ${a.id}`)).rejects.toThrow();
  });

  it('an unacknowledged P1 escalates to the supervisor, then notifies the contacts (durable timers)', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    const rt = await connectRealtime(s.url, op2.token);
    await send(dev.id, 'sos');
    const [a] = await openAlarms(dev.id);
    await waitFor(
      async () => rt.messages.find((m) => m.type === 'alarm.escalated' && m.data.id === a.id && m.data.escalationLevel === 1),
      15_000,
    );
    await waitFor(
      async () => rt.messages.find((m) => m.type === 'alarm.escalated' && m.data.id === a.id && m.data.escalationLevel === 2),
      15_000,
    );
    const notes = await waitFor(async () => {
      const r = await queryRows<{ status: string; attempts: number }>(
        s.ctx.db,
        sql`SELECT status, attempts FROM notifications WHERE alarm_id = ${a.id} AND reason = 'escalation'`,
      );
      return r.length === 2 && r.every((x) => x.status === 'sent') ? r : null;
    }, 15_000);
    expect(notes).toHaveLength(2);
    const list = (await op1.api.get(`/api/v1/notifications?alarmId=${a.id}`)).json().items;
    expect(list[0].recipient).toMatch(/^138\*+\d{4}$/);
    rt.close();
  });

  it('an acknowledged P1 does not escalate', async () => {
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    await send(dev.id, 'sos');
    const [a] = await openAlarms(dev.id);
    expect((await op1.api.post(`/api/v1/alarms/${a.id}/acknowledge`)).statusCode).toBe(200);
    // The escalation timer armed at raise (1 s here) still fires; wait until its job has run.
    const escalationJobs = (data: { alarmId: string; level?: number }) =>
      s.boss.findJobs<{ alarmId: string; level: number }>('alarm.escalate', { data });
    const fired = await waitFor(
      async () => (await escalationJobs({ alarmId: a.id })).find((j) => j.state === 'completed'),
      15_000,
    );
    expect(fired.data.level).toBe(1);
    // It found the alarm acknowledged: no level taken, no second timer armed.
    const [row] = await queryRows<{ escalation_level: number }>(
      s.ctx.db,
      sql`SELECT escalation_level FROM alarms WHERE id = ${a.id}`,
    );
    expect(row.escalation_level).toBe(0);
    expect(await escalationJobs({ alarmId: a.id, level: 2 })).toEqual([]);
  });

  it('queue order: priority, then the untaken oldest first, paged with a total; SLA report counts acknowledgements within 60 s / 180 s', async () => {
    // Two SOS alarms: the older one taken by an operator, the newer one untaken.
    const [taken, waiting] = [
      await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' }),
      await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' }),
    ];
    await send(taken.id, 'sos');
    await send(waiting.id, 'sos');
    const [takenAlarm] = await openAlarms(taken.id);
    const [waitingAlarm] = await openAlarms(waiting.id);
    await s.ctx.db.execute(sql`UPDATE alarms SET raised_at = now() - interval '10 minutes' WHERE id = ${takenAlarm.id}`);
    expect((await op2.api.post(`/api/v1/alarms/${takenAlarm.id}/acknowledge`)).statusCode).toBe(200);
    const all = (await op1.api.get('/api/v1/alarms?status=open&limit=200')).json() as {
      items: Array<{ id: string; priority: string; status: string; raisedAt: string }>;
      total: number;
    };
    const q = all.items;
    // Within a priority, alarms nobody took come before those in hand, each oldest first.
    const keys = q.map((x) => `${x.priority}|${x.status === 'raised' ? 0 : 1}|${x.raisedAt}`);
    expect(keys).toEqual([...keys].sort());
    const at = (id: string) => q.findIndex((x) => x.id === id);
    expect(at(waitingAlarm.id)).toBeGreaterThanOrEqual(0);
    expect(at(waitingAlarm.id)).toBeLessThan(at(takenAlarm.id));
    // The first screen comes as a page of the same order, with the queue's total.
    const page = async (n: number) => (await op1.api.get(`/api/v1/alarms?status=open&limit=2&page=${n}`)).json();
    const [p1, p2] = [await page(1), await page(2)];
    expect(p1.total).toBe(all.total);
    expect([...p1.items, ...p2.items].map((x: { id: string }) => x.id)).toEqual(q.slice(0, 4).map((x) => x.id));
    const sla = (await op1.api.get('/api/v1/alarms/sla')).json();
    expect(sla.total).toBeGreaterThan(0);
    expect(sla.within60s).toBeGreaterThan(0);
    expect(sla.targets).toEqual({ pctWithin60s: 97.5, pctWithin180s: 99 });
    const screenRes = await op1.api.get('/api/v1/alarms/screen');
    expect(screenRes.statusCode).toBe(200);
    const screen = screenRes.json();
    expect(screen.openByPriority.P1).toBeGreaterThan(0);
  });

  it('technical alarms apart: their own list and SLA; filters by kind, region and holder narrow the queue', async () => {
    type Row = { type: string; regionCode: string; holder: { id: string } | null; status: string };
    const list = async (q: string) =>
      (await op1.api.get(`/api/v1/alarms?status=open&limit=1000${q}`)).json() as { items: Row[]; total: number };
    const all = await list('');
    const technical = await list('&kind=technical');
    const life = await list('&kind=life');
    expect(technical.items.map((a) => a.type)).toContain('device_offline');
    expect(technical.items.every((a) => TECHNICAL_ALARM_TYPES.includes(a.type as never))).toBe(true);
    expect(life.items.some((a) => a.type === 'sos' || a.type === 'fall')).toBe(true);
    expect(life.items.some((a) => TECHNICAL_ALARM_TYPES.includes(a.type as never))).toBe(false);
    expect(life.total + technical.total).toBe(all.total);

    const street = await list(`&regionCode=${TREE.streetA}`);
    expect(street.total).toBeGreaterThan(0);
    expect(street.items.every((a) => a.regionCode.startsWith(TREE.streetA))).toBe(true);
    const unheld = await list('&holder=none');
    expect(unheld.items.every((a) => a.holder === null && a.status === 'raised')).toBe(true);
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'fall_radar' });
    await send(dev.id, 'fall');
    const [fall] = await openAlarms(dev.id);
    expect((await op2.api.post(`/api/v1/alarms/${fall.id}/acknowledge`)).statusCode).toBe(200);
    const mine = await list('&holder=me');
    expect(mine.items.length).toBeGreaterThan(0);
    const op2Id = op2.account.id;
    expect((await op2.api.get('/api/v1/alarms?status=open&holder=me')).json().items.map((a: { id: string }) => a.id)).toContain(
      fall.id,
    );
    expect((await list(`&holder=${op2Id}`)).items.every((a) => a.holder?.id === op2Id)).toBe(true);
    expect(mine.items.map((a) => a.holder?.id)).not.toContain(op2Id);
    for (const bad of ['holder=bob', 'kind=people', 'regionCode=abc'])
      expect((await op1.api.get(`/api/v1/alarms?${bad}`)).statusCode).toBe(400);

    const sla = async (q: string) => (await op1.api.get(`/api/v1/alarms/sla?${q}`)).json() as { total: number };
    const [slaAll, slaLife, slaTech, slaP1] = await Promise.all([
      sla(''),
      sla('kind=life'),
      sla('kind=technical'),
      sla('priority=P1'),
    ]);
    expect(slaLife.total + slaTech.total).toBe(slaAll.total);
    expect(slaP1.total).toBeLessThanOrEqual(slaLife.total);

    const screen = (await op1.api.get('/api/v1/alarms/screen')).json();
    const lifeOpen = screen.openByKind.life.P1 + screen.openByKind.life.P2 + screen.openByKind.life.P3;
    expect(lifeOpen + screen.openByKind.technical).toBe(
      screen.openByPriority.P1 + screen.openByPriority.P2 + screen.openByPriority.P3,
    );
    expect(screen.openByKind.technical).toBe(technical.total);
    expect(screen.openByCommunity).toContainEqual(
      expect.objectContaining({ regionCode: TREE.communityA1, lat: 30.61, lng: 104.01 }),
    );
    expect(screen.sla.total).toBe(slaLife.total);
    expect(screen.slaTechnical.total).toBe(slaTech.total);
    expect(Array.isArray(screen.servicesToday)).toBe(true);
  });
});

describe('per-elder rules', () => {
  it('reads the defaults, replaces the overrides (validated) and applies them', async () => {
    const staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const got = (await staff.api.get(`/api/v1/safety-rules/${elder.id}`)).json();
    expect(got.effective.sosCancelSeconds).toBe(30);
    expect((await staff.api.put(`/api/v1/safety-rules/${elder.id}`, { batteryLowPercent: 90 })).statusCode).toBe(400);
    expect((await staff.api.put(`/api/v1/safety-rules/${elder.id}`, { shoeSize: 40 })).statusCode).toBe(400);
    const put = await staff.api.put(`/api/v1/safety-rules/${elder.id}`, {
      disabled: ['battery_low'],
      vitals: { consecutive: 1 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().effective.vitals.ranges.spo2.critLow).toBe(88);
    const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'watch' });
    await send(dev.id, 'heartbeat', { battery: 5 });
    await send(dev.id, 'vitals', { spo2: 85 });
    expect((await openAlarms(dev.id)).map((a) => a.type)).toEqual(['vitals_critical']);
    const other = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    expect((await other.api.get(`/api/v1/safety-rules/${elder.id}`)).statusCode).toBe(404);
    await staff.api.put(`/api/v1/safety-rules/${elder.id}`, {});
  });
});
