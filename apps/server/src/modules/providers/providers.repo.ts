import { and, asc, count, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { isRegionScoped, regionScope } from '../../lib/scope.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { providerOfferings } from '../catalogue/catalogue.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';
import { providerAreas, providerLicences, providerProfiles, providerSites, providerStaff } from './providers.schema.ts';

export type ProfileRow = typeof providerProfiles.$inferSelect;
export type OrgRow = typeof organizations.$inferSelect;
export type SiteRow = typeof providerSites.$inferSelect;
export type StaffRow = typeof providerStaff.$inferSelect;
export type LicenceRow = typeof providerLicences.$inferSelect;

/** Region staff see providers registered in their subtree; a provider's own staff see their provider. */
function visible(actor: Actor) {
  if (isRegionScoped(actor)) return regionScope(organizations.regionCode, actor);
  return actor.orgId ? eq(organizations.id, actor.orgId) : sql`false`;
}

export interface ProviderFilter {
  approvalStatus?: ProfileRow['approvalStatus'];
  regionCode?: string;
}

export async function listProviders(db: DbOrTx, actor: Actor, f: ProviderFilter, limit: number, offset: number) {
  const where = and(
    eq(organizations.type, 'provider'),
    visible(actor),
    f.approvalStatus ? eq(providerProfiles.approvalStatus, f.approvalStatus) : undefined,
    f.regionCode
      ? sql`exists (select 1 from provider_areas pa where pa.org_id = ${organizations.id} and pa.region_code like ${`${f.regionCode}%`})`
      : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db
      .select({ org: organizations, profile: providerProfiles })
      .from(organizations)
      .innerJoin(providerProfiles, eq(providerProfiles.orgId, organizations.id))
      .where(where)
      .orderBy(asc(organizations.name))
      .limit(limit)
      .offset(offset),
    db
      .select({ total: count() })
      .from(organizations)
      .innerJoin(providerProfiles, eq(providerProfiles.orgId, organizations.id))
      .where(where),
  ]);
  return { items, total };
}

export async function findVisibleProvider(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select({ org: organizations, profile: providerProfiles })
      .from(organizations)
      .innerJoin(providerProfiles, eq(providerProfiles.orgId, organizations.id))
      .where(and(eq(organizations.id, id), eq(organizations.type, 'provider'), visible(actor)))
      .limit(1)
  )[0];
}

export async function findOrg(db: DbOrTx, id: string) {
  return (await db.select().from(organizations).where(eq(organizations.id, id)).limit(1))[0];
}

export async function insertProfile(db: DbOrTx, p: typeof providerProfiles.$inferInsert) {
  return (await db.insert(providerProfiles).values(p).returning())[0];
}

export async function updateProfile(db: DbOrTx, orgId: string, patch: Partial<typeof providerProfiles.$inferInsert>) {
  return (
    await db
      .update(providerProfiles)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(providerProfiles.orgId, orgId))
      .returning()
  )[0];
}

export async function details(db: DbOrTx, orgId: string) {
  const [areas, sites, licences, offerings, [{ staff }]] = await Promise.all([
    db.select().from(providerAreas).where(eq(providerAreas.orgId, orgId)).orderBy(asc(providerAreas.regionCode)),
    db.select().from(providerSites).where(eq(providerSites.orgId, orgId)).orderBy(asc(providerSites.name)),
    db.select().from(providerLicences).where(eq(providerLicences.orgId, orgId)).orderBy(asc(providerLicences.validUntil)),
    db.select().from(providerOfferings).where(eq(providerOfferings.orgId, orgId)),
    db
      .select({ staff: count() })
      .from(providerStaff)
      .where(and(eq(providerStaff.orgId, orgId), eq(providerStaff.active, true))),
  ]);
  return { areas: areas.map((a) => a.regionCode), sites, licences, offerings, staffCount: staff };
}

export async function replaceAreas(db: DbOrTx, orgId: string, codes: string[]) {
  await db.delete(providerAreas).where(eq(providerAreas.orgId, orgId));
  if (codes.length) await db.insert(providerAreas).values(codes.map((regionCode) => ({ orgId, regionCode })));
}

export async function insertSite(db: DbOrTx, s: typeof providerSites.$inferInsert) {
  return (await db.insert(providerSites).values(s).returning())[0];
}

export async function insertLicence(db: DbOrTx, l: typeof providerLicences.$inferInsert) {
  return (await db.insert(providerLicences).values(l).returning())[0];
}

/** Licences that expire on or before `until` (YYYY-MM-DD), for the warning list. */
export async function expiringLicences(db: DbOrTx, actor: Actor, until: string) {
  return db
    .select({ licence: providerLicences, providerName: organizations.name })
    .from(providerLicences)
    .innerJoin(organizations, eq(organizations.id, providerLicences.orgId))
    .where(and(lte(providerLicences.validUntil, until), visible(actor)))
    .orderBy(asc(providerLicences.validUntil))
    .limit(500);
}

export async function listStaff(db: DbOrTx, orgId: string) {
  return db
    .select({ staff: providerStaff, username: users.username, phone: users.phone })
    .from(providerStaff)
    .innerJoin(users, eq(users.id, providerStaff.userId))
    .where(eq(providerStaff.orgId, orgId))
    .orderBy(asc(providerStaff.name));
}

export async function findStaff(db: DbOrTx, userId: string) {
  return (await db.select().from(providerStaff).where(eq(providerStaff.userId, userId)).limit(1))[0];
}

export async function insertStaff(db: DbOrTx, s: typeof providerStaff.$inferInsert) {
  return (await db.insert(providerStaff).values(s).returning())[0];
}

export async function updateStaff(db: DbOrTx, userId: string, patch: Partial<typeof providerStaff.$inferInsert>) {
  return (
    await db
      .update(providerStaff)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(providerStaff.userId, userId))
      .returning()
  )[0];
}

export async function replaceOfferings(db: DbOrTx, orgId: string, rows: Array<{ itemId: string; priceFen: number }>) {
  await db.delete(providerOfferings).where(eq(providerOfferings.orgId, orgId));
  if (rows.length) await db.insert(providerOfferings).values(rows.map((r) => ({ orgId, ...r })));
}

export async function regionsExist(db: DbOrTx, codes: string[]) {
  if (!codes.length) return [];
  const r = await queryRows<{ code: string }>(db, sql`select code from regions where code in ${codes} and level = 'community'`);
  return r.map((x) => x.code);
}

export const profilesByIds = (db: DbOrTx, ids: string[]) =>
  ids.length ? db.select().from(providerProfiles).where(inArray(providerProfiles.orgId, ids)) : Promise.resolve([]);
