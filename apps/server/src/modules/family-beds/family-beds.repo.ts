import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { CREDIT_BLOCKED_SQL } from '../credit/credit.access.ts';
import { familyBedDevices, familyBedMonths, familyBedRules, familyBedSuspensions, familyBeds } from './family-beds.schema.ts';

/** All SQL of family care beds. */

export type BedRow = typeof familyBeds.$inferSelect;
export type MonthRow = typeof familyBedMonths.$inferSelect;
export type SuspensionRow = typeof familyBedSuspensions.$inferSelect;

/**
 * The beds an actor reaches: region staff by the bed's region subtree, a provider's staff the beds
 * contracted with their provider; nobody else.
 */
export function bedReach(actor: Actor): SQL | undefined {
  if (isRegionScoped(actor)) return regionScope(familyBeds.regionCode, actor);
  return actor.orgId ? eq(familyBeds.providerId, actor.orgId) : sql`false`;
}

export async function findRules(db: DbOrTx, districtCode: string) {
  return (await db.select().from(familyBedRules).where(eq(familyBedRules.districtCode, districtCode)).limit(1))[0];
}

export async function upsertRules(db: DbOrTx, v: typeof familyBedRules.$inferInsert) {
  await db
    .insert(familyBedRules)
    .values(v)
    .onConflictDoUpdate({ target: familyBedRules.districtCode, set: { ...v, updatedAt: new Date() } });
}

export interface SignedAssessment {
  id: string;
  level: string;
  assessed_on: string;
}
/** The elder's newest assessment signed by both assessors. */
export async function latestSignedAssessment(db: DbOrTx, elderId: string) {
  return (
    await queryRows<SignedAssessment>(
      db,
      sql`SELECT id, level, assessed_on::text AS assessed_on FROM assessments
        WHERE status = 'signed' AND elder_id = ${elderId}
        ORDER BY assessed_on DESC, created_at DESC LIMIT 1`,
    )
  )[0];
}

export async function openBedOf(db: DbOrTx, elderId: string) {
  return (
    await db
      .select({ id: familyBeds.id })
      .from(familyBeds)
      .where(and(eq(familyBeds.elderId, elderId), sql`${familyBeds.status} <> 'ended'`))
      .limit(1)
  )[0];
}

export async function insertBed(tx: DbOrTx, v: typeof familyBeds.$inferInsert) {
  return (await tx.insert(familyBeds).values(v).returning())[0];
}

/** A bed by id within the actor's reach (undefined when out of reach: the caller answers 404). */
export async function findVisibleBed(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select()
      .from(familyBeds)
      .where(and(eq(familyBeds.id, id), bedReach(actor)))
      .limit(1)
  )[0];
}

export async function findBed(db: DbOrTx, id: string) {
  return (await db.select().from(familyBeds).where(eq(familyBeds.id, id)).limit(1))[0];
}

/** Change a bed only while it is in one of `from` (a state step that lost a race changes nothing). */
export async function updateBed(
  tx: DbOrTx,
  id: string,
  from: BedRow['status'][],
  patch: Partial<typeof familyBeds.$inferInsert>,
) {
  return (
    await tx
      .update(familyBeds)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(familyBeds.id, id), inArray(familyBeds.status, from)))
      .returning()
  )[0];
}

