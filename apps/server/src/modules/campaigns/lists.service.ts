import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import * as repo from './campaigns.repo.ts';
import { assignFairly, mergeRules, periodStart, type TaskRules } from './campaigns.rules.ts';
import { closeUnreached } from './results.service.ts';

/**
 * The daily job (and `npm run`-free tests through `now`): build the day's care-call lists.
 * 1. Close the backlog: open tasks of elders who may no longer be called are cancelled; open
 *    tasks that went unanswered on enough days and were not dialled today end with a visit task.
 * 2. For each active campaign, the elders due in its current period.
 * 3. One task per elder: campaigns due on the same elder are merged; an elder with a task still
 *    open gets the campaigns added to it; an elder who already had a task today waits for tomorrow.
 * 4. New tasks go to the agents of the elder's region, the least loaded first (deterministic).
 * Idempotent: tasks are unique per elder and day, merges are set unions.
 */
export async function buildDailyLists(ctx: AppContext, now: Date) {
  const day = cstDate(now);
  return ctx.db.transaction(async (tx) => {
    const cancelled = (await repo.cancelUncallable(tx, now)).length;
    let unreached = 0;
    for (const { id } of await repo.staleUnreached(tx, day)) {
      const task = await repo.findTaskById(tx, id);
      if (task && (await closeUnreached(tx, task, now))) unreached++;
    }

    const campaigns = await repo.activeCampaigns(tx);
    const due = new Map<string, { regionCode: string; campaigns: repo.CampaignRow[] }>();
    for (const c of campaigns) {
      const from = periodStart(c.frequency, day, cstDate(c.createdAt));
      for (const e of await repo.dueElders(tx, c, day, from, now)) {
        const entry = due.get(e.id) ?? { regionCode: e.region_code, campaigns: [] };
        entry.campaigns.push(c);
        due.set(e.id, entry);
      }
    }

    const existing = await repo.openOrTodayTasks(tx, day);
    const openByElder = new Map(existing.filter((t) => t.status === 'open').map((t) => [t.elderId, t.id]));
    const taskToday = new Set(existing.filter((t) => t.listDate === day).map((t) => t.elderId));

    let merged = 0;
    const fresh: Array<{ elderId: string; regionCode: string; campaigns: repo.CampaignRow[] }> = [];
    for (const [elderId, d] of due) {
      const open = openByElder.get(elderId);
      if (open) {
        await repo.mergeIntoTask(
          tx,
          open,
          d.campaigns.map((c) => c.id),
        );
        merged++;
      } else if (!taskToday.has(elderId)) fresh.push({ elderId, ...d });
    }
    fresh.sort((a, b) =>
      a.regionCode === b.regionCode ? (a.elderId < b.elderId ? -1 : 1) : a.regionCode < b.regionCode ? -1 : 1,
    );

    const agents = (await repo.activeAgents(tx)).map((a) => ({ userId: a.user_id, regionCode: a.region_code }));
    const load = new Map((await repo.openLoad(tx)).map((r) => [r.agent_user_id, r.n]));
    const assigned = assignFairly(fresh, agents, load);
    const created = await repo.insertTasks(
      tx,
      assigned.map((t) => {
        const rules: TaskRules = mergeRules(t.campaigns);
        return {
          elderId: t.elderId,
          regionCode: t.regionCode,
          listDate: day,
          campaignIds: t.campaigns.map((c) => c.id).sort(),
          agentUserId: t.agentUserId,
          ...rules,
        };
      }),
    );
    return { day, created, merged, cancelled, unreached, unassigned: assigned.filter((t) => !t.agentUserId).length };
  });
}
