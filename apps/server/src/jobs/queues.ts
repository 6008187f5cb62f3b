import type { SendOptions } from 'pg-boss';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { inTx } from './boss.ts';

/** A scheduled job runs with pg-boss's empty `{}` payload. */
const scheduled = z.object({});

/**
 * Every pg-boss queue of the platform and the payload each job carries. A job's payload is
 * checked against its schema before the handler runs (jobs/workers.ts), so a job sent by an
 * older version or by hand with the wrong shape fails with a clear error instead of running
 * half-way. Add a queue here first, then its `JobDefinition` in the module's `<name>.jobs.ts`.
 */
export const QUEUES = {
  // Safety loop: sent inside the transaction that raised the alarm / stored the event.
  'alarm.escalate': z.object({ alarmId: z.string().min(1), level: z.number().int().min(1).max(2) }),
  'safety.bed-exit-check': z.object({ deviceId: z.string().min(1), eventId: z.number().int(), at: z.string().min(1) }),
  // An institution's bed-bound alarm not taken by its duty staff in time goes to the district centre.
  'alarm.to-centre': z.object({ alarmId: z.string().min(1) }),
  'notification.deliver': z.object({ id: z.string().min(1) }),
  'devices.offline-check': scheduled,
  'safety.inactivity-check': scheduled,
  'safety.not-worn-check': scheduled,
  'safety.monthly-test-check': scheduled,
  'devices.retention': scheduled,
  // Writes one device's secret, topics and status into Mosquitto's dynamic-security plugin (broker-sync).
  'devices.broker-sync': z.object({ deviceId: z.string().min(1) }),
  // Service loop.
  'service-orders.offer-timeout': z.object({ offerId: z.string().min(1) }),
  'service-orders.sweep': scheduled,
  'service-loop.notices': scheduled,
  // Encrypts visit photos stored in clear before 0992 (photos.service).
  'service-orders.photo-backfill': scheduled,
  'policies.grant': scheduled,
  'wallets.freeze-sweep': scheduled,
  // Call centre: after-call work past its maximum becomes idle; calls whose end never came are closed.
  'calls.wrap-up-sweep': scheduled,
  'calls.stale-sweep': scheduled,
  // Call recordings past RECORDING_RETENTION_DAYS are deleted (docs/recordings.md).
  'calls.recording-retention': scheduled,
  // A finished recording's file replaced by its sealed form (recordings.seal.ts): the part the
  // telephony just reported; and on a schedule every part not sealed yet.
  'calls.recording-seal': z.object({ partId: z.string().uuid() }),
  'calls.recording-seal-sweep': scheduled,
  // Elders and accounts.
  'elders.stalled-imports': scheduled,
  // Fills elders.phone_tail4_hash for rows written before it existed (0526).
  'elders.phone-tail-backfill': scheduled,
  // Seals elders.address and the health columns of rows written before 0995 (private_enc).
  'elders.private-backfill': scheduled,
  // Seals health_medications and health_physicals rows written before 0996 (records.sealed.ts).
  'health-records.seal-backfill': scheduled,
  // Seals medical_visits, home_bed_episodes and medical_referrals rows written before 0997 (medical.sealed.ts).
  'medical.seal-backfill': scheduled,
  // Encrypts users.phone for accounts written before 0991 (users.phone.ts).
  'users.phone-backfill': scheduled,
  'auth.prune-login-failures': scheduled,
  // Outbound care calls (主动关爱): the day's call lists, early morning.
  'care-calls.build-lists': scheduled,
  // Meal assistance: the evening's missed-meal check (未就餐提醒).
  'meals.missed-check': scheduled,
  // High-age allowance: the monthly eligibility scan and the daily upkeep (公示 ends, deaths, moves).
  'allowances.eligibility-scan': scheduled,
  'allowances.upkeep': scheduled,
  // Care visits (关爱巡访): nightly planning, hourly escalation, the follow-up sweep.
  'care-visits.plan': scheduled,
  'care-visits.escalate': scheduled,
  'care-visits.follow-up-sweep': scheduled,
  'family-beds.monthly-check': scheduled,
  // Institutions: bed reservations past their time go back to free.
  'institutions.expire-reservations': scheduled,
  // Risk radar: the daily scoring of every elder (风险雷达), early morning.
  'risk-radar.daily': scheduled,
  // 智慧安防 patrols: the runs of each shift, and the close of runs whose window ended (misses → alarm).
  'patrols.generate': scheduled,
  'patrols.close': scheduled,
  // Encrypts hazard photos stored in clear before 0992 (hazards.service).
  'patrols.photo-backfill': scheduled,
  // Credit 信用: the nightly rescoring of every organisation and the listing rule.
  'credit.nightly': scheduled,
  // Supervision 综合监管: closed-month snapshots of the dashboard and the month-end today-only figures.
  'supervision.snapshots': scheduled,
} as const satisfies Record<string, z.ZodType>;

export type QueueName = keyof typeof QUEUES;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]>;

/** Queues that services send into (rather than only schedules): they must exist before the first send. */
export const SENT_QUEUES = [
  'alarm.escalate',
  'safety.bed-exit-check',
  'alarm.to-centre',
  'notification.deliver',
  'devices.broker-sync',
  'service-orders.offer-timeout',
  'calls.recording-seal',
] as const satisfies readonly QueueName[];

/** Create every queue that is sent into; pg-boss refuses a send to a queue that does not exist. */
export async function ensureQueues(boss: { createQueue(name: string): Promise<unknown> }): Promise<void> {
  for (const q of SENT_QUEUES) await boss.createQueue(q);
}

/**
 * Enqueue a job inside the caller's transaction `tx`: the job exists if and only if the change
 * commits. Typed by queue name, so the payload matches what the handler will be checked against.
 * Without a job system (`ctx.boss` null) nothing is sent and null is returned.
 */
export async function sendJob<Q extends QueueName>(
  ctx: Pick<AppContext, 'boss'>,
  tx: DbOrTx,
  queue: Q,
  payload: QueuePayload<Q>,
  options: Omit<SendOptions, 'db'> = {},
): Promise<string | null> {
  if (!ctx.boss) return null;
  return ctx.boss.send(queue, payload as object, { ...inTx(tx), ...options });
}
