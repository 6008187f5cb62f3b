import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { sign } from '../devices/device-secret.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let s: SafetyServer;
beforeAll(async () => {
  s = await startSafetyServer({ config: { metrics: { token: TOKEN } } });
  await seedTree(s.ctx);
});
afterAll(() => s?.close());

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, remoteAddress?: string) =>
  s.app.inject({ method: 'GET', url: '/api/v1/metrics', headers, remoteAddress });

describe('GET /api/v1/metrics (Prometheus)', () => {
  it('refuses a scrape without the token, with a wrong one, or from an address not allowed (401), and is off without configuration (404)', async () => {
    const none = await scrape({});
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.body).not.toContain('zhiyang_');
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).statusCode).toBe(401);
    expect((await scrape({ authorization: TOKEN })).statusCode).toBe(401);
    const saved = s.ctx.config.metrics;
    try {
      s.ctx.config.metrics = { allow: ['10.0.0.0/8'] };
      expect((await scrape({}, '127.0.0.1')).statusCode).toBe(401);
      expect((await scrape({}, '10.1.2.3')).statusCode).toBe(200);
      expect((await scrape({}, '::ffff:10.1.2.3')).statusCode).toBe(200);
      s.ctx.config.metrics = undefined;
      expect((await scrape()).statusCode).toBe(404);
    } finally {
      s.ctx.config.metrics = saved;
    }
  });

  it('exposes intake, queue depths, alarm SLA, job failures, event-loop lag and request durations', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' });
    const dev = await createDevice(s.ctx, { type: 'pendant', elderId: elder.id });
    const body = JSON.stringify(eventBody('sos', {}, 'metrics-sos-1'));
    // The intake counter is the process's (a gateway's events since it started): read it before.
    const stored = /^zhiyang_device_events_total\{type="sos",lane="alarm",transport="http",result="stored"\} (\d+)$/m;
    const storedBefore = Number(stored.exec((await scrape()).body)?.[1] ?? 0);
    const ts = String(Math.floor(Date.now() / 1000));
    const sent = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${dev.id}/events`,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
    });
    expect(sent.statusCode).toBe(202);
    const r = await scrape();
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    const text = r.body;
    for (const name of [
      'zhiyang_device_events_total',
      'zhiyang_queue_jobs',
      'zhiyang_alarm_ack_within_60s_ratio',
      'zhiyang_alarms_open',
      'zhiyang_job_failures_total',
      'nodejs_eventloop_lag_seconds',
      'zhiyang_http_request_duration_seconds',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    // Figures, not only names: the SOS raised one open P1 alarm, the queues are listed, and the
    // intake request was timed under its route pattern (no device id in the label).
    expect(text).toMatch(/^zhiyang_alarms_open\{priority="P1"\} 1$/m);
    expect(text).toMatch(/^zhiyang_queue_jobs\{queue="alarm.escalate",state="ready"\} \d+$/m);
    expect(text).toMatch(/^zhiyang_alarm_ack_within_60s_ratio 1$/m);
    expect(Number(stored.exec(text)?.[1])).toBe(storedBefore + 1);
    expect(text).toContain('route="/api/v1/devices/:deviceId/events",status="202"');
    expect(text).not.toContain(dev.id);
  });
});
