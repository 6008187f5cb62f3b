import { and, count, eq, inArray, like, max, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { elders } from '../elders/elders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { users } from '../users/users.schema.ts';
import { faceEnrolments, faceGalleryOrgs } from './faces.schema.ts';

/** An elder the actor may see through the archive's visibility rule. */
export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string) {
  const rows = await db
    .select({ id: elders.id, name: elders.name, regionCode: elders.regionCode })
    .from(elders)
    .where(and(eq(elders.id, id), elderVisibleTo(actor)))
    .limit(1);
  return rows[0];
}

/**
 * An enrolled elder the actor may match 1:1: one the archive shows them, or one enrolled in the
 * gallery of the actor's own organisation (a canteen's staff see no archive, only their diners).
 */
export async function findMatchableEnrolment(db: DbOrTx, actor: Actor, elderId: string) {
  const inOwnGallery = actor.orgId
    ? sql`EXISTS (SELECT 1 FROM face_gallery_orgs g WHERE g.elder_id = ${elders.id} AND g.org_id = ${actor.orgId}::uuid)`
    : sql`false`;
  const rows = await db
    .select({ elderId: elders.id, name: elders.name, regionCode: elders.regionCode, enrolment: faceEnrolments })
    .from(faceEnrolments)
    .innerJoin(elders, eq(elders.id, faceEnrolments.elderId))
    .where(and(eq(elders.id, elderId), or(elderVisibleTo(actor) ?? sql`true`, inOwnGallery)))
    .limit(1);
  return rows[0];
}

export async function findEnrolment(db: DbOrTx, elderId: string) {
  const rows = await db
    .select({ enrolment: faceEnrolments, enrolledByName: users.displayName })
    .from(faceEnrolments)
    .leftJoin(users, eq(users.id, faceEnrolments.enrolledBy))
    .where(eq(faceEnrolments.elderId, elderId))
    .limit(1);
  return rows[0];
}

export async function listGalleryCanteens(db: DbOrTx, elderId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(faceGalleryOrgs)
    .innerJoin(organizations, eq(organizations.id, faceGalleryOrgs.orgId))
    .where(eq(faceGalleryOrgs.elderId, elderId))
    .orderBy(organizations.name);
}

export async function findOrgs(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: organizations.id,
      type: organizations.type,
      regionCode: organizations.regionCode,
      status: organizations.status,
    })
    .from(organizations)
    .where(inArray(organizations.id, ids));
}

export type EnrolmentRow = typeof faceEnrolments.$inferInsert;

/** Insert or replace the enrolment and its canteen galleries. */
export async function upsertEnrolment(tx: DbOrTx, row: EnrolmentRow, orgIds: string[]) {
  await tx.delete(faceEnrolments).where(eq(faceEnrolments.elderId, row.elderId));
  await tx.insert(faceEnrolments).values(row);
  if (orgIds.length > 0) await tx.insert(faceGalleryOrgs).values(orgIds.map((orgId) => ({ elderId: row.elderId, orgId })));
}

export async function deleteEnrolment(tx: DbOrTx, elderId: string) {
  const rows = await tx
    .delete(faceEnrolments)
    .where(eq(faceEnrolments.elderId, elderId))
    .returning({ id: faceEnrolments.elderId });
  return rows.length > 0;
}

/** Where a gallery's enrolments come from: a canteen's list, or the elders of a region subtree. */
export type GallerySource = { orgId: string } | { regionCode: string };

function galleryCondition(source: GallerySource) {
  return 'orgId' in source
    ? sql`${faceEnrolments.elderId} IN (SELECT g.elder_id FROM face_gallery_orgs g WHERE g.org_id = ${source.orgId}::uuid)`
    : like(elders.regionCode, `${escapeLike(source.regionCode)}%`);
}

/** A cheap fingerprint of a gallery (count and newest enrolment), to know when a cached copy is stale. */
export async function galleryVersion(db: DbOrTx, source: GallerySource) {
  const rows = await db
    .select({ n: count(), newest: max(faceEnrolments.enrolledAt) })
    .from(faceEnrolments)
    .innerJoin(elders, eq(elders.id, faceEnrolments.elderId))
    .where(and(galleryCondition(source), inArray(elders.status, ['active', 'in_hospital'])));
  const r = rows[0];
  return `${r?.n ?? 0}:${r?.newest ? new Date(r.newest).getTime() : 0}`;
}

/** The enrolments of a gallery: who, when enrolled, and the name to greet them by (no descriptors). */
export async function galleryIndex(db: DbOrTx, source: GallerySource) {
  return db
    .select({ elderId: faceEnrolments.elderId, enrolledAt: faceEnrolments.enrolledAt, name: elders.name })
    .from(faceEnrolments)
    .innerJoin(elders, eq(elders.id, faceEnrolments.elderId))
    .where(and(galleryCondition(source), inArray(elders.status, ['active', 'in_hospital'])));
}

/** The encrypted descriptors of these enrolments. */
export async function loadEnrolments(db: DbOrTx, elderIds: string[]) {
  if (elderIds.length === 0) return [];
  return db
    .select({
      elderId: faceEnrolments.elderId,
      descriptorsEnc: faceEnrolments.descriptorsEnc,
      descriptorCount: faceEnrolments.descriptorCount,
      descriptorLength: faceEnrolments.descriptorLength,
    })
    .from(faceEnrolments)
    .where(inArray(faceEnrolments.elderId, elderIds));
}

export async function findRegion(db: DbOrTx, code: string) {
  const rows = await db.select({ code: regions.code, level: regions.level }).from(regions).where(eq(regions.code, code)).limit(1);
  return rows[0];
}
