import { and, asc, count, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { pgArray, queryRows } from '../../lib/sql-rows.ts';
import { providerOfferings } from '../catalogue/catalogue.schema.ts';
import { CREDIT_BLOCKED_SQL } from '../credit/credit.access.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';
import { providerAreas, providerLicences, providerProfiles, providerSites, providerStaff } from './providers.schema.ts';

/** Not blocked by credit (on the dishonesty list or at level D): the stored standing, see credit.access.ts. */
const CREDIT_OK = sql.raw(`NOT ${CREDIT_BLOCKED_SQL}`);

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
    .select({ staff: providerStaff, username: users.username })
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

export interface CandidateRow {
  id: string;
  name: string;
  rating_sum: number;
  rating_count: number;
  daily_capacity: number;
  price_fen: number;
  load: string;
  slot_start: string | Date;
  slot_minutes: number;
  slot_load: string;
  slot_capacity: number | null;
  sites: Array<{ name: string; lat: number; lng: number }> | null;
}

/**
 * Providers that may take an order: active, approved, not on the dishonesty list, serving its
 * region, offering its item, with staff whose certificates are valid that day and not offered
 * this order before; with their load that day and in the order's slot, and their sites.
 */
export async function dispatchCandidates(
  db: DbOrTx,
  q: {
    orderId: string;
    itemId: string;
    regionCode: string;
    /** The order's day (YYYY-MM-DD, China time) and its bounds. */
    day: string;
    dayStart: string;
    dayEnd: string;
    /** The order's start. */
    at: string;
    /** Only these providers. */
    only?: string[];
  },
) {
  const busy = sql`so.provider_id = o.id AND so.id <> ${q.orderId} AND so.status NOT IN ('cancelled', 'voided')`;
  return queryRows<CandidateRow>(
    db,
    sql`
    SELECT o.id, o.name, p.rating_sum, p.rating_count, p.daily_capacity, off.price_fen, p.slot_minutes, slot.start AS slot_start,
      (SELECT count(*) FROM service_orders so WHERE ${busy}
         AND so.scheduled_at >= ${q.dayStart}::timestamptz AND so.scheduled_at < ${q.dayEnd}::timestamptz) AS load,
      (SELECT count(*) FROM service_orders so WHERE ${busy}
         AND so.scheduled_at >= slot.start AND so.scheduled_at < slot.start + p.slot_minutes * interval '1 minute') AS slot_load,
      p.slot_capacity,
      (SELECT json_agg(json_build_object('name', s.name, 'lat', s.lat, 'lng', s.lng)) FROM provider_sites s WHERE s.org_id = o.id) AS sites
    FROM provider_areas a
    JOIN organizations o ON o.id = a.org_id AND o.status = 'active' AND o.type = 'provider'
    JOIN provider_profiles p ON p.org_id = o.id AND p.approval_status = 'approved' AND NOT p.dishonest AND ${CREDIT_OK}
    JOIN provider_offerings off ON off.org_id = o.id AND off.item_id = ${q.itemId}
    CROSS JOIN LATERAL (SELECT ${q.dayStart}::timestamptz + floor(extract(epoch FROM ${q.at}::timestamptz - ${q.dayStart}::timestamptz)
        / (p.slot_minutes * 60)) * p.slot_minutes * interval '1 minute' AS start) slot
    WHERE a.region_code = ${q.regionCode}
      ${q.only ? sql`AND o.id = ANY(${pgArray(q.only)}::uuid[])` : sql``}
      AND NOT EXISTS (SELECT 1 FROM dispatch_offers d WHERE d.order_id = ${q.orderId} AND d.provider_id = o.id)
      AND EXISTS (SELECT 1 FROM provider_staff st WHERE st.org_id = o.id AND st.active
                  AND st.care_cert_valid_until >= ${q.day}::date AND st.health_cert_valid_until >= ${q.day}::date)`,
  );
}

/**
 * Lock the capacity of every provider that could take an order of this item in this community
 * (serves it, offers the item, approved, not on the dishonesty list) in one statement, in id
 * order so no two dispatches deadlock; held to the end of the transaction. Returns their ids.
 */
export async function lockDispatchCandidates(tx: DbOrTx, q: { itemId: string; regionCode: string }): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`
    SELECT c.id, pg_advisory_xact_lock(hashtext('dispatch-capacity:' || c.id::text)) AS locked
    FROM (
      SELECT DISTINCT o.id FROM provider_areas a
      JOIN organizations o ON o.id = a.org_id AND o.status = 'active' AND o.type = 'provider'
      JOIN provider_profiles p ON p.org_id = o.id AND p.approval_status = 'approved' AND NOT p.dishonest AND ${CREDIT_OK}
      JOIN provider_offerings off ON off.org_id = o.id AND off.item_id = ${q.itemId}
      WHERE a.region_code = ${q.regionCode}
      ORDER BY o.id
    ) c`,
  );
  return rows.map((r) => r.id);
}

