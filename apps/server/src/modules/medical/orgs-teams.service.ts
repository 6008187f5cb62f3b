import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, isUniqueViolation, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentOrg, presentTeam } from './medical.present.ts';
import * as repo from './medical.repo.ts';
import * as edits from './orgs-teams.repo.ts';

// The bureau changes its register of medical organisations and teams (创建 is in medical.service.ts).

export async function updateOrg(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: {
    name?: string;
    kind?: string;
    licenceNo?: string | null;
    address?: string | null;
    phone?: string | null;
    status?: 'active' | 'closed';
  },
) {
  const [org] = await repo.listOrgs(ctx.db, actor, undefined, id);
  if (!org) throw notFound('Medical organisation');
  if (b.status === 'closed' && org.status !== 'closed' && (await edits.activeTeamsOfOrg(ctx.db, id)) > 0)
    throw conflict('This organisation still has active teams; disband them first.', undefined, 'invalid-state');
  try {
    return await ctx.db.transaction(async (tx) => {
      await edits.updateOrg(tx, id, b);
      await recordAudit(tx, {
        actor,
        action: 'medical.org.update',
        targetType: 'medical_org',
        targetId: id,
        regionCode: org.region_code,
        detail: { ...b },
      });
      const [row] = await repo.listOrgs(tx, actor, undefined, id);
      return presentOrg(row);
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict('A medical organisation of this name exists in this region.', undefined, 'duplicate');
    throw e;
  }
}

export async function updateTeam(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { name?: string; communities?: string[]; status?: 'active' | 'disbanded' },
) {
  const [team] = await repo.listTeams(ctx.db, actor, { id });
  if (!team) throw notFound('Team');
  b.communities?.forEach((c, i) => {
    if (c.slice(0, 6) !== team.region_code.slice(0, 6))
      throw validationError(`body.communities.${i}`, 'a community of the organisation’s district');
  });
  const work = await edits.openWorkOfTeam(ctx.db, id);
  if (b.status === 'disbanded' && team.status !== 'disbanded' && work.length > 0)
    throw conflict(
      'This team still holds active contracts or open 家庭病床; end or move them first.',
      undefined,
      'invalid-state',
    );
  const dropped = b.communities ? work.filter((w) => !b.communities?.includes(w.region_code)) : [];
  if (dropped.length)
    throw unprocessable(
      'The team holds active contracts or open 家庭病床 in a community it would no longer serve.',
      dropped.map((w) => ({ path: 'body.communities', message: `${w.region_code}: ${w.n} open` })),
    );
  try {
    return await ctx.db.transaction(async (tx) => {
      await edits.updateTeam(tx, id, b);
      await recordAudit(tx, {
        actor,
        action: 'medical.team.update',
        targetType: 'doctor_team',
        targetId: id,
        regionCode: team.region_code,
        detail: { ...b },
      });
      const [t] = await repo.listTeams(tx, actor, { id });
      return presentTeam(t, await repo.membersOf(tx, [id]));
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This organisation already has a team of this name.', undefined, 'duplicate');
    throw e;
  }
}
