import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { sign } from '../modules/devices/device-secret.ts';
import { createElder } from '../testing/elders.ts';
import { seedTree, TREE } from '../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../testing/safety.ts';

let s: SafetyServer;
let dev: { id: string; secret: string };
beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
  dev = await createDevice(s.ctx, { type: 'pendant', elderId: elder.id });
});
afterAll(() => s.close());

function post(deviceId: string, body: string, opts: { secret?: string; ts?: number; signature?: string } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  return s.app.inject({
    method: 'POST',
    url: `/api/v1/devices/${deviceId}/events`,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': ts,
      'x-signature': opts.signature ?? sign(opts.secret ?? dev.secret, ts, body),
    },
  });
}

describe('signed HTTP intake (device protocol v1)', () => {
  it('answers 202 once stored and 200 for a resend of the same msgId; one alarm only', async () => {
    const body = JSON.stringify(eventBody('sos', {}, 'http-sos-1'));
    const first = await post(dev.id, body);
    if (first.statusCode !== 202)
      console.log(
        s.logs
          .filter((l) => l.includes('error'))
          .join('\n')
          .slice(0, 3000),
      );
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ status: 'stored', msgId: 'http-sos-1' });
    const again = await post(dev.id, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
    const stored = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${dev.id} AND msg_id = 'http-sos-1'`,
    );
    expect(stored[0].n).toBe(1);
    const alarms = await queryRows<{ n: number; c: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n, max(event_count) AS c FROM alarms WHERE device_id = ${dev.id}`,
    );
    expect(alarms[0]).toEqual({ n: 1, c: 1 });
  });

  it('stores an event with NUL characters (which PostgreSQL cannot hold) instead of failing its batch', async () => {
    const body = `{"msgId":"nul\\u0000-1","ts":${Date.now()},"type":"heartbeat","data":{"note":"a\\u0000b"}}`;
    expect((await post(dev.id, body)).statusCode).toBe(202);
    const [e] = await queryRows<{ msg_id: string; data: { note: string } }>(
      s.ctx.db,
      sql`SELECT msg_id, data FROM device_events WHERE msg_id LIKE 'nul%'`,
    );
    expect(e).toEqual({ msg_id: 'nul\ufffd-1', data: { note: 'a\ufffdb' } });
  });

  it('stores an event with unpaired UTF-16 surrogates (no UTF-8 form) the same way, U+FFFD in their place', async () => {
    const body = `{"msgId":"sur\\ud800-1","ts":${Date.now()},"type":"heartbeat","data":{"n\\udc00":"x\\ud83d","ok":"\\ud83d\\ude00"}}`;
    expect((await post(dev.id, body)).statusCode).toBe(202);
    const [e] = await queryRows<{ msg_id: string; data: Record<string, string> }>(
      s.ctx.db,
      sql`SELECT msg_id, data FROM device_events WHERE msg_id LIKE 'sur%'`,
    );
    expect(e).toEqual({ msg_id: 'sur\ufffd-1', data: { 'n\ufffd': 'x\ufffd', ok: '😀' } });
  });

  it('keeps device time and receive time; Unix milliseconds are accepted', async () => {
    const ts = Date.UTC(2026, 10, 22, 0, 15, 30);
    const body = JSON.stringify({ msgId: 'http-ts', ts, type: 'heartbeat', data: { battery: 80 } });
    expect((await post(dev.id, body)).statusCode).toBe(202);
    const [e] = await queryRows<{ device_ts: Date; received_at: Date; flags: string[] }>(
      s.ctx.db,
      sql`SELECT device_ts, received_at, flags FROM device_events WHERE msg_id = 'http-ts'`,
    );
    expect(new Date(e.device_ts).getTime()).toBe(ts);
    expect(Math.abs(new Date(e.received_at).getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('401 for a bad signature and for a timestamp more than 300 s away', async () => {
    const body = JSON.stringify(eventBody('heartbeat'));
    expect((await post(dev.id, body, { secret: 'wrong' })).statusCode).toBe(401);
    expect((await post(dev.id, body, { ts: Math.floor(Date.now() / 1000) - 301 })).statusCode).toBe(401);
    expect((await post(dev.id, body, { signature: 'sha256=zz' })).statusCode).toBe(401);
    expect(s.logs.join('')).toContain('bad signature');
  });

  it('404 for an unknown device, 413 over 64 KiB, 400 naming the field', async () => {
    expect((await post('NOPE-123', JSON.stringify(eventBody('sos')))).statusCode).toBe(404);
    const big = JSON.stringify({ ...eventBody('other'), data: { x: 'a'.repeat(70_000) } });
    expect((await post(dev.id, big)).statusCode).toBe(413);
    const bad = await post(dev.id, '{"msgId": "x", "ts": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const noType = await post(dev.id, JSON.stringify({ msgId: 'x1', ts: new Date().toISOString() }));
    expect(noType.statusCode).toBe(400);
    expect(noType.json().errors[0].path).toBe('type');
    const badData = await post(dev.id, JSON.stringify(eventBody('door', { open: 'yes' })));
    expect(badData.statusCode).toBe(400);
    expect(badData.json().errors[0].path).toBe('data.open');
    const noOffset = await post(dev.id, JSON.stringify({ ...eventBody('heartbeat'), ts: '2026-11-22T08:15:30' }));
    expect(noOffset.statusCode).toBe(400);
    expect(noOffset.json().errors[0].path).toBe('ts');
  });

  it('stores unknown types (flagged, no alarm) and events of unbound and disabled devices (flagged)', async () => {
    expect((await post(dev.id, JSON.stringify(eventBody('firmware_report', { v: 2 }, 'unk-1')))).statusCode).toBe(202);
    const unbound = await createDevice(s.ctx, { type: 'smoke', regionCode: TREE.communityA2 });
    const ts = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify(eventBody('smoke', { level: 80 }, 'unb-1'));
    const r = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${unbound.id}/events`,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(unbound.secret, ts, body) },
    });
    expect(r.statusCode).toBe(202);
    await s.ctx.db.execute(sql`UPDATE devices SET status = 'disabled' WHERE id = ${unbound.id}`);
    s.intake.forget(unbound.id);
    const body2 = JSON.stringify(eventBody('smoke', {}, 'dis-1'));
    const r2 = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${unbound.id}/events`,
      payload: body2,
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(unbound.secret, ts, body2) },
    });
    expect(r2.statusCode).toBe(202);
    const flags = await queryRows<{ msg_id: string; flags: string[] }>(
      s.ctx.db,
      sql`SELECT msg_id, flags FROM device_events WHERE msg_id IN ('unk-1', 'unb-1', 'dis-1') ORDER BY msg_id`,
    );
    expect(flags).toEqual([
      { msg_id: 'dis-1', flags: ['unbound', 'disabled'] },
      { msg_id: 'unb-1', flags: ['unbound'] },
      { msg_id: 'unk-1', flags: ['unknown_type'] },
    ]);
    // The unbound smoke alarm is raised (nobody must miss a fire); the disabled device's is not.
    const a = await queryRows<{ n: number }>(s.ctx.db, sql`SELECT event_count AS n FROM alarms WHERE device_id = ${unbound.id}`);
    expect(a).toEqual([{ n: 1 }]);
  });
});
