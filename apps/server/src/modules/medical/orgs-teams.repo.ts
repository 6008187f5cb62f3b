import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike } from '../../lib/access.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { ageOn } from './medical.repo.ts';

// Changes to medical organisations and teams (the bureau's register); reads are in medical.repo.ts.

/** Set the given fields of an organisation; `undefined` keeps a field, `null` clears it. */
export async function updateOrg(
  tx: DbOrTx,
  id: string,
  p: {
    name?: string;
    kind?: string;
    licenceNo?: string | null;
    address?: string | null;
    phone?: string | null;
    status?: 'active' | 'closed';
  },
) {
  const keep = (v: unknown) => v === undefined;
  await tx.execute(
    sql`UPDATE medical_orgs SET
      name = COALESCE(${p.name ?? null}, name),
      kind = COALESCE(${p.kind ?? null}, kind),
      licence_no = CASE WHEN ${keep(p.licenceNo)} THEN licence_no ELSE ${p.licenceNo ?? null} END,
      address = CASE WHEN ${keep(p.address)} THEN address ELSE ${p.address ?? null} END,
      phone = CASE WHEN ${keep(p.phone)} THEN phone ELSE ${p.phone ?? null} END,
      status = COALESCE(${p.status ?? null}, status)
      WHERE id = ${id}`,
  );
}

export async function activeTeamsOfOrg(db: DbOrTx, orgId: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM doctor_teams WHERE org_id = ${orgId} AND status = 'active'`,
  );
  return r.n;
}

export async function updateTeam(
  tx: DbOrTx,
  id: string,
  p: { name?: string; communities?: string[]; status?: 'active' | 'disbanded' },
) {
  const communities = p.communities
    ? sql`ARRAY[${sql.join(
        p.communities.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[]`
    : sql`communities`;
  await tx.execute(
    sql`UPDATE doctor_teams SET
      name = COALESCE(${p.name ?? null}, name),
      communities = ${communities},
      status = COALESCE(${p.status ?? null}, status)
      WHERE id = ${id}`,
  );
}

/** The team's open work per community: active contracts and open 家庭病床 (a team cannot drop or leave it). */
export async function openWorkOfTeam(db: DbOrTx, teamId: string) {
  return queryRows<{ region_code: string; n: number }>(
    db,
    sql`SELECT region_code, count(*)::int AS n FROM (
        SELECT region_code FROM doctor_contracts WHERE team_id = ${teamId} AND status = 'active'
        UNION ALL
        SELECT region_code FROM home_bed_episodes WHERE team_id = ${teamId} AND status = 'open'
      ) w GROUP BY region_code`,
  );
}

/** A member's role and leadership; a new leader takes over from the team's former one. */
export async function setMemberRole(tx: DbOrTx, id: string, teamId: string, p: { role?: string; isLeader?: boolean }) {
  if (p.isLeader)
    await tx.execute(sql`UPDATE doctor_team_members SET is_leader = false WHERE team_id = ${teamId} AND id <> ${id}`);
  await tx.execute(
    sql`UPDATE doctor_team_members SET
      role = COALESCE(${p.role ?? null}, role),
      is_leader = COALESCE(${p.isLeader ?? null}::boolean, is_leader)
      WHERE id = ${id}`,
  );
}

/** Active elders of the given communities without an active contract, by name, pinyin or initials. */
export async function signableElders(db: DbOrTx, f: { communities: string[]; visible: SQL; q: string; today: string }) {
  const prefix = `${escapeLike(f.q.toLowerCase())}%`;
  return queryRows<{ id: string; name: string; age: number; region_code: string; region_name: string | null }>(
    db,
    sql`SELECT elders.id, elders.name, ${ageOn(sql`elders.birth_date`, f.today)} AS age, elders.region_code, r.name AS region_name
      FROM elders LEFT JOIN regions r ON r.code = elders.region_code
      WHERE elders.status = 'active'
        AND elders.region_code = ANY (${sql`ARRAY[${sql.join(
          f.communities.map((c) => sql`${c}`),
          sql`, `,
        )}]::text[]`})
        AND ${f.visible}
        AND NOT EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = elders.id AND dc.status = 'active')
        AND (elders.name LIKE ${`${escapeLike(f.q)}%`} OR elders.name_pinyin LIKE ${prefix} OR elders.name_initials LIKE ${prefix})
      ORDER BY elders.name, elders.id LIMIT 20`,
  );
}
