import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeOf } from '../../gateway/device-gate.ts';
import type { EventIntake } from '../../gateway/intake.ts';
import { addMonths, cstMonth } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer, waitFor } from '../../testing/safety.ts';
import { sign } from '../devices/device-secret.ts';
import { checkMonthlyTest } from './alarms.jobs.ts';
import { localHour } from './rules.ts';

// Night-time bed exit, the monthly test-press check and tamper, driven through the real intake
// (the signed HTTP intake, and the shared intake MQTT and HTTP both call where a receive time
// at night is needed) against the real database, with pg-boss running the delayed job.

let s: SafetyServer;
let intake: EventIntake;
let staff: Awaited<ReturnType<typeof clientAs>>;

beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  intake = intakeOf(s.ctx, () => {
    throw new Error('intake exists');
  });
  staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
});
afterAll(() => s.close());

/** POST one event to the signed HTTP intake, as an NB-IoT platform would. */
async function postEvent(dev: { id: string; secret: string }, type: string, data: Record<string, unknown> = {}) {
  const body = JSON.stringify(eventBody(type, data));
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/v1/devices/${dev.id}/events`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
  });
  expect(res.statusCode).toBe(202);
}

let n = 0;
/** Through the shared intake with a chosen receive time (the rules judge "night" by it). */
async function submitAt(deviceId: string, type: string, data: Record<string, unknown>, receivedAt: Date) {
  const dev = await intake.device(deviceId);
  if (!dev) throw new Error('no device');
  return intake.submit({ deviceId, msgId: `r-${++n}`, type, data, deviceTs: receivedAt, receivedAt, transport: 'internal' }, dev);
}

const alarmsOf = (deviceId: string) =>
  queryRows<{ type: string; priority: string; event_count: number; open: boolean; data: Record<string, unknown> }>(
    s.ctx.db,
    sql`SELECT type, priority, event_count, open, data FROM alarms WHERE device_id = ${deviceId} ORDER BY raised_at`,
  );

/** The bed-exit timers queued for a device, newest last. */
const bedJobs = (deviceId: string) =>
  queryRows<{ id: string; state: string; start_after: Date }>(
    s.ctx.db,
    sql`SELECT id, state, start_after FROM pgboss.job WHERE name = 'safety.bed-exit-check' AND data->>'deviceId' = ${deviceId}
        ORDER BY created_on`,
  );

/** Bring a queued 20-minute timer forward to now, so the running worker fires it (nothing else changes). */
async function fireBedJobsNow(deviceId: string) {
  await s.ctx.db.execute(
    sql`UPDATE pgboss.job SET start_after = now() WHERE name = 'safety.bed-exit-check' AND data->>'deviceId' = ${deviceId}
        AND state = 'created'`,
  );
  await waitFor(async () => (await bedJobs(deviceId)).every((j) => j.state === 'completed'), 20_000);
}

/** 23:30 and 14:00 China time today (UTC+8). */
const chinaTime = (h: number, m: number) => {
  const d = new Date();
  d.setUTCHours((h + 24 - 8) % 24, m, 0, 0);
  return d;
};

describe('night-time bed exit', () => {
  it('out of bed at 23:30 and not back within 20 min: one P2 night_bed_exit; a second exit merges with a count', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const bed = await createDevice(s.ctx, { elderId: elder.id, type: 'bed' });
    await submitAt(bed.id, 'bed', { inBed: false }, chinaTime(23, 30));
    const [job] = await bedJobs(bed.id);
    expect(job.state).toBe('created');
    // The timer is durable and set for the rule's 20 minutes, not fired at once.
    const delayS = (new Date(job.start_after).getTime() - Date.now()) / 1000;
    expect(delayS).toBeGreaterThan(19 * 60);
    expect(delayS).toBeLessThanOrEqual(20 * 60 + 5);
    expect(await alarmsOf(bed.id)).toHaveLength(0);

    await fireBedJobsNow(bed.id);
    const [a] = await alarmsOf(bed.id);
    expect(a).toMatchObject({ type: 'night_bed_exit', priority: 'P2', event_count: 1, open: true });
    expect(a.data.outOfBedSince).toBe(chinaTime(23, 30).toISOString());

    // Back in bed, out again at 01:10 and not back: the same open alarm, counted twice.
    await submitAt(bed.id, 'bed', { inBed: true }, chinaTime(23, 50));
    await submitAt(bed.id, 'bed', { inBed: false }, chinaTime(1, 10));
    await fireBedJobsNow(bed.id);
    const after = await alarmsOf(bed.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ type: 'night_bed_exit', priority: 'P2', event_count: 2 });
  });

  it('back in bed within the window, or up in the afternoon: no alarm', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const bed = await createDevice(s.ctx, { elderId: elder.id, type: 'bed' });
    await submitAt(bed.id, 'bed', { inBed: false }, chinaTime(2, 0));
    await submitAt(bed.id, 'bed', { inBed: true }, chinaTime(2, 8));
    expect(await bedJobs(bed.id)).toHaveLength(1);
    await fireBedJobsNow(bed.id);
    expect(await alarmsOf(bed.id)).toHaveLength(0);

    await submitAt(bed.id, 'bed', { inBed: false }, chinaTime(14, 0));
    expect(await bedJobs(bed.id)).toHaveLength(1); // no timer in the daytime
  });

  it("an elder's own night window applies (signed HTTP intake); switching the rule off stops the alarm", async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const bed = await createDevice(s.ctx, { elderId: elder.id, type: 'bed' });
    const h = localHour(new Date());
    // A window around the present hour, so a real "now" from the HTTP intake is "night" for her.
    const window = { from: h, to: (h + 2) % 24, minutes: 5 };
    expect((await staff.api.put(`/api/v1/safety-rules/${elder.id}`, { nightBedExit: window })).statusCode).toBe(200);
    await postEvent(bed, 'bed', { inBed: false });
    const [job] = await bedJobs(bed.id);
    const delayS = (new Date(job.start_after).getTime() - Date.now()) / 1000;
    expect(delayS).toBeGreaterThan(4 * 60);
    expect(delayS).toBeLessThanOrEqual(5 * 60 + 5);
    await fireBedJobsNow(bed.id);
    expect((await alarmsOf(bed.id))[0]).toMatchObject({ type: 'night_bed_exit', priority: 'P2' });

    // Disabled for this elder: neither a timer nor, for one already queued, an alarm.
    const other = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const bed2 = await createDevice(s.ctx, { elderId: other.id, type: 'bed' });
    expect((await staff.api.put(`/api/v1/safety-rules/${other.id}`, { nightBedExit: window })).statusCode).toBe(200);
    await postEvent(bed2, 'bed', { inBed: false });
    expect(await bedJobs(bed2.id)).toHaveLength(1);
    const off = { nightBedExit: window, disabled: ['night_bed_exit'] };
    expect((await staff.api.put(`/api/v1/safety-rules/${other.id}`, off)).statusCode).toBe(200);
    await fireBedJobsNow(bed2.id);
    await postEvent(bed2, 'bed', { inBed: false });
    expect(await bedJobs(bed2.id)).toHaveLength(1);
    expect(await alarmsOf(bed2.id)).toHaveLength(0);
  });
});

describe('no test press this month', () => {
  it('raises a P3 for terminals, pendants, watches, smoke and gas detectors not tested this month, once per run', async () => {
    const elder = await createElder(s.ctx, TREE.communityA2, { livingSituation: 'alone' });
    const tested = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
    const untested = await createDevice(s.ctx, { elderId: elder.id, type: 'smoke' });
    const door = await createDevice(s.ctx, { elderId: elder.id, type: 'door' }); // no test button
    await postEvent(tested, 'test');
    await postEvent(untested, 'heartbeat', { battery: 90 }); // alive, but never test-pressed
    await postEvent(door, 'door', { open: true });
    const [row] = await queryRows<{ last_test_at: Date | null }>(
      s.ctx.db,
      sql`SELECT last_test_at FROM devices WHERE id = ${tested.id}`,
    );
    expect(row.last_test_at).not.toBeNull();

    const now = new Date();
    await checkMonthlyTest(s.ctx, now);
    expect(await alarmsOf(tested.id)).toHaveLength(0);
    expect(await alarmsOf(door.id)).toHaveLength(0);
    const [a] = await alarmsOf(untested.id);
    expect(a).toMatchObject({ type: 'no_monthly_test', priority: 'P3', event_count: 1, open: true });
    expect(a.data.month).toBe(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7));

    // The job is idempotent: a second run in the same month (a retry, two workers) counts nothing new.
    await checkMonthlyTest(s.ctx, now);
    expect(await alarmsOf(untested.id)).toEqual([expect.objectContaining({ event_count: 1 })]);

    // A press last month does not count for this one: next month the tested pendant is due again,
    // and the still-open alarm of the untested detector counts a second missed month.
    const nextMonth = new Date(`${addMonths(cstMonth(now), 1)}-25T01:00:00Z`);
    await checkMonthlyTest(s.ctx, nextMonth);
    expect((await alarmsOf(tested.id))[0]).toMatchObject({ type: 'no_monthly_test', event_count: 1 });
    expect(await alarmsOf(untested.id)).toEqual([
      expect.objectContaining({
        type: 'no_monthly_test',
        event_count: 2,
        data: expect.objectContaining({ month: new Date(nextMonth.getTime() + 8 * 3_600_000).toISOString().slice(0, 7) }),
      }),
    ]);
  });
});

describe('tamper', () => {
  it('a tamper event is a P3 at once; repeats merge into the one open alarm with a count', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const gas = await createDevice(s.ctx, { elderId: elder.id, type: 'gas' });
    await postEvent(gas, 'tamper');
    expect(await alarmsOf(gas.id)).toEqual([
      expect.objectContaining({ type: 'tamper', priority: 'P3', event_count: 1, open: true }),
    ]);
    await postEvent(gas, 'tamper');
    await postEvent(gas, 'tamper');
    const list = await alarmsOf(gas.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ type: 'tamper', priority: 'P3', event_count: 3 });
    // A gas alarm from the same detector is its own P1, not folded into the tamper.
    await postEvent(gas, 'gas', { lel: 30 });
    const types = (await alarmsOf(gas.id)).map((a) => `${a.type}:${a.priority}`);
    expect(types.sort()).toEqual(['gas:P1', 'tamper:P3']);
  });
});

describe('per-elder overrides: consistency', () => {
  it('refuses contradictions with the field to fix (nothing saved); one bound of a range keeps the others', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const url = `/api/v1/safety-rules/${elder.id}`;
    const late = await staff.api.put(url, { inactivity: { warnHours: 14 } }); // the alarm is at 12 h
    expect(late.statusCode).toBe(400);
    expect(late.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(late.json().errors).toEqual([{ path: 'body.inactivity.warnHours', message: expect.stringMatching(/12 h/) }]);
    const band = await staff.api.put(url, { vitals: { ranges: { heartRate: { warnHigh: 140 } } } }); // critical above 130
    expect(band.json().errors).toEqual([{ path: 'body.vitals.ranges.heartRate.critHigh', message: expect.any(String) }]);
    expect((await staff.api.put(url, { geofence: { lat: 30.6 } })).json().errors[0].path).toBe('body.geofence.lng');
    expect((await staff.api.get(url)).json().overrides).toEqual({});

    const ok = await staff.api.put(url, { vitals: { ranges: { heartRate: { warnHigh: 100 } } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().effective.vitals.ranges.heartRate).toEqual({ warnLow: 50, warnHigh: 100, critLow: 40, critHigh: 130 });
    expect((await staff.api.get(url)).json().effective.vitals.ranges.heartRate.warnLow).toBe(50);
  });
});
