import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/safety.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { startBoss } from './boss.ts';
import { defineJob } from './job.ts';
import { sendJob } from './queues.ts';
import { startWorkers } from './workers.ts';

let s: TestServer;
let boss: PgBoss;
const seen: unknown[] = [];

beforeAll(async () => {
  s = await startTestServer();
  boss = await startBoss(s.database, { supervise: true, schedule: false });
  s.ctx.boss = boss;
  // The real runner and a real queue; the handler only records what it was given.
  const job = defineJob({
    name: 'service-orders.offer-timeout',
    async handler(_ctx, data) {
      seen.push(data);
    },
  });
  await startWorkers(s.ctx, boss, [job], 0.5);
});
afterAll(async () => {
  await boss.stop({ graceful: false, timeout: 2000 }).catch(() => {});
  await s.close();
});

const finished = (id: string) =>
  waitFor(async () => {
    const [j] = await boss.findJobs<{ offerId: unknown }>('service-orders.offer-timeout', { id });
    return j && (j.state === 'completed' || j.state === 'failed') ? j : null;
  });

describe('job payloads are checked before the handler runs', () => {
  it('runs the handler with a payload that matches the queue schema', async () => {
    const id = await sendJob(s.ctx, s.ctx.db, 'service-orders.offer-timeout', { offerId: 'offer-1' });
    const j = await finished(String(id));
    expect(j.state).toBe('completed');
    expect(seen).toContainEqual({ offerId: 'offer-1' });
  });

  it('fails a job whose payload does not match, with a message naming the queue and the field, and never runs the handler', async () => {
    // As an older version, or someone by hand, might have sent it.
    const id = await boss.send('service-orders.offer-timeout', { offerId: 42 }, { retryLimit: 0 });
    const j = await finished(String(id));
    expect(j.state).toBe('failed');
    const message = JSON.stringify(j.output);
    expect(message).toContain('job service-orders.offer-timeout: payload does not match its schema');
    expect(message).toContain('offerId');
    expect(seen).not.toContainEqual({ offerId: 42 });
  });
});
