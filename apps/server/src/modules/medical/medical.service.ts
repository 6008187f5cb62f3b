import type { ContractPackage, TeamMemberRole } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { actorCoversRegion, elderVisibleTo } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, isUniqueViolation, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentContract, presentOrg, presentTeam } from './medical.present.ts';
import * as repo from './medical.repo.ts';
import { setMemberRole } from './orgs-teams.repo.ts';

// Organisations, teams and members, contracts (签约) and the 健康管理率.

export async function listOrgs(ctx: AppContext, actor: Actor, regionCode?: string) {
  const rows = await repo.listOrgs(ctx.db, actor, regionCode);
  return { items: rows.map(presentOrg), total: rows.length };
}

export async function createOrg(
  ctx: AppContext,
  actor: Actor,
  b: { name: string; kind: string; regionCode: string; licenceNo?: string; address?: string; phone?: string },
) {
  if (!actorCoversRegion(actor, b.regionCode)) throw validationError('body.regionCode', 'unknown region or outside your scope');
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await repo.insertOrg(tx, b);
      await recordAudit(tx, {
        actor,
        action: 'medical.org.create',
        targetType: 'medical_org',
        targetId: id,
        regionCode: b.regionCode,
        detail: { name: b.name, kind: b.kind },
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

async function teamOut(ctx: AppContext, db: typeof ctx.db, actor: Actor, id: string) {
  const [t] = await repo.listTeams(db, actor, { id });
  if (!t) throw notFound('Team');
  return presentTeam(t, await repo.membersOf(db, [t.id]));
}

export async function listTeams(
  ctx: AppContext,
  actor: Actor,
  q: { orgId?: string; regionCode?: string; mine?: 'true' | 'false' },
) {
  const rows = await repo.listTeams(ctx.db, actor, { ...q, mine: q.mine === 'true' });
  const members = await repo.membersOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((t) => presentTeam(t, members)), total: rows.length };
}

export async function createTeam(ctx: AppContext, actor: Actor, b: { orgId: string; name: string; communities: string[] }) {
  const [org] = await repo.listOrgs(ctx.db, actor, undefined, b.orgId);
  if (!org) throw notFound('Medical organisation');
  b.communities.forEach((c, i) => {
    if (c.slice(0, 6) !== org.region_code.slice(0, 6))
      throw validationError(`body.communities.${i}`, 'a community of the organisation’s district');
  });
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await repo.insertTeam(tx, {
        orgId: org.id,
        name: b.name,
        regionCode: org.region_code,
        communities: b.communities,
      });
      await recordAudit(tx, {
        actor,
        action: 'medical.team.create',
        targetType: 'doctor_team',
        targetId: id,
        regionCode: org.region_code,
        detail: { orgId: org.id, name: b.name, communities: b.communities },
      });
      return teamOut(ctx, tx as never, actor, id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This organisation already has a team of this name.', undefined, 'duplicate');
    throw e;
  }
}

async function userOf(ctx: AppContext, username: string | null | undefined) {
  if (username === undefined || username === null || username === '') return username === undefined ? undefined : null;
  const id = await repo.doctorUserId(ctx.db, username);
  if (!id) throw validationError('body.username', 'no active account of role doctor with this username');
  return id;
}

export async function addMember(
  ctx: AppContext,
  actor: Actor,
  teamId: string,
  b: { name: string; role: TeamMemberRole; licenceNo?: string; phone?: string; isLeader?: boolean; username?: string },
) {
  const [team] = await repo.listTeams(ctx.db, actor, { id: teamId });
  if (!team) throw notFound('Team');
  const userId = (await userOf(ctx, b.username)) ?? null;
  if ((b.role === 'doctor' || b.role === 'public_health') && !b.licenceNo)
    throw validationError('body.licenceNo', 'a doctor’s practising licence number is required');
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await repo.insertMember(tx, { teamId, userId, ...b });
      await recordAudit(tx, {
        actor,
        action: 'medical.team.member.add',
        targetType: 'doctor_team',
        targetId: teamId,
        regionCode: team.region_code,
        detail: { memberId: id, name: b.name, role: b.role, userId },
      });
      return teamOut(ctx, tx as never, actor, teamId);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This login is already a member of the team.', undefined, 'duplicate');
    throw e;
  }
}

export async function updateMember(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { role?: TeamMemberRole; isLeader?: boolean; active?: boolean; username?: string | null; licenceNo?: string },
) {
  const m = await repo.findMember(ctx.db, id);
  const [team] = m ? await repo.listTeams(ctx.db, actor, { id: m.team_id }) : [];
  if (!m || !team) throw notFound('Team member');
  const userId = await userOf(ctx, b.username);
  const role = b.role ?? m.role;
  if ((role === 'doctor' || role === 'public_health') && !(b.licenceNo || m.licence_no))
    throw validationError('body.licenceNo', 'a doctor’s practising licence number is required');
  try {
    return await ctx.db.transaction(async (tx) => {
      await repo.updateMember(tx, id, { active: b.active, userId, licenceNo: b.licenceNo });
      if (b.role !== undefined || b.isLeader !== undefined)
        await setMemberRole(tx, id, m.team_id, { role: b.role, isLeader: b.isLeader });
      await recordAudit(tx, {
        actor,
        action: 'medical.team.member.update',
        targetType: 'doctor_team',
        targetId: m.team_id,
        regionCode: team.region_code,
        detail: { memberId: id, active: b.active, userId, role: b.role, isLeader: b.isLeader },
      });
      return teamOut(ctx, tx as never, actor, m.team_id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This login is already a member of the team.', undefined, 'duplicate');
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Contracts

export async function listContracts(
  ctx: AppContext,
  actor: Actor,
  q: repo.ContractFilter & { limit: number; page: number; count?: boolean },
) {
  const today = cstDate();
  const rows = await repo.listContracts(ctx.db, actor, q, today, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map(presentContract),
    ...(q.count ? { total: await repo.countContracts(ctx.db, actor, q) } : {}),
  };
}

/**
 * The team an actor may sign for, and whether it serves the elder's community. A doctor signs for
 * their own teams (and reaches elders of the communities those teams serve); staff for teams in reach.
 */
async function teamFor(ctx: AppContext, actor: Actor, teamId: string) {
  const [team] = await repo.listTeams(ctx.db, actor, { id: teamId });
  if (team?.status !== 'active') throw notFound('Team');
  return team;
}

async function elderForContract(ctx: AppContext, actor: Actor, elderId: string, team: repo.TeamRow, today: string) {
  const visible =
    actor.role === 'doctor'
      ? sql`(${elderVisibleTo(actor)} OR elders.region_code = ANY (${sql`ARRAY[${sql.join(
          team.communities.map((c) => sql`${c}`),
          sql`, `,
        )}]::text[]`}))`
      : (elderVisibleTo(actor) ?? sql`true`);
  const elder = await repo.findElder(ctx.db, visible, elderId, today);
  if (!elder) throw notFound('Elder');
  if (!team.communities.includes(elder.region_code))
    throw unprocessable('This team does not serve the elder’s community; choose a team that does.', [
      { path: 'body.teamId', message: 'does not serve the elder’s community' },
    ]);
  return elder;
}

export async function signContract(
  ctx: AppContext,
  actor: Actor,
  b: { elderId: string; teamId: string; package: ContractPackage; startsOn: string; endsOn?: string },
) {
  const today = cstDate();
  const team = await teamFor(ctx, actor, b.teamId);
  const elder = await elderForContract(ctx, actor, b.elderId, team, today);
  const endsOn = b.endsOn ?? addDays(addOneYear(b.startsOn), -1);
  if (endsOn <= b.startsOn) throw validationError('body.endsOn', 'must be after startsOn');
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await repo.insertContract(tx, {
        elderId: elder.id,
        teamId: team.id,
        regionCode: elder.region_code,
        package: b.package,
        startsOn: b.startsOn,
        endsOn,
        signedBy: actor.id,
      });
      await recordAudit(tx, {
        actor,
        action: 'medical.contract.sign',
        targetType: 'doctor_contract',
        targetId: id,
        regionCode: elder.region_code,
        detail: { elderId: elder.id, teamId: team.id, package: b.package, startsOn: b.startsOn, endsOn },
      });
      return presentContract(await contractAsSystem(tx, id, today));
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict('This elder already has an active contract; renew or end it first.', undefined, 'duplicate');
    throw e;
  }
}

/** The contract as written (the caller reached it a moment ago; a renewal's new row by the same rule). */
async function contractAsSystem(db: Parameters<typeof repo.findContract>[0], id: string, today: string) {
  return (await repo.findContract(db, SYSTEM_ACTOR, id, today)) as repo.ContractRow;
}

function addOneYear(day: string) {
  const [y, m, d] = day.split('-').map(Number);
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  // 29 February + 1 year is 1 March; keep the last day of February.
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

export async function renewContract(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { package?: ContractPackage; endsOn?: string },
) {
  const today = cstDate();
  const old = await repo.findContract(ctx.db, actor, id, today);
  if (!old) throw notFound('Contract');
  if (old.status !== 'active') throw conflict('Only an active contract can be renewed.', undefined, 'invalid-state');
  const startsOn = addDays(old.ends_on, 1);
  const endsOn = b.endsOn ?? addDays(addOneYear(startsOn), -1);
  if (endsOn <= startsOn) throw validationError('body.endsOn', `must be after ${startsOn}`);
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.closeContract(tx, id, 'renewed', null)))
      throw conflict('Someone changed this contract meanwhile.', undefined, 'changed-meanwhile');
    const newId = await repo.insertContract(tx, {
      elderId: old.elder_id,
      teamId: old.team_id,
      regionCode: old.region_code,
      package: b.package ?? old.package,
      startsOn,
      endsOn,
      previousId: old.id,
      signedBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'medical.contract.renew',
      targetType: 'doctor_contract',
      targetId: newId,
      regionCode: old.region_code,
      detail: { elderId: old.elder_id, previousId: old.id, startsOn, endsOn, package: b.package ?? old.package },
    });
    return presentContract(await contractAsSystem(tx, newId, today));
  });
}

export async function endContract(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const today = cstDate();
  const old = await repo.findContract(ctx.db, actor, id, today);
  if (!old) throw notFound('Contract');
  if (old.status !== 'active') throw conflict('This contract is not active.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.closeContract(tx, id, 'ended', reason)))
      throw conflict('Someone changed this contract meanwhile.', undefined, 'changed-meanwhile');
    await recordAudit(tx, {
      actor,
      action: 'medical.contract.end',
      targetType: 'doctor_contract',
      targetId: id,
      regionCode: old.region_code,
      detail: { elderId: old.elder_id, reason },
    });
    return presentContract(await contractAsSystem(tx, id, today));
  });
}

export async function coverage(ctx: AppContext, actor: Actor, regionCode?: string) {
  const today = cstDate();
  const rows = await repo.coverage(ctx.db, actor, today, regionCode);
  const rate = (c: number, n: number) => (n === 0 ? 0 : Math.round((c / n) * 10000) / 10000);
  const communities = rows.map((r) => ({
    regionCode: r.region_code,
    regionName: r.region_name,
    elders65: r.elders65,
    contracted65: r.contracted65,
    rate: rate(r.contracted65, r.elders65),
  }));
  const elders65 = rows.reduce((s, r) => s + r.elders65, 0);
  const contracted65 = rows.reduce((s, r) => s + r.contracted65, 0);
  return {
    asOf: today,
    total: {
      regionCode: regionCode ?? actor.regionCode ?? '',
      regionName: null,
      elders65,
      contracted65,
      rate: rate(contracted65, elders65),
    },
    communities,
  };
}
