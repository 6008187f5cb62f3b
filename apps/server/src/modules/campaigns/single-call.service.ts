import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import * as repo from './campaigns.repo.ts';
import { assignFairly } from './campaigns.rules.ts';
import { careCallTasks } from './campaigns.schema.ts';

/** The hours and retry rules of a call put on the list outside a campaign (the usual ones). */
const SINGLE_CALL_RULES = {
  workStartMinute: 9 * 60,
  workEndMinute: 17 * 60 + 30,
  retryAfterMinutes: 120,
  maxAttemptsPerDay: 3,
  visitAfterDays: 3,
};

/**
 * Put one care call for an elder on `day`'s call list, outside any campaign (the risk radar's
 * "call" button): a task with no campaign (so no script), assigned fairly to an agent of the
 * elder's region like the daily lists do. An elder already on that day's list keeps the task
 * they have. Returns the task, or `null` when the elder asked not to be called.
 */
export async function scheduleSingleCall(tx: DbOrTx, elder: { id: string; regionCode: string; optOut: boolean }, day: string) {
  if (elder.optOut) return null;
  const agents = (await repo.activeAgents(tx)).map((a) => ({ userId: a.user_id, regionCode: a.region_code }));
  const load = new Map((await repo.openLoad(tx)).map((r) => [r.agent_user_id, Number(r.n)]));
  const [row] = assignFairly([{ regionCode: elder.regionCode }], agents, load);
  await repo.insertTasks(tx, [
    {
      elderId: elder.id,
      regionCode: elder.regionCode,
      listDate: day,
      campaignIds: [],
      agentUserId: row.agentUserId,
      ...SINGLE_CALL_RULES,
    },
  ]);
  const [task] = await tx
    .select()
    .from(careCallTasks)
    .where(and(eq(careCallTasks.elderId, elder.id), eq(careCallTasks.listDate, day)));
  return task;
}
