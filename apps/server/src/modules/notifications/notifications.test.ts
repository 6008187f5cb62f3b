import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookProvider } from '../../lib/notification-providers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { addContact, createElder } from '../../testing/elders.ts';
import { seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { applyRetention } from '../alarms/alarms.jobs.ts';
import { deliverNotice, noticeContacts } from './notifications.service.ts';

let s: SafetyServer;
beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('family notices through a webhook provider', () => {
  it('records every attempt, retries a failure and sends once the gateway answers 2xx', async () => {
    const received: Array<Record<string, unknown>> = [];
    let fail = 2;
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (fail-- > 0) {
          res.writeHead(502).end();
          return;
        }
        received.push(JSON.parse(body));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/sms`;
    const elder = await createElder(s.ctx, TREE.communityA1);
    await addContact(s.ctx, elder.id, { name: '李一', relationship: 'son', phone: '13900000009', callOrder: 1 });
    const [alarm] = await queryRows<{ id: string }>(
      s.ctx.db,
      sql`INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, region_code) VALUES ('sos', 'P1', 'P1', 'n:1', ${elder.id}, ${TREE.communityA1}) RETURNING id`,
    );
    // Queued without the job system, so this test drives delivery itself (the job handler is the same function).
    const noJobs = { ...s.ctx, boss: null };
    const notice = { alarmId: alarm.id, elderId: elder.id, regionCode: TREE.communityA1, reason: 'test', body: '测试' };
    expect(await s.ctx.db.transaction((tx) => noticeContacts(noJobs, tx, notice))).toBe(1);
    // The same notice again is not queued twice.
    expect(await s.ctx.db.transaction((tx) => noticeContacts(noJobs, tx, notice))).toBe(0);
    const [n] = await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM notifications WHERE alarm_id = ${alarm.id}`);
    const provider = webhookProvider(url);
    await expect(deliverNotice(s.ctx, { id: n.id }, provider)).rejects.toThrow(/502/);
    await expect(deliverNotice(s.ctx, { id: n.id }, provider)).rejects.toThrow(/502/);
    await deliverNotice(s.ctx, { id: n.id }, provider);
    await deliverNotice(s.ctx, { id: n.id }, provider); // already sent: nothing
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: '13900000009', body: '测试', alarmId: alarm.id });
    const attempts = await queryRows<{ ok: boolean }>(
      s.ctx.db,
      sql`SELECT ok FROM notification_attempts WHERE notification_id = ${n.id} ORDER BY id`,
    );
    expect(attempts.map((a) => a.ok)).toEqual([false, false, true]);
    const [row] = await queryRows<{ status: string; attempts: number }>(
      s.ctx.db,
      sql`SELECT status, attempts FROM notifications WHERE id = ${n.id}`,
    );
    expect(row).toEqual({ status: 'sent', attempts: 3 });
    srv.close();
  });
});

describe('retention', () => {
  it('rolls heartbeats older than 7 days up per day and deletes raw events past the retention period', async () => {
    const dev = await createDevice(s.ctx, { regionCode: TREE.communityA1, type: 'presence' });
    await s.ctx.db.execute(sql`
      INSERT INTO device_events (device_id, msg_id, type, received_at, transport) VALUES
        (${dev.id}, 'h1', 'heartbeat', now() - interval '10 days', 'mqtt'),
        (${dev.id}, 'h2', 'heartbeat', now() - interval '10 days', 'mqtt'),
        (${dev.id}, 'h3', 'heartbeat', now() - interval '1 day', 'mqtt'),
        (${dev.id}, 'p1', 'presence', now() - interval '10 days', 'mqtt'),
        (${dev.id}, 'old', 'presence', now() - interval '200 days', 'mqtt')`);
    await applyRetention(s.ctx);
    const left = await queryRows<{ msg_id: string }>(
      s.ctx.db,
      sql`SELECT msg_id FROM device_events WHERE device_id = ${dev.id} ORDER BY msg_id`,
    );
    expect(left.map((r) => r.msg_id)).toEqual(['h3', 'p1']);
    const days = await queryRows<{ count: number }>(
      s.ctx.db,
      sql`SELECT count FROM device_heartbeat_days WHERE device_id = ${dev.id}`,
    );
    expect(days).toEqual([{ count: 2 }]);
  });
});
