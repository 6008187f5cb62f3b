import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isPersonAccount, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';

// Organisations, teams, members and contracts. Visits, episodes, referrals: care.repo.ts.

export const and = (parts: Array<SQL | undefined | false>) => {
  const list = parts.filter((p): p is SQL => Boolean(p));
  return list.length ? sql.join(list, sql` AND `) : sql`true`;
};
const like = (prefix: string) => `${escapeLike(prefix)}%`;

/** The teams a doctor account is an active member of, as a sub-select of team ids. */
export const myTeams = (actor: Actor) =>
  sql`(SELECT m.team_id FROM doctor_team_members m WHERE m.user_id = ${actor.id}::uuid AND m.active)`;

/**
 * The actor's reach over a medical record: region staff by the row's region, a doctor by the
 * row's team, an elder or family account by the row's elder; anyone else nothing. Plus an
 * optional narrower region filter.
 */
export function reach(actor: Actor, cols: { region: SQL; team?: SQL; elder?: SQL }, regionCode?: string) {
  let base: SQL;
  if (actor.role === 'doctor' && actor.id && cols.team) base = sql`${cols.team} IN ${myTeams(actor)}`;
  else if (isPersonAccount(actor) && actor.id && cols.elder)
    base = sql`${cols.elder} = (SELECT u.elder_id FROM users u WHERE u.id = ${actor.id})`;
  else base = regionScope(cols.region, actor) ?? sql`true`;
  return and([base, regionCode ? sql`${cols.region} LIKE ${like(regionCode)}` : undefined]);
}

/** Age in whole years on `day` (China date) of a birth date column. */
export const ageOn = (birth: SQL, day: string) => sql`date_part('year', age(${day}::date, ${birth}))::int`;

// ---------------------------------------------------------------------------------------------
// Organisations

export interface OrgRow {
  id: string;
  name: string;
  kind: string;
  region_code: string;
  region_name: string | null;
  licence_no: string | null;
  address: string | null;
  phone: string | null;
  status: string;
  teams: number;
}

/** Organisations: staff see those in their region; a doctor those of their teams. */
export async function listOrgs(db: DbOrTx, actor: Actor, regionCode?: string, id?: string) {
  const scope =
    actor.role === 'doctor'
      ? sql`o.id IN (SELECT t.org_id FROM doctor_teams t WHERE t.id IN ${myTeams(actor)})`
      : actor.role === 'institution_staff'
        ? sql`o.id IN (SELECT p.medical_org_id FROM medical_partnerships p WHERE p.org_id = ${actor.orgId}::uuid AND p.status = 'active')`
        : and([
            regionScope(sql`o.region_code`, actor) ?? sql`true`,
            regionCode ? sql`o.region_code LIKE ${like(regionCode)}` : undefined,
          ]);
  return queryRows<OrgRow>(
    db,
    sql`SELECT o.id, o.name, o.kind, o.region_code, r.name AS region_name, o.licence_no, o.address, o.phone, o.status,
        (SELECT count(*)::int FROM doctor_teams t WHERE t.org_id = o.id AND t.status = 'active') AS teams
      FROM medical_orgs o LEFT JOIN regions r ON r.code = o.region_code
      WHERE ${scope} ${id ? sql`AND o.id = ${id}` : sql``}
      ORDER BY o.region_code, o.name LIMIT 500`,
  );
}

