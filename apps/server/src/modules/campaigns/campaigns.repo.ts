import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { birthdaysOfWeek, bornBy } from './campaigns.rules.ts';
import {
  type CampaignTarget,
  type CareCallResult,
  careCallAnswers,
  careCallAttempts,
  careCallCampaigns,
  careCallTasks,
  careVisitTasks,
  elderCareCallFlags,
} from './campaigns.schema.ts';

export type CampaignRow = typeof careCallCampaigns.$inferSelect;
export type TaskRow = typeof careCallTasks.$inferSelect;
export type VisitRow = typeof careVisitTasks.$inferSelect;

// ---- Campaigns ----

/**
 * Campaigns the actor sees: those inside the actor's region subtree and those whose region
 * contains the actor's (a district campaign is seen by the street's staff).
 */
function campaignVisible(actor: Actor): SQL | undefined {
  const inside = regionScope(careCallCampaigns.regionCode, actor);
  if (!inside || actor.regionCode === null) return inside;
  return or(inside, sql`${actor.regionCode} LIKE ${careCallCampaigns.regionCode} || '%'`);
}

export const listCampaigns = (db: DbOrTx, actor: Actor, includeInactive: boolean) =>
  db
    .select()
    .from(careCallCampaigns)
    .where(and(campaignVisible(actor), includeInactive ? undefined : eq(careCallCampaigns.active, true)))
    .orderBy(asc(careCallCampaigns.createdAt), asc(careCallCampaigns.id));

export async function findCampaign(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select()
      .from(careCallCampaigns)
      .where(and(eq(careCallCampaigns.id, id), campaignVisible(actor)))
      .limit(1)
  )[0];
}

export const activeCampaigns = (db: DbOrTx) =>
  db.select().from(careCallCampaigns).where(eq(careCallCampaigns.active, true)).orderBy(asc(careCallCampaigns.createdAt));

export const campaignsByIds = (db: DbOrTx, ids: string[]) =>
  ids.length
    ? db.select().from(careCallCampaigns).where(inArray(careCallCampaigns.id, ids))
    : Promise.resolve([] as CampaignRow[]);

export async function insertCampaign(db: DbOrTx, v: typeof careCallCampaigns.$inferInsert) {
  return (await db.insert(careCallCampaigns).values(v).returning())[0];
}

export async function updateCampaign(db: DbOrTx, id: string, patch: Partial<typeof careCallCampaigns.$inferInsert>) {
  return (
    await db
      .update(careCallCampaigns)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(careCallCampaigns.id, id))
      .returning()
  )[0];
}

// ---- Building the day's lists ----

/**
 * The elders a campaign calls on `day`: in its region, active (not in hospital, deceased or moved
 * away), not asking to be left alone, matching every condition of the rule, and not yet called
 * by this campaign in its current period (a task listing it built since `periodFrom`, or still open).
 */
