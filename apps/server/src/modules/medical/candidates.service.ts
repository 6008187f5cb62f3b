import { sql } from 'drizzle-orm';
import { elderVisibleTo } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import * as repo from './medical.repo.ts';
import { signableElders } from './orgs-teams.repo.ts';

/**
 * Elders a team may sign (签约), found by name for the console's form: a doctor reaches the
 * communities their team serves (as signing does), staff also only the elders in their region.
 * Names, ages and communities only — no identifiers.
 */
export async function contractCandidates(ctx: AppContext, actor: Actor, q: { teamId: string; q: string }) {
  const [team] = await repo.listTeams(ctx.db, actor, { id: q.teamId });
  if (team?.status !== 'active') throw notFound('Team');
  const visible = actor.role === 'doctor' ? sql`true` : (elderVisibleTo(actor) ?? sql`true`);
  const rows = await signableElders(ctx.db, { communities: team.communities, visible, q: q.q, today: cstDate() });
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, age: r.age, regionCode: r.region_code, regionName: r.region_name })),
    total: rows.length,
  };
}