/** A provider's approval and honesty, and whether it offers the item; undefined for no such provider. */
export async function providerStanding(db: DbOrTx, providerId: string, itemId: string) {
  const [p] = await queryRows<{ approval_status: string; dishonest: boolean; offers: boolean }>(
    db,
    sql`
    SELECT p.approval_status, p.dishonest,
      EXISTS (SELECT 1 FROM provider_offerings f WHERE f.org_id = p.org_id AND f.item_id = ${itemId}) AS offers
    FROM provider_profiles p WHERE p.org_id = ${providerId}`,
  );
  return p;
}

/** The provider's own price for the item, if it offers it. */
export async function offeringPrice(db: DbOrTx, providerId: string, itemId: string): Promise<number | undefined> {
  const [r] = await queryRows<{ price_fen: number }>(
    db,
    sql`SELECT price_fen FROM provider_offerings WHERE org_id = ${providerId} AND item_id = ${itemId}`,
  );
  return r?.price_fen;
}

/** Count one more rating of the provider. */
export async function addProviderRating(db: DbOrTx, providerId: string, score: number) {
  await db
    .update(providerProfiles)
    .set({ ratingSum: sql`${providerProfiles.ratingSum} + ${score}`, ratingCount: sql`${providerProfiles.ratingCount} + 1` })
    .where(eq(providerProfiles.orgId, providerId));
}

export async function regionsExist(db: DbOrTx, codes: string[]) {
  if (!codes.length) return [];
  const r = await queryRows<{ code: string }>(db, sql`select code from regions where code in ${codes} and level = 'community'`);
  return r.map((x) => x.code);
}

export interface SlotProviderRow {
  id: string;
  daily_capacity: number;
  slot_minutes: number;
  slot_capacity: number | null;
  /** The last day (YYYY-MM-DD) an active worker of the provider holds valid certificates. */
  certs_until: string | Date | null;
}

/**
 * Providers that could take an order of this item in this community (the same standing, area,
 * offering and staff rules as dispatchCandidates), with their capacities, for the free-slot view.
 */
export async function slotProviders(db: DbOrTx, q: { itemId: string; regionCode: string; firstDay: string }) {
  return queryRows<SlotProviderRow>(
    db,
    sql`
    SELECT o.id, p.daily_capacity, p.slot_minutes, p.slot_capacity,
      (SELECT max(least(st.care_cert_valid_until, st.health_cert_valid_until)) FROM provider_staff st
        WHERE st.org_id = o.id AND st.active) AS certs_until
    FROM provider_areas a
    JOIN organizations o ON o.id = a.org_id AND o.status = 'active' AND o.type = 'provider'
    JOIN provider_profiles p ON p.org_id = o.id AND p.approval_status = 'approved' AND NOT p.dishonest AND ${CREDIT_OK}
    JOIN provider_offerings off ON off.org_id = o.id AND off.item_id = ${q.itemId}
    WHERE a.region_code = ${q.regionCode}
      AND EXISTS (SELECT 1 FROM provider_staff st WHERE st.org_id = o.id AND st.active
                  AND st.care_cert_valid_until >= ${q.firstDay}::date AND st.health_cert_valid_until >= ${q.firstDay}::date)`,
  );
}

/** Start times of the live orders these providers hold in [from, to): what fills their slots. */
export async function bookedStarts(db: DbOrTx, providerIds: string[], from: string, to: string) {
  if (!providerIds.length) return [];
  return queryRows<{ provider_id: string; scheduled_at: string | Date }>(
    db,
    sql`
    SELECT so.provider_id, so.scheduled_at FROM service_orders so
    WHERE so.provider_id IN ${providerIds} AND so.status NOT IN ('cancelled', 'voided')
      AND so.scheduled_at >= ${from}::timestamptz AND so.scheduled_at < ${to}::timestamptz`,
  );
}