export async function dueElders(
  db: DbOrTx,
  c: { id: string; regionCode: string; target: CampaignTarget },
  day: string,
  periodFrom: string,
  now: Date,
) {
  const t = c.target;
  const conds: SQL[] = [
    sql`e.region_code LIKE ${`${escapeLike(c.regionCode)}%`}`,
    sql`e.status = 'active'`,
    sql`NOT e.care_call_opt_out`,
  ];
  if (t.livingSituations?.length)
    conds.push(
      sql`e.living_situation IN (${sql.join(
        t.livingSituations.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (t.minAge !== undefined) conds.push(sql`e.birth_date <= ${bornBy(day, t.minAge)}::date`);
  if (t.birthdayThisWeek)
    conds.push(
      sql`to_char(e.birth_date, 'MM-DD') IN (${sql.join(
        birthdaysOfWeek(day).map((d) => sql`${d}`),
        sql`, `,
      )})`,
    );
  if (t.noHeartbeatHours !== undefined) {
    const since = new Date(now.getTime() - t.noHeartbeatHours * 3600_000);
    conds.push(sql`EXISTS (SELECT 1 FROM devices d WHERE d.elder_id = e.id AND d.status = 'active')`);
    conds.push(sql`NOT EXISTS (SELECT 1 FROM devices d WHERE d.elder_id = e.id AND d.status = 'active'
      AND d.last_seen_at >= ${since.toISOString()}::timestamptz)`);
  }
  // A bed in service (家庭养老床位 服务中): a suspended one (a hospital stay) is not called at home.
  if (t.openFamilyCareBed) conds.push(sql`EXISTS (SELECT 1 FROM family_beds f WHERE f.elder_id = e.id AND f.status = 'active')`);
  conds.push(sql`NOT EXISTS (SELECT 1 FROM care_call_tasks t WHERE t.elder_id = e.id
    AND t.campaign_ids @> ARRAY[${c.id}::uuid] AND (t.list_date >= ${periodFrom}::date OR t.status = 'open'))`);
  return queryRows<{ id: string; region_code: string }>(
    db,
    sql`SELECT e.id, e.region_code FROM elders e WHERE ${sql.join(conds, sql` AND `)} ORDER BY e.region_code, e.id`,
  );
}

/** The tasks that may absorb today's campaigns: every open task, and those built today. */
export const openOrTodayTasks = (db: DbOrTx, day: string) =>
  db
    .select({
      id: careCallTasks.id,
      elderId: careCallTasks.elderId,
      status: careCallTasks.status,
      listDate: careCallTasks.listDate,
    })
    .from(careCallTasks)
    .where(or(eq(careCallTasks.status, 'open'), eq(careCallTasks.listDate, day)));

/** Agents of the call centre (call_agents, owned by the calls module) with an active account. */
export const activeAgents = (db: DbOrTx) =>
  queryRows<{ user_id: string; region_code: string }>(
    db,
    sql`SELECT a.user_id, a.region_code FROM call_agents a JOIN users u ON u.id = a.user_id
         WHERE u.status = 'active' ORDER BY a.user_id`,
  );

/** Open tasks per agent: the load the fair assignment starts from. */
export const openLoad = (db: DbOrTx) =>
  queryRows<{ agent_user_id: string; n: number }>(
    db,
    sql`SELECT agent_user_id, count(*)::int AS n FROM care_call_tasks
         WHERE status = 'open' AND agent_user_id IS NOT NULL GROUP BY agent_user_id`,
  );

export async function insertTasks(db: DbOrTx, rows: Array<typeof careCallTasks.$inferInsert>) {
  let n = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const r = await db
      .insert(careCallTasks)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing({ target: [careCallTasks.elderId, careCallTasks.listDate] })
      .returning({ id: careCallTasks.id });
    n += r.length;
  }
  return n;
}

/** Add campaigns to an open task (a set union, so running twice changes nothing). */
export const mergeIntoTask = (db: DbOrTx, taskId: string, campaignIds: string[]) =>
  db.execute(sql`UPDATE care_call_tasks
      SET campaign_ids = ARRAY(SELECT DISTINCT x FROM unnest(campaign_ids || ${`{${campaignIds.join(',')}}`}::uuid[]) AS x ORDER BY x)
    WHERE id = ${taskId} AND status = 'open' AND NOT campaign_ids @> ${`{${campaignIds.join(',')}}`}::uuid[]`);

/** Open tasks of elders who may no longer be called: cancelled. */
export const cancelUncallable = (db: DbOrTx, now: Date) =>
  queryRows<{ id: string }>(
    db,
    sql`UPDATE care_call_tasks t SET status = 'cancelled', closed_at = ${now.toISOString()}::timestamptz, next_attempt_at = NULL
          FROM elders e
         WHERE t.elder_id = e.id AND t.status = 'open' AND (e.status <> 'active' OR e.care_call_opt_out)
        RETURNING t.id`,
  );

/** Open tasks that went unanswered on enough days and were not dialled today: to be closed with a visit. */
export const staleUnreached = (db: DbOrTx, day: string) =>
  queryRows<{ id: string }>(
    db,
    sql`SELECT t.id FROM care_call_tasks t
         WHERE t.status = 'open'
           AND (SELECT count(DISTINCT a.attempt_date) FROM care_call_attempts a
                 WHERE a.task_id = t.id AND a.result IN ('no_answer', 'busy')) >= t.visit_after_days
           AND NOT EXISTS (SELECT 1 FROM care_call_attempts a WHERE a.task_id = t.id AND a.attempt_date >= ${day}::date)`,
  );

// ---- Tasks and results ----

/** A task the actor may work: assigned to them, or in their region subtree. Locked when `forUpdate`. */
export async function findTask(db: DbOrTx, actor: Actor, id: string, forUpdate = false) {
  const q = db
    .select()
    .from(careCallTasks)
    .where(
      and(
        eq(careCallTasks.id, id),
        or(actor.id ? eq(careCallTasks.agentUserId, actor.id) : undefined, regionScope(careCallTasks.regionCode, actor)),
      ),
    )
    .limit(1);
  return (forUpdate ? await q.for('update') : await q)[0];
}

export const findTaskById = async (db: DbOrTx, id: string) =>
  (await db.select().from(careCallTasks).where(eq(careCallTasks.id, id)).limit(1))[0];

/** The agent's list for `day`: open tasks built up to that day, and tasks closed that day. */
export async function tasksOfAgent(db: DbOrTx, agentId: string, day: string, dayStart: Date) {
  return db
    .select()
    .from(careCallTasks)
    .where(
      and(
        eq(careCallTasks.agentUserId, agentId),
        sql`${careCallTasks.listDate} <= ${day}::date`,
        or(eq(careCallTasks.status, 'open'), sql`${careCallTasks.closedAt} >= ${dayStart.toISOString()}::timestamptz`),
      ),
    )
    .orderBy(
      sql`${careCallTasks.status} <> 'open'`,
      sql`${careCallTasks.nextAttemptAt} ASC NULLS FIRST`,
      asc(careCallTasks.listDate),
      asc(careCallTasks.regionCode),
      asc(careCallTasks.id),
    );
}

/** A day's tasks within the actor's region (supervisors). */
export const tasksOfDay = (db: DbOrTx, actor: Actor, day: string, f: { status?: TaskRow['status']; unassigned?: boolean }) =>
  db
    .select()
    .from(careCallTasks)
    .where(
      and(
        regionScope(careCallTasks.regionCode, actor),
        eq(careCallTasks.listDate, day),
        f.status ? eq(careCallTasks.status, f.status) : undefined,
        f.unassigned ? isNull(careCallTasks.agentUserId) : undefined,
      ),
    )
    .orderBy(asc(careCallTasks.regionCode), asc(careCallTasks.agentUserId), asc(careCallTasks.id))
    .limit(1000);

export const elderNames = async (db: DbOrTx, ids: string[]) =>
  new Map(
    ids.length
      ? (
          await queryRows<{ id: string; name: string }>(
            db,
            sql`SELECT id, name FROM elders WHERE id IN (${sql.join(
              ids.map((i) => sql`${i}::uuid`),
              sql`, `,
            )})`,
          )
        ).map((r) => [r.id, r.name])
      : [],
  );

/** Dials per task on a day. */
export async function attemptsOnDay(db: DbOrTx, taskIds: string[], day: string) {
  if (!taskIds.length) return new Map<string, number>();
  const rows = await queryRows<{ task_id: string; n: number }>(
    db,
    sql`SELECT task_id, count(*)::int AS n FROM care_call_attempts
         WHERE attempt_date = ${day}::date AND task_id IN (${sql.join(
           taskIds.map((i) => sql`${i}::uuid`),
           sql`, `,
         )}) GROUP BY task_id`,
  );
  return new Map(rows.map((r) => [r.task_id, r.n]));
}

export const findAttempt = async (db: DbOrTx, taskId: string, key: string) =>
  (
    await db
      .select()
      .from(careCallAttempts)
      .where(and(eq(careCallAttempts.taskId, taskId), eq(careCallAttempts.attemptKey, key)))
      .limit(1)
  )[0];

export async function insertAttempt(db: DbOrTx, v: typeof careCallAttempts.$inferInsert) {
  return (await db.insert(careCallAttempts).values(v).onConflictDoNothing().returning())[0];
}

/** The dial's call record (the calls module wrote it in the same transaction). */
export const setAttemptCall = (db: DbOrTx, attemptId: string, callId: string) =>
  db.update(careCallAttempts).set({ callId }).where(eq(careCallAttempts.id, attemptId));

/** The call record of each task's latest dial. */
export async function lastCallIds(db: DbOrTx, taskIds: string[]) {
  if (!taskIds.length) return new Map<string, string>();
  const rows = await queryRows<{ task_id: string; call_id: string | null }>(
    db,
    sql`SELECT DISTINCT ON (task_id) task_id, call_id FROM care_call_attempts
         WHERE task_id IN (${sql.join(
           taskIds.map((i) => sql`${i}::uuid`),
           sql`, `,
         )}) ORDER BY task_id, at DESC, id DESC`,
  );
  return new Map(rows.filter((r) => r.call_id).map((r) => [r.task_id, r.call_id as string]));
}

export const insertAnswers = (db: DbOrTx, rows: Array<typeof careCallAnswers.$inferInsert>) =>
  rows.length ? db.insert(careCallAnswers).values(rows) : Promise.resolve();

/** The distinct days on which the task was dialled without an answer. */
export async function unansweredDays(db: DbOrTx, taskId: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(DISTINCT attempt_date)::int AS n FROM care_call_attempts
         WHERE task_id = ${taskId} AND result IN ('no_answer', 'busy')`,
  );
  return r?.n ?? 0;
}