export interface BedNames {
  elder_name: string;
  id_number_enc: string | null;
  region_name: string | null;
  provider_name: string | null;
  policy_name: string | null;
}
/** Names to present beds with: the elder, community, provider and policy. */
export async function namesOf(db: DbOrTx, beds: BedRow[]) {
  if (!beds.length) return new Map<string, BedNames>();
  const rows = await queryRows<BedNames & { id: string }>(
    db,
    sql`SELECT b.id, e.name AS elder_name, e.id_number_enc, r.name AS region_name, o.name AS provider_name, p.name AS policy_name
      FROM family_beds b JOIN elders e ON e.id = b.elder_id
      LEFT JOIN regions r ON r.code = b.region_code
      LEFT JOIN organizations o ON o.id = b.provider_id
      LEFT JOIN policies p ON p.id = b.policy_id
      WHERE b.id IN (${sql.join(
        beds.map((b) => sql`${b.id}::uuid`),
        sql`, `,
      )})`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export async function listBeds(db: DbOrTx, actor: Actor, f: { status?: BedRow['status']; regionCode?: string; q?: string }) {
  return db
    .select()
    .from(familyBeds)
    .where(
      and(
        bedReach(actor),
        f.status ? eq(familyBeds.status, f.status) : undefined,
        f.regionCode ? sql`${familyBeds.regionCode} LIKE ${`${escapeLike(f.regionCode)}%`}` : undefined,
        f.q
          ? sql`EXISTS (SELECT 1 FROM elders e WHERE e.id = ${familyBeds.elderId} AND e.name LIKE ${`%${escapeLike(f.q)}%`})`
          : undefined,
      ),
    )
    .orderBy(desc(familyBeds.appliedOn), desc(familyBeds.createdAt))
    .limit(500);
}

export async function itemNames(db: DbOrTx, ids: string[]) {
  if (!ids.length) return [];
  return queryRows<{ id: string; name: string }>(
    db,
    sql`SELECT id, name FROM service_items WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )}) ORDER BY name`,
  );
}

export interface DeviceState {
  bed_id: string;
  id: string;
  type: string;
  online: boolean;
  battery: number | null;
  last_seen_at: Date | string | null;
}
export async function devicesOfBeds(db: DbOrTx, bedIds: string[]) {
  if (!bedIds.length) return [];
  return queryRows<DeviceState>(
    db,
    sql`SELECT fd.bed_id, d.id, d.type, d.online, d.battery, d.last_seen_at FROM family_bed_devices fd
      JOIN devices d ON d.id = fd.device_id
      WHERE fd.bed_id IN (${sql.join(
        bedIds.map((i) => sql`${i}::uuid`),
        sql`, `,
      )}) ORDER BY d.type, d.id`,
  );
}

/** The bed a device serves, if any. */
export async function bedOfDevice(db: DbOrTx, deviceId: string) {
  return (await db.select().from(familyBedDevices).where(eq(familyBedDevices.deviceId, deviceId)).limit(1))[0];
}

export async function insertBedDevice(tx: DbOrTx, v: typeof familyBedDevices.$inferInsert) {
  return (await tx.insert(familyBedDevices).values(v).onConflictDoNothing().returning())[0];
}

export async function deleteBedDevice(tx: DbOrTx, bedId: string, deviceId: string) {
  return (
    await tx
      .delete(familyBedDevices)
      .where(and(eq(familyBedDevices.bedId, bedId), eq(familyBedDevices.deviceId, deviceId)))
      .returning()
  )[0];
}

export async function monthsOf(db: DbOrTx, bedIds: string[], month?: string) {
  if (!bedIds.length) return [];
  return db
    .select()
    .from(familyBedMonths)
    .where(and(inArray(familyBedMonths.bedId, bedIds), month ? eq(familyBedMonths.month, month) : undefined))
    .orderBy(desc(familyBedMonths.month));
}

/** Beds in the actor's reach that were live some day of the month (from its first to its last day). */
export async function bedsLiveIn(db: DbOrTx, actor: Actor, first: string, last: string, bedId?: string) {
  return db
    .select()
    .from(familyBeds)
    .where(
      and(
        bedReach(actor),
        bedId ? eq(familyBeds.id, bedId) : undefined,
        inArray(familyBeds.status, ['active', 'suspended', 'ended']),
        sql`${familyBeds.activatedOn} <= ${last}`,
        sql`(${familyBeds.endedOn} IS NULL OR ${familyBeds.endedOn} >= ${first})`,
      ),
    )
    .orderBy(familyBeds.id);
}

/**
 * Verified visits of each bed's package between two instants: the bed's provider's orders for the
 * elder paid by the package (of the package's items, when it names any) that were served and confirmed (or settled),
 * by their check-in time, not flagged or cleared on review — the service loop's verified visits.
 */
export async function verifiedVisits(db: DbOrTx, bedIds: string[], from: Date, to: Date) {
  if (!bedIds.length) return new Map<string, { count: number; last: string | null }>();
  const rows = await queryRows<{ bed_id: string; n: number; last: Date | string | null }>(
    db,
    sql`SELECT b.id AS bed_id, count(v.order_id)::int AS n, max(v.check_in_at) AS last
      FROM family_beds b
      JOIN service_orders o ON o.elder_id = b.elder_id AND o.provider_id = b.provider_id
        AND o.payment = 'package' AND o.status IN ('confirmed', 'settled')
        AND (cardinality(b.item_ids) = 0 OR o.item_id = ANY (b.item_ids))
        AND (cardinality(o.flags) = 0 OR o.review_status = 'cleared')
      JOIN service_visits v ON v.order_id = o.id AND v.check_in_at >= ${from.toISOString()} AND v.check_in_at < ${to.toISOString()}
      WHERE b.id IN (${sql.join(
        bedIds.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})
      GROUP BY b.id`,
  );
  return new Map(rows.map((r) => [r.bed_id, { count: r.n, last: r.last ? new Date(r.last).toISOString() : null }]));
}

/** Open alarms of each bed's elder. */
export async function openAlarms(db: DbOrTx, elderIds: string[]) {
  if (!elderIds.length) return new Map<string, number>();
  const rows = await queryRows<{ elder_id: string; n: number }>(
    db,
    sql`SELECT elder_id, count(*)::int AS n FROM alarms WHERE open AND elder_id IN (${sql.join(
      elderIds.map((i) => sql`${i}::uuid`),
      sql`, `,
    )}) GROUP BY elder_id`,
  );
  return new Map(rows.map((r) => [r.elder_id, r.n]));
}

/** Record a month's check once: a second (or racing) insert of the same bed and month writes nothing. */
export async function insertMonth(tx: DbOrTx, v: typeof familyBedMonths.$inferInsert) {
  return (await tx.insert(familyBedMonths).values(v).onConflictDoNothing().returning())[0];
}

export async function setMonthLedger(tx: DbOrTx, bedId: string, month: string, ledgerTxId: string) {
  await tx
    .update(familyBedMonths)
    .set({ ledgerTxId })
    .where(and(eq(familyBedMonths.bedId, bedId), eq(familyBedMonths.month, month), isNull(familyBedMonths.ledgerTxId)));
}

/** Release a short month's hold; only one caller wins (the row must still be short). */
export async function releaseMonth(tx: DbOrTx, bedId: string, month: string, by: string | null, reason: string) {
  return (
    await tx
      .update(familyBedMonths)
      .set({ status: 'released', releasedAt: new Date(), releasedBy: by, releaseReason: reason })
      .where(and(eq(familyBedMonths.bedId, bedId), eq(familyBedMonths.month, month), eq(familyBedMonths.status, 'short')))
      .returning()
  )[0];
}

export async function findMonth(db: DbOrTx, bedId: string, month: string) {
  return (
    await db
      .select()
      .from(familyBedMonths)
      .where(and(eq(familyBedMonths.bedId, bedId), eq(familyBedMonths.month, month)))
      .limit(1)
  )[0];
}

/** Beds on the board: every bed contracted, live or suspended in reach (optionally under a region). */
export async function boardBeds(db: DbOrTx, actor: Actor, regionCode?: string) {
  return db
    .select()
    .from(familyBeds)
    .where(
      and(
        bedReach(actor),
        inArray(familyBeds.status, ['contracted', 'active', 'suspended']),
        regionCode ? sql`${familyBeds.regionCode} LIKE ${`${escapeLike(regionCode)}%`}` : undefined,
      ),
    )
    .orderBy(familyBeds.regionCode, familyBeds.createdAt)
    .limit(2000);
}

/** A provider that may sign: approved, not on the dishonesty list, in the bed's district. */
export async function contractableProvider(db: DbOrTx, id: string, districtCode: string) {
  return (
    await queryRows<{ id: string; name: string }>(
      db,
      sql`SELECT o.id, o.name FROM organizations o JOIN provider_profiles p ON p.org_id = o.id
        WHERE o.id = ${id} AND o.type = 'provider' AND p.approval_status = 'approved'
          AND o.region_code LIKE ${`${escapeLike(districtCode)}%`}`,
    )
  )[0];
}

/** The contract form's choices for a bed in `regionCode`: providers, policies and items. */
export async function contractOptions(db: DbOrTx, regionCode: string) {
  const district = regionCode.slice(0, 6);
  const [providers, policies, items] = await Promise.all([
    // Blocked providers (失信名单 or D, by the stored standing) stay in the list, marked: the form
    // shows them disabled, and a contract naming one is refused by the credit check.
    queryRows<{ id: string; name: string; credit_blocked: boolean }>(
      db,
      sql`SELECT o.id, o.name, (p.dishonest OR ${sql.raw(CREDIT_BLOCKED_SQL)}) AS credit_blocked
        FROM organizations o JOIN provider_profiles p ON p.org_id = o.id
        WHERE o.type = 'provider' AND p.approval_status = 'approved'
          AND o.region_code LIKE ${`${escapeLike(district)}%`} ORDER BY o.name`,
    ),
    queryRows<{ id: string; name: string; amount: number }>(
      db,
      sql`SELECT id, name, amount FROM policies
        WHERE kind = 'family_bed' AND period = 'month' AND status = 'active' AND ${regionCode} LIKE region_code || '%'
        ORDER BY name`,
    ),
    queryRows<{ id: string; name: string; category: string }>(
      db,
      sql`SELECT id, name, category FROM service_items WHERE active ORDER BY category, name`,
    ),
  ]);
  return {
    providers: providers.map((p) => ({ id: p.id, name: p.name, creditBlocked: !!p.credit_blocked })),
    policies: policies.map((p) => ({ id: p.id, name: p.name, amountFen: p.amount })),
    items,
  };
}

/**
 * The elder's bed whose package pays an order of the item: an active bed whose package names the item
 * (or names none: every item). Undefined when no package covers it.
 */
export async function packageBedFor(db: DbOrTx, elderId: string, itemId: string) {
  return (
    await queryRows<{ id: string; provider_id: string; status: string }>(
      db,
      sql`SELECT id, provider_id, status FROM family_beds
        WHERE elder_id = ${elderId} AND status IN ('active', 'suspended') AND provider_id IS NOT NULL
          AND (cardinality(item_ids) = 0 OR ${itemId}::uuid = ANY (item_ids))
        LIMIT 1`,
    )
  )[0];
}

/** The provider of the elder's live (active or suspended) bed, if any. */
export async function liveBedProvider(db: DbOrTx, elderId: string) {
  return (
    await queryRows<{ provider_id: string }>(
      db,
      sql`SELECT provider_id FROM family_beds
        WHERE elder_id = ${elderId} AND status IN ('active', 'suspended') AND provider_id IS NOT NULL LIMIT 1`,
    )
  )[0]?.provider_id;
}

/** Lock the bed's row for the rest of the transaction (serialises suspension writes of one bed). */
export async function lockBed(tx: DbOrTx, id: string) {
  return (await tx.select().from(familyBeds).where(eq(familyBeds.id, id)).for('update').limit(1))[0];
}

export async function suspensionsOf(db: DbOrTx, bedIds: string[]) {
  if (!bedIds.length) return [];
  return db
    .select()
    .from(familyBedSuspensions)
    .where(inArray(familyBedSuspensions.bedId, bedIds))
    .orderBy(familyBedSuspensions.fromDay);
}

export async function insertSuspension(tx: DbOrTx, v: typeof familyBedSuspensions.$inferInsert) {
  return (await tx.insert(familyBedSuspensions).values(v).returning())[0];
}

/** Close the bed's open period on `toDay`, or remove it when it would close before it began. */
export async function closeOpenSuspension(tx: DbOrTx, bedId: string, toDay: string) {
  const open = (
    await tx
      .select()
      .from(familyBedSuspensions)
      .where(and(eq(familyBedSuspensions.bedId, bedId), isNull(familyBedSuspensions.toDay)))
      .limit(1)
  )[0];
  if (!open) return undefined;
  if (toDay < open.fromDay) {
    await tx.delete(familyBedSuspensions).where(eq(familyBedSuspensions.id, open.id));
    return undefined;
  }
  return (await tx.update(familyBedSuspensions).set({ toDay }).where(eq(familyBedSuspensions.id, open.id)).returning())[0];
}

export async function deleteSuspension(tx: DbOrTx, bedId: string, id: string) {
  return (
    await tx
      .delete(familyBedSuspensions)
      .where(and(eq(familyBedSuspensions.bedId, bedId), eq(familyBedSuspensions.id, id)))
      .returning()
  )[0];
}

/** The months of the bed already decided among `months`. */
export async function decidedMonths(db: DbOrTx, bedId: string, months: string[]) {
  if (!months.length) return [];
  return (
    await db
      .select({ month: familyBedMonths.month })
      .from(familyBedMonths)
      .where(and(eq(familyBedMonths.bedId, bedId), inArray(familyBedMonths.month, months)))
  ).map((r) => r.month);
}

/** The items an elder's active bed package pays: 'all' when it names none; null without an active bed. */
export async function activePackageItems(db: DbOrTx, elderId: string) {
  const row = (
    await db
      .select({ itemIds: familyBeds.itemIds })
      .from(familyBeds)
      .where(and(eq(familyBeds.elderId, elderId), eq(familyBeds.status, 'active')))
      .limit(1)
  )[0];
  if (!row) return null;
  return row.itemIds.length ? row.itemIds : ('all' as const);
}

/** Every bed the elder has had (the timeline). */
export async function bedsOfElder(db: DbOrTx, elderId: string) {
  return db.select().from(familyBeds).where(eq(familyBeds.elderId, elderId)).orderBy(familyBeds.createdAt);
}

/** The elder an elder or family account is bound to (users.elder_id), if any. */
export async function elderOfPerson(db: DbOrTx, userId: string) {
  return (
    await queryRows<{ elder_id: string | null }>(
      db,
      sql`SELECT elder_id FROM users WHERE id = ${userId} AND role IN ('elder', 'family') AND status = 'active'`,
    )
  )[0]?.elder_id;
}

/** The elder's live or suspended bed, with its provider's name and service phone (the organisation's, not a person's). */
export async function cardBedOf(db: DbOrTx, elderId: string) {
  const [b] = await db
    .select()
    .from(familyBeds)
    .where(and(eq(familyBeds.elderId, elderId), inArray(familyBeds.status, ['active', 'suspended'])))
    .orderBy(desc(familyBeds.activatedOn))
    .limit(1);
  if (!b) return undefined;
  const [org] = b.providerId
    ? await queryRows<{ name: string; phone: string | null }>(
        db,
        sql`SELECT name, contact_phone AS phone FROM organizations WHERE id = ${b.providerId}`,
      )
    : [];
  return { bed: b, providerName: org?.name ?? null, providerPhone: org?.phone ?? null };
}

/** The next package visit planned for the bed: the provider's coming order paid by the package. */
export async function nextPackageVisit(db: DbOrTx, b: BedRow) {
  if (!b.providerId) return undefined;
  return (
    await queryRows<{ at: Date | string; item_name: string }>(
      db,
      sql`SELECT o.scheduled_at AS at, i.name AS item_name FROM service_orders o JOIN service_items i ON i.id = o.item_id
        WHERE o.elder_id = ${b.elderId} AND o.provider_id = ${b.providerId} AND o.payment = 'package'
          AND o.status IN ('created', 'dispatched', 'accepted', 'assigned', 'en_route')
          AND o.scheduled_at >= now() - interval '2 hours'
        ORDER BY o.scheduled_at LIMIT 1`,
    )
  )[0];
}
