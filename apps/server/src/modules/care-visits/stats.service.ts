import { CARE_GROUPS, type CareFindingType, type CareGroup } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { validationError } from '../../lib/errors.ts';
import * as repo from './stats.repo.ts';

export async function stats(ctx: AppContext, actor: Actor, q: { regionCode?: string; from: string; to: string }) {
  if (q.from > q.to) throw validationError('query.to', 'must not be before from');
  if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > 366) throw validationError('query.from', 'at most a year');
  const today = cstDate();
  const [groups, findings, fus, communities, workers] = await Promise.all([
    repo.coverageByGroup(ctx.db, actor, q.regionCode, q.to),
    repo.findingsByType(ctx.db, actor, q.regionCode, q.from, q.to),
    repo.followUpFigures(ctx.db, actor, q.regionCode, q.from, q.to, today),
    repo.byCommunity(ctx.db, actor, q.regionCode, q.from, q.to, today),
    repo.byWorker(ctx.db, actor, q.regionCode, q.from, q.to, today),
  ]);
  const order = (g: string) => CARE_GROUPS.indexOf(g as CareGroup);
  return {
    from: q.from,
    to: q.to,
    groups: groups
      .sort((a, b) => order(a.group) - order(b.group))
      .map((g) => ({ group: g.group as CareGroup, elders: g.elders, planned: g.planned, visitedInPlan: g.visited_in_plan })),
    findingsByType: findings.map((f) => ({ type: f.type as CareFindingType, count: f.count })),
    followUps: {
      total: fus.total,
      closed: fus.closed,
      closedOnTime: fus.closed_on_time,
      open: fus.open,
      overdue: fus.overdue,
    },
    communities: communities.map((c) => ({
      regionCode: c.region_code,
      regionName: c.region_name,
      planned: c.planned,
      visitedInPlan: c.visited_in_plan,
      visits: c.visits,
      overdue: c.overdue,
      findings: c.findings,
    })),
    workers: workers.map((w) => ({
      userId: w.user_id,
      name: w.name,
      visits: w.visits,
      overdue: w.overdue,
      findings: w.findings,
    })),
  };
}