export const countAttempts = async (db: DbOrTx, taskId: string) => {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM care_call_attempts WHERE task_id = ${taskId}`,
  );
  return r?.n ?? 0;
};

export async function updateTask(db: DbOrTx, id: string, patch: Partial<typeof careCallTasks.$inferInsert>) {
  return (await db.update(careCallTasks).set(patch).where(eq(careCallTasks.id, id)).returning())[0];
}

// ---- Visit tasks ----

/** One visit task per care-call task: a second insert for the same task does nothing. */
export async function insertVisit(db: DbOrTx, v: typeof careVisitTasks.$inferInsert) {
  return (await db.insert(careVisitTasks).values(v).onConflictDoNothing().returning())[0];
}

export const listVisits = (db: DbOrTx, actor: Actor, openOnly: boolean) =>
  db
    .select()
    .from(careVisitTasks)
    .where(
      and(
        elderVisibleTo(actor, careVisitTasks.elderId, careVisitTasks.regionCode),
        openOnly ? isNull(careVisitTasks.doneAt) : undefined,
      ),
    )
    .orderBy(desc(careVisitTasks.createdAt), asc(careVisitTasks.id))
    .limit(500);

export async function findVisit(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select()
      .from(careVisitTasks)
      .where(and(eq(careVisitTasks.id, id), elderVisibleTo(actor, careVisitTasks.elderId, careVisitTasks.regionCode)))
      .limit(1)
      .for('update')
  )[0];
}

export async function updateVisit(db: DbOrTx, id: string, patch: Partial<typeof careVisitTasks.$inferInsert>) {
  return (await db.update(careVisitTasks).set(patch).where(eq(careVisitTasks.id, id)).returning())[0];
}

// ---- Do not call ----

export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<{
    id: string;
    region_code: string;
    care_call_opt_out: boolean;
    care_call_opt_out_reason: string | null;
  }>(
    db,
    sql`SELECT id, region_code, care_call_opt_out, care_call_opt_out_reason FROM elders
         WHERE id = ${id}::uuid AND ${elderVisibleTo(actor) ?? sql`true`} FOR UPDATE`,
  );
  return r;
}

export const setOptOut = (db: DbOrTx, id: string, optOut: boolean, reason: string | null) =>
  db.update(elderCareCallFlags).set({ careCallOptOut: optOut, careCallOptOutReason: reason }).where(sql`id = ${id}::uuid`);

export const cancelOpenTasksOf = (db: DbOrTx, elderId: string, now: Date) =>
  db
    .update(careCallTasks)
    .set({ status: 'cancelled', closedAt: now, nextAttemptAt: null })
    .where(and(eq(careCallTasks.elderId, elderId), eq(careCallTasks.status, 'open')));

// ---- Coverage ----

export interface CoverageCounts {
  targeted: number;
  reached: number;
  open: number;
  unreached: number;
  attempts: number;
  answered_attempts: number;
  visits: number;
  orders: number;
  alarms: number;
  complaints: number;
}

/** The campaign's tasks built in [from, to], within the actor's region: counts. */
export async function coverageCounts(db: DbOrTx, actor: Actor, campaignId: string, from: string, to: string) {
  const scope = regionScope(sql.raw('t.region_code'), actor) ?? sql`true`;
  const [r] = await queryRows<CoverageCounts>(
    db,
    sql`WITH tt AS (
          SELECT t.id, t.status FROM care_call_tasks t
           WHERE t.campaign_ids @> ARRAY[${campaignId}::uuid] AND t.list_date BETWEEN ${from}::date AND ${to}::date AND ${scope})
        SELECT (SELECT count(*) FROM tt)::int AS targeted,
               (SELECT count(*) FROM tt WHERE status = 'answered')::int AS reached,
               (SELECT count(*) FROM tt WHERE status = 'open')::int AS open,
               (SELECT count(*) FROM tt WHERE status = 'unreached')::int AS unreached,
               (SELECT count(*) FROM care_call_attempts a JOIN tt ON tt.id = a.task_id)::int AS attempts,
               (SELECT count(*) FROM care_call_attempts a JOIN tt ON tt.id = a.task_id WHERE a.result = 'answered')::int AS answered_attempts,
               (SELECT count(*) FROM care_visit_tasks v JOIN tt ON tt.id = v.task_id)::int AS visits,
               -- Follow-ups made from the campaign's calls; one alarm can merge several calls: counted once.
               (SELECT count(DISTINCT c.order_id) FROM calls c JOIN tt ON tt.id = c.campaign_task_id)::int AS orders,
               (SELECT count(DISTINCT c.alarm_id) FROM calls c JOIN tt ON tt.id = c.campaign_task_id)::int AS alarms,
               (SELECT count(DISTINCT c.complaint_id) FROM calls c JOIN tt ON tt.id = c.campaign_task_id)::int AS complaints`,
  );
  return r;
}

/** The answers to the campaign's questions in its tasks of [from, to], counted per key and value. */
export async function answerTallies(db: DbOrTx, actor: Actor, campaignId: string, from: string, to: string) {
  const scope = regionScope(sql.raw('t.region_code'), actor) ?? sql`true`;
  return queryRows<{ question_key: string; choice: string | null; scale: number | null; has_text: boolean; n: number }>(
    db,
    sql`SELECT a.question_key, a.choice, a.scale, (a.text_value IS NOT NULL) AS has_text, count(*)::int AS n
          FROM care_call_answers a JOIN care_call_tasks t ON t.id = a.task_id
         WHERE t.campaign_ids @> ARRAY[${campaignId}::uuid] AND t.list_date BETWEEN ${from}::date AND ${to}::date AND ${scope}
         GROUP BY 1, 2, 3, 4`,
  );
}

export type { CareCallResult };