export async function insertOrg(
  tx: DbOrTx,
  o: { name: string; kind: string; regionCode: string; licenceNo?: string; address?: string; phone?: string; isDemo?: boolean },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO medical_orgs (name, kind, region_code, licence_no, address, phone, is_demo)
      VALUES (${o.name}, ${o.kind}, ${o.regionCode}, ${o.licenceNo ?? null}, ${o.address ?? null}, ${o.phone ?? null},
        ${o.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

// ---------------------------------------------------------------------------------------------
// Teams and members

export interface TeamRow {
  id: string;
  org_id: string;
  org_name: string;
  name: string;
  region_code: string;
  communities: string[];
  community_names: Array<string | null>;
  status: string;
  active_contracts: number;
}
export interface MemberRow {
  id: string;
  team_id: string;
  user_id: string | null;
  username: string | null;
  name: string;
  role: string;
  licence_no: string | null;
  is_leader: boolean;
  active: boolean;
}

/** A team is in a region actor's reach by its own region or by a community it serves. */
function teamInRegion(prefix: string | null, actor: Actor) {
  const base = regionScope(sql`t.region_code`, actor);
  if (!base || prefix === null) return base ?? sql`true`;
  return sql`(${base} OR EXISTS (SELECT 1 FROM unnest(t.communities) c WHERE c LIKE ${like(prefix)}))`;
}

export async function listTeams(
  db: DbOrTx,
  actor: Actor,
  f: { orgId?: string; regionCode?: string; mine?: boolean; id?: string },
) {
  const scope =
    actor.role === 'doctor' || f.mine
      ? sql`t.id IN ${myTeams(actor)}`
      : and([
          teamInRegion(actor.regionCode, actor),
          f.regionCode
            ? sql`(t.region_code LIKE ${like(f.regionCode)}
            OR EXISTS (SELECT 1 FROM unnest(t.communities) c WHERE c LIKE ${like(f.regionCode)}))`
            : undefined,
        ]);
  return queryRows<TeamRow>(
    db,
    sql`SELECT t.id, t.org_id, o.name AS org_name, t.name, t.region_code, t.communities, t.status,
        ARRAY(SELECT r.name FROM unnest(t.communities) WITH ORDINALITY AS c(code, n) LEFT JOIN regions r ON r.code = c.code ORDER BY c.n)
          AS community_names,
        (SELECT count(*)::int FROM doctor_contracts dc WHERE dc.team_id = t.id AND dc.status = 'active') AS active_contracts
      FROM doctor_teams t JOIN medical_orgs o ON o.id = t.org_id
      WHERE ${scope} ${f.orgId ? sql`AND t.org_id = ${f.orgId}` : sql``} ${f.id ? sql`AND t.id = ${f.id}` : sql``}
      ORDER BY o.name, t.name LIMIT 500`,
  );
}

export async function membersOf(db: DbOrTx, teamIds: string[]) {
  if (!teamIds.length) return [];
  return queryRows<MemberRow>(
    db,
    sql`SELECT m.id, m.team_id, m.user_id, u.username, m.name, m.role, m.licence_no, m.is_leader, m.active
      FROM doctor_team_members m LEFT JOIN users u ON u.id = m.user_id
      WHERE m.team_id IN (${sql.join(
        teamIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      ORDER BY m.is_leader DESC, m.created_at, m.id`,
  );
}

export async function findMember(db: DbOrTx, id: string) {
  const [r] = await queryRows<MemberRow & { region_code: string }>(
    db,
    sql`SELECT m.id, m.team_id, m.user_id, NULL AS username, m.name, m.role, m.licence_no, m.is_leader, m.active, t.region_code
      FROM doctor_team_members m JOIN doctor_teams t ON t.id = m.team_id WHERE m.id = ${id}`,
  );
  return r;
}

/** The actor's own member row in a team (a doctor's login linked to a member). */
export async function memberOfUser(db: DbOrTx, userId: string, teamId: string) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM doctor_team_members WHERE user_id = ${userId} AND team_id = ${teamId} AND active LIMIT 1`,
  );
  return r?.id ?? null;
}

export async function insertTeam(
  tx: DbOrTx,
  t: { orgId: string; name: string; regionCode: string; communities: string[]; isDemo?: boolean },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO doctor_teams (org_id, name, region_code, communities, is_demo)
      VALUES (${t.orgId}, ${t.name}, ${t.regionCode}, ${sql`ARRAY[${sql.join(
        t.communities.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[]`}, ${t.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

export async function insertMember(
  tx: DbOrTx,
  m: {
    teamId: string;
    userId: string | null;
    name: string;
    role: string;
    licenceNo?: string;
    phone?: string;
    isLeader?: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO doctor_team_members (team_id, user_id, name, role, licence_no, phone, is_leader)
      VALUES (${m.teamId}, ${m.userId}, ${m.name}, ${m.role}, ${m.licenceNo ?? null}, ${m.phone ?? null}, ${m.isLeader ?? false})
      RETURNING id`,
  );
  return r.id;
}

export async function updateMember(tx: DbOrTx, id: string, p: { active?: boolean; userId?: string | null; licenceNo?: string }) {
  await tx.execute(
    sql`UPDATE doctor_team_members SET
      active = COALESCE(${p.active ?? null}::boolean, active),
      user_id = CASE WHEN ${p.userId !== undefined} THEN ${p.userId ?? null}::uuid ELSE user_id END,
      licence_no = COALESCE(${p.licenceNo ?? null}, licence_no)
      WHERE id = ${id}`,
  );
}

export async function doctorUserId(db: DbOrTx, username: string) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM users WHERE username = ${username} AND role = 'doctor' AND status = 'active'`,
  );
  return r?.id ?? null;
}

/** The active team serving a community (the first by name), for requests without a contract. */
export async function teamServing(db: DbOrTx, communityCode: string) {
  const [r] = await queryRows<{ id: string; org_id: string }>(
    db,
    sql`SELECT t.id, t.org_id FROM doctor_teams t WHERE t.status = 'active' AND ${communityCode} = ANY (t.communities)
      ORDER BY t.name LIMIT 1`,
  );
  return r ?? null;
}

// ---------------------------------------------------------------------------------------------
// Contracts

export interface ContractRow {
  id: string;
  elder_id: string;
  elder_name: string;
  elder_age: number;
  region_code: string;
  region_name: string | null;
  team_id: string;
  team_name: string;
  org_name: string;
  package: string;
  starts_on: string;
  ends_on: string;
  status: string;
  previous_id: string | null;
  signed_at: Date;
  end_reason: string | null;
}

const contractSelect = (today: string) => sql`
  SELECT dc.id, dc.elder_id, e.name AS elder_name, ${ageOn(sql`e.birth_date`, today)} AS elder_age, dc.region_code,
    r.name AS region_name, dc.team_id, t.name AS team_name, o.name AS org_name, dc.package,
    to_char(dc.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(dc.ends_on, 'YYYY-MM-DD') AS ends_on, dc.status,
    dc.previous_id, dc.signed_at, dc.end_reason
  FROM doctor_contracts dc
  JOIN elders e ON e.id = dc.elder_id
  JOIN doctor_teams t ON t.id = dc.team_id
  JOIN medical_orgs o ON o.id = t.org_id
  LEFT JOIN regions r ON r.code = dc.region_code`;

export interface ContractFilter {
  status?: string;
  teamId?: string;
  elderId?: string;
  regionCode?: string;
  expiringBefore?: string;
}
const contractWhere = (actor: Actor, f: ContractFilter) =>
  and([
    reach(actor, { region: sql`dc.region_code`, team: sql`dc.team_id`, elder: sql`dc.elder_id` }, f.regionCode),
    f.status ? sql`dc.status = ${f.status}` : undefined,
    f.teamId ? sql`dc.team_id = ${f.teamId}` : undefined,
    f.elderId ? sql`dc.elder_id = ${f.elderId}` : undefined,
    f.expiringBefore ? sql`dc.status = 'active' AND dc.ends_on < ${f.expiringBefore}::date` : undefined,
  ]);

export async function listContracts(db: DbOrTx, actor: Actor, f: ContractFilter, today: string, limit: number, offset: number) {
  return queryRows<ContractRow>(
    db,
    sql`${contractSelect(today)} WHERE ${contractWhere(actor, f)}
      ORDER BY (dc.status = 'active') DESC, dc.ends_on, dc.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countContracts(db: DbOrTx, actor: Actor, f: ContractFilter) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM doctor_contracts dc WHERE ${contractWhere(actor, f)}`,
  );
  return r.n;
}

export async function findContract(db: DbOrTx, actor: Actor, id: string, today: string) {
  const [r] = await queryRows<ContractRow>(
    db,
    sql`${contractSelect(today)} WHERE dc.id = ${id} AND ${reach(actor, { region: sql`dc.region_code`, team: sql`dc.team_id` })}`,
  );
  return r;
}

export async function insertContract(
  tx: DbOrTx,
  c: {
    elderId: string;
    teamId: string;
    regionCode: string;
    package: string;
    startsOn: string;
    endsOn: string;
    previousId?: string | null;
    signedBy: string | null;
    isDemo?: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on, previous_id, signed_by, is_demo)
      VALUES (${c.elderId}, ${c.teamId}, ${c.regionCode}, ${c.package}, ${c.startsOn}, ${c.endsOn}, ${c.previousId ?? null},
        ${c.signedBy}, ${c.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

/** Move an active contract to `renewed` or `ended`; false when it was no longer active. */
export async function closeContract(tx: DbOrTx, id: string, status: 'renewed' | 'ended', reason: string | null) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE doctor_contracts SET status = ${status}, ended_at = now(), end_reason = ${reason}
      WHERE id = ${id} AND status = 'active' RETURNING id`,
  );
  return rows.length > 0;
}

/** 健康管理率 per community in reach: active elders aged 65+ and those with an active contract. */
export async function coverage(db: DbOrTx, actor: Actor, today: string, regionCode?: string) {
  return queryRows<{ region_code: string; region_name: string | null; elders65: number; contracted65: number }>(
    db,
    sql`SELECT e.region_code, r.name AS region_name, count(*)::int AS elders65,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = e.id AND dc.status = 'active'
          AND dc.starts_on <= ${today}::date AND dc.ends_on >= ${today}::date))::int AS contracted65
      FROM elders e LEFT JOIN regions r ON r.code = e.region_code
      WHERE e.status = 'active' AND e.birth_date <= (${today}::date - interval '65 years')::date
        AND ${reach(actor, { region: sql`e.region_code` }, regionCode)}
      GROUP BY e.region_code, r.name ORDER BY e.region_code`,
  );
}

/** The elder as the medical module needs it, if the actor may see them (the one access rule). */
export async function findElder(db: DbOrTx, visible: SQL, id: string, today: string) {
  const [r] = await queryRows<{
    id: string;
    name: string;
    region_code: string;
    age: number;
    /** The sealed health notes: open with withElderPrivate (elders.private.ts). */
    elder_private: string;
    ability_level: string | null;
    lat: number | null;
    lng: number | null;
    is_demo: boolean;
  }>(
    db,
    sql`SELECT elders.id, elders.name, elders.region_code, ${ageOn(sql`elders.birth_date`, today)} AS age,
        ${privateBox('elders')} AS elder_private, elders.ability_level, elders.lat, elders.lng, elders.is_demo
      FROM elders WHERE elders.id = ${id} AND elders.status = 'active' AND ${visible}`,
  );
  return r;
}

export async function activeContractOf(db: DbOrTx, elderId: string) {
  const [r] = await queryRows<{ id: string; team_id: string; org_id: string }>(
    db,
    sql`SELECT dc.id, dc.team_id, t.org_id FROM doctor_contracts dc JOIN doctor_teams t ON t.id = dc.team_id
      WHERE dc.elder_id = ${elderId} AND dc.status = 'active'`,
  );
  return r ?? null;
}
