import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import { type BrokerHandle, startBroker } from '../gateway/broker.ts';
import { forwardCommands } from '../gateway/commands.ts';
import { createDeviceGate, intakeOf } from '../gateway/device-gate.ts';
import { EventIntake } from '../gateway/intake.ts';
import { startBoss } from '../jobs/boss.ts';
import { ensureQueues } from '../jobs/queues.ts';
import { runJob } from '../jobs/workers.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { alarmsModule } from '../modules/alarms/alarms.module.ts';
import type { DeviceType } from '../modules/devices/device-types.ts';
import { registerDevice } from '../modules/devices/devices.service.ts';
import { notificationsModule } from '../modules/notifications/notifications.module.ts';
import type { TestDatabase } from './db.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface SafetyServer extends TestServer {
  boss: PgBoss;
  broker: BrokerHandle | null;
  intake: EventIntake;
}

/**
 * The test server plus what the safety loop needs: pg-boss with the safety jobs working (poll
 * every 0.5 s), the shared intake, and optionally the MQTT transport — the embedded Aedes broker
 * on a free port, or a subscription to the external broker at `externalUrl` (Mosquitto).
 */
export async function startSafetyServer(
  opts: {
    mqtt?: 'embedded' | 'external';
    externalUrl?: string;
    listen?: boolean;
    config?: Partial<Config>;
    database?: TestDatabase;
  } = {},
): Promise<SafetyServer> {
  const s = await startTestServer({
    listen: opts.listen,
    database: opts.database,
    config: {
      ...opts.config,
      mqttEnabled: Boolean(opts.mqtt),
      mqttPort: 0,
      mqttUrl: opts.mqtt === 'external' ? (opts.externalUrl ?? 'mqtt://127.0.0.1:1883') : undefined,
    },
  });
  const boss = await startBoss(s.database, { supervise: true, schedule: false });
  s.ctx.boss = boss;
  await ensureQueues(boss);
  // The jobs of the safety loop's modules, as a worker runs them (payload checked first), without their schedules.
  for (const def of [...(alarmsModule.jobs ?? []), ...(notificationsModule.jobs ?? [])]) {
    await boss.createQueue(def.name);
    await boss.work(def.name, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) await runJob(s.ctx, def, job.data);
    });
  }
  const intake = intakeOf(s.ctx, () => new EventIntake(s.ctx));
  const broker = opts.mqtt ? await startBroker(s.ctx.config, s.ctx.log, createDeviceGate(s.ctx, intake)) : null;
  if (broker) forwardCommands(s.ctx, broker);
  return {
    ...s,
    boss,
    broker,
    intake,
    async close() {
      await broker?.close().catch(() => {});
      await boss.stop({ graceful: false, timeout: 2000 }).catch(() => {});
      await s.close();
    },
  };
}

let seq = 0;
/** Register a device directly through the service (as the system); returns the id and secret. */
export async function createDevice(
  ctx: AppContext,
  opts: { type?: DeviceType; elderId?: string | null; regionCode?: string; id?: string } = {},
) {
  const id = opts.id ?? `T${Date.now().toString(36)}${++seq}`;
  const r = await registerDevice(ctx, SYSTEM_ACTOR, {
    id,
    type: opts.type ?? 'pendant',
    elderId: opts.elderId ?? null,
    regionCode: opts.regionCode,
  });
  return { id, secret: r.secret };
}

/** An event body per the device protocol. */
export function eventBody(type: string, data: Record<string, unknown> = {}, msgId = `m-${Math.random().toString(36).slice(2)}`) {
  return { msgId, ts: new Date().toISOString(), type, data };
}

export const waitFor = async <T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000, step = 50): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, step));
  }
};
