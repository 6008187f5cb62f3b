import { type Action, REGION_SCOPED_ROLES, type Role, can as roleMay } from '@zhiyang/shared';
import { type Column, like, type SQL, sql } from 'drizzle-orm';
import type { Actor } from './actor.ts';

/**
 * The one access layer. Two questions, answered here and nowhere else:
 * - `can(actor, action, resource?)`: the role's permission (packages/shared/src/roles.ts) and,
 *   when a resource is given, whether it lies in the actor's reach (region subtree, own
 *   organisation, own account);
 * - `elderVisibleTo(actor)`: which elders the actor may see, as one SQL condition on `elders`.
 * A resource out of reach is answered 404 by the caller (never 403: an id must not confirm existence).
 */

/** Region-scoped staff and the system see by region; organisation members and persons do not. */
export function isRegionScoped(actor: Actor): boolean {
  return actor.role === 'system' || REGION_SCOPED_ROLES.includes(actor.role as Role);
}

/**
 * Region scope as SQL: a child region's code starts with its parent's code, so the actor's
 * subtree is a prefix match. Returns undefined when the actor sees the whole tree.
 * Apply it in every repository query that returns scoped rows — never only in the UI.
 */
export function regionScope(column: Column | SQL, actor: Actor): SQL | undefined {
  if (!isRegionScoped(actor)) return sql`false`;
  if (actor.regionCode === null) return undefined;
  return like(column as Column, `${escapeLike(actor.regionCode)}%`);
}

/** Does the actor's region subtree contain this region code? */
export function actorCoversRegion(actor: Actor, code: string | null | undefined): boolean {
  if (!isRegionScoped(actor)) return false;
  if (actor.regionCode === null) return true;
  return typeof code === 'string' && code.startsWith(actor.regionCode);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** What a resource says about whose it is; give what the resource has. */
export interface Resource {
  /** Region of the record (an elder's community, an order's region, a provider's home region). */
  regionCode?: string | null;
  /** Organisation that owns the record (a provider's org, a worker's employer). */
  orgId?: string | null;
  /** The account the record belongs to (a user's own row, a dispatch to a responder). */
  userId?: string | null;
}

/**
 * May the actor do `action` — and, with `resource`, to that record? The system may do anything.
 * A region-scoped actor reaches records in its subtree; an organisation member those of its
 * organisation; anyone their own account's records.
 */
export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  if (actor.role === 'system') return true;
  if (!roleMay(actor.role, action)) return false;
  if (!resource) return true;
  if (resource.userId != null && actor.id != null && resource.userId === actor.id) return true;
  if (resource.orgId != null && actor.orgId != null && resource.orgId === actor.orgId) return true;
  if (resource.regionCode !== undefined && isRegionScoped(actor)) return actorCoversRegion(actor, resource.regionCode);
  return false;
}

/** Does the actor hold the role's permission (no resource check)? Used by menus and audiences. */
export function roleCan(role: Role | 'system', action: Action): boolean {
  return role === 'system' || roleMay(role, action);
}

/** Is the actor an elder's own account or a family member's (bound to one elder by users.elder_id)? */
export function isPersonAccount(actor: Actor): boolean {
  return actor.role === 'elder' || actor.role === 'family';
}

/** Provider staff: an organisation that serves elders through service orders. */
export function isProviderStaff(actor: Actor): boolean {
  return actor.role === 'provider_admin' || actor.role === 'service_worker';
}

/**
 * The elders the actor may see, as a condition on the `elders` table (alias `elders`):
 * - region staff, responders and the system: elders whose community lies in their subtree;
 * - an elder or family account: the one elder it is bound to (users.elder_id);
 * - provider staff: elders their organisation (a worker: they themselves) serve through a live order;
 * - canteen staff: elders of the communities their canteen serves or delivers to (its profile);
 * - institution staff: the applicants and residents of their institution (admissions 0800);
 * - a doctor (family-doctor team member): the elders contracted with one of their teams, and those
 *   their teams are asked to see (an open home visit, 家庭病床 or referral; medical 0900).
 * Every module that reads or acts on an elder filters with this — never a second rule.
 */
export function elderVisibleTo(actor: Actor, elderId: Column | SQL = sql.raw('"elders"."id"'), regionCode?: Column | SQL) {
  if (isRegionScoped(actor)) return regionScope(regionCode ?? sql.raw('"elders"."region_code"'), actor);
  if (isPersonAccount(actor) && actor.id) return sql`${elderId} = (SELECT u.elder_id FROM users u WHERE u.id = ${actor.id})`;
  if (isProviderStaff(actor))
    return sql`EXISTS (SELECT 1 FROM service_orders so WHERE so.elder_id = ${elderId}
      AND (so.provider_id = ${actor.orgId ?? null}::uuid OR so.worker_id = ${actor.id ?? null}::uuid)
      AND so.status NOT IN ('cancelled', 'voided'))`;
  if (actor.role === 'canteen_staff' && actor.orgId)
    return sql`EXISTS (SELECT 1 FROM canteens c WHERE c.org_id = ${actor.orgId}::uuid
      AND ${regionCode ?? sql.raw('"elders"."region_code"')} = ANY (c.communities || c.delivery_communities))`;
  if (actor.role === 'institution_staff' && actor.orgId)
    return sql`EXISTS (SELECT 1 FROM admissions ad WHERE ad.elder_id = ${elderId} AND ad.org_id = ${actor.orgId}::uuid
      AND ad.status IN ('applied', 'admitted'))`;
  if (actor.role === 'doctor' && actor.id) return doctorSeesElder(actor.id, elderId);
  return sql`false`;
}

/**
 * The elders a doctor account reaches (the medical module's `isElderDoctor` asks the narrower
 * question): an active contract with a team the user is an active member of, or open work for such
 * a team — a home visit asked for or scheduled, an open 家庭病床, a referral not yet closed.
 */
export function doctorSeesElder(userId: string, elderId: Column | SQL) {
  const teams = sql`SELECT m.team_id FROM doctor_team_members m WHERE m.user_id = ${userId}::uuid AND m.active`;
  return sql`(EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = ${elderId} AND dc.status = 'active' AND dc.team_id IN (${teams}))
    OR EXISTS (SELECT 1 FROM medical_visits mv WHERE mv.elder_id = ${elderId} AND mv.status IN ('requested', 'scheduled') AND mv.team_id IN (${teams}))
    OR EXISTS (SELECT 1 FROM home_bed_episodes hb WHERE hb.elder_id = ${elderId} AND hb.status = 'open' AND hb.team_id IN (${teams}))
    OR EXISTS (SELECT 1 FROM medical_referrals mr WHERE mr.elder_id = ${elderId} AND mr.status IN ('pending', 'accepted', 'visited')
      AND (mr.team_id IN (${teams}) OR (mr.team_id IS NULL AND mr.medical_org_id IN (SELECT t.org_id FROM doctor_teams t WHERE t.id IN (${teams}))))))`;
}
